#include "alerting/integrations/common.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "http/client_auth.h"

namespace hw::alerting::integrations {

std::string Expander::Expand(std::string_view text, bool html) {
  if (!status_.ok() || text.empty()) return "";
  auto r = templates_.Execute(text, data_, html);
  if (!r.ok()) {
    status_ = Status::BadData(fmt::format("cannot expand template: {}", r.status().message()));
    return "";
  }
  return std::move(*r);
}

Result<std::string> ValueOrFile(const std::string& value, const std::string& file,
                                std::string_view what) {
  if (!value.empty() || file.empty()) return value;
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::BadData(fmt::format("cannot read {} file {}", what, file));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

Status Post(std::string_view what, const std::string& url, std::string_view body,
            std::string_view content_type, const config::HttpClientConfig& http_config,
            Duration timeout) {
  http::GetOptions opts;
  opts.timeout = timeout.count() > 0 ? timeout : kDefaultTimeout;
  opts.tls = http::ToTlsOptions(http_config.tls_config);
  opts.max_body = 1 << 20;
  auto auth = http::AuthorizationHeader(http_config.basic_auth, http_config.authorization);
  if (!auth.ok()) return Status::BadData(fmt::format("cannot notify {}: {}", what, auth.status().message()));
  if (!auth->empty()) opts.headers.push_back({"Authorization", *auth});
  opts.headers.push_back({"User-Agent", "hastewatch"});
  auto resp = http::HttpPost(url, body, content_type, opts);
  if (!resp.ok()) {
    const Status& s = resp.status();
    std::string msg = fmt::format("cannot notify {}: {}", what, s.message());
    if (s.code() == StatusCode::kTimeout) return Status::Timeout(msg);
    if (s.code() == StatusCode::kBadData) return Status::BadData(msg);
    return Status::Unavailable(msg);
  }
  if (resp->status / 100 == 2) return Status::Ok();
  std::string snippet = resp->body.substr(0, 512);
  std::string msg = fmt::format("cannot notify {}: unexpected status code {}: {}", what,
                                resp->status, snippet);
  if (resp->status >= 500 || resp->status == 429) return Status::Unavailable(msg);
  return Status::BadData(msg);
}

std::string TruncateRunes(std::string_view s, std::size_t n) {
  // Code point starts: bytes that are not 10xxxxxx continuation bytes.
  std::size_t runes = 0;
  for (unsigned char c : s) runes += (c & 0xC0) != 0x80;
  if (runes <= n) return std::string(s);
  std::size_t keep = n == 0 ? 0 : n - 1, count = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (count == keep) break;
      ++count;
    }
  }
  return std::string(s.substr(0, i)) + "\u2026";
}

}  // namespace hw::alerting::integrations
