// libFuzzer target for the series codec (clang only, see codec.cmake):
//   ./codec_fuzz -max_len=4096 corpus/
// Feeds arbitrary bytes to every decoder; a valid decode must re-encode to a payload
// that decodes to the same samples (bit-exact), and nothing may crash or read out of
// bounds (built with ASan and UBSan).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "tsdb/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hw::tsdb::BatchReader;
  std::span<const std::uint8_t> bytes(data, size);
  std::vector<hw::model::Sample> samples;
  if (hw::tsdb::DecodeColumnarInto(bytes, &samples).ok()) {
    hw::Result<std::vector<hw::model::Sample>> again =
        hw::tsdb::DecodeColumnar(hw::tsdb::EncodeColumnar(samples));
    if (!again.ok() || again->size() != samples.size()) std::abort();
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (!hw::model::SameBits(samples[i], (*again)[i])) std::abort();
    }
    hw::tsdb::ColumnarIterator it(bytes);
    if (!samples.empty()) (void)it.Seek(samples[samples.size() / 2].t);
  }
  hw::Result<BatchReader> batch = BatchReader::Open(bytes);
  if (batch.ok()) {
    for (std::size_t i = 0; i < batch->Count(); ++i) (void)batch->Decode(i);
  }
  return 0;
}
