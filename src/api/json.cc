#include "api/json.h"

#include <charconv>
#include <cmath>

namespace hw::api {
namespace {

void WriteArray(JsonWriter& w, std::string_view key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  WriteStringArray(w, values);
}

}  // namespace

std::string FormatSampleValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // Go's 'e' / 'f' with precision -1: the shortest digits that round-trip. Both start
  // from the shortest scientific form; 'f' then places the decimal point, padding
  // with zeros (Go prints 1.2345678901234568e20 as 123456789012345680000, where
  // std::to_chars' fixed form would print the binary value's exact digits).
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  if (ec != std::errc()) return "NaN";  // cannot happen with this buffer size
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  double abs = std::fabs(v);
  if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) return std::string(sci);

  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = 0;
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (v == 0) return out + "0";
  int point = exp + 1;  // digits before the decimal point
  int n = static_cast<int>(digits.size());
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else if (point >= n) {
    out += digits;
    out.append(static_cast<std::size_t>(point - n), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(point));
    out.push_back('.');
    out += digits.substr(static_cast<std::size_t>(point));
  }
  return out;
}

std::string FormatTimestamp(std::int64_t t_ms) {
  std::string out;
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  std::uint64_t mag = static_cast<std::uint64_t>(t_ms);
  if (t_ms < 0) {
    out.push_back('-');
    mag = ~mag + 1;
  }
  out += std::to_string(mag / 1000);
  std::uint64_t frac = mag % 1000;
  if (frac != 0) {
    out.push_back('.');
    if (frac < 100) out.push_back('0');
    if (frac < 10) out.push_back('0');
    out += std::to_string(frac);
  }
  return out;
}

void WriteString(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteTimestamp(JsonWriter& w, std::int64_t t_ms) {
  std::string s = FormatTimestamp(t_ms);
  w.RawValue(s.data(), s.size(), rapidjson::kNumberType);
}

void WriteSampleValue(JsonWriter& w, double v) { WriteString(w, FormatSampleValue(v)); }

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
