#include "scrape/content_type.h"

#include <string>

#include "scrape/exposition_lex.h"

namespace hw::scrape {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct MediaType {
  std::string type;     // lower-case "type/subtype"
  std::string version;  // the version parameter, unquoted; "" when absent
};

MediaType ParseMediaType(std::string_view header) {
  MediaType mt;
  std::size_t semi = header.find(';');
  mt.type = Lower(Trim(header.substr(0, semi)));
  while (semi != std::string_view::npos) {
    header.remove_prefix(semi + 1);
    semi = header.find(';');
    std::string_view param = Trim(header.substr(0, semi));
    std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (Lower(Trim(param.substr(0, eq))) != "version") continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    mt.version = std::string(value);
  }
  return mt;
}

Status Unsupported(std::string_view content_type, std::string_view why) {
  return Status::BadData("cannot pick an exposition parser: Content-Type " +
                         lex::QuoteForMessage(content_type) + " " + std::string(why));
}

}  // namespace

Result<Format> FormatForContentType(std::string_view content_type,
                                    std::optional<Format> fallback) {
  if (Trim(content_type).empty()) return Format::kPrometheusText;
  MediaType mt = ParseMediaType(content_type);
  if (mt.type == "text/plain") {
    if (mt.version.empty() || mt.version == "0.0.4" || mt.version == "1.0.0") {
      return Format::kPrometheusText;
    }
    return Unsupported(content_type, "has an unsupported text format version (want 0.0.4)");
  }
  if (mt.type == "application/openmetrics-text") {
    if (mt.version.empty() || mt.version == "1.0.0" || mt.version == "0.0.1") {
      return Format::kOpenMetrics;
    }
    return Unsupported(content_type, "has an unsupported OpenMetrics version (want 1.0.0)");
  }
  if (fallback.has_value()) return *fallback;
  if (mt.type == "application/vnd.google.protobuf") {
    return Unsupported(content_type,
                       "is the protobuf exposition format, which is not supported "
                       "(the target should honour the Accept header)");
  }
  return Unsupported(content_type,
                     "is not a metrics exposition format (want text/plain; version=0.0.4 or "
                     "application/openmetrics-text; version=1.0.0)");
}

std::string_view ContentTypeFor(Format format) {
  return format == Format::kOpenMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                        : "text/plain; version=0.0.4; charset=utf-8";
}

}  // namespace hw::scrape
