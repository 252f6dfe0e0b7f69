#include <chrono>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli/commands.h"
#include "http/client.h"
#include "model/labels.h"

namespace hw::cli {
namespace {

std::string Body(const model::Labels& labels, const std::string& summary) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("labels");
  w.StartObject();
  for (const model::Label& l : labels) {
    w.String(l.name.data(), static_cast<rapidjson::SizeType>(l.name.size()));
    w.String(l.value.data(), static_cast<rapidjson::SizeType>(l.value.size()));
  }
  w.EndObject();
  w.Key("annotations");
  w.StartObject();
  w.Key("summary");
  w.String(summary.c_str());
  w.Key("description");
  w.String("Synthetic alert sent by `hastewatch test-alert` to test routing and delivery.");
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

// The `data` of a Prometheus-envelope response, or the error it carries.
Result<rapidjson::Document> Data(const Result<http::ClientResponse>& resp) {
  if (!resp.ok()) return resp.status();
  rapidjson::Document d;
  d.Parse(resp->body.c_str());
  if (d.HasParseError() || !d.IsObject()) {
    return Status::Unavailable(fmt::format("unexpected answer (HTTP {}): {}", resp->status,
                                           resp->body.substr(0, 200)));
  }
  if (resp->status / 100 != 2) {
    return Status::Unavailable(fmt::format("HTTP {}: {}", resp->status,
                                           d.HasMember("error") ? d["error"].GetString() : ""));
  }
  rapidjson::Document data;
  data.CopyFrom(d["data"], data.GetAllocator());
  return data;
}

}  // namespace

int TestAlert(const TestAlertOptions& o) {
  model::LabelsBuilder b;
  b.Set("alertname", "TestAlert");
  b.Set("severity", o.severity);
  b.Set("test", "true");
  b.Set("action", o.severity == "critical" ? "page" : "notify");
  for (const std::string& l : o.labels) {
    std::size_t eq = l.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "hastewatch test-alert: --label \"{}\": expected name=value\n", l);
      return 1;
    }
    b.Set(l.substr(0, eq), l.substr(eq + 1));
  }
  const model::Labels labels = b.Build();
  std::string token = o.token;
  if (token.empty()) {
    if (const char* env = std::getenv("HASTEWATCH_TOKEN")) token = env;
  }
  http::GetOptions opts;
  opts.timeout = Duration(10'000);
  if (!token.empty()) opts.headers.emplace_back("Authorization", "Bearer " + token);

  Result<rapidjson::Document> sent = Data(http::HttpPost(
      o.url + "/api/v1/notifications/test", Body(labels, o.summary), "application/json", opts));
  if (!sent.ok()) {
    fmt::print(stderr, "hastewatch test-alert: cannot send to {}: {}\n", o.url, sent.status().message());
    return 1;
  }
  const rapidjson::Document& e = *sent;
  const std::string fp = e["fingerprint"].GetString();
  fmt::print("Sent {} to {} (fingerprint {})\n", labels.ToString(), o.url, fp);
  if (e["routes"].Empty()) fmt::print("No route: notifications are not configured on the server\n");
  for (const auto& r : e["routes"].GetArray()) {
    fmt::print("Route {} -> receiver {}\n", r["route"].GetString(), r["receiver"].GetString());
    fmt::print("  group {}\n", r["groupKey"].GetString());
    const std::string ti = r["timeInterval"].GetString();
    fmt::print("  time intervals: {}\n", ti.empty() ? "none hold it" : ti);
  }
  auto list = [](const rapidjson::Value& v) {
    std::string out;
    for (const auto& x : v.GetArray()) out += (out.empty() ? "" : ", ") + std::string(x.GetString());
    return out.empty() ? std::string("none") : out;
  };
  fmt::print("Silenced by: {}\n", list(e["silencedBy"]));
  fmt::print("Inhibited by: {}\n", list(e["inhibitedBy"]));
  if (o.wait_ms <= 0) return 0;

  fmt::print("Waiting up to {} for delivery...\n", FormatDuration(Duration(o.wait_ms)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.wait_ms);
  rapidjson::Document last;
  bool done = false;
  while (std::chrono::steady_clock::now() < deadline) {
    Result<rapidjson::Document> d =
        Data(http::HttpGet(o.url + "/api/v1/notifications/deliveries?fingerprint=" + fp, opts));
    if (d.ok()) {
      last = std::move(d).value();
      done = last.IsArray() && !last.Empty();
      for (const auto& x : last.GetArray()) {
        const std::string state = x["state"].GetString();
        if (state != "delivered" && state != "suppressed") done = false;
      }
      if (done) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  if (!last.IsArray() || last.Empty()) {
    fmt::print("No delivery is due for it\n");
    return 1;
  }
  for (const auto& x : last.GetArray()) {
    std::string line = fmt::format("  {} {}: {}", x["receiver"].GetString(), x["integration"].GetString(),
                                   x["state"].GetString());
    if (std::string(x["at"].GetString()).size() > 0) line += fmt::format(" at {}", x["at"].GetString());
    if (x["attempts"].GetInt() > 0) {
      line += fmt::format(" after {} failed attempt(s), next {}: {}", x["attempts"].GetInt(),
                          x["nextAt"].GetString(), x["lastError"].GetString());
    } else if (std::string(x["state"].GetString()) == "waiting") {
      line += fmt::format(" (next flush {})", x["nextAt"].GetString());
    }
    fmt::print("{}\n", line);
  }
  return done ? 0 : 1;
}

}  // namespace hw::cli
