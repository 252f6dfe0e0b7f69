#include "server/app.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "alerting/alertmanager_sender.h"
#include "alerting/dispatcher.h"
#include "alerting/fanout.h"
#include "alerting/integrations.h"
#include "alerting/notify_template.h"
#include "alerting/silences.h"
#include "alerting/state_db.h"
#include "api/admin.h"
#include "api/alertmanager_v2.h"
#include "api/alertmanagers.h"
#include "api/dashboards.h"
#include "api/health.h"
#include "api/query.h"
#include "api/rules.h"
#include "api/slo.h"
#include "api/runbooks.h"
#include "api/ui.h"
#include "api/status.h"
#include "base/dir_lock.h"
#include "api/write.h"
#include "base/metrics.h"
#include "collect/process.h"
#include "http/server.h"
#include "http/service.h"
#include "ingest/remote_write.h"
#include "api/incident_links.h"
#include "api/incidents.h"
#include "api/lifecycle.h"
#include "api/notifications.h"
#include "api/targets.h"
#include "rules/manager.h"
#include "slo/history_store.h"
#include "slo/recorder.h"
#include "slo/rules.h"
#include "scrape/manager.h"
#include "server/incident_runner.h"
#include "tsdb/db.h"

namespace hw::server {

std::string_view Version() { return HW_VERSION; }
std::string_view Revision() { return HW_REVISION; }

struct App::Parts {
  ServeOptions options;
  config::Config config;
  std::unique_ptr<Logger> log;
  metrics::Registry registry;
  std::unique_ptr<tsdb::Db> db;
  std::unique_ptr<scrape::Manager> scrape;
  std::unique_ptr<alerting::AlertmanagerSender> alertmanagers;
  std::unique_ptr<alerting::StateDb> state_db;
  std::unique_ptr<alerting::Silences> silences;
  std::unique_ptr<alerting::Dispatcher> dispatcher;
  std::unique_ptr<alerting::Fanout> alert_sink;
  std::unique_ptr<IncidentRunner> incidents;  // when `incidents` is configured
  std::unique_ptr<rules::Manager> rules;
  // SLO history in state.db: recorded from the TSDB, read past its retention.
  std::unique_ptr<slo::HistoryStore> slo_history;
  std::unique_ptr<slo::QuerySource> slo_source;
  std::unique_ptr<slo::Recorder> slo_recorder;
  // guarded by reload_mu: the dashboards in force (replaced whole by a reload)
  std::shared_ptr<const api::DashboardList> dashboards;
  std::string file_listen;  // server.listen as the file says it (before --listen)
  std::unique_ptr<ingest::RemoteWriteMetrics> remote_write_metrics;
  std::mutex reload_mu;
  Status last_reload;  // guarded by reload_mu: the outcome of the last reload
  std::chrono::system_clock::time_point last_reload_time =
      std::chrono::system_clock::now();  // guarded by reload_mu: last attempt
  std::chrono::system_clock::time_point last_success_time =
      last_reload_time;  // guarded by reload_mu: last successful load
  std::unique_ptr<http::Service> service;
  std::unique_ptr<http::Server> http;
  std::optional<DirLock> data_lock;  // one hastewatch per data directory
  bool running = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  Status Reload();
};

namespace {

// The dashboards of `dashboards`, or the built-in pack without that section. A file
// that does not validate fails the (re)load; queries that do not parse and unknown
// fields are logged as warnings, and the dashboard is still served.
Result<std::shared_ptr<const api::DashboardList>> LoadDashboards(const config::Config& c, Logger& log) {
  api::DashboardList list;
  if (c.dashboards_configured) {
    Result<api::DashboardList> loaded = dashboards::LoadDashboardFiles(c.dashboards);
    if (!loaded.ok()) return loaded.status();
    list = std::move(loaded).value();
  } else {
    list = dashboards::BuiltinDashboards();
  }
  for (const dashboards::Dashboard& d : list) {
    for (const std::string& w : d.warnings) log.Warn("dashboard field ignored", {{"warning", w}});
    for (const std::string& e : d.query_errors) {
      log.Warn("dashboard query does not parse; its panel will show the error", {{"error", e}});
    }
  }
  return std::make_shared<const api::DashboardList>(std::move(list));
}

// $externalURL and the links in alerts: server.external_url, or http://<listen> with
// a wildcard host replaced by the machine's name.
std::string ExternalUrl(const config::ServerConfig& sc, const std::string& bound) {
  if (!sc.external_url.empty()) return sc.external_url;
  std::string host = sc.listen.substr(0, sc.listen.rfind(':'));
  const std::string port = bound.substr(bound.rfind(':') + 1);
  if (host.empty() || host == "0.0.0.0" || host == "[::]" || host == "::") {
    char name[256] = {};
    host = ::gethostname(name, sizeof name - 1) == 0 && name[0] != '\0' ? name : "localhost";
  }
  return fmt::format("http://{}:{}", host, port);
}

// Builds the notifications pipeline's receivers from the config (its `templates`
// loaded on top of the defaults).
Result<alerting::IntegrationFactory> IntegrationsFor(const config::NotificationsConfig& cfg) {
  Result<std::shared_ptr<const alerting::NotifyTemplates>> templates =
      alerting::NotifyTemplates::Load(cfg.templates);
  if (!templates.ok()) return templates.status().Wrap("notifications.templates");
  std::shared_ptr<const alerting::NotifyTemplates> t = std::move(templates).value();
  config::AmGlobalConfig global = cfg.global;
  return alerting::IntegrationFactory(
      [t, global](const config::ReceiverConfig& r)
          -> Result<std::vector<std::shared_ptr<alerting::Integration>>> {
        Result<std::vector<std::unique_ptr<alerting::Integration>>> built =
            alerting::BuildIntegrations(r, global, t);
        if (!built.ok()) return built.status();
        std::vector<std::shared_ptr<alerting::Integration>> out;
        for (auto& i : *built) out.push_back(std::move(i));
        return out;
      });
}

// The notifications config as YAML, for /api/v2/status (amtool config show): the
// alertmanager.yml it came from, or the inline section re-emitted.
std::string NotificationsYaml(const config::Config& cfg) {
  try {
    if (!cfg.notifications.source_file.empty()) {
      std::ifstream in(cfg.notifications.source_file);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    }
    YAML::Node root = YAML::LoadFile(cfg.file);
    if (!root["notifications"]) return "";
    YAML::Emitter out;
    out << root["notifications"];
    return std::string(out.c_str()) + "\n";
  } catch (const YAML::Exception&) {
    return "";
  }
}

// Applies `notifications` to the dispatcher; without the section the dispatcher
// keeps alerts (the API lists them) but routes nowhere.
Status ApplyNotifications(alerting::Dispatcher& d, const config::NotificationsConfig& cfg) {
  if (!cfg.configured) return Status::Ok();
  Result<alerting::IntegrationFactory> factory = IntegrationsFor(cfg);
  if (!factory.ok()) return factory.status();
  return d.ApplyConfig(cfg, std::move(factory).value());
}

// The built web UI: $HASTEWATCH_UI_DIR, else ui/dist beside the build directory of
// this executable (<exe dir>/../ui/dist, as `make` builds it).
std::string UiDistDir() {
  if (const char* env = std::getenv("HASTEWATCH_UI_DIR"); env != nullptr && env[0] != '\0') {
    return env;
  }
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "ui/dist";
  return (exe.parent_path().parent_path() / "ui" / "dist").lexically_normal().string();
}

int DefaultWorkers() {
  return static_cast<int>(std::max(4u, 2 * std::thread::hardware_concurrency()));
}

// /api/v1/metadata's view of what the scrapers have seen.
class ScrapeMetadata : public api::MetadataSource {
 public:
  explicit ScrapeMetadata(const scrape::Manager& m) : manager_(m) {}
  api::MetadataMap Metadata() const override {
    api::MetadataMap out;
    for (const auto& [metric, list] : manager_.MetadataFor("")) {
      auto& dst = out[metric];
      for (const scrape::MetricMetadata& md : list) {
        dst.push_back({std::string(scrape::MetricTypeName(md.type)), md.help, md.unit});
      }
    }
    return out;
  }

