#include "api/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "base/utf8.h"

namespace hw::api {
namespace {

void WriteArray(JsonWriter& w, std::string_view key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  WriteStringArray(w, values);
}

// The writers below format into stack buffers: range responses write one timestamp
// and one value per point, and per-point std::string temporaries were a third of a
// typical range query's CPU.
constexpr std::size_t kNumberBuf = 64;  // > the longest 'f' form (1 + 2 + 5 + 17 + 21)

// FormatSampleValue into buf[0..kNumberBuf); returns the end.
char* SampleValueTo(char* buf, double v) {
  auto put = [buf](std::string_view s) {
    std::memcpy(buf, s.data(), s.size());
    return buf + s.size();
  };
  if (std::isnan(v)) return put("NaN");
  if (std::isinf(v)) return put(v > 0 ? "+Inf" : "-Inf");
  // Go's 'e' / 'f' with precision -1: the shortest digits that round-trip. Both start
  // from the shortest scientific form; 'f' then places the decimal point, padding
  // with zeros (Go prints 1.2345678901234568e20 as 123456789012345680000, where
  // std::to_chars' fixed form would print the binary value's exact digits).
  char sci_buf[kNumberBuf];
  auto [sci_end, ec] =
      std::to_chars(sci_buf, sci_buf + sizeof(sci_buf), v, std::chars_format::scientific);
  if (ec != std::errc()) return put("NaN");  // cannot happen with this buffer size
  std::string_view sci(sci_buf, static_cast<std::size_t>(sci_end - sci_buf));
  double abs = std::fabs(v);
  if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) return put(sci);

  char* out = buf;
  if (sci.front() == '-') {
    *out++ = '-';
    sci.remove_prefix(1);
  }
  if (v == 0) {
    *out++ = '0';
    return out;
  }
  std::size_t e_pos = sci.find('e');
  char digits[kNumberBuf];
  int n = 0;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits[n++] = c;
  }
  int exp = 0;
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  int point = exp + 1;  // digits before the decimal point
  if (point <= 0) {
    *out++ = '0';
    *out++ = '.';
    out = std::fill_n(out, -point, '0');
    out = std::copy_n(digits, n, out);
  } else if (point >= n) {
    out = std::copy_n(digits, n, out);
    out = std::fill_n(out, point - n, '0');
  } else {
    out = std::copy_n(digits, point, out);
    *out++ = '.';
    out = std::copy_n(digits + point, n - point, out);
  }
  return out;
}

// FormatTimestamp into buf[0..kNumberBuf); returns the end.
char* TimestampTo(char* buf, std::int64_t t_ms) {
  char* out = buf;
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  std::uint64_t mag = static_cast<std::uint64_t>(t_ms);
  if (t_ms < 0) {
    *out++ = '-';
    mag = ~mag + 1;
  }
  out = std::to_chars(out, buf + kNumberBuf, mag / 1000).ptr;
  std::uint64_t frac = mag % 1000;
  if (frac != 0) {
    *out++ = '.';
    *out++ = static_cast<char>('0' + frac / 100);
    *out++ = static_cast<char>('0' + frac / 10 % 10);
    *out++ = static_cast<char>('0' + frac % 10);
  }
  return out;
}

}  // namespace

std::string FormatSampleValue(double v) {
  char buf[kNumberBuf];
  return std::string(buf, SampleValueTo(buf, v));
}

std::string FormatTimestamp(std::int64_t t_ms) {
  char buf[kNumberBuf];
  return std::string(buf, TimestampTo(buf, t_ms));
}

void WriteString(JsonWriter& w, std::string_view s) {
  // Raw bytes that are not UTF-8 (a percent-encoded path, a form field) would make
  // the whole answer invalid JSON: they are written as U+FFFD.
  if (!ValidUtf8(s)) {
    const std::string repaired = ToValidUtf8(s);
    w.String(repaired.data(), static_cast<rapidjson::SizeType>(repaired.size()));
    return;
  }
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteTimestamp(JsonWriter& w, std::int64_t t_ms) {
  char buf[kNumberBuf];
  char* end = TimestampTo(buf, t_ms);
  w.RawValue(buf, static_cast<std::size_t>(end - buf), rapidjson::kNumberType);
}

void WriteSampleValue(JsonWriter& w, double v) {
  char buf[kNumberBuf];
  char* end = SampleValueTo(buf, v);
  w.String(buf, static_cast<rapidjson::SizeType>(end - buf));
}

void WritePoint(JsonWriter& w, std::int64_t t_ms, double v) {
  w.StartArray();
  WriteTimestamp(w, t_ms);
  WriteSampleValue(w, v);
  w.EndArray();
}

void WriteLabels(JsonWriter& w, const model::Labels& labels) {
  w.StartObject();
  for (const model::Label& l : labels) {
    w.Key(l.name.data(), static_cast<rapidjson::SizeType>(l.name.size()));
    WriteString(w, l.value);
  }
  w.EndObject();
}

void WriteStringArray(JsonWriter& w, const std::vector<std::string>& values) {
  w.StartArray();
  for (const std::string& v : values) WriteString(w, v);
  w.EndArray();
}

JsonBody::JsonBody() : out_(&body_), writer_(out_) {
  body_.reserve(256);
  writer_.StartObject();
  writer_.Key("status");
  writer_.String("success");
  writer_.Key("data");
}

http::Response JsonBody::Finish(const std::vector<std::string>& warnings,
                                const std::vector<std::string>& infos) {
  WriteArray(writer_, "warnings", warnings);
  WriteArray(writer_, "infos", infos);
  writer_.EndObject();
  return http::Response::Json(std::move(body_));
}

}  // namespace hw::api
