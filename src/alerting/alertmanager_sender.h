// AlertmanagerSender: delivers alerts to the external Alertmanagers of the config's
// `alerting` section, as Prometheus' notifier does.
//
//   Send(alerts)  -> alert_relabel_configs (an alert relabeled to nothing is dropped)
//                 -> a bounded queue (capacity 10,000; when full the oldest alerts are
//                    dropped and counted)
//   sender thread -> batches of up to 64 alerts, one JSON body, POSTed at the same time
//                    to every Alertmanager at <scheme>://<address><path_prefix>/api/v2/alerts
//                    with the entry's auth, TLS and timeout.
//
// Alertmanagers come from static_configs and file_sd_configs (files re-checked every
// 5 s), then the entry's relabel_configs over __address__, __scheme__ and
// __alerts_path__ (a target relabeled to nothing is listed as dropped).
//
// A failed POST is counted and logged, not retried: the rules manager re-sends every
// firing alert each resend_delay (1m) and each alert carries an end time 4 intervals
// ahead, so an Alertmanager that was down catches up at the next re-send (Prometheus'
// behaviour). Stop() sends what is still queued, once, before it returns.
//
// Self-metrics: hastewatch_notifications_{sent,errors}_total{alertmanager},
// hastewatch_notifications_latency_seconds{alertmanager},
// hastewatch_notifications_dropped_total, hastewatch_notifications_queue_length,
// hastewatch_notifications_queue_capacity, hastewatch_notifications_alertmanagers_discovered.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/logger.h"
#include "base/metrics.h"
#include "base/status.h"
#include "config/config.h"
#include "model/alert.h"

namespace hw::alerting {

struct SenderOptions {
  std::size_t queue_capacity = 10'000;
  std::size_t max_batch = 64;
  std::chrono::milliseconds discovery_refresh{5'000};
};

// One discovered Alertmanager, as /api/v1/alertmanagers lists it.
struct AlertmanagerTarget {
  std::string url;  // where alerts are POSTed
  bool dropped = false;
};

class AlertmanagerSender : public model::AlertSink {
 public:
  AlertmanagerSender(Logger& log, metrics::Registry* registry, SenderOptions options = {});
  ~AlertmanagerSender() override;

  // Compiles the relabel rules and replaces the Alertmanagers. On error (a bad regex)
  // nothing changes.
  Status ApplyConfig(const config::AlertingConfig& cfg);
  void Run();
  void Stop();

  void Send(std::vector<model::Alert> alerts) override;

  std::vector<AlertmanagerTarget> Alertmanagers() const;
  std::size_t QueueLength() const;

 private:
  struct State;
  void Loop();
  void Refresh();
  void Deliver(std::vector<model::Alert> batch);

  Logger& log_;
  SenderOptions options_;
  std::shared_ptr<State> state_;  // config, discovery, queue; guarded by its mutex
  std::thread thread_;
};

}  // namespace hw::alerting
