#include "cli/incident_client.h"

#include <fmt/format.h>

#include <cstdlib>
#include <utility>

#include "http/client.h"

namespace hw::cli {
namespace {

constexpr Duration kTimeout = Duration(10'000);

Result<rapidjson::Document> Data(const std::string& what,
                                 const Result<http::ClientResponse>& resp) {
  if (!resp.ok()) return resp.status();
  rapidjson::Document doc;
  doc.Parse(resp->body.data(), resp->body.size());
  const bool json = !doc.HasParseError() && doc.IsObject();
  if (resp->status / 100 != 2 || !json) {
    std::string why = json && doc.HasMember("error") && doc["error"].IsString()
                          ? doc["error"].GetString()
                          : resp->body.substr(0, 200);
    return Status::Unavailable(fmt::format("cannot {}: HTTP {}: {}", what, resp->status, why));
  }
  if (!doc.HasMember("data")) return Status::Unavailable(fmt::format("cannot {}: no data", what));
  rapidjson::Document data;
  data.CopyFrom(doc["data"], data.GetAllocator());
  return data;
}

}  // namespace

IncidentClient::IncidentClient(std::string base_url, std::string token)
    : base_url_(std::move(base_url)), token_(std::move(token)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<rapidjson::Document> IncidentClient::Get(const std::string& path) const {
  http::GetOptions o;
  o.timeout = kTimeout;
  o.headers.emplace_back("Accept", "application/json");
  if (!token_.empty()) o.headers.emplace_back("Authorization", "Bearer " + token_);
  const std::string url = base_url_ + path;
  return Data("GET " + url, http::HttpGet(url, o));
}

Result<rapidjson::Document> IncidentClient::Post(const std::string& path,
                                                 const http::KeyValues& form) const {
  http::GetOptions o;
  o.timeout = kTimeout;
  o.headers.emplace_back("Accept", "application/json");
  if (!token_.empty()) o.headers.emplace_back("Authorization", "Bearer " + token_);
  std::string body;
  for (const auto& [k, v] : form) {
    body += (body.empty() ? "" : "&") + http::QueryEscape(k) + "=" + http::QueryEscape(v);
  }
  const std::string url = base_url_ + path;
  return Data("POST " + url, http::HttpPost(url, body, "application/x-www-form-urlencoded", o));
}

std::string TokenOrEnv(const std::string& token) {
  if (!token.empty()) return token;
  const char* env = std::getenv("HASTEWATCH_TOKEN");
  return env != nullptr ? env : "";
}

}  // namespace hw::cli
