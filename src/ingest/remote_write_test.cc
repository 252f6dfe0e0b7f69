#include "ingest/remote_write.h"

#include <protozero/pbf_writer.hpp>
#include <snappy.h>

#include <gtest/gtest.h>

#include "tsdb/head.h"

namespace hw::ingest {
namespace {

struct Series {
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::int64_t, double>> samples;
};

// Encodes a WriteRequest the way Prometheus' sender does, snappy block format.
std::string Encode(const std::vector<Series>& series) {
  std::string buf;
  protozero::pbf_writer req(buf);
  for (const Series& s : series) {
    protozero::pbf_writer ts(req, 1);
    for (const auto& [n, v] : s.labels) {
      protozero::pbf_writer l(ts, 1);
      l.add_string(1, n);
      l.add_string(2, v);
    }
    for (const auto& [t, v] : s.samples) {
      protozero::pbf_writer sm(ts, 2);
      sm.add_double(1, v);
      sm.add_int64(2, t);
    }
  }
  std::string out;
  snappy::Compress(buf.data(), buf.size(), &out);
  return out;
}

size_t CountSamples(tsdb::Head& head) {
  auto q = std::move(head.NewQuerier(INT64_MIN, INT64_MAX)).value();
  auto set = q->Select({}, INT64_MIN, INT64_MAX);
  size_t n = 0;
  while (set->Next()) {
    auto it = set->At().Iterator();
    while (it->Next()) ++n;
  }
  return n;
}

TEST(RemoteWriteTest, AppendsEverySample) {
  tsdb::Head head;
  std::string body = Encode({{{{"__name__", "up"}, {"job", "api"}}, {{1000, 1}, {2000, 1}}},
                             {{{"__name__", "up"}, {"job", "db"}}, {{1000, 0}}}});
  Result<WriteResult> r = IngestRemoteWrite(body, head);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->series, 2u);
  EXPECT_EQ(r->samples, 3u);
  EXPECT_EQ(r->rejected, 0u);
  EXPECT_EQ(CountSamples(head), 3u);
}

TEST(RemoteWriteTest, BadSamplesAreRejectedGoodOnesKept) {
  tsdb::Head head;
  ASSERT_TRUE(IngestRemoteWrite(Encode({{{{"__name__", "m"}}, {{5000, 1}}}}), head).ok());
  std::string body = Encode({{{{"__name__", "m"}}, {{4000, 1}, {6000, 2}}},
                             {{{"__name__", "n"}, {"bad-name", "x"}}, {{1, 1}}},
                             {{{"job", "nameless"}}, {{1, 1}}},
                             {{{"__name__", "ok"}}, {{1, 1}}}});
  Result<WriteResult> r = IngestRemoteWrite(body, head);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->samples, 2u);
  EXPECT_EQ(r->rejected, 3u);
  EXPECT_NE(r->first_error.find("out of order sample"), std::string::npos) << r->first_error;
  EXPECT_EQ(CountSamples(head), 3u);
}

TEST(RemoteWriteTest, MalformedBodiesAreBadDataAndAppendNothing) {
  tsdb::Head head;
  Result<WriteResult> r = IngestRemoteWrite("definitely not snappy", head);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kBadData);
  EXPECT_NE(r.status().message().find("snappy"), std::string::npos);

  std::string junk = "\x0a\xff\xff\xff\x0f garbage";
  std::string compressed;
  snappy::Compress(junk.data(), junk.size(), &compressed);
  r = IngestRemoteWrite(compressed, head);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("malformed protobuf"), std::string::npos);
  EXPECT_EQ(CountSamples(head), 0u);
}

TEST(RemoteWriteTest, CommitFailureIsReported) {
  tsdb::Head head;
  head.SetWalWriter([](const tsdb::WalBatch&) { return Status::Unavailable("wal is read-only"); });
  Result<WriteResult> r = IngestRemoteWrite(Encode({{{{"__name__", "m"}}, {{1, 1}}}}), head);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace hw::ingest