 private:
  const scrape::Manager& manager_;
};

}  // namespace

App::App() : parts_(std::make_unique<Parts>()) {}
App::~App() { Stop(); }

Result<std::unique_ptr<App>> App::Create(const ServeOptions& options) {
  Result<config::Config> cfg = config::LoadConfigFile(options.config_path);
  if (!cfg.ok()) return cfg.status();

  std::unique_ptr<App> app(new App());
  Parts& p = *app->parts_;
  p.options = options;
  p.config = std::move(cfg).value();
  p.file_listen = p.config.server.listen;
  if (options.listen) p.config.server.listen = *options.listen;

  LogLevel level = options.log_level.value_or(
      p.config.server.log_level.value_or(*DefaultLogLevel(p.config.server.environment)));
  p.log = std::make_unique<Logger>("hastewatch", level, std::make_shared<FdLogSink>(STDOUT_FILENO));
  Result<std::shared_ptr<const api::DashboardList>> dashboards = LoadDashboards(p.config, *p.log);
  if (!dashboards.ok()) return dashboards.status();
  p.dashboards = std::move(dashboards).value();

  Result<DirLock> lock = DirLock::Acquire(options.data_dir);
  if (!lock.ok()) return lock.status();
  p.data_lock.emplace(std::move(lock).value());
  std::error_code ec;
  std::string data_dir = std::filesystem::absolute(options.data_dir, ec).string();

  // Storage first: everything else writes to or reads from it.
  const config::TsdbConfig& tc = p.config.storage.tsdb;
  tsdb::DbOptions db_options;
  db_options.block_range_ms = tc.block_duration.count();
  db_options.retention_ms = tc.retention_time.count();
  db_options.retention_bytes = tc.retention_size;
  db_options.wal_fsync = tsdb::ParseFsyncPolicy(tc.wal_fsync);
  db_options.wal_fsync_interval = tc.wal_fsync_interval;
  db_options.wal_segment_size = tc.wal_segment_size;
  Result<std::unique_ptr<tsdb::Db>> db =
      tsdb::Db::Open(data_dir + "/tsdb", db_options, *p.log, &p.registry);
  if (!db.ok()) return db.status();
  p.db = std::move(db).value();

  // Self-metrics shared by every subsystem.
  collect::RegisterProcessMetrics(p.registry);
  p.registry.Gauge("hastewatch_build_info", "A metric with a constant '1' value labelled by "
                   "version, revision and compiler from which hastewatch was built.",
                   {"version", "revision", "compiler"})
      .With(Version(), Revision(), fmt::format("gcc {}", __VERSION__))
      .Set(1);

  auto router = std::make_shared<http::Router>();
  const config::ServerConfig& sc = p.config.server;
  http::ServiceOptions service_opts;
  service_opts.request_timeout = sc.request_timeout;
  p.service = std::make_unique<http::Service>(
      router, std::make_shared<http::Authenticator>(sc.auth), *p.log, p.registry, service_opts);

  http::ServerOptions server_opts;
  server_opts.listen = sc.listen;
  server_opts.worker_threads = sc.worker_threads > 0 ? sc.worker_threads : DefaultWorkers();
  server_opts.io_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  server_opts.max_body = sc.max_request_body;
  server_opts.max_header = sc.max_header_bytes;
  server_opts.read_timeout = sc.read_timeout;
  server_opts.idle_timeout = sc.idle_timeout;
  server_opts.shutdown_grace = sc.shutdown_grace;
  p.http = std::make_unique<http::Server>(server_opts, *p.service, *p.log);
  // Bound now (serving starts in Start): with port 0 the external URL needs the port.
  HW_RETURN_IF_ERROR(p.http->Bind());
  api::HealthDeps health;
  health.checks.push_back(collect::MakeWritableDirCheck("storage", data_dir));
  Parts* parts = &p;
  // Healthy while the config in force is the file's: a failed reload (the old config
  // still running) makes it unhealthy until a reload succeeds.
  health.checks.push_back({"config", [parts]() -> Status {
                             std::lock_guard lock(parts->reload_mu);
                             return parts->last_reload;
                           }});
  for (const config::HealthCheckConfig& c : p.config.health.checks) {
    health.checks.push_back(collect::MakeDependencyCheck(c));
  }
  health.data_dir = data_dir;
  health.version = std::string(Version());
  health.started = p.started;
  health.storage = [parts] { return parts->db->Stats(); };
  health.queues = [parts] {
    api::QueueDepths q;
    if (parts->http) {
      const http::ServerLoad& load = parts->http->load();
      q.http_connections = load.connections.load();
      q.http_queued = load.queued.load();
      q.http_in_flight = load.in_flight.load();
    }
    return q;
  };
  api::RegisterHealthRoutes(*router, std::move(health));
  api::RegisterMetricsRoute(*router, p.registry);
  p.remote_write_metrics = std::make_unique<ingest::RemoteWriteMetrics>(p.registry);
  api::RegisterWriteRoutes(*router, *p.db, *p.remote_write_metrics);
  api::RegisterAdminRoutes(*router, *p.db);
  // Scraping appends to the store; /api/v1/targets and /api/v1/metadata read it.
  p.scrape = std::make_unique<scrape::Manager>(*p.db, *p.log, &p.registry, RealClock());
  HW_RETURN_IF_ERROR(p.scrape->ApplyConfig(p.config));
  api::RegisterTargetsRoute(*router, *p.scrape);
  // Prometheus HTTP query and status API: one PromQL engine per server (defaults,
  // lint hints on), shared with rule evaluation.
  auto engine = std::make_shared<const promql::Engine>();
  api::RegisterQueryRoutes(*router, {p.db.get(), engine,
                                     std::make_shared<const ScrapeMetadata>(*p.scrape)});
  // Alerts leave through one sink: the local notification dispatcher (state in
  // data/state.db) and the external Alertmanagers of `alerting`.
  const std::string external_url = ExternalUrl(p.config.server, p.http->address());
  p.alertmanagers = std::make_unique<alerting::AlertmanagerSender>(*p.log, &p.registry);
  HW_RETURN_IF_ERROR(p.alertmanagers->ApplyConfig(p.config.alerting));
  api::RegisterAlertmanagersRoute(*router, *p.alertmanagers);
  Result<std::unique_ptr<alerting::StateDb>> state_db =
      alerting::StateDb::Open(data_dir + "/state.db");
  if (!state_db.ok()) return state_db.status();
  p.state_db = std::move(state_db).value();
  Result<std::unique_ptr<alerting::Silences>> silences =
      alerting::Silences::Open(*p.state_db, RealClock());
  if (!silences.ok()) return silences.status();
  p.silences = std::move(silences).value();
  Result<std::unique_ptr<alerting::Dispatcher>> dispatcher = alerting::Dispatcher::Create(
      {.clock = &RealClock(), .log = p.log.get(), .registry = &p.registry,
       .db = p.state_db.get(), .silences = p.silences.get(), .external_url = external_url});
  if (!dispatcher.ok()) return dispatcher.status();
  p.dispatcher = std::move(dispatcher).value();
  HW_RETURN_IF_ERROR(ApplyNotifications(*p.dispatcher, p.config.notifications));
  p.alert_sink = std::make_unique<alerting::Fanout>(
      std::vector<model::AlertSink*>{p.dispatcher.get(), p.alertmanagers.get()});
  api::RegisterAlertmanagerApi(
      *router, {.dispatcher = p.dispatcher.get(), .silences = p.silences.get(),
                .clock = &RealClock(), .version = std::string(Version()),
                .revision = std::string(Revision()), .started = p.started,
                .config_text = [parts] {
                  std::lock_guard lock(parts->reload_mu);
                  return NotificationsYaml(parts->config);
                }});
  api::RegisterNotificationRoutes(*router, *p.dispatcher);
  // Incidents open from paging groups and escalate through the receivers.
  if (p.config.incidents.configured) {
    Result<std::unique_ptr<IncidentRunner>> runner =
        IncidentRunner::Create(p.config, *p.state_db, *p.dispatcher, *p.log, p.registry,
                               external_url);
    if (!runner.ok()) return runner.status();
    p.incidents = std::move(runner).value();
    api::RegisterIncidentRoutes(*router, p.incidents->manager());
    api::RegisterIncidentLinkRoutes(*router, p.incidents->manager(), p.incidents->links());
  }
  api::RegisterUiRoutes(*router, UiDistDir());
  // Rules read the store through the engine and append their outputs to it.
  p.rules = std::make_unique<rules::Manager>(rules::ManagerOptions{
      .queryable = p.db.get(), .appendable = p.db.get(), .engine = engine,
      .log = p.log.get(), .registry = &p.registry, .external_url = external_url,
      .sink = p.alert_sink.get(),
      // SLOs: the specs of `slos` become rule groups beside rule_files' (slo/rules.h).
      .extra_groups = [](const config::Config& c) { return slo::LoadGroups(c.slos); }});
  HW_RETURN_IF_ERROR(p.rules->ApplyConfig(p.config));
  api::RegisterRulesRoutes(*router, *p.rules);
  // SLO status and the monthly compliance report, over the same engine and store,
  // reaching past the TSDB's retention through the SLO history (slo/recorder.h).
  // The TSDB's oldest sample: days from it on are the TSDB's alone (slo/days.h).
  auto tsdb_oldest_ms = [db = p.db.get()]() -> std::optional<std::int64_t> {
    const tsdb::DbStats st = db->Stats();
    const bool empty = st.min_time > st.max_time || (st.min_time == 0 && st.max_time == 0);
    if (empty) return std::nullopt;
    return st.min_time;
  };
  Result<std::unique_ptr<slo::HistoryStore>> slo_history =
      slo::HistoryStore::Open(*p.state_db, tsdb_oldest_ms);
  if (!slo_history.ok()) return slo_history.status();
  p.slo_history = std::move(slo_history).value();
  p.slo_source = api::MakeEngineSource(p.db.get(), engine);
  p.slo_recorder = std::make_unique<slo::Recorder>(slo::RecorderOptions{
      .store = p.slo_history.get(), .source = p.slo_source.get(),
      .specs = [parts] {
        std::vector<std::string> files;
        {
          std::lock_guard lock(parts->reload_mu);
          files = parts->config.slos;
        }
        return slo::LoadSpecFiles(files);
      },
      .tsdb_oldest_ms = tsdb_oldest_ms,
      .retention_ms = p.config.storage.tsdb.retention_time.count(),
      .log = p.log.get()});
  api::RegisterSloRoutes(*router, {.storage = p.db.get(), .engine = engine,
                                   .spec_files = [parts] {
                                     std::lock_guard lock(parts->reload_mu);
                                     return parts->config.slos;
                                   },
                                   .rule_groups = [rules = p.rules.get()] {
                                     return rules->Snapshot();
                                   },
                                   .history = p.slo_history.get()});
  api::RegisterRunbookRoutes(*router, [parts] {
    std::lock_guard lock(parts->reload_mu);
    return parts->config.runbooks.directory;
  });
  api::RegisterDashboardRoutes(*router, [parts] {
    std::lock_guard lock(parts->reload_mu);
    return parts->dashboards;
  });
  api::RegisterLifecycleRoutes(*router, [parts] { return parts->Reload(); });
  std::string log_level_flag(LogLevelName(level));  // as --log-level takes it: "info"
  for (char& c : log_level_flag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  api::StatusDeps status{.version = std::string(Version()),
                         .revision = std::string(Revision()),
                         .config = p.config,
                         .flags = {{"config", options.config_path},
                                   {"data", options.data_dir},
                                   {"listen", p.config.server.listen},
                                   {"log-level", log_level_flag}},
                         .db = p.db.get(),
                         .last_reload = [parts] {
                           std::lock_guard lock(parts->reload_mu);
                           return std::pair{parts->last_reload.ok(), parts->last_reload_time};
                         }};
  api::RegisterStatusRoutes(*router, std::move(status));
  p.registry.AddCollector([parts](metrics::TextWriter& w) {
    std::lock_guard lock(parts->reload_mu);
    w.Family("hastewatch_config_last_reload_successful", "gauge",
             "Whether the last configuration reload attempt was successful.");
    w.Sample("hastewatch_config_last_reload_successful", parts->last_reload.ok() ? 1 : 0);
    w.Family("hastewatch_config_last_reload_success_timestamp_seconds", "gauge",
             "Timestamp of the last successful configuration load or reload.");
    w.Sample("hastewatch_config_last_reload_success_timestamp_seconds",
             std::chrono::duration<double>(parts->last_success_time.time_since_epoch()).count());
  });
  p.registry.AddCollector([parts](metrics::TextWriter& w) {
    if (!parts->http) return;
    const http::ServerLoad& load = parts->http->load();
    w.Family("hastewatch_http_connections", "gauge", "Open HTTP connections.");
    w.Sample("hastewatch_http_connections", load.connections.load());
    w.Family("hastewatch_http_queued_requests", "gauge", "Requests read and waiting for a worker.");
    w.Sample("hastewatch_http_queued_requests", load.queued.load());
    w.Family("hastewatch_http_in_flight_requests", "gauge", "Requests being handled.");
    w.Sample("hastewatch_http_in_flight_requests", load.in_flight.load());
  });

  return app;
}

Status App::Start() {
  Parts& p = *parts_;
  // The SLO history's days at risk first: the TSDB's maintenance may drop them at its
  // first run. The rest of the backfill runs on the recorder's thread (Run below).
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
  const auto record_start = std::chrono::steady_clock::now();
  if (Result<int> days = p.slo_recorder->RecordAtRisk(now_ms); !days.ok()) {
    p.log->Error("cannot record the SLO history", {{"error", days.status().message()}});
  } else if (*days > 0) {
    p.log->Info("SLO history recorded",
                {{"days", *days},
                 {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                           record_start).count()}});
  }
  p.db->Run();
  p.dispatcher->Run();
  if (p.incidents) p.incidents->Start();
  p.alertmanagers->Run();
  p.rules->Run();
  p.scrape->Run();
  p.slo_recorder->Run();
  HW_RETURN_IF_ERROR(p.http->Start());
  p.running = true;
  p.log->Info("hastewatch started",
              {{"version", Version()},
               {"revision", Revision()},
               {"url", fmt::format("http://{}", p.http->address())},
               {"externalUrl", ExternalUrl(p.config.server, p.http->address())},
               {"config", p.config.file},
               {"dataDir", p.options.data_dir},
               {"environment", p.config.server.environment},
               {"logLevel", LogLevelName(p.log->level())}});
  if (p.config.server.auth.tokens.empty()) {
    p.log->Warn("no API tokens configured: writes, admin endpoints and /health/detailed are "
                "unavailable until server.auth.tokens is set");
  }
  return Status::Ok();
}

void App::Stop() {
  Parts& p = *parts_;
  if (!p.running) return;
  p.running = false;
  p.log->Info("hastewatch stopping");
  // Order: ingest -> rules -> notify -> storage.
  p.scrape->Stop();
  p.rules->Stop();
  p.slo_recorder->Stop();
  p.alertmanagers->Stop();  // sends what is still queued
  if (p.incidents) p.incidents->Stop();
  p.dispatcher->Stop();     // its state is already in state.db
  p.http->Stop();
  if (Status s = p.db->Close(); !s.ok()) {
    p.log->Error("cannot close the TSDB cleanly", {{"error", s.message()}});
  }
  p.log->Info("hastewatch stopped");
}

Status App::Reload() { return parts_->Reload(); }

Status App::Parts::Reload() {
  std::lock_guard lock(reload_mu);
  last_reload_time = std::chrono::system_clock::now();
  Result<config::Config> next = config::LoadConfigFile(config.file);
  if (!next.ok()) {
    last_reload = next.status();
    log->Error("config reload failed; the previous config stays in force",
               {{"config", config.file}, {"error", next.status().message()}});
    return next.status();
  }
  // Everything that can fail is checked before anything changes: rule files load
  // into groups not yet running, then scrape and the Alertmanagers apply, and only
  // then do the new groups replace the old.
  Result<std::shared_ptr<const api::DashboardList>> next_dashboards = LoadDashboards(*next, *log);
  if (!next_dashboards.ok()) {
    last_reload = next_dashboards.status();
    log->Error("config reload failed; the previous config stays in force",
               {{"error", next_dashboards.status().message()}});
    return next_dashboards.status();
  }
  Result<std::shared_ptr<rules::Manager::Prepared>> prepared = rules->Prepare(*next);
  if (!prepared.ok()) {
    last_reload = prepared.status();
    log->Error("config reload failed; the previous config stays in force",
               {{"error", prepared.status().message()}});
    return prepared.status();
  }
  // Incidents: compiled and checked against the open incidents now, swapped in below
  // once nothing else can fail.
  std::optional<PreparedIncidents> next_incidents;
  if (incidents && next->incidents.configured) {
    Result<PreparedIncidents> p = incidents->PrepareConfig(*next);
    if (!p.ok()) {
      last_reload = p.status();
      log->Error("config reload failed; the previous config stays in force",
                 {{"error", p.status().message()}});
      return p.status();
    }
    next_incidents = std::move(p).value();
  }
  if (Status s = scrape->ApplyConfig(*next); !s.ok()) {
    last_reload = s;
    log->Error("config reload failed; the previous config stays in force", {{"error", s.message()}});
    return s;
  }
  if (Status s = ApplyNotifications(*dispatcher, next->notifications); !s.ok()) {
    last_reload = s;
    log->Error("config reload failed: notifications keep their previous config",
               {{"error", s.message()}});
    return s;
  }
  // Incidents page through the notification receivers: committed together with them,
  // so a later failure cannot leave new receivers paired with old incident users.
  if (next_incidents) {
    incidents->CommitConfig(*next_incidents);
    config.incidents = next->incidents;
  }
  if (next->incidents.configured != config.incidents.configured) {
    log->Warn("config reloaded: adding or removing the incidents section takes effect at the "
              "next restart");
  }
  if (Status s = alertmanagers->ApplyConfig(next->alerting); !s.ok()) {
    last_reload = s;
    log->Error("config reload failed: the Alertmanagers keep their previous config",
               {{"error", s.message()}});
    return s;
  }
  rules->Install(std::move(prepared).value());
  // Last, once nothing can fail: a new link secret revokes the links already sent.
  if (next_incidents) incidents->CommitLinks(*next_incidents);
  if (slo_recorder) slo_recorder->Wake();  // SLOs added by this reload: backfilled now
  if (next->server.listen != file_listen || next->server.external_url != config.server.external_url ||
      !(next->storage.tsdb == config.storage.tsdb)) {
    log->Warn("config reloaded: server and storage settings take effect at the next restart");
  }
  config.scrape_configs = next->scrape_configs;
  config.global = next->global;
  config.rule_files = next->rule_files;
  config.slos = next->slos;
  config.dashboards = next->dashboards;
  config.dashboards_configured = next->dashboards_configured;
  dashboards = std::move(next_dashboards).value();
  config.alerting = next->alerting;
  config.notifications = next->notifications;
  config.runbooks = next->runbooks;
  last_reload = Status::Ok();
  last_success_time = last_reload_time;
  log->Info("config reloaded", {{"config", config.file}, {"scrapeJobs", config.scrape_configs.size()}});
  return Status::Ok();
}

std::string App::address() const { return parts_->http->address(); }

Logger& App::logger() { return *parts_->log; }

}  // namespace hw::server
