// Server: the HTTP/1.1 listener (Boost.Beast on Asio), kept out of this header.
//
// Connections are read on a few I/O threads; each complete request is handed to a
// bounded worker pool where Service::Handle runs, so a slow handler never stalls
// reading or writing other connections. Keep-alive, a header and a body size limit
// (413), a read timeout per request and an idle timeout between requests.
//
// Stop() is graceful: it stops accepting, closes idle connections, lets requests in
// flight finish and answer (with Connection: close) for up to shutdown_grace, then
// stops. Start and Stop are called from one thread; the rest is internal.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/logger.h"
#include "base/status.h"
#include "base/units.h"
#include "http/service.h"

namespace hw::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:9190";  // host:port; port 0 picks a free port
  int io_threads = 1;
  int worker_threads = 4;
  std::uint64_t max_body = 10ull << 20;
  std::uint64_t max_header = 64ull << 10;
  Duration read_timeout = Duration(30'000);
  Duration idle_timeout = Duration(120'000);
  Duration shutdown_grace = Duration(30'000);
};

// Counters the health endpoints report as queue depths.
struct ServerLoad {
  std::atomic<int> connections{0};
  std::atomic<int> queued{0};     // requests read, waiting for a worker
  std::atomic<int> in_flight{0};  // requests a worker is handling
};

class Server {
 public:
  Server(ServerOptions options, Service& service, Logger& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket (connections queue until Start); address() is known
  // from then on. Start calls it if it was not called.
  Status Bind();
  // Binds and starts serving; an error names the address and the cause.
  Status Start();
  // The bound address, "host:port" (the real port when 0 was asked for).
  std::string address() const;
  const ServerLoad& load() const;
  void Stop();

  struct Impl;  // defined in server.cc; public only so its connection class can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hw::http
