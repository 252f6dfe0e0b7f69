#include "http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>

namespace hw::http {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

// What goes out: GET without a body, or POST with one.
struct Outgoing {
  bhttp::verb method = bhttp::verb::get;
  std::string_view body;
  std::string_view content_type;
};

bhttp::request<bhttp::string_body> MakeRequest(const Url& u, const KeyValues& headers,
                                               const Outgoing& out) {
  bhttp::request<bhttp::string_body> req(out.method, u.target, 11);
  req.set(bhttp::field::host, u.host);
  req.set(bhttp::field::user_agent, "hastewatch");
  if (out.method != bhttp::verb::get) {
    req.set(bhttp::field::content_type, beast::string_view(out.content_type.data(), out.content_type.size()));
    req.body() = std::string(out.body);
    req.prepare_payload();
  }
  for (const auto& [k, v] : headers) req.set(k, v);
  return req;
}

ClientResponse Convert(bhttp::response<bhttp::string_body>& m) {
  ClientResponse r;
  r.status = static_cast<int>(m.result_int());
  r.reason = std::string(m.reason());
  for (const auto& f : m) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  r.body = std::move(m.body());
  return r;
}

// Runs one exchange over `stream` (a tcp_stream or an ssl_stream over one), all
// under the tcp_stream's expiry. `step` names the stage an error came from.
template <typename Stream>
beast::error_code Exchange(Stream& stream, const Url& u, const KeyValues& headers,
                           const Outgoing& outgoing, std::uint64_t max_body,
                           bhttp::response<bhttp::string_body>* out, std::string* step,
                           net::io_context& ioc) {
  beast::error_code result;
  auto req = MakeRequest(u, headers, outgoing);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(max_body);
  *step = "write request";
  bhttp::async_write(stream, req, [&](beast::error_code ec, size_t) {
    if (ec) {
      result = ec;
      return;
    }
    *step = "read response";
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code ec2, size_t) {
      result = ec2;
      if (!ec2) *out = parser.release();
    });
  });
  ioc.run();
  return result;
}

}  // namespace

Result<Url> ParseUrl(std::string_view url) {
  Url u;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    return Status::BadData(fmt::format("cannot parse URL \"{}\": no scheme", url));
  }
  u.scheme = std::string(url.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") {
    return Status::BadData(
        fmt::format("cannot parse URL \"{}\": scheme must be http or https", url));
  }
  std::string_view rest = url.substr(sep + 3);
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (u.target.front() == '?') u.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return Status::BadData(fmt::format(
        "cannot parse URL \"{}\": credentials in URLs are not supported; use basic_auth", url));
  }
  size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Status::BadData(fmt::format("cannot parse URL \"{}\": unclosed '['", url));
    }
    u.host = std::string(authority.substr(1, close - 1));
    colon = authority.find(':', close);
  } else {
    u.host = std::string(authority.substr(0, colon));
  }
  if (colon != std::string_view::npos) {
    u.port = std::string(authority.substr(colon + 1));
    if (u.port.empty() || u.port.find_first_not_of("0123456789") != std::string::npos) {
      return Status::BadData(fmt::format("cannot parse URL \"{}\": bad port", url));
    }
  } else {
    u.port = u.scheme == "https" ? "443" : "80";
  }
  if (u.host.empty()) return Status::BadData(fmt::format("cannot parse URL \"{}\": no host", url));
  return u;
}

std::string_view ClientResponse::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

Result<ClientResponse> HttpGet(const std::string& url, Duration timeout, const KeyValues& headers,
                               std::uint64_t max_body) {
  GetOptions options;
  options.timeout = timeout;
  options.headers = headers;
  options.max_body = max_body;
  return HttpGet(url, options);
}

namespace {

Result<ClientResponse> Do(const std::string& url, const Outgoing& outgoing,
                          const GetOptions& options) {
  const char* verb = outgoing.method == bhttp::verb::get ? "GET" : "POST";
  Result<Url> parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status();
  const Url& u = *parsed;
  const KeyValues& headers = options.headers;
  const std::uint64_t max_body = options.max_body;
  // Causes read as Go's net package writes them ("dial tcp 10.0.0.1:80: connect:
  // connection refused"), since scrape errors are compared with Prometheus'.
  auto fail = [&](std::string_view step, const beast::error_code& ec) {
    StatusCode code = ec == beast::error::timeout ? StatusCode::kTimeout : StatusCode::kUnavailable;
    std::string cause = ec.message();
    if (!cause.empty()) cause[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(cause[0])));
    return Status(code, fmt::format("cannot {} {}: {}: {}", verb, url, step, cause));
  };

