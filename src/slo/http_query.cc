#include "slo/http_query.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "http/client.h"
#include "http/request.h"

namespace hw::slo {
namespace {

constexpr Duration kTimeout = Duration(120'000);  // a month of raw samples takes a while

std::string Seconds(std::int64_t ms) { return fmt::format("{}.{:03}", ms / 1000, ms % 1000); }

// "1.5" -> 1.5, "NaN" -> NaN: the API's sample values are strings.
Result<double> SampleValue(const rapidjson::Value& point) {
  if (!point.IsArray() || point.Size() != 2 || !point[1].IsString()) {
    return Status::Unavailable("malformed sample in the query response");
  }
  return std::strtod(point[1].GetString(), nullptr);
}

Result<rapidjson::Document> GetData(const std::string& url, const std::string& token,
                                    std::string_view expr) {
  http::KeyValues headers = {{"Accept", "application/json"}};
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  Result<http::ClientResponse> resp = http::HttpGet(url, kTimeout, headers, 256ull << 20);
  if (!resp.ok()) return resp.status();
  rapidjson::Document doc;
  doc.Parse(resp->body.data(), resp->body.size());
  const bool json = !doc.HasParseError() && doc.IsObject();
  if (resp->status != 200 || !json) {
    std::string why = json && doc.HasMember("error") && doc["error"].IsString()
                          ? doc["error"].GetString()
                          : resp->body.substr(0, 200);
    return Status::Unavailable(
        fmt::format("cannot query \"{}\": HTTP {}: {}", expr, resp->status, why));
  }
  if (!doc.HasMember("data") || !doc["data"].IsObject() || !doc["data"].HasMember("result") ||
      !doc["data"]["result"].IsArray()) {
    return Status::Unavailable(fmt::format("cannot query \"{}\": no result in the response", expr));
  }
  return doc;
}

}  // namespace

HttpQuerySource::HttpQuerySource(std::string base_url, std::string token)
    : base_url_(std::move(base_url)), token_(std::move(token)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<std::optional<double>> HttpQuerySource::Instant(const std::string& expr,
                                                       std::int64_t t_ms) const {
  const std::string url = fmt::format("{}/api/v1/query?query={}&time={}", base_url_,
                                      http::QueryEscape(expr), Seconds(t_ms));
  Result<rapidjson::Document> doc = GetData(url, token_, expr);
  if (!doc.ok()) return doc.status();
  const rapidjson::Value& data = (*doc)["data"];
  const rapidjson::Value& result = data["result"];
  const std::string type = data.HasMember("resultType") && data["resultType"].IsString()
                               ? data["resultType"].GetString()
                               : "";
  if (type == "scalar") {
    Result<double> v = SampleValue(result);
    if (!v.ok()) return v.status();
    return std::optional<double>(*v);
  }
  if (result.Size() == 0) return std::optional<double>();
  if (result.Size() > 1 || !result[0].IsObject() || !result[0].HasMember("value")) {
    return Status::Unavailable(fmt::format("cannot query \"{}\": expected one series", expr));
  }
  Result<double> v = SampleValue(result[0]["value"]);
  if (!v.ok()) return v.status();
  return std::optional<double>(*v);
}

Result<std::vector<std::pair<std::int64_t, double>>> HttpQuerySource::Range(
    const std::string& expr, std::int64_t start_ms, std::int64_t end_ms,
    std::int64_t step_ms) const {
  const std::string url =
      fmt::format("{}/api/v1/query_range?query={}&start={}&end={}&step={}", base_url_,
                  http::QueryEscape(expr), Seconds(start_ms), Seconds(end_ms), Seconds(step_ms));
  Result<rapidjson::Document> doc = GetData(url, token_, expr);
  if (!doc.ok()) return doc.status();
  const rapidjson::Value& result = (*doc)["data"]["result"];
  std::vector<std::pair<std::int64_t, double>> out;
  if (result.Size() == 0) return out;
  if (result.Size() > 1 || !result[0].IsObject() || !result[0].HasMember("values") ||
      !result[0]["values"].IsArray()) {
    return Status::Unavailable(fmt::format("cannot query \"{}\": expected one series", expr));
  }
  for (const rapidjson::Value& p : result[0]["values"].GetArray()) {
    Result<double> v = SampleValue(p);
    if (!v.ok()) return v.status();
    if (!p[0].IsNumber()) return Status::Unavailable("malformed timestamp in the query response");
    out.emplace_back(std::llround(p[0].GetDouble() * 1000), *v);
  }
  return out;
}

HttpDayStore::HttpDayStore(std::string base_url, std::string token,
                           std::function<void(const std::string&)> warn)
    : base_url_(std::move(base_url)), token_(std::move(token)), warn_(std::move(warn)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<std::map<std::int64_t, StoredDay>> HttpDayStore::DaysOf(const std::string& service,
                                                               const std::string& name,
                                                               const std::string& sli,
                                                               std::int64_t from_ms,
                                                               std::int64_t to_ms) const {
  std::map<std::int64_t, StoredDay> out;
  tsdb_min_time_.reset();
  const std::string url = fmt::format(
      "{}/api/v1/slos/{}/{}/days?sli={}&start={}&end={}", base_url_, http::QueryEscape(service),
      http::QueryEscape(name), http::QueryEscape(sli), Seconds(from_ms), Seconds(to_ms));
  http::KeyValues headers = {{"Accept", "application/json"}};
  if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
  Result<http::ClientResponse> resp = http::HttpGet(url, kTimeout, headers, 64ull << 20);
  if (!resp.ok()) return resp.status();
  rapidjson::Document doc;
  doc.Parse(resp->body.data(), resp->body.size());
  // hastewatch's answers, errors too, are {"status": "success"|"error", ...}.
  const bool envelope = !doc.HasParseError() && doc.IsObject() && doc.HasMember("status") &&
                        doc["status"].IsString();
  if (!envelope || resp->status == 404) {
    if (warn_) {
      std::string snippet = resp->body.substr(0, 80);
      for (char& c : snippet) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      }
      warn_(fmt::format(
          "warning: {}/{}: no stored SLO history: GET {}/api/v1/slos/{}/{}/days answered HTTP "
          "{}{} ({}): days the server no longer holds count as no data",
          service, name, base_url_, service, name, resp->status,
          envelope ? "" : " without hastewatch's JSON", snippet));
    }
    return out;
  }
  const bool ok = resp->status == 200 && doc.HasMember("data") && doc["data"].IsObject() &&
                  doc["data"].HasMember("days") && doc["data"]["days"].IsArray();
  if (!ok) {
    const std::string why = doc.HasMember("error") && doc["error"].IsString()
                                ? doc["error"].GetString()
                                : resp->body.substr(0, 200);
    return Status::Unavailable(fmt::format("cannot read the SLO history of {}/{}: HTTP {}: {}",
                                           service, name, resp->status, why));
  }
  const rapidjson::Value& data = doc["data"];
  for (const rapidjson::Value& d : data["days"].GetArray()) {
    if (!d.IsObject() || !d.HasMember("start") || !d["start"].IsNumber() ||
        !d.HasMember("goodEvents") || !d["goodEvents"].IsNumber() ||
        !d.HasMember("totalEvents") || !d["totalEvents"].IsNumber()) {
      return Status::Unavailable(
          fmt::format("cannot read the SLO history of {}/{}: malformed day", service, name));
    }
    out[std::llround(d["start"].GetDouble() * 1000)] = {d["goodEvents"].GetDouble(),
                                                          d["totalEvents"].GetDouble()};
  }
  if (data.HasMember("tsdbMinTime") && data["tsdbMinTime"].IsNumber()) {
    tsdb_min_time_ = std::llround(data["tsdbMinTime"].GetDouble() * 1000);
  }
  return out;
}

}  // namespace hw::slo
