#include "scrape/manager.h"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "http/client.h"
#include "scrape/discovery.h"
#include "scrape/scheduler.h"

namespace hw::scrape {

struct Manager::Pool {
  std::string job;
  std::shared_ptr<const PoolSettings> settings;
  RelabelRules relabel;
  std::vector<std::unique_ptr<FileDiscoverer>> file_sd;
  std::map<std::uint64_t, std::shared_ptr<ScrapeLoop>> loops;  // by target hash
  std::vector<model::Labels> dropped;                          // discovered labels
};

namespace {

int DefaultWorkers() {
  int n = 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::clamp(n, 4, 64);
}

std::string Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "::1";
}

// Prometheus' globalURL: a loopback target is shown under this host's name.
std::string GlobalUrl(const std::string& url, const std::string& host) {
  Result<http::Url> u = http::ParseUrl(url);
  if (!u.ok() || !IsLoopback(u->host)) return url;
  size_t start = url.find("://") + 3;
  size_t end = url.find_first_of("/?", start);
  std::string authority = host;
  std::string_view old = std::string_view(url).substr(start, end - start);
  if (size_t colon = old.rfind(':'); colon != std::string_view::npos && old.back() != ']') {
    authority += old.substr(colon);
  }
  return url.substr(0, start) + authority + (end == std::string::npos ? "" : url.substr(end));
}

}  // namespace

Manager::Manager(storage::Appendable& storage, Logger& log, metrics::Registry* registry,
                 const Clock& clock, ManagerOptions options)
    : storage_(storage),
      log_(log),
      clock_(clock),
      options_(std::move(options)),
      metrics_(ScrapeMetrics::Register(registry)),
      global_host_(options_.global_host.empty() ? Hostname() : options_.global_host),
      scheduler_(std::make_unique<Scheduler>(
          options_.workers > 0 ? options_.workers : DefaultWorkers(), clock,
          registry ? &registry->Counter("hastewatch_scrape_ticks_skipped_total",
                                        "Scrapes skipped because the target's previous "
                                        "scrape was still queued or running.")
                           .With()
                   : nullptr)) {
  offset_seed_ = model::Labels::FromPairs({{"host", Hostname()}}).Hash();
  scheduler_->SetTick(options_.discovery_poll, [this] { PollDiscovery(); });
}

Manager::~Manager() { Stop(); }

void Manager::Run() { scheduler_->Start(); }

void Manager::Stop() { scheduler_->Stop(); }

Status Manager::ApplyConfig(const config::Config& config) {
  // Compile everything first: a bad config changes nothing.
  std::vector<std::unique_ptr<Pool>> fresh;
  for (const config::ScrapeConfig& sc : config.scrape_configs) {
    auto pool = std::make_unique<Pool>();
    pool->job = sc.job_name;
    Result<std::shared_ptr<const PoolSettings>> settings = PoolSettings::Make(sc);
    if (!settings.ok()) return settings.status().Wrap(fmt::format("cannot apply scrape config {}", sc.job_name));
    Result<RelabelRules> relabel = RelabelRules::Compile(sc.relabel_configs);
    if (!relabel.ok()) return relabel.status().Wrap(fmt::format("cannot apply scrape config {}", sc.job_name));
    pool->settings = std::move(*settings);
    pool->relabel = std::move(*relabel);
    for (const config::FileSdConfig& f : sc.file_sd_configs) {
      pool->file_sd.push_back(std::make_unique<FileDiscoverer>(f));
    }
    fresh.push_back(std::move(pool));
  }

  std::lock_guard lock(mu_);
  std::map<std::string, std::unique_ptr<Pool>> next;
  for (std::unique_ptr<Pool>& pool : fresh) {
    auto old = pools_.find(pool->job);
    if (old != pools_.end() && old->second->settings->config == pool->settings->config) {
      next[pool->job] = std::move(old->second);  // unchanged: keeps loops and discovery
      pools_.erase(old);
      continue;
    }
    std::map<std::uint64_t, std::shared_ptr<ScrapeLoop>> old_loops;
    if (old != pools_.end()) {
      old_loops = std::move(old->second->loops);
      pools_.erase(old);
    }
    std::vector<std::string> errors;
    for (auto& d : pool->file_sd) d->Refresh(std::chrono::steady_clock::now(), &errors);
    for (const std::string& e : errors) {
      log_.Warn("cannot read file_sd file", {{"job", pool->job}, {"error", e}});
    }
    SyncPool(*pool, std::move(old_loops));
    next[pool->job] = std::move(pool);
  }
  for (auto& [job, pool] : pools_) {  // jobs removed from the config
    for (auto& [hash, loop] : pool->loops) Retire(loop, /*stale=*/true);
    if (metrics_.targets) metrics_.targets->With(job).Set(0);
  }
  pools_ = std::move(next);
  return Status::Ok();
}

