#include "http/server.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

namespace hw::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

class Session;

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Service& s, Logger& l) : opts(std::move(o)), service(s), log(l) {}

  void Accept();
  void Register(Session* s, std::weak_ptr<Session> w);
  void Unregister(Session* s);

  ServerOptions opts;
  Service& service;
  Logger& log;
  net::io_context ioc;
  // Keeps the I/O threads running while requests are with workers and no socket
  // operation is pending (during shutdown, after the acceptor closes).
  std::optional<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::optional<net::thread_pool> workers;
  tcp::acceptor acceptor{ioc};
  net::steady_timer accept_retry{ioc};
  std::vector<std::thread> io_threads;
  std::string bound;
  std::atomic<bool> stopping{false};
  ServerLoad load;

  std::mutex mu;
  std::condition_variable drained;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
};

namespace {

// Turns Beast's parsed message into a Request; parse errors land in protocol_error.
void FillRequest(bhttp::request<bhttp::string_body>&& m, Request* req) {
  req->method = std::string(m.method_string());
  req->target = std::string(m.target());
  for (const auto& f : m) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req->headers.emplace_back(std::move(name), std::string(f.value()));
  }
  req->keep_alive = m.keep_alive();
  std::string_view target = req->target;
  size_t q = target.find('?');
  std::string error;
  if (!PercentDecode(target.substr(0, q), false, &req->path)) {
    req->protocol_error = Status::BadData(fmt::format("invalid percent-encoding in path \"{}\"",
                                                      target.substr(0, q)));
    return;
  }
  if (q != std::string_view::npos &&
      !ParseQueryString(target.substr(q + 1), &req->query, &error)) {
    req->protocol_error = Status::BadData(fmt::format("cannot parse query string: {}", error));
    return;
  }
  std::string_view ctype = req->Header("content-type");
  if (m.method() == bhttp::verb::post && IsFormEncoded(ctype) &&
      !ParseQueryString(m.body(), &req->query, &error)) {
    req->protocol_error = Status::BadData(fmt::format("cannot parse form body: {}", error));
  }
  req->body = std::move(m.body());
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = fmt::format("{}:{}", ep.address().to_string(), ep.port());
    server_.load.connections++;
  }
  ~Session() {
    server_.load.connections--;
    server_.Unregister(this);
  }

  void Start() {
    server_.Register(this, weak_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // On the session's strand: a connection waiting for its next request is closed.
  void CloseIfIdle() {
    if (idle_) stream_.socket().cancel();
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  void ReadHeader() {
    if (server_.stopping) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.opts.max_header));
    parser_->body_limit(server_.opts.max_body);
    stream_.expires_after(first_ ? server_.opts.read_timeout : server_.opts.idle_timeout);
    idle_ = true;
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               self->idle_ = false;
                               self->first_ = false;
                               if (ec) return self->OnReadError(ec);
                               self->ReadBody();
                             });
  }

  void ReadBody() {
    stream_.expires_after(server_.opts.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->OnReadError(ec);
                        Request req;
                        req.remote = self->remote_;
                        FillRequest(self->parser_->release(), &req);
                        self->Dispatch(std::move(req));
                      });
  }

  void OnReadError(beast::error_code ec) {
    Status st;
    if (ec == bhttp::error::body_limit) {
      st = Status::TooLarge(fmt::format("request body is larger than the limit of {} bytes",
                                        server_.opts.max_body));
    } else if (ec == bhttp::error::header_limit) {
      st = Status::TooLarge(fmt::format("request header is larger than the limit of {} bytes",
                                        server_.opts.max_header));
    } else if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
               ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      st = Status::BadData(fmt::format("cannot parse HTTP request: {}", ec.message()));
    } else {
      return Close();  // peer closed, timed out, or we are stopping: nothing to answer
    }
    Request req;
    req.remote = remote_;
    if (parser_ && parser_->is_header_done()) {
      req.method = std::string(parser_->get().method_string());
      req.target = std::string(parser_->get().target());
      req.path = req.target.substr(0, req.target.find('?'));
    }
    req.keep_alive = false;  // the stream's framing is unknown now
    req.protocol_error = std::move(st);
    Dispatch(std::move(req));
  }

  void Dispatch(Request req) {
    stream_.expires_never();  // a handler's time is bounded by its own deadline
    server_.load.queued++;
    net::post(*server_.workers, [self = shared_from_this(), req = std::move(req)]() mutable {
      Server::Impl& srv = self->server_;
      srv.load.queued--;
      srv.load.in_flight++;
      Response resp = srv.service.Handle(req);
      srv.load.in_flight--;
      bool head = req.method == "HEAD";
      bool keep = req.keep_alive;
      net::post(self->executor(), [self, resp = std::move(resp), keep, head]() mutable {
        self->Write(std::move(resp), keep, head);
      });
    });
  }

  void Write(Response r, bool keep_alive, bool head) {
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(r.status), 11);
    msg->set(bhttp::field::server, "hastewatch");
    msg->set(bhttp::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) msg->set(k, v);
    msg->keep_alive(keep_alive && !server_.stopping);
    if (head) {
      msg->content_length(r.body.size());
    } else {
      msg->body() = std::move(r.body);
      msg->prepare_payload();
    }
    stream_.expires_after(server_.opts.read_timeout);
    bhttp::async_write(stream_, *msg,
                       [self = shared_from_this(), msg](beast::error_code ec, size_t) {
                         if (ec || !msg->keep_alive()) return self->Close();
                         self->ReadHeader();
                       });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  bool idle_ = false;   // waiting for the first byte of a request (on the strand)
  bool first_ = true;   // no request read yet on this connection
};

}  // namespace

