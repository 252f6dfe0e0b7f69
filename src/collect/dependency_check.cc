#include "collect/dependency_check.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>

#include <fmt/format.h>

#include "http/client.h"

namespace hw::collect {

Check MakeDependencyCheck(const config::HealthCheckConfig& cfg) {
  if (cfg.kind == config::HealthCheckConfig::Kind::kTcp) {
    return {cfg.name, [cfg] { return http::TcpProbe(cfg.target, cfg.timeout); }};
  }
  return {cfg.name, [cfg]() -> Status {
            Result<http::ClientResponse> r = http::HttpGet(cfg.target, cfg.timeout, {}, 1 << 20);
            if (!r.ok()) return r.status();
            bool good = cfg.expect_status ? r->status == cfg.expect_status
                                          : (r->status >= 200 && r->status < 300);
            if (good) return Status::Ok();
            return Status::Unavailable(fmt::format(
                "GET {} answered {}, expected {}", cfg.target, r->status,
                cfg.expect_status ? std::to_string(cfg.expect_status) : std::string("2xx")));
          }};
}

Check MakeWritableDirCheck(std::string name, std::string dir) {
  return {std::move(name), [dir]() -> Status {
            std::string path = dir + "/.health-probe";
            int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            if (fd < 0) {
              return Status::Unavailable(
                  fmt::format("cannot create {}: {}", path, std::strerror(errno)));
            }
            const char probe[] = "ok\n";
            bool ok = ::write(fd, probe, sizeof probe - 1) == sizeof probe - 1 && ::fsync(fd) == 0;
            int err = errno;
            ::close(fd);
            ::unlink(path.c_str());
            if (!ok) {
              return Status::Unavailable(fmt::format("cannot write {}: {}", path, std::strerror(err)));
            }
            return Status::Ok();
          }};
}

std::vector<CheckResult> RunChecks(const std::vector<Check>& checks) {
  std::vector<std::future<CheckResult>> pending;
  pending.reserve(checks.size());
  for (const Check& c : checks) {
    pending.push_back(std::async(std::launch::async, [&c] {
      auto start = std::chrono::steady_clock::now();
      Status s = c.run();
      CheckResult r;
      r.name = c.name;
      r.healthy = s.ok();
      r.error = s.message();
      r.latency_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      return r;
    }));
  }
  std::vector<CheckResult> out;
  out.reserve(checks.size());
  for (auto& f : pending) out.push_back(f.get());
  return out;
}

}  // namespace hw::collect
