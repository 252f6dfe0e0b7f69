#include "http/request.h"

#include <cctype>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/utf8.h"

namespace hw::http {

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

std::optional<std::string> Request::Param(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::vector<std::string> Request::Params(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query) {
    if (k == name) out.push_back(v);
  }
  return out;
}

std::string_view Request::RouteParam(std::string_view name) const {
  for (const auto& [k, v] : route_params) {
    if (k == name) return v;
  }
  return {};
}

Response Response::Json(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::Text(std::string body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::Error(const Status& status) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  std::string_view type = ErrorType(status.code());
  w.StartObject();
  w.Key("status");
  w.String("error");
  w.Key("errorType");
  w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
  w.Key("error");
  // Messages quote what the client sent, which may not be UTF-8: kept valid JSON.
  const std::string message = ToValidUtf8(status.message());
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  Response r = Json(std::string(buf.GetString(), buf.GetSize()), HttpStatusFor(status.code()));
  r.error_type = type;
  return r;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kBadData: return 400;
    case StatusCode::kUnauthorized: return 401;
    case StatusCode::kForbidden: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kMethodNotAllowed: return 405;
    case StatusCode::kTooLarge: return 413;
    case StatusCode::kExecution: return 422;
    case StatusCode::kCanceled: return 499;
    case StatusCode::kInternal: return 500;
    case StatusCode::kTimeout: return 503;
    case StatusCode::kUnavailable: return 503;
  }
  return 500;
}

bool IsFormEncoded(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (content_type.size() < kForm.size()) return false;
  for (std::size_t i = 0; i < kForm.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(content_type[i])) != kForm[i]) return false;
  }
  const std::string_view rest = content_type.substr(kForm.size());
  return rest.empty() || rest[0] == ';' || rest[0] == ' ';
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool PercentDecode(std::string_view in, bool form, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && form) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool ParseQueryString(std::string_view qs, KeyValues* out, std::string* error) {
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view pair = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value))) {
      *error = fmt::format("invalid percent-encoding in \"{}\"", pair);
      return false;
    }
    out->emplace_back(std::move(key), std::move(value));
  }
  return true;
}

std::string QueryEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace hw::http
