// Health checks: the probes /health/ready and /health/detailed run. A check is a
// name and a function returning OK or the reason it failed; RunChecks runs them in
// parallel, each bounded by its own timeout, and times each one.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace hw::collect {

struct Check {
  std::string name;
  std::function<Status()> run;
};

struct CheckResult {
  std::string name;
  bool healthy = false;
  double latency_ms = 0;
  std::string error;  // empty when healthy
};

// A check from a `health.checks` entry: an HTTP GET expecting 2xx (or the configured
// status), or a TCP connect.
Check MakeDependencyCheck(const config::HealthCheckConfig& cfg);

// "storage writable": creates, writes, fsyncs and removes a probe file in `dir`.
Check MakeWritableDirCheck(std::string name, std::string dir);

// Runs all checks concurrently; results keep the input order.
std::vector<CheckResult> RunChecks(const std::vector<Check>& checks);

}  // namespace hw::collect
