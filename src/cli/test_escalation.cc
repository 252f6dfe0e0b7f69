// `hastewatch test-escalation P1`: offline, a simulation of the configured policy;
// with --live, a drill against a running server (a test incident that really pages).
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "alerting/time_interval.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "cli/incident_client.h"
#include "config/config.h"
#include "incidents/incident.h"
#include "incidents/simulate.h"

namespace hw::cli {
namespace {

std::atomic<bool> g_interrupted{false};

// A live drill polls the server once a second and, unless --for says otherwise, gives
// up after 2 h (a last level that never comes must not poll for a day).
constexpr auto kLivePoll = std::chrono::seconds(1);
// How soon Ctrl-C is noticed between polls: well under what a person perceives as lag.
constexpr auto kInterruptCheck = std::chrono::milliseconds(50);
constexpr std::int64_t kLiveDefaultForMs = 2LL * 3600 * 1000;

std::vector<std::string> Strings(const rapidjson::Value& o, const char* key) {
  std::vector<std::string> out;
  if (!o.HasMember(key) || !o[key].IsArray()) return out;
  for (const auto& v : o[key].GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

std::string Str(const rapidjson::Value& o, const char* key) {
  return o.HasMember(key) && o[key].IsString() ? o[key].GetString() : "";
}

std::int64_t Int(const rapidjson::Value& o, const char* key) {
  return o.HasMember(key) && o[key].IsInt64() ? o[key].GetInt64() : 0;
}

// Opens a test incident, prints each page as the server sends it, and resolves the
// incident however the drill ends (last level paged, --for, Ctrl-C, or an error).
int Live(const TestEscalationOptions& o, int severity) {
  IncidentClient client(o.url, TokenOrEnv(o.token));
  const std::string title = fmt::format("{} escalation drill (hastewatch test-escalation --live)",
                                        incidents::SeverityName(severity));
  Result<rapidjson::Document> opened = client.Post(
      "/api/v1/incidents",
      {{"title", title}, {"severity", incidents::SeverityName(severity)}, {"test", "true"}});
  if (!opened.ok()) {
    fmt::print(stderr, "hastewatch test-escalation --live: {}\n", opened.status().message());
    return 1;
  }
  const std::int64_t id = Int(*opened, "id");
  const std::int64_t start = Int(*opened, "opened_ms");
  const std::string path = fmt::format("/api/v1/incidents/{}", id);
  auto resolve = [&] {
    Result<rapidjson::Document> r = client.Post(path + "/resolve", {});
    if (!r.ok()) {
      fmt::print(stderr,
                 "hastewatch test-escalation --live: cannot resolve TEST incident #{}: {}\n", id,
                 r.status().message());
      return false;
    }
    fmt::print("TEST incident #{} resolved: nothing is left open\n", id);
    return true;
  };
  if (!opened->HasMember("policy") || !(*opened)["policy"].IsObject()) {
    fmt::print(stderr, "hastewatch test-escalation --live: {} has no escalation policy on {}\n",
               incidents::SeverityName(severity), client.base_url());
    resolve();
    return 1;
  }
  const rapidjson::Value& policy = (*opened)["policy"];
  const std::size_t levels =
      policy.HasMember("levels") && policy["levels"].IsArray() ? policy["levels"].Size() : 0;
  fmt::print(
      "TEST incident #{} opened on {}: {} incident, escalation policy {} ({} levels, "
      "repeat {}), never acknowledged; following it live (Ctrl-C stops):\n",
      id, client.base_url(), incidents::SeverityName(severity), Str(policy, "name"), levels,
      Int(policy, "repeat"));
  std::fflush(stdout);

  g_interrupted = false;
  auto previous = std::signal(SIGINT, [](int) { g_interrupted = true; });
  const std::int64_t for_ms =
      o.duration_set ? o.duration_ms : kLiveDefaultForMs;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(for_ms);
  std::size_t printed = 0;
  bool last_level_paged = false;
  bool any_failed = false;
  std::string stopped;
  int code = 0;
  while (stopped.empty()) {
    Result<rapidjson::Document> inc = client.Get(path);
    if (!inc.ok()) {
      fmt::print(stderr, "hastewatch test-escalation --live: {}\n", inc.status().message());
      code = 1;
      break;
    }
    if (inc->HasMember("pages") && (*inc)["pages"].IsArray()) {
      const auto& pages = (*inc)["pages"];
      for (; printed < pages.Size(); ++printed) {
        const rapidjson::Value& p = pages[static_cast<rapidjson::SizeType>(printed)];
        // A page is printed once every receiver's outcome is in (or it would look sent).
        if (Int(p, "pending") > 0) break;
        const int level = static_cast<int>(Int(p, "level"));
        std::string line = incidents::FormatStepLine(
            Int(p, "at_ms") - start, level, static_cast<int>(Int(p, "round")), Strings(p, "users"),
            Strings(p, "receivers"), Str(p, "reason"));
        if (std::string err = Str(p, "error"); !err.empty()) {
          line += " FAILED: " + err;
          any_failed = true;
        }
        fmt::print("{}\n", line);
        if (level == static_cast<int>(levels)) last_level_paged = true;
      }
      std::fflush(stdout);
    }
    const bool all_printed = !inc->HasMember("pages") || !(*inc)["pages"].IsArray() ||
                             printed == (*inc)["pages"].Size();
    if (Str(*inc, "state") != "triggered") {
      stopped = fmt::format("stopped: the incident is {} now", Str(*inc, "state"));
    } else if (last_level_paged && all_printed) {
      stopped = "stopped: every level has been paged once";
    } else if (g_interrupted) {
      stopped = "stopped: interrupted";
    } else if (std::chrono::steady_clock::now() >= deadline) {
      stopped = "stopped: --for elapsed";
    } else {
      // Slept in slices so Ctrl-C is answered at once, with one last look at the pages.
      const auto wake = std::chrono::steady_clock::now() + kLivePoll;
      while (!g_interrupted && std::chrono::steady_clock::now() < wake) {
        std::this_thread::sleep_for(kInterruptCheck);
      }
    }
  }
  std::signal(SIGINT, previous);
  if (!stopped.empty()) fmt::print("{}\n", stopped);
  if (any_failed) {
    fmt::print(stderr,
               "hastewatch test-escalation --live: some pages FAILED: check those receivers\n");
    code = 1;
  }
  if (!resolve()) code = 1;
  return code;
}

}  // namespace

int TestEscalation(const TestEscalationOptions& o) {
  int severity = 0;
  if (o.severity.size() == 2 && (o.severity[0] == 'P' || o.severity[0] == 'p') &&
      o.severity[1] >= '1' && o.severity[1] <= '4') {
    severity = o.severity[1] - '0';
  } else {
    fmt::print(stderr, "hastewatch test-escalation: severity \"{}\": expected P1, P2, P3 or P4\n",
               o.severity);
    return 2;
  }
  if (o.live) {
    // The drill runs the server's own config and policy, from now: these would be
    // silently ignored.
    std::vector<std::string> ignored;
    if (!o.policy.empty()) ignored.push_back("--policy");
    if (o.start_ms != 0) ignored.push_back("--at");
    if (o.config_set) ignored.push_back("--config");
    if (!ignored.empty()) {
      std::string names;
      for (const std::string& n : ignored) names += (names.empty() ? "" : ", ") + n;
      fmt::print(stderr,
                 "hastewatch test-escalation: {} cannot be used with --live (a drill uses the "
                 "server's config and the severity's policy, starting now); drop {} or --live\n",
                 names, ignored.size() == 1 ? "it" : "them");
      return 2;
    }
    return Live(o, severity);
  }
  Result<config::Config> cfg = config::LoadConfigFile(o.config_file);
  if (!cfg.ok()) {
    fmt::print(stderr, "{}\n", cfg.status().message());
    return 1;
  }
  // Business hours (for P4) are a notifications time interval.
  Result<alerting::TimeIntervals> intervals =
      alerting::TimeIntervals::Compile(cfg->notifications.time_intervals);
  if (!intervals.ok()) {
    fmt::print(stderr, "hastewatch test-escalation: {}\n", intervals.status().message());
    return 1;
  }
  incidents::SimulationOptions sim;
  sim.severity = severity;
  sim.policy = o.policy;
  sim.start_ms = o.start_ms != 0 ? o.start_ms : RealClock().NowMillis();
  sim.duration = Duration(o.duration_ms);
  sim.time_intervals = &*intervals;
  Result<std::vector<std::string>> lines = incidents::SimulateEscalation(cfg->incidents, sim);
  if (!lines.ok()) {
    fmt::print(stderr, "hastewatch test-escalation: {}\n", lines.status().message());
    return 1;
  }
  for (const std::string& line : *lines) fmt::print("{}\n", line);
  fmt::print("(simulated: nobody was notified)\n");
  return 0;
}

}  // namespace hw::cli
