// Helpers shared by the WAL tests: a temporary directory, replaying a WAL into a
// vector, a logger that keeps its lines. Test-only.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/logger.h"
#include "tsdb/record.h"
#include "tsdb/wal.h"
#include "tsdb/wal_files.h"
#include "tsdb/wal_reader.h"

namespace hw::tsdb::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wal_test.XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string wal() const { return path_ + "/wal"; }

 private:
  std::string path_;
};

struct Replayed {
  RecordType type;
  std::string payload;
  bool operator==(const Replayed&) const = default;
};

// Everything Replay feeds back, in order.
inline std::vector<Replayed> ReplayAll(const std::string& dir, Logger* logger = nullptr,
                                       ReplayStats* stats = nullptr) {
  std::vector<Replayed> out;
  Status s = Replay(
      dir,
      [&](RecordType t, std::string_view p) {
        out.push_back({t, std::string(p)});
        return Status::Ok();
      },
      logger, stats);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

// A samples record holding one sample, identified by (ref, t).
inline std::string SampleRecord(SeriesRef ref, std::int64_t t, double v = 1.0) {
  RefSample s{ref, t, v};
  return EncodeSamples(std::span<const RefSample>(&s, 1));
}

inline RefSample OnlySample(const Replayed& r) {
  std::vector<RefSample> out;
  EXPECT_TRUE(DecodeSamples(r.payload, &out).ok());
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? RefSample{} : out[0];
}

inline Replayed AsReplayed(const std::string& record) {
  return {static_cast<RecordType>(record[0]), record.substr(1)};
}

struct TestLogger {
  std::shared_ptr<MemoryLogSink> sink = std::make_shared<MemoryLogSink>();
  Logger logger{"wal_test", LogLevel::kDebug, sink};

  int Count(std::string_view level) const {
    int n = 0;
    for (const std::string& line : sink->Lines()) {
      if (line.find(std::string("\"level\":\"") + std::string(level) + "\"") != std::string::npos) ++n;
    }
    return n;
  }
  std::string All() const {
    std::string all;
    for (const std::string& line : sink->Lines()) all += line + "\n";
    return all;
  }
};

inline std::unique_ptr<Wal> MustOpen(const std::string& dir, WalOptions opts = {}) {
  Result<std::unique_ptr<Wal>> w = Wal::Open(dir, std::move(opts));
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  return w.ok() ? std::move(*w) : nullptr;
}

inline std::uint64_t SizeOf(const std::string& path) {
  return std::filesystem::file_size(path);
}

}  // namespace hw::tsdb::testing