void Server::Impl::Register(Session* s, std::weak_ptr<Session> w) {
  std::lock_guard lock(mu);
  sessions.emplace(s, std::move(w));
}

void Server::Impl::Unregister(Session* s) {
  std::lock_guard lock(mu);
  sessions.erase(s);
  drained.notify_all();
}

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors and the like: say so and try again shortly
      // instead of spinning.
      log.Warn("cannot accept connection", {{"error", ec.message()}});
      accept_retry.expires_after(std::chrono::milliseconds(100));
      accept_retry.async_wait([this](beast::error_code) { Accept(); });
      return;
    }
    std::make_shared<Session>(std::move(socket), *this)->Start();
    Accept();
  });
}

Server::Server(ServerOptions options, Service& service, Logger& log)
    : impl_(std::make_unique<Impl>(std::move(options), service, log)) {}

Server::~Server() { Stop(); }

Status Server::Bind() {
  Impl& s = *impl_;
  if (!s.bound.empty()) return Status::Ok();
  const std::string& listen = s.opts.listen;
  size_t colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string port = listen.substr(colon + 1);
  beast::error_code ec;
  tcp::resolver resolver(s.ioc);
  auto results = resolver.resolve(host, port, tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return Status::Unavailable(fmt::format("cannot listen on {}: {}", listen, ec.message()));
  }
  tcp::endpoint ep = results.begin()->endpoint();
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable(fmt::format("cannot listen on {}: {}", listen, ec.message()));
  }
  tcp::endpoint local = s.acceptor.local_endpoint();
  s.bound = local.address().is_v6()
                ? fmt::format("[{}]:{}", local.address().to_string(), local.port())
                : fmt::format("{}:{}", local.address().to_string(), local.port());
  return Status::Ok();
}

Status Server::Start() {
  HW_RETURN_IF_ERROR(Bind());
  Impl& s = *impl_;
  s.workers.emplace(static_cast<size_t>(std::max(1, s.opts.worker_threads)));
  s.keep_running.emplace(s.ioc.get_executor());
  s.Accept();
  for (int i = 0; i < std::max(1, s.opts.io_threads); ++i) {
    s.io_threads.emplace_back([&s] { s.ioc.run(); });
  }
  return Status::Ok();
}

std::string Server::address() const { return impl_->bound; }

const ServerLoad& Server::load() const { return impl_->load; }

void Server::Stop() {
  Impl& s = *impl_;
  if (s.io_threads.empty() || s.stopping.exchange(true)) return;
  net::post(s.ioc, [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
    s.accept_retry.cancel();
  });
  // Collect under the lock, post outside it: dropping the last reference to a session
  // runs its destructor, which takes the lock.
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(s.mu);
    for (auto& [ptr, weak] : s.sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) {
    net::post(session->executor(), [session] { session->CloseIfIdle(); });
  }
  live.clear();
  {
    std::unique_lock lock(s.mu);
    auto deadline = std::chrono::steady_clock::now() + s.opts.shutdown_grace;
    if (!s.drained.wait_until(lock, deadline, [&s] { return s.sessions.empty(); })) {
      s.log.Warn("shutdown grace period over; closing remaining connections",
                 {{"connections", static_cast<long>(s.sessions.size())}});
    }
  }
  s.keep_running.reset();
  s.ioc.stop();
  for (std::thread& t : s.io_threads) t.join();
  s.io_threads.clear();
  s.workers->join();
}

}  // namespace hw::http
