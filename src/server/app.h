// App: the composition root. Builds each subsystem from the config, wires them
// together, and starts and stops them in the documented order
// (ingest -> rules -> notify -> storage on stop; the reverse on start).
// Only this folder knows the concrete types of every subsystem.
//
// Create, Start and Stop are called from one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/logger.h"
#include "base/status.h"
#include "config/config.h"

namespace hw::server {

struct ServeOptions {
  std::string config_path;
  std::string data_dir = "data";
  std::optional<std::string> listen;       // overrides server.listen
  std::optional<LogLevel> log_level;       // overrides server.log_level / environment
};

// The version and source revision compiled in.
std::string_view Version();
std::string_view Revision();

class App {
 public:
  // Loads and validates the config, prepares and locks the data directory, builds
  // every subsystem. Nothing listens yet.
  static Result<std::unique_ptr<App>> Create(const ServeOptions& options);
  ~App();

  Status Start();
  void Stop();
  // Re-reads the config file and applies what can change while running (rule files,
  // scrape jobs and targets). On error the running config stays and the error is returned.
  Status Reload();
  // The address the HTTP server is bound to, host:port.
  std::string address() const;
  Logger& logger();

 private:
  App();
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace hw::server