  net::io_context ioc;
  beast::tcp_stream tcp_stream(ioc);
  tcp_stream.expires_after(options.timeout);
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(u.host, u.port, [&](beast::error_code e, tcp::resolver::results_type r) {
    ec = e;
    endpoints = std::move(r);
  });
  ioc.run();
  if (ec) return fail("resolve", ec);
  ioc.restart();
  tcp_stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  ioc.run();
  if (ec) return fail(fmt::format("dial tcp {}:{}: connect", u.host, u.port), ec);
  ioc.restart();

  bhttp::response<bhttp::string_body> resp;
  std::string step;
  if (u.scheme == "http") {
    ec = Exchange(tcp_stream, u, headers, outgoing, max_body, &resp, &step, ioc);
    if (ec) return fail(step, ec);
    return Convert(resp);
  }

  const TlsOptions& tls_opts = options.tls;
  ssl::context ctx(ssl::context::tls_client);
  beast::error_code setup;
  if (!tls_opts.ca_file.empty()) {
    ctx.load_verify_file(tls_opts.ca_file, setup);
    if (setup) return fail(fmt::format("load CA file {}", tls_opts.ca_file), setup);
  } else {
    ctx.set_default_verify_paths();
  }
  if (!tls_opts.cert_file.empty()) {
    ctx.use_certificate_chain_file(tls_opts.cert_file, setup);
    if (setup) return fail(fmt::format("load certificate {}", tls_opts.cert_file), setup);
    ctx.use_private_key_file(tls_opts.key_file, ssl::context::pem, setup);
    if (setup) return fail(fmt::format("load key {}", tls_opts.key_file), setup);
  }
  ctx.set_verify_mode(tls_opts.insecure_skip_verify ? ssl::verify_none : ssl::verify_peer);
  const std::string& server_name = tls_opts.server_name.empty() ? u.host : tls_opts.server_name;
  beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp_stream), ctx);
  if (!SSL_set_tlsext_host_name(tls.native_handle(), server_name.c_str())) {
    return Status::Unavailable(fmt::format("cannot {} {}: cannot set TLS server name", verb, url));
  }
  if (!tls_opts.insecure_skip_verify) {
    tls.set_verify_callback(ssl::host_name_verification(server_name));
  }
  tls.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
  ioc.run();
  if (ec) return fail("TLS handshake", ec);
  ioc.restart();
  ec = Exchange(tls, u, headers, outgoing, max_body, &resp, &step, ioc);
  if (ec) return fail(step, ec);
  return Convert(resp);
}

}  // namespace

Result<ClientResponse> HttpGet(const std::string& url, const GetOptions& options) {
  return Do(url, Outgoing{}, options);
}

Result<ClientResponse> HttpPost(const std::string& url, std::string_view body,
                                std::string_view content_type, const GetOptions& options) {
  return Do(url, Outgoing{bhttp::verb::post, body, content_type}, options);
}

Status TcpProbe(const std::string& host_port, Duration timeout) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) {
    return Status::BadData(fmt::format("\"{}\" is not host:port", host_port));
  }
  std::string host = host_port.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::string port = host_port.substr(colon + 1);
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(host, port, [&](beast::error_code e, tcp::resolver::results_type r) {
    ec = e;
    endpoints = std::move(r);
  });
  ioc.run();
  if (ec) {
    return Status::Unavailable(fmt::format("cannot connect to {}: resolve: {}", host_port, ec.message()));
  }
  ioc.restart();
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  ioc.run();
  if (ec) {
    StatusCode code = ec == beast::error::timeout ? StatusCode::kTimeout : StatusCode::kUnavailable;
    return Status(code, fmt::format("cannot connect to {}: {}", host_port, ec.message()));
  }
  return Status::Ok();
}

}  // namespace hw::http
