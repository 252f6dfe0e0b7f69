// Test helpers for scrape: a local HTTP target with a controllable /metrics, and a
// dump of what reached a tsdb::Head. Header-only, for scrape tests.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/logger.h"
#include "base/metrics.h"
#include "http/server.h"
#include "http/service.h"
#include "model/sample.h"
#include "tsdb/head.h"

namespace hw::scrape::testing {

// An exporter on 127.0.0.1:<free port> serving whatever the test sets.
class FakeTarget {
 public:
  FakeTarget() : log_("test", LogLevel::kError, std::make_shared<MemoryLogSink>()) {
    auto router = std::make_shared<http::Router>();
    router->Get("/metrics", config::Role::kNone, [this](http::Request& r) { return Serve(r); });
    router->Get("/other", config::Role::kNone, [this](http::Request& r) { return Serve(r); });
    service_ = std::make_unique<http::Service>(
        router, std::make_shared<http::Authenticator>(config::AuthConfig{}), log_, registry_,
        http::ServiceOptions{});
    http::ServerOptions opts;
    opts.listen = "127.0.0.1:0";
    opts.shutdown_grace = Duration(100);
    server_ = std::make_unique<http::Server>(opts, *service_, log_);
    Status s = server_->Start();
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  ~FakeTarget() { server_->Stop(); }

  std::string address() const { return server_->address(); }
  void Set(std::string body, std::string content_type = "text/plain; version=0.0.4",
           int status = 200) {
    std::lock_guard lock(mu_);
    body_ = std::move(body);
    content_type_ = std::move(content_type);
    status_ = status;
  }
  void SetDelay(std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    delay_ = d;
  }
  std::string last_header(const std::string& name) {
    std::lock_guard lock(mu_);
    return headers_[name];
  }
  std::string last_target() {
    std::lock_guard lock(mu_);
    return target_;
  }
  int hits() {
    std::lock_guard lock(mu_);
    return hits_;
  }

 private:
  http::Response Serve(http::Request& r) {
    std::chrono::milliseconds delay;
    http::Response resp;
    {
      std::lock_guard lock(mu_);
      ++hits_;
      for (const auto& [k, v] : r.headers) headers_[k] = v;
      target_ = r.target;
      delay = delay_;
      resp = http::Response::Text(body_, content_type_, status_);
    }
    std::this_thread::sleep_for(delay);
    return resp;
  }

  Logger log_;
  metrics::Registry registry_;
  std::unique_ptr<http::Service> service_;
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  std::string body_ = "";
  std::string content_type_ = "text/plain; version=0.0.4";
  int status_ = 200;
  std::chrono::milliseconds delay_{0};
  std::map<std::string, std::string> headers_;
  std::string target_;
  int hits_ = 0;
};

// Every series in the head as Labels::ToString() -> its samples.
inline std::map<std::string, std::vector<model::Sample>> Dump(tsdb::Head& head) {
  std::map<std::string, std::vector<model::Sample>> out;
  auto q = head.NewQuerier(INT64_MIN, INT64_MAX);
  EXPECT_TRUE(q.ok());
  auto set = (*q)->Select({model::Matcher::NotEqual("__name__", "")}, INT64_MIN, INT64_MAX);
  while (set->Next()) {
    auto it = set->At().Iterator();
    auto& v = out[set->At().labels().ToString()];
    while (it->Next()) v.push_back(it->At());
  }
  return out;
}

// Polls `cond` every 10ms for up to `timeout`.
template <typename F>
bool WaitFor(F cond, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

}  // namespace hw::scrape::testing
