#include "tsdb/block_test_util.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "tsdb/block_writer.h"

namespace hw::tsdb::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/hw_block_XXXXXX";
  char* p = ::mkdtemp(tmpl.data());
  path_ = p != nullptr ? std::string(p) : tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<TestSeries> GenerateSeries(const GenerateOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::vector<TestSeries> out;
  static const char* kJobs[] = {"api", "web", "db", "cache"};
  for (int i = 0; i < o.num_series; ++i) {
    bool counter = i % 2 == 0;
    std::string name = fmt::format("metric_{}{}", i % 20, counter ? "_total" : "");
    std::string instance = fmt::format("host-{}:9100", (i / 20) % 50);
    std::string idx = std::to_string(i);
    std::vector<std::pair<std::string_view, std::string_view>> pairs{
        {"__name__", name}, {"job", kJobs[(i / 7) % 4]}, {"instance", instance}, {"idx", idx}};
    if (i % 3 == 0) pairs.emplace_back("zone", (i % 2 == 0) ? "eu" : "us");
    TestSeries s{model::Labels::FromPairs(pairs), {}};
    std::uniform_int_distribution<int> jitter(static_cast<int>(-o.jitter_ms), static_cast<int>(o.jitter_ms));
    double v = counter ? static_cast<double>(rng() % 1000) : 50.0;
    for (int k = 0; k < o.num_samples; ++k) {
      std::int64_t t = o.mint + k * o.step_ms + (o.jitter_ms > 0 ? jitter(rng) : 0);
      if (counter) {
        v += static_cast<double>(rng() % 5);
      } else {
        v = std::round((v + (static_cast<double>(rng() % 201) - 100.0) / 100.0) * 100.0) / 100.0;
      }
      double out_v = v;
      if (o.special_values && k % 97 == 13) {
        static const double kSpecial[] = {model::kStaleNaN, std::numeric_limits<double>::quiet_NaN(),
                                          INFINITY, -INFINITY, -0.0};
        out_v = kSpecial[(i + k) % 5];
      }
      s.samples.push_back({t, out_v});
    }
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const TestSeries& a, const TestSeries& b) { return a.labels < b.labels; });
  return out;
}

EncodedChunks EncodeChunks(const std::vector<model::Sample>& samples) {
  EncodedChunks out;
  std::optional<XorAppender> app;
  for (const model::Sample& s : samples) {
    if (out.chunks.empty() || out.chunks.back()->IsFull()) {
      out.chunks.push_back(std::make_unique<XorChunk>());
      app.emplace(std::move(out.chunks.back()->NewAppender().value()));
      ChunkMeta meta;
      meta.mint = s.t;
      out.metas.push_back(meta);
    }
    (void)app->Append(s.t, s.v);
    out.metas.back().maxt = s.t;
    ++out.metas.back().num_samples;
  }
  for (std::size_t i = 0; i < out.chunks.size(); ++i) out.metas[i].bytes = out.chunks[i]->Bytes();
  return out;
}

Result<std::string> WriteBlock(const std::string& parent, const std::vector<TestSeries>& series,
                               BlockMeta meta, std::uint64_t max_segment_size,
                               BlockEncoding encoding) {
  BlockWriterOptions opts;
  opts.encoding = encoding;
  if (max_segment_size > 0) opts.max_segment_size = max_segment_size;
  auto w = BlockWriter::Create(parent, NewUlid(), opts);
  if (!w.ok()) return w.status();
  for (const TestSeries& s : series) {
    EncodedChunks enc = EncodeChunks(s.samples);
    HW_RETURN_IF_ERROR((*w)->AddSeries(s.labels, enc.metas));
  }
  return (*w)->Finish(std::move(meta));
}

Result<std::vector<TestSeries>> ReadAll(storage::Querier& q,
                                        const std::vector<model::Matcher>& matchers,
                                        std::int64_t mint, std::int64_t maxt,
                                        const storage::SelectHints* hints) {
  std::vector<TestSeries> out;
  auto set = q.Select(matchers, mint, maxt, hints);
  while (set->Next()) {
    TestSeries s{set->At().labels(), {}};
    auto it = set->At().Iterator();
    while (it->Next()) s.samples.push_back(it->At());
    HW_RETURN_IF_ERROR(it->Err());
    out.push_back(std::move(s));
  }
  HW_RETURN_IF_ERROR(set->Err());
  return out;
}

std::string Diff(const std::vector<TestSeries>& want, const std::vector<TestSeries>& got) {
  for (std::size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    if (i >= want.size()) return fmt::format("extra series {}", got[i].labels.ToString());
    if (i >= got.size()) return fmt::format("missing series {}", want[i].labels.ToString());
    if (want[i].labels != got[i].labels) {
      return fmt::format("series {}: want {}, got {}", i, want[i].labels.ToString(), got[i].labels.ToString());
    }
    const auto& a = want[i].samples;
    const auto& b = got[i].samples;
    for (std::size_t k = 0; k < std::max(a.size(), b.size()); ++k) {
      if (k >= a.size() || k >= b.size() || !model::SameBits(a[k], b[k])) {
        return fmt::format("series {} sample {}: want {}, got {} (sizes {} vs {})",
                           want[i].labels.ToString(), k,
                           k < a.size() ? fmt::format("({}, {})", a[k].t, a[k].v) : "none",
                           k < b.size() ? fmt::format("({}, {})", b[k].t, b[k].v) : "none",
                           a.size(), b.size());
      }
    }
  }
  return "";
}

}  // namespace hw::tsdb::testing
