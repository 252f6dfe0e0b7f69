#include "alerting/alertmanager_sender.h"

#include <algorithm>
#include <future>

#include <fmt/format.h>

#include "alerting/alert_json.h"
#include "http/client.h"
#include "http/client_auth.h"
#include "scrape/discovery.h"
#include "scrape/relabel.h"

namespace hw::alerting {
namespace {

constexpr std::string_view kAddress = "__address__";
constexpr std::string_view kScheme = "__scheme__";
constexpr std::string_view kAlertsPath = "__alerts_path__";

// Prometheus' postPath: path_prefix joined with the v2 endpoint.
std::string AlertsPath(const std::string& prefix) {
  std::string p = prefix;
  while (p.ends_with('/')) p.pop_back();
  return p + "/api/v2/alerts";
}

// POSTs one batch to one Alertmanager with its entry's auth, TLS and timeout.
Status Post(const std::string& url, const std::string& body, const config::AlertmanagerConfig& c) {
  http::GetOptions opts;
  opts.timeout = c.timeout;
  opts.tls = http::ToTlsOptions(c.tls_config);
  Result<std::string> auth = http::AuthorizationHeader(c.basic_auth, c.authorization);
  if (!auth.ok()) return auth.status();
  if (!auth->empty()) opts.headers.emplace_back("Authorization", *auth);
  Result<http::ClientResponse> resp = http::HttpPost(url, body, "application/json", opts);
  if (!resp.ok()) return resp.status();
  if (resp->status / 100 != 2) {
    return Status::Unavailable(fmt::format("bad response status {} from {}: {}", resp->status, url,
                                           resp->body.substr(0, 256)));
  }
  return Status::Ok();
}

}  // namespace

// One `alertmanagers` entry: its settings, discovery and the URLs found.
struct Pool {
  config::AlertmanagerConfig config;
  scrape::RelabelRules relabel;
  std::vector<scrape::FileDiscoverer> file_sd;
  std::vector<std::string> urls;
  std::vector<std::string> dropped;
};

struct AlertmanagerSender::State {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::deque<model::Alert> queue;
  scrape::RelabelRules alert_relabel;
  std::vector<Pool> pools;
  std::chrono::steady_clock::time_point next_refresh{};

