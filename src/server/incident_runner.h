// IncidentRunner: incidents in the running server. Paging alert groups reach the
// incident manager from the notification dispatcher (its group observer); escalation
// steps page through the notification receivers they name; a thread ticks the
// manager every second. Pages are queued by the manager and sent by that thread
// (woken as soon as pages are queued), outside both the manager's and the
// dispatcher's locks; each receiver's outcome is then recorded on the incident
// (IncidentManager::RecordPageResult).
//
// Pages carry signed one-click acknowledge/resolve links (incidents/links.h) built
// from `external_url` when incidents.token_file is set.
//
// Thread-safety: Start/Stop from one thread; the rest is internal.
#pragma once

#include <memory>
#include <string>

#include "alerting/dispatcher.h"
#include "alerting/state_db.h"
#include "base/logger.h"
#include "base/metrics.h"
#include "config/config.h"
#include "incidents/links.h"
#include "incidents/manager.h"

namespace hw::server {

// A checked reload of the incidents section, waiting to be committed.
struct PreparedIncidents {
  incidents::PreparedConfig manager;
  std::string link_secret;  // read from incidents.token_file; "" disables links
  Duration link_ttl{0};     // 0: the default
};

class IncidentRunner {
 public:
  // Opens the manager over `db` (restoring open incidents) and hooks it to `dispatcher`.
  static Result<std::unique_ptr<IncidentRunner>> Create(const config::Config& cfg,
                                                        alerting::StateDb& db,
                                                        alerting::Dispatcher& dispatcher,
                                                        Logger& log, metrics::Registry& registry,
                                                        const std::string& external_url);
  ~IncidentRunner();
  void Start();
  void Stop();
  incidents::IncidentManager& manager();
  // The link signer the pages use, for the link handler (api/incident_links.h).
  const incidents::IncidentLinks& links() const;
  // A reload in steps (IncidentManager::PrepareConfig / CommitConfig): Prepare
  // compiles the incidents section and the notifications' time intervals (business
  // hours) and reads the link secret, and checks them against the open incidents,
  // changing nothing; CommitConfig, which cannot fail, swaps the incidents section in
  // with the notifications it pages through; CommitLinks re-keys the links (a new
  // secret revokes links already sent), last, once nothing in the reload can fail.
  // The external URL is read at start-up only. ApplyConfig does all three.
  Result<PreparedIncidents> PrepareConfig(const config::Config& cfg) const;
  void CommitConfig(PreparedIncidents& prepared);
  void CommitLinks(PreparedIncidents& prepared);
  Status ApplyConfig(const config::Config& cfg);

 private:
  struct Impl;
  explicit IncidentRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hw::server
