// rules::LiveSource over the Prometheus HTTP API (see live_source.h).
#include "cli/live_source.h"

#include <utility>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "http/client.h"
#include "http/request.h"

namespace hw::cli {
namespace {

constexpr Duration kTimeout = Duration(30'000);

// GETs `url` and returns the API envelope's parsed body once its status is success.
Result<rapidjson::Document> GetJson(const std::string& url, const std::string& token) {
  http::KeyValues headers = {{"Accept", "application/json"}};
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  Result<http::ClientResponse> resp = http::HttpGet(url, kTimeout, headers);
  if (!resp.ok()) return resp.status();
  rapidjson::Document doc;
  doc.Parse(resp->body.data(), resp->body.size());
  bool json = !doc.HasParseError() && doc.IsObject();
  if (resp->status != 200 || !json) {
    std::string why = json && doc.HasMember("error") && doc["error"].IsString()
                          ? doc["error"].GetString()
                          : resp->body.substr(0, 200);
    return Status::Unavailable(fmt::format("cannot GET {}: HTTP {}: {}", url, resp->status, why));
  }
  if (!doc.HasMember("data")) {
    return Status::Unavailable(fmt::format("cannot GET {}: no data in the response", url));
  }
  return doc;
}

}  // namespace

HttpLiveSource::HttpLiveSource(std::string base_url, std::string token)
    : base_url_(std::move(base_url)), token_(std::move(token)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Status HttpLiveSource::Connect() {
  Result<rapidjson::Document> doc = GetJson(base_url_ + "/api/v1/metadata", token_);
  if (!doc.ok()) return doc.status();
  const rapidjson::Value& data = (*doc)["data"];
  if (!data.IsObject()) {
    return Status::Unavailable(
        fmt::format("cannot read {}/api/v1/metadata: data is not an object", base_url_));
  }
  types_.clear();
  for (const auto& m : data.GetObject()) {
    if (!m.value.IsArray() || m.value.Empty()) continue;
    const rapidjson::Value& first = m.value[0];
    if (first.IsObject() && first.HasMember("type") && first["type"].IsString()) {
      types_.emplace(m.name.GetString(), first["type"].GetString());
    }
  }
  return Status::Ok();
}

Result<rules::LiveSource::SeriesSet> HttpLiveSource::Series(
    const std::vector<model::Matcher>& matchers, std::size_t limit) const {
  std::string selector = "{";
  for (std::size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) selector += ",";
    selector += matchers[i].ToString();
  }
  selector += "}";
  // One more than wanted tells whether there are more (older servers ignore limit).
  std::string url = fmt::format("{}/api/v1/series?match[]={}&limit={}", base_url_,
                                http::QueryEscape(selector), limit + 1);
  Result<rapidjson::Document> doc = GetJson(url, token_);
  if (!doc.ok()) return doc.status();
  const rapidjson::Value& data = (*doc)["data"];
  if (!data.IsArray()) {
    return Status::Unavailable(fmt::format("cannot read {}: data is not a list", url));
  }
  SeriesSet out;
  for (const rapidjson::Value& s : data.GetArray()) {
    if (out.series.size() == limit) {
      out.truncated = true;
      break;
    }
    if (!s.IsObject()) continue;
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    for (const auto& kv : s.GetObject()) {
      if (!kv.value.IsString()) continue;
      pairs.emplace_back(std::string_view(kv.name.GetString(), kv.name.GetStringLength()),
                         std::string_view(kv.value.GetString(), kv.value.GetStringLength()));
    }
    out.series.push_back(model::Labels::FromPairs(std::move(pairs)));
  }
  return out;
}

Result<std::string> HttpLiveSource::MetricType(const std::string& metric) const {
  auto it = types_.find(metric);
  return it == types_.end() ? std::string() : it->second;
}

}  // namespace hw::cli
