// `hastewatch incident list|open|ack|resolve`: a thin client of the incidents API.
#include <fmt/format.h>

#include <chrono>

#include "cli/commands.h"
#include "cli/incident_client.h"
#include "incidents/incident.h"

namespace hw::cli {
namespace {

// "#7 P1 acknowledged   open 12m  APIDown (...)"
std::string Line(const rapidjson::Value& inc) {
  auto str = [&](const char* k) {
    return inc.HasMember(k) && inc[k].IsString() ? std::string(inc[k].GetString()) : "";
  };
  auto num = [&](const char* k) {
    return inc.HasMember(k) && inc[k].IsInt64() ? inc[k].GetInt64() : std::int64_t{0};
  };
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::int64_t end = num("resolved_ms") != 0 ? num("resolved_ms") : now;
  return fmt::format("#{} {} {:<15} {:>4} {:<8} {}", num("id"),
                     incidents::SeverityName(static_cast<int>(num("severity"))), str("state"),
                     num("resolved_ms") != 0 ? "took" : "open",
                     incidents::HumanDuration(end - num("opened_ms")), str("title"));
}

}  // namespace

int IncidentCommand(const IncidentCommandOptions& o) {
  IncidentClient client(o.url, TokenOrEnv(o.token));
  Result<rapidjson::Document> data = Status::Internal("no action");
  if (o.action == "list") {
    data = client.Get(o.all ? "/api/v1/incidents" : "/api/v1/incidents?open=true");
    if (data.ok()) {
      if (!data->IsArray()) {
        fmt::print(stderr, "hastewatch incident list: the server answered no list\n");
        return 1;
      }
      if (data->Empty()) fmt::print("no {}incidents\n", o.all ? "" : "open ");
      for (const auto& inc : data->GetArray()) fmt::print("{}\n", Line(inc));
      return 0;
    }
  } else if (o.action == "open") {
    data = client.Post("/api/v1/incidents", {{"title", o.title}, {"severity", o.severity}});
  } else if (o.action == "ack" || o.action == "resolve") {
    data = client.Post(
        fmt::format("/api/v1/incidents/{}/{}", o.id, o.action == "ack" ? "acknowledge" : "resolve"),
        {});
  } else {
    fmt::print(stderr, "hastewatch incident: unknown action \"{}\"\n", o.action);
    return 2;
  }
  if (!data.ok()) {
    fmt::print(stderr, "hastewatch incident {}: {}\n", o.action, data.status().message());
    return 1;
  }
  fmt::print("{}\n", Line(*data));
  return 0;
}

}  // namespace hw::cli