void Manager::SyncPool(Pool& pool,
                       std::map<std::uint64_t, std::shared_ptr<ScrapeLoop>> old_loops) {
  const config::ScrapeConfig& cfg = pool.settings->config;
  std::vector<TargetGroup> groups = StaticGroups(cfg);
  for (const auto& d : pool.file_sd) {
    std::vector<TargetGroup> g = d->Groups();
    groups.insert(groups.end(), g.begin(), g.end());
  }
  std::map<std::uint64_t, Target> active;
  pool.dropped.clear();
  for (const TargetGroup& g : groups) {
    for (const model::Labels& t : g.targets) {
      Result<PopulateResult> r = PopulateTarget(cfg, pool.relabel, t, g.labels);
      if (!r.ok()) {
        log_.Warn("cannot use scrape target",
                  {{"job", pool.job}, {"source", g.source}, {"error", r.status().message()}});
        continue;
      }
      if (!r->target) {
        pool.dropped.push_back(r->discovered);
      } else {
        std::uint64_t hash = r->target->Hash();
        active.try_emplace(hash, std::move(*r->target));
      }
    }
  }
  // Old loops by public labels, for hand-over across a settings change.
  std::map<model::Labels, std::uint64_t> by_public;
  for (const auto& [hash, loop] : old_loops) by_public[loop->target().PublicLabels()] = hash;

  std::map<std::uint64_t, std::shared_ptr<ScrapeLoop>> loops;
  for (auto& [hash, target] : active) {
    auto same = old_loops.find(hash);
    if (same != old_loops.end() && same->second->settings() == pool.settings) {
      loops[hash] = std::move(same->second);  // unchanged: keeps running
      old_loops.erase(same);
      continue;
    }
    std::shared_ptr<ScrapeLoop> predecessor;
    if (auto p = by_public.find(target.PublicLabels()); p != by_public.end()) {
      if (auto o = old_loops.find(p->second); o != old_loops.end()) {
        predecessor = std::move(o->second);
        old_loops.erase(o);
      }
    }
    std::uint64_t offset = target.Hash() ^ offset_seed_;
    auto loop = std::make_shared<ScrapeLoop>(next_loop_id_++, pool.settings, std::move(target),
                                             storage_, clock_, metrics_);
    if (predecessor) {
      predecessor->MarkStopped();
      loop->InheritFrom(predecessor);
    }
    scheduler_->Add(loop, offset);
    loops[hash] = std::move(loop);
  }
  for (auto& [hash, loop] : old_loops) Retire(loop, /*stale=*/true);
  pool.loops = std::move(loops);
  if (metrics_.targets) metrics_.targets->With(pool.job).Set(static_cast<double>(pool.loops.size()));
}

void Manager::Retire(std::shared_ptr<ScrapeLoop> loop, bool stale) {
  loop->MarkStopped();
  scheduler_->Post([loop, stale] { loop->Finish(stale); });
}