  metrics::CounterFamily* sent = nullptr;
  metrics::CounterFamily* errors = nullptr;
  metrics::HistogramFamily* latency = nullptr;
  metrics::Counter* dropped = nullptr;
};

AlertmanagerSender::AlertmanagerSender(Logger& log, metrics::Registry* registry,
                                       SenderOptions options)
    : log_(log), options_(options), state_(std::make_shared<State>()) {
  static metrics::Registry unused;  // metrics go nowhere without a registry
  metrics::Registry& r = registry != nullptr ? *registry : unused;
  state_->sent = &r.Counter("hastewatch_notifications_sent_total",
                            "Alerts sent to an Alertmanager.", {"alertmanager"});
  state_->errors = &r.Counter("hastewatch_notifications_errors_total",
                              "Alerts whose delivery to an Alertmanager failed.", {"alertmanager"});
  state_->latency = &r.Histogram("hastewatch_notifications_latency_seconds",
                                 "Latency of sending alerts to an Alertmanager.", {"alertmanager"},
                                 {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  state_->dropped = &r.Counter("hastewatch_notifications_dropped_total",
                               "Alerts dropped: the queue was full or no Alertmanager took them.",
                               {})
                         .With();
  if (registry != nullptr) {
    std::weak_ptr<State> weak = state_;
    const std::size_t capacity = options_.queue_capacity;
    registry->AddCollector([weak, capacity](metrics::TextWriter& w) {
      std::shared_ptr<State> s = weak.lock();
      if (!s) return;
      std::lock_guard lock(s->mu);
      w.Family("hastewatch_notifications_queue_length", "gauge",
               "Alerts waiting to be sent to the Alertmanagers.");
      w.Sample("hastewatch_notifications_queue_length", static_cast<double>(s->queue.size()));
      w.Family("hastewatch_notifications_queue_capacity", "gauge",
               "The capacity of the alert queue.");
      w.Sample("hastewatch_notifications_queue_capacity", static_cast<double>(capacity));
      std::size_t n = 0;
      for (const Pool& p : s->pools) n += p.urls.size();
      w.Family("hastewatch_notifications_alertmanagers_discovered", "gauge",
               "Alertmanagers discovered and active.");
      w.Sample("hastewatch_notifications_alertmanagers_discovered", static_cast<double>(n));
    });
  }
}

AlertmanagerSender::~AlertmanagerSender() { Stop(); }

Status AlertmanagerSender::ApplyConfig(const config::AlertingConfig& cfg) {
  Result<scrape::RelabelRules> alert_relabel = scrape::RelabelRules::Compile(cfg.alert_relabel_configs);
  if (!alert_relabel.ok()) return alert_relabel.status().Wrap("alerting.alert_relabel_configs");
  std::vector<Pool> pools;
  for (std::size_t i = 0; i < cfg.alertmanagers.size(); ++i) {
    Pool p;
    p.config = cfg.alertmanagers[i];
    Result<scrape::RelabelRules> relabel = scrape::RelabelRules::Compile(p.config.relabel_configs);
    if (!relabel.ok()) {
      return relabel.status().Wrap(fmt::format("alerting.alertmanagers[{}].relabel_configs", i));
    }
    p.relabel = std::move(relabel).value();
    for (const config::FileSdConfig& f : p.config.file_sd_configs) p.file_sd.emplace_back(f);
    pools.push_back(std::move(p));
  }
  {
    std::lock_guard lock(state_->mu);
    state_->alert_relabel = std::move(alert_relabel).value();
    state_->pools = std::move(pools);
    state_->next_refresh = {};
  }
  Refresh();
  return Status::Ok();
}

void AlertmanagerSender::Refresh() {
  std::lock_guard lock(state_->mu);
  const auto now = std::chrono::steady_clock::now();
  if (now < state_->next_refresh) return;
  state_->next_refresh = now + options_.discovery_refresh;
  for (Pool& p : state_->pools) {
    std::vector<scrape::TargetGroup> groups;
    for (const config::StaticConfig& s : p.config.static_configs) {
      scrape::TargetGroup g;
      for (const std::string& t : s.targets) g.targets.push_back(model::Labels::FromPairs({{kAddress, t}}));
      std::vector<std::pair<std::string_view, std::string_view>> pairs(s.labels.begin(), s.labels.end());
      g.labels = model::Labels::FromPairs(std::move(pairs));
      groups.push_back(std::move(g));
    }
    for (scrape::FileDiscoverer& d : p.file_sd) {
      std::vector<std::string> errors;
      d.Refresh(now, &errors);
      for (const std::string& e : errors) {
        log_.Warn("cannot read Alertmanager targets", {{"error", e}});
      }
      for (scrape::TargetGroup& g : d.Groups()) groups.push_back(std::move(g));
    }
    p.urls.clear();
    p.dropped.clear();
    const std::string path = AlertsPath(p.config.path_prefix);
    for (const scrape::TargetGroup& g : groups) {
      for (const model::Labels& t : g.targets) {
        model::LabelsBuilder b(g.labels);
        for (const model::Label& l : t) b.Set(l.name, l.value);
        b.Set(kScheme, p.config.scheme);
        b.Set(kAlertsPath, path);
        model::Labels in = b.Build();
        model::Labels out;
        const std::string raw = fmt::format("{}://{}{}", p.config.scheme, t.Get(kAddress), path);
        if (!p.relabel.Process(in, &out) || out.Get(kAddress).empty()) {
          p.dropped.push_back(raw);
          continue;
        }
        std::string url = fmt::format("{}://{}{}", out.Get(kScheme), out.Get(kAddress),
                                      out.Get(kAlertsPath));
        if (std::find(p.urls.begin(), p.urls.end(), url) == p.urls.end()) p.urls.push_back(url);
      }
    }
  }
}

void AlertmanagerSender::Run() {
  std::lock_guard lock(state_->mu);
  if (thread_.joinable()) return;
  state_->stop = false;
  thread_ = std::thread([this] { Loop(); });
}

void AlertmanagerSender::Stop() {
  {
    std::lock_guard lock(state_->mu);
    state_->stop = true;
    state_->cv.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void AlertmanagerSender::Send(std::vector<model::Alert> alerts) {
  std::lock_guard lock(state_->mu);
  if (state_->pools.empty()) return;  // no `alertmanagers` configured
  for (model::Alert& a : alerts) {
    if (!state_->alert_relabel.empty()) {
      model::Labels out;
      if (!state_->alert_relabel.Process(a.labels, &out) || out.empty()) continue;
      a.labels = std::move(out);
    }
    state_->queue.push_back(std::move(a));
  }
  if (state_->queue.size() > options_.queue_capacity) {
    const std::size_t over = state_->queue.size() - options_.queue_capacity;
    state_->queue.erase(state_->queue.begin(), state_->queue.begin() + static_cast<std::ptrdiff_t>(over));
    state_->dropped->Inc(static_cast<double>(over));
    log_.Warn("alert queue full, dropping the oldest alerts", {{"dropped", over}});
  }
  state_->cv.notify_all();
}

void AlertmanagerSender::Loop() {
  std::unique_lock lock(state_->mu);
  while (true) {
    state_->cv.wait_for(lock, options_.discovery_refresh,
                        [this] { return state_->stop || !state_->queue.empty(); });
    const bool stopping = state_->stop;
    lock.unlock();
    Refresh();
    lock.lock();
    // On stop, what is queued goes out once more before the thread ends.
    while (!state_->queue.empty()) {
      const std::size_t n = std::min(options_.max_batch, state_->queue.size());
      std::vector<model::Alert> batch(std::make_move_iterator(state_->queue.begin()),
                                      std::make_move_iterator(state_->queue.begin() + static_cast<std::ptrdiff_t>(n)));
      state_->queue.erase(state_->queue.begin(), state_->queue.begin() + static_cast<std::ptrdiff_t>(n));
      lock.unlock();
      Deliver(std::move(batch));
      lock.lock();
    }
    if (stopping) return;
  }
}

void AlertmanagerSender::Deliver(std::vector<model::Alert> batch) {
  struct Destination {
    std::string url;
    config::AlertmanagerConfig config;
  };
  std::vector<Destination> to;
  {
    std::lock_guard lock(state_->mu);
    for (const Pool& p : state_->pools) {
      for (const std::string& u : p.urls) to.push_back({u, p.config});
    }
  }
  if (to.empty()) {
    state_->dropped->Inc(static_cast<double>(batch.size()));
    return;
  }
  const std::string body = PostableAlertsJson(batch);
  const double count = static_cast<double>(batch.size());
  // Every Alertmanager at once, so a slow one does not hold up the others.
  struct Outcome {
    Status status;
    double seconds = 0;
  };
  std::vector<std::future<Outcome>> results;
  for (const Destination& d : to) {
    results.push_back(std::async(std::launch::async, [&body, &d]() -> Outcome {
      const auto start = std::chrono::steady_clock::now();
      Status s = Post(d.url, body, d.config);
      return {s, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
    }));
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    Outcome o = results[i].get();
    state_->latency->With(to[i].url).Observe(o.seconds);
    if (o.status.ok()) {
      state_->sent->With(to[i].url).Inc(count);
    } else {
      state_->errors->With(to[i].url).Inc(count);
      log_.Error("cannot send alerts to Alertmanager", {{"alertmanager", to[i].url},
                                                         {"alerts", batch.size()},
                                                         {"error", o.status.message()}});
    }
  }
}
std::vector<AlertmanagerTarget> AlertmanagerSender::Alertmanagers() const {
  std::lock_guard lock(state_->mu);
  std::vector<AlertmanagerTarget> out;
  for (const Pool& p : state_->pools) {
    for (const std::string& u : p.urls) out.push_back({u, false});
    for (const std::string& u : p.dropped) out.push_back({u, true});
  }
  return out;
}

std::size_t AlertmanagerSender::QueueLength() const {
  std::lock_guard lock(state_->mu);
  return state_->queue.size();
}

}  // namespace hw::alerting
