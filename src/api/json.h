// JSON output for the Prometheus HTTP API: the number formats Prometheus' own
// encoder uses, and a RapidJSON writer that streams straight into a response body
// (no document tree, no intermediate buffer).
//
//   sample values   strings, Go's strconv.FormatFloat(v, 'f', -1, 64), switching to
//                   'e' below 1e-6 and from 1e21 as Prometheus' jsonutil.MarshalFloat
//                   does: "1", "0.1", "123456789012", "1e-07", "1e+21", "NaN",
//                   "+Inf", "-Inf"
//   timestamps      bare numbers in Unix seconds with the milliseconds written only
//                   when non-zero, always three digits (jsonutil.MarshalTimestamp):
//                   1435781451.781, 1435781451.780, 1435781451, -1.500
//   envelope        {"status":"success","data":...,"warnings":[...],"infos":[...]};
//                   warnings and infos are omitted when empty, as Prometheus does.
//
// Thread-safety: the free functions are pure; a JsonBody is used by one thread.
#pragma once

#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "model/labels.h"

namespace hw::api {

// A RapidJSON output stream appending to a std::string it does not own.
class StringOutput {
 public:
  using Ch = char;
  explicit StringOutput(std::string* out) : out_(out) {}
  void Put(char c) { out_->push_back(c); }
  void Flush() {}

 private:
  std::string* out_;
};

using JsonWriter = rapidjson::Writer<StringOutput>;

// A sample value as Prometheus writes it (without the quotes).
std::string FormatSampleValue(double v);
// A millisecond timestamp as Prometheus writes it: Unix seconds, ".mmm" if non-zero.
std::string FormatTimestamp(std::int64_t t_ms);

// Writers for the pieces every endpoint shares.
void WriteString(JsonWriter& w, std::string_view s);
void WriteTimestamp(JsonWriter& w, std::int64_t t_ms);
void WriteSampleValue(JsonWriter& w, double v);
// [<timestamp>, "<value>"]
void WritePoint(JsonWriter& w, std::int64_t t_ms, double v);
// {"name":"value",...} in label order.
void WriteLabels(JsonWriter& w, const model::Labels& labels);
void WriteStringArray(JsonWriter& w, const std::vector<std::string>& values);

// A success response being written: the constructor opens the envelope and the
// "data" key; the caller writes exactly one data value with writer(); Finish() adds
// warnings and infos, closes the envelope and returns the response.
class JsonBody {
 public:
  JsonBody();
  JsonBody(const JsonBody&) = delete;  // the writer points into body_
  JsonBody& operator=(const JsonBody&) = delete;
  JsonWriter& writer() { return writer_; }
  http::Response Finish(const std::vector<std::string>& warnings = {},
                        const std::vector<std::string>& infos = {});

 private:
  std::string body_;
  StringOutput out_;
  JsonWriter writer_;
};

}  // namespace hw::api
