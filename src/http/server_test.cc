#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "http/client.h"

namespace hw::http {
namespace {

// Sends raw bytes on a fresh connection and returns everything read until the peer
// closes or `timeout_ms` passes.
std::string RawExchange(int port, const std::string& bytes, int timeout_ms = 3000) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "connect failed";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

class ServerTest : public testing::Test {
 protected:
  void StartServer(ServerOptions opts = {}) {
    auto router = std::make_shared<Router>();
    router->Get("/hello", config::Role::kNone, [](Request& r) {
      return Response::Text("hello " + r.Param("name").value_or("world"));
    });
    router->Post("/echo", config::Role::kNone, [](Request& r) { return Response::Text(r.body); });
    router->Get("/slow", config::Role::kNone, [this](Request&) {
      slow_started_.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      return Response::Text("done");
    });
    service_ = std::make_unique<Service>(router, std::make_shared<Authenticator>(config::AuthConfig{}),
                                         log_, registry_, ServiceOptions{});
    opts.listen = "127.0.0.1:0";
    server_ = std::make_unique<Server>(opts, *service_, log_);
    ASSERT_TRUE(server_->Start().ok());
    port_ = std::stoi(server_->address().substr(server_->address().rfind(':') + 1));
  }

  std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  Logger log_{"hw", LogLevel::kError, std::make_shared<MemoryLogSink>()};
  metrics::Registry registry_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<Server> server_;
  std::promise<void> slow_started_;
  int port_ = 0;
};

TEST_F(ServerTest, ServesQueryParametersAndKeepAlive) {
  StartServer();
  Result<ClientResponse> r = HttpGet(Url("/hello?name=a%20b"), Duration(2000));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello a b");
  // Two pipelined requests on one connection: both answered, the second closes.
  std::string out = RawExchange(port_,
                                "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /hello?name=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(out.find("hello world"), std::string::npos) << out;
  EXPECT_NE(out.find("hello 2"), std::string::npos) << out;
}

TEST_F(ServerTest, FormPostMergesIntoParams) {
  StartServer();
  std::string body = "name=form+value";
  std::string out = RawExchange(port_, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                       "Content-Type: application/x-www-form-urlencoded\r\n"
                                       "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_NE(out.find("HTTP/1.1 200"), std::string::npos) << out;
  EXPECT_NE(out.find("name=form+value"), std::string::npos) << out;
}

TEST_F(ServerTest, OversizedBodyIs413) {
  ServerOptions opts;
  opts.max_body = 1024;
  StartServer(opts);
  std::string body(4096, 'x');
  std::string out = RawExchange(port_, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + body);
  EXPECT_NE(out.find("HTTP/1.1 413"), std::string::npos) << out;
  EXPECT_NE(out.find("\"errorType\":\"too_large\""), std::string::npos) << out;
}

TEST_F(ServerTest, MalformedRequestIs400AndServerSurvives) {
  StartServer();
  for (const char* junk : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n",
                           "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"}) {
    std::string out = RawExchange(port_, junk);
    EXPECT_NE(out.find("HTTP/1.1 400"), std::string::npos) << junk << " -> " << out;
  }
  EXPECT_EQ(HttpGet(Url("/hello"), Duration(2000))->status, 200);
}

TEST_F(ServerTest, BadPercentEncodingIs400) {
  StartServer();
  std::string out = RawExchange(port_, "GET /hello?name=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(out.find("HTTP/1.1 400"), std::string::npos) << out;
}

TEST_F(ServerTest, StopFinishesInFlightRequests) {
  StartServer();
  auto pending = std::async(std::launch::async, [this] { return HttpGet(Url("/slow"), Duration(5000)); });
  slow_started_.get_future().wait();
  server_->Stop();
  Result<ClientResponse> r = pending.get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "done");
  EXPECT_FALSE(HttpGet(Url("/hello"), Duration(1000)).ok()) << "still accepting after Stop";
}

TEST_F(ServerTest, StartFailsClearlyWhenPortIsTaken) {
  StartServer();
  ServerOptions opts;
  opts.listen = server_->address();
  Server second(opts, *service_, log_);
  Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot listen on " + server_->address()), std::string::npos) << s.message();
}

}  // namespace
}  // namespace hw::http