void Manager::PollDiscovery() {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  for (auto& [job, pool] : pools_) {
    bool changed = false;
    std::vector<std::string> errors;
    for (auto& d : pool->file_sd) changed |= d->Refresh(now, &errors);
    for (const std::string& e : errors) {
      log_.Warn("cannot read file_sd file", {{"job", job}, {"error", e}});
    }
    if (changed) SyncPool(*pool, std::move(pool->loops));
  }
}

TargetStatus Manager::StatusOf(const Pool& pool, const ScrapeLoop& loop) const {
  TargetStatus s;
  LoopStatus ls = loop.status();
  s.scrape_pool = pool.job;
  s.labels = loop.target().PublicLabels();
  s.discovered = loop.target().discovered;
  s.scrape_url = loop.target().url;
  s.global_url = GlobalUrl(s.scrape_url, global_host_);
  s.health = ls.health;
  s.last_error = ls.last_error;
  s.last_scrape_ms = ls.last_scrape_ms;
  s.last_scrape_duration_s = ls.last_duration_s;
  s.scrape_interval = loop.target().interval;
  s.scrape_timeout = loop.target().timeout;
  s.loop_id = loop.id();
  return s;
}

std::vector<TargetStatus> Manager::ActiveTargets() const {
  std::vector<TargetStatus> out;
  std::lock_guard lock(mu_);
  for (const auto& [job, pool] : pools_) {
    size_t first = out.size();
    for (const auto& [hash, loop] : pool->loops) out.push_back(StatusOf(*pool, *loop));
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const TargetStatus& a, const TargetStatus& b) { return a.labels < b.labels; });
  }
  return out;
}

std::vector<TargetStatus> Manager::DroppedTargets() const {
  std::vector<TargetStatus> out;
  std::lock_guard lock(mu_);
  for (const auto& [job, pool] : pools_) {
    for (const model::Labels& d : pool->dropped) {
      TargetStatus s;
      s.scrape_pool = job;
      s.discovered = d;
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::map<std::string, std::size_t> Manager::DroppedTargetCounts() const {
  std::map<std::string, std::size_t> out;
  std::lock_guard lock(mu_);
  for (const auto& [job, pool] : pools_) out[job] = pool->dropped.size();
  return out;
}

std::map<std::string, std::vector<MetricMetadata>> Manager::MetadataFor(
    std::string_view metric, int limit, int limit_per_metric) const {
  auto key = [](const MetricMetadata& m) { return std::tie(m.type, m.help, m.unit); };
  auto less = [&](const MetricMetadata& a, const MetricMetadata& b) { return key(a) < key(b); };
  std::map<std::string, std::set<MetricMetadata, decltype(less)>, std::less<>> sets;
  auto add = [&](const std::string& name, const MetricMetadata& m) {
    auto it = sets.find(name);
    if (it == sets.end()) {
      if (limit >= 0 && static_cast<int>(sets.size()) >= limit) return;
      it = sets.emplace(name, std::set<MetricMetadata, decltype(less)>(less)).first;
    }
    if (limit_per_metric > 0 && static_cast<int>(it->second.size()) >= limit_per_metric) return;
    it->second.insert(m);
  };
  std::vector<std::shared_ptr<const MetadataMap>> maps;
  {
    std::lock_guard lock(mu_);
    for (const auto& [job, pool] : pools_) {
      for (const auto& [hash, loop] : pool->loops) {
        if (auto m = loop->Metadata()) maps.push_back(std::move(m));
      }
    }
  }
  for (const auto& m : maps) {
    if (metric.empty()) {
      for (const auto& [name, md] : *m) add(name, md);
    } else if (const MetricMetadata* md = m->Find(metric)) {
      add(std::string(metric), *md);
    }
  }
  std::map<std::string, std::vector<MetricMetadata>> out;
  for (auto& [name, set] : sets) out[name].assign(set.begin(), set.end());
  return out;
}

}  // namespace hw::scrape
