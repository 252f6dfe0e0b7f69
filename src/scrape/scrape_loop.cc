#include "scrape/scrape_loop.h"

#include <chrono>
#include <limits>

#include <fmt/format.h>

#include "http/client.h"
#include "http/client_auth.h"
#include "model/sample.h"
#include "scrape/content_type.h"

namespace hw::scrape {
namespace {

constexpr const char* kReportNames[] = {
    "up", "scrape_duration_seconds", "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling", "scrape_series_added"};

std::optional<Format> FallbackFormat(const std::string& protocol) {
  if (protocol.empty()) return std::nullopt;
  return protocol.starts_with("OpenMetrics") ? Format::kOpenMetrics : Format::kPrometheusText;
}

}  // namespace

Result<std::shared_ptr<const PoolSettings>> PoolSettings::Make(const config::ScrapeConfig& cfg) {
  auto s = std::make_shared<PoolSettings>();
  s->config = cfg;
  Result<RelabelRules> rules = RelabelRules::Compile(cfg.metric_relabel_configs);
  if (!rules.ok()) return rules.status();
  s->metric_relabel = std::move(*rules);
  s->fallback = FallbackFormat(cfg.fallback_scrape_protocol);
  return std::shared_ptr<const PoolSettings>(std::move(s));
}

ScrapeMetrics ScrapeMetrics::Register(metrics::Registry* r) {
  ScrapeMetrics m;
  if (r == nullptr) return m;
  m.targets = &r->Gauge("hastewatch_scrape_targets", "Active scrape targets.", {"job"});
  m.scrapes = &r->Counter("hastewatch_scrapes_total", "Scrapes by result (success, failure).",
                          {"job", "result"});
  m.duration = &r->Histogram("hastewatch_scrape_duration_seconds",
                             "Time a scrape took: fetch, parse and append.", {"job"},
                             {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  m.samples = &r->Counter("hastewatch_scrape_samples_scraped_total",
                          "Samples read from scrape bodies.", {"job"});
  m.sample_limit = &r->Counter("hastewatch_scrape_sample_limit_failures_total",
                               "Scrapes failed because they exceeded sample_limit.", {"job"});
  return m;
}

std::string_view HealthName(Health health) {
  switch (health) {
    case Health::kUp: return "up";
    case Health::kDown: return "down";
    case Health::kUnknown: return "unknown";
  }
  return "unknown";
}

ScrapeLoop::ScrapeLoop(std::uint64_t id, std::shared_ptr<const PoolSettings> settings,
                       Target target, storage::Appendable& storage, const Clock& clock,
                       const ScrapeMetrics& metrics)
    : id_(id),
      settings_(std::move(settings)),
      target_(std::move(target)),
      public_labels_(target_.PublicLabels()),
      storage_(storage),
      clock_(clock) {
  const std::string& job = settings_->config.job_name;
  if (metrics.scrapes) {
    scrapes_ok_ = &metrics.scrapes->With(job, "success");
    scrapes_failed_ = &metrics.scrapes->With(job, "failure");
    duration_ = &metrics.duration->With(job);
    samples_ = &metrics.samples->With(job);
    sample_limit_ = &metrics.sample_limit->With(job);
  }
  for (const char* name : kReportNames) {
    report_labels_.push_back(model::LabelsBuilder(public_labels_).Set(model::kMetricName, name).Build());
  }
}

Status ScrapeLoop::Fetch(std::string* body, std::string* content_type) {
  const config::ScrapeConfig& c = settings_->config;
  http::GetOptions opts;
  opts.timeout = target_.timeout;
  opts.max_body = c.body_size_limit > 0 ? c.body_size_limit
                                        : std::numeric_limits<std::uint64_t>::max();
  opts.headers.emplace_back("Accept", std::string(kAcceptHeader));
  opts.headers.emplace_back("X-Prometheus-Scrape-Timeout-Seconds",
                            fmt::format("{:g}", target_.timeout.count() / 1000.0));
  Result<std::string> auth = http::AuthorizationHeader(c.basic_auth, c.authorization);
  if (!auth.ok()) return auth.status();
  if (!auth->empty()) opts.headers.emplace_back("Authorization", *auth);
  opts.tls = http::ToTlsOptions(c.tls_config);
  Result<http::ClientResponse> resp = http::HttpGet(target_.url, opts);
  if (!resp.ok()) {
    // Read like Prometheus' errors: Get "<url>": <cause>.
    if (resp.status().code() == StatusCode::kTimeout) {
      return Status::Timeout(fmt::format("Get \"{}\": context deadline exceeded", target_.url));
    }
    std::string msg = resp.status().message();
    std::string prefix = fmt::format("cannot GET {}: ", target_.url);
    if (msg.starts_with(prefix)) msg = msg.substr(prefix.size());
    return Status(resp.status().code(), fmt::format("Get \"{}\": {}", target_.url, msg));
  }
  if (resp->status != 200) {
    return Status::Unavailable(
        fmt::format("server returned HTTP status {} {}", resp->status, resp->reason));
  }
  *content_type = std::string(resp->Header("content-type"));
  *body = std::move(resp->body);
  return Status::Ok();
}

void ScrapeLoop::ScrapeOnce() {
  std::lock_guard lock(scrape_mu_);
  if (stopped()) return;
  if (predecessor_) {
    std::lock_guard prev_lock(predecessor_->scrape_mu_);
    series_ = std::move(predecessor_->series_);
    reported_ = predecessor_->reported_;
    predecessor_->series_.clear();
    predecessor_.reset();
  }
  auto start = std::chrono::steady_clock::now();
  std::int64_t t = clock_.NowMillis();

  ScrapeBatch batch;
  std::string body, content_type;
  Status err = Fetch(&body, &content_type);
  if (err.ok()) {
    Result<Format> format = FormatForContentType(content_type, settings_->fallback);
    err = format.status();
    if (format.ok()) {
      ParseParams params{&public_labels_, &settings_->config, &settings_->metric_relabel, t};
      err = ParseScrape(body, *format, params, &cache_, &batch);
    }
  }
  std::size_t series_added = 0;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Status commit = Append(batch, err, t, seconds, &series_added);
  if (err.ok() && !commit.ok()) err = commit;

  if (duration_) {
    (err.ok() ? scrapes_ok_ : scrapes_failed_)->Inc();
    duration_->Observe(seconds);
    samples_->Inc(static_cast<double>(batch.scraped));
    if (batch.sample_limit_exceeded) sample_limit_->Inc();
  }
  std::lock_guard status_lock(status_mu_);
  status_.health = err.ok() ? Health::kUp : Health::kDown;
  status_.last_error = err.message();
  status_.last_scrape_ms = t;
  status_.last_duration_s = seconds;
  ++status_.scrapes;
  if (err.ok()) metadata_ = std::make_shared<const MetadataMap>(std::move(batch.metadata));
}

Status ScrapeLoop::Append(const ScrapeBatch& batch, const Status& scrape_error, std::int64_t t,
                          double duration_s, std::size_t* series_added) {
  std::unique_ptr<storage::Appender> app = storage_.NewAppender();
  SeriesSet current;
  if (scrape_error.ok()) {
    current.reserve(batch.samples.size());
    for (const ScrapedSample& s : batch.samples) {
      Result<storage::SeriesRef> ref = app->Append(s.labels, s.t, s.v);
      if (!ref.ok() || s.explicit_timestamp) continue;  // refused samples are skipped
      if (current.insert(s.labels).second && series_.count(s.labels) == 0) ++*series_added;
    }
  }
  for (const model::Labels& gone : series_) {
    if (current.count(gone) == 0) (void)app->Append(gone, t, model::kStaleNaN);
  }
  series_ = std::move(current);
  AppendReport(*app, t, duration_s, scrape_error.ok(), batch, *series_added);
  reported_ = true;
  return app->Commit();
}

void ScrapeLoop::AppendReport(storage::Appender& app, std::int64_t t, double duration_s, bool up,
                              const ScrapeBatch& batch, std::size_t series_added) {
  const double values[] = {up ? 1.0 : 0.0, duration_s, static_cast<double>(batch.scraped),
                           static_cast<double>(batch.post_relabel),
                           static_cast<double>(series_added)};
  for (size_t i = 0; i < report_labels_.size(); ++i) {
    (void)app.Append(report_labels_[i], t, values[i]);
  }
}

void ScrapeLoop::AppendStaleReport(storage::Appender& app, std::int64_t t) {
  for (const model::Labels& l : report_labels_) (void)app.Append(l, t, model::kStaleNaN);
}

void ScrapeLoop::Finish(bool stale) {
  MarkStopped();
  std::lock_guard lock(scrape_mu_);
  predecessor_.reset();
  if (!stale || (series_.empty() && !reported_)) return;
  std::int64_t t = clock_.NowMillis();
  std::unique_ptr<storage::Appender> app = storage_.NewAppender();
  for (const model::Labels& l : series_) (void)app->Append(l, t, model::kStaleNaN);
  if (reported_) AppendStaleReport(*app, t);
  series_.clear();
  reported_ = false;
  (void)app->Commit();
}

void ScrapeLoop::InheritFrom(std::shared_ptr<ScrapeLoop> previous) {
  std::lock_guard lock(scrape_mu_);
  predecessor_ = std::move(previous);
}

LoopStatus ScrapeLoop::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

std::shared_ptr<const MetadataMap> ScrapeLoop::Metadata() const {
  std::lock_guard lock(status_mu_);
  return metadata_;
}

}  // namespace hw::scrape
