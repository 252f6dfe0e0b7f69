// `hastewatch import openmetrics FILE`: backfill from an OpenMetrics file with
// timestamps, the input `promtool tsdb create-blocks-from openmetrics` takes. Samples
// are grouped by series and block range and written straight into blocks (no WAL),
// under the data directory lock, so a running server must be stopped first.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

#include "base/dir_lock.h"
#include "cli/commands.h"
#include "scrape/exposition.h"
#include "tsdb/block.h"
#include "tsdb/block_writer.h"
#include "tsdb/head_series.h"

namespace hw::cli {
namespace {

struct SeriesData {
  model::Labels labels;
  std::vector<model::Sample> samples;
};

// A read-only mapping of the input file.
class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::NotFound(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    struct stat st {};
    ::fstat(fd, &st);
    MappedFile f;
    f.size_ = static_cast<size_t>(st.st_size);
    if (f.size_ > 0) {
      void* p = ::mmap(nullptr, f.size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        return Status::Internal(fmt::format("cannot map {}: {}", path, std::strerror(errno)));
      }
      f.data_ = static_cast<const char*>(p);
      ::madvise(p, f.size_, MADV_SEQUENTIAL);
    }
    ::close(fd);
    return f;
  }
  MappedFile() = default;
  MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// The series key of a sample as written: name and labels in written order. Samples of
// one series repeat the same text, so this avoids building Labels per sample.
void SeriesKey(const scrape::SampleView& s, std::string* key) {
  key->assign(s.name);
  for (const scrape::LabelView& l : s.labels) {
    key->push_back('\xff');
    key->append(l.name);
    key->push_back('\xfe');
    key->append(l.value);
  }
}


}  // namespace

int ImportOpenMetrics(const ImportOptions& o) {
  auto start = std::chrono::steady_clock::now();
  Result<MappedFile> file = MappedFile::Open(o.file);
  if (!file.ok()) {
    fmt::print(stderr, "hastewatch: {}\n", file.status().message());
    return 1;
  }
  Result<DirLock> lock = DirLock::Acquire(o.data_dir);
  if (!lock.ok()) {
    fmt::print(stderr, "hastewatch: {}\n", lock.status().message());
    return 1;
  }

  std::unique_ptr<scrape::Parser> parser = scrape::NewParser(file->view(), scrape::Format::kOpenMetrics);
  std::unordered_map<std::string, std::size_t> index;
  std::vector<SeriesData> series;
  std::string key;
  std::uint64_t samples = 0;
  for (;;) {
    Result<scrape::Entry> e = parser->Next();
    if (!e.ok()) {
      fmt::print(stderr, "hastewatch: cannot import {}: {}\n", o.file, e.status().message());
      return 1;
    }
    if (*e == scrape::Entry::kEof) break;
    if (*e != scrape::Entry::kSample) continue;
    const scrape::SampleView& s = parser->sample();
    if (s.created) continue;  // start timestamps, not samples (as promtool)
    if (!s.timestamp_ms) {
      fmt::print(stderr, "hastewatch: cannot import {}: {}\n", o.file,
                 parser->LineError("sample has no timestamp (backfill needs one on every sample)").message());
      return 1;
    }
    SeriesKey(s, &key);
    auto [it, fresh] = index.try_emplace(key, series.size());
    if (fresh) {
      std::vector<std::pair<std::string_view, std::string_view>> pairs;
      pairs.reserve(s.labels.size() + 1);
      pairs.emplace_back(model::kMetricName, s.name);
      for (const scrape::LabelView& l : s.labels) pairs.emplace_back(l.name, l.value);
      series.push_back({model::Labels::FromPairs(std::move(pairs)), {}});
    }
    series[it->second].samples.push_back({*s.timestamp_ms, s.value});
    ++samples;
  }
  index.clear();

  // Order samples in time; a repeated timestamp must repeat the value.
  std::int64_t mint = std::numeric_limits<std::int64_t>::max();
  std::int64_t maxt = std::numeric_limits<std::int64_t>::min();
  for (SeriesData& sd : series) {
    std::stable_sort(sd.samples.begin(), sd.samples.end(),
                     [](const model::Sample& a, const model::Sample& b) { return a.t < b.t; });
    size_t out = 0;
    for (size_t i = 0; i < sd.samples.size(); ++i) {
      if (out > 0 && sd.samples[out - 1].t == sd.samples[i].t) {
        if (!model::SameBits(sd.samples[out - 1], sd.samples[i])) {
          fmt::print(stderr,
                     "hastewatch: cannot import {}: series {} has two different values at "
                     "timestamp {}\n",
                     o.file, sd.labels.ToSeriesString(), sd.samples[i].t);
          return 1;
        }
        continue;
      }
      sd.samples[out++] = sd.samples[i];
    }
    sd.samples.resize(out);
    if (!sd.samples.empty()) {
      mint = std::min(mint, sd.samples.front().t);
      maxt = std::max(maxt, sd.samples.back().t);
    }
  }
  std::sort(series.begin(), series.end(),
            [](const SeriesData& a, const SeriesData& b) { return a.labels < b.labels; });

  std::string tsdb_dir = o.data_dir + "/tsdb";
  std::error_code ec;
  std::filesystem::create_directories(tsdb_dir, ec);
  int blocks = 0;
  if (mint <= maxt) {
    for (std::int64_t lo = tsdb::FloorToRange(mint, o.block_range_ms); lo <= maxt; lo += o.block_range_ms) {
      std::int64_t hi = lo + o.block_range_ms;
      Result<std::unique_ptr<tsdb::BlockWriter>> w = tsdb::BlockWriter::Create(tsdb_dir);
      if (!w.ok()) {
        fmt::print(stderr, "hastewatch: {}\n", w.status().message());
        return 1;
      }
      bool any = false;
      for (const SeriesData& sd : series) {
        auto first = std::lower_bound(sd.samples.begin(), sd.samples.end(), lo,
                                      [](const model::Sample& s, std::int64_t t) { return s.t < t; });
        auto last = std::lower_bound(first, sd.samples.end(), hi,
                                     [](const model::Sample& s, std::int64_t t) { return s.t < t; });
        if (first == last) continue;
        Status st = (*w)->AddSeriesSamples(sd.labels, std::span<const model::Sample>(&*first, last - first));
        if (!st.ok()) {
          fmt::print(stderr, "hastewatch: {}\n", st.message());
          return 1;
        }
        any = true;
      }
      if (!any) continue;
      tsdb::BlockMeta meta;
      meta.min_time = lo;
      meta.max_time = hi;
      meta.compaction.level = 1;
      Result<std::string> dir = (*w)->Finish(meta);
      if (!dir.ok()) {
        fmt::print(stderr, "hastewatch: {}\n", dir.status().message());
        return 1;
      }
      ++blocks;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("imported {} samples of {} series into {} blocks in {}/tsdb in {:.2f}s\n", samples,
             series.size(), blocks, o.data_dir, seconds);
  return 0;
}

}  // namespace hw::cli
