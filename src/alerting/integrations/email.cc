// The email integration: one message per notification over SMTP, sent with libcurl.
//
// Settings follow Alertmanager's email_configs: smarthost host:port (port 465 speaks
// TLS from the start; otherwise STARTTLS, required unless require_tls is false), the
// EHLO name `hello`, AUTH with auth_username and auth_password (PLAIN or LOGIN, as
// the server offers; CRAM-MD5 with auth_secret), auth_identity as the authorization
// identity, tls_config for the server certificate.
//
// The message: the configured headers (templates; From, To and Subject default to the
// from, to and email.default.subject), Message-Id, Date, MIME-Version and a
// multipart/alternative body with the text part (default email.default.text) and
// the HTML part (default email.default.html, html-escaped), both quoted-printable.
#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>

#include <fmt/format.h>

#include "alerting/integrations/common.h"
#include "alerting/integrations/payloads.h"

namespace hw::alerting::integrations {
namespace {

const std::string& Or(const std::string& v, const std::string& def) { return v.empty() ? def : v; }

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; });
}

// Header values: no line breaks (header injection), RFC 2047 when not ASCII.
std::string HeaderValue(std::string_view v) {
  std::string s;
  for (char c : v) s += (c == '\r' || c == '\n') ? ' ' : c;
  if (IsAscii(s)) return s;
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b;
  for (std::size_t i = 0; i < s.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) n |= static_cast<unsigned char>(s[i + 1]) << 8;
    if (i + 2 < s.size()) n |= static_cast<unsigned char>(s[i + 2]);
    b += kB64[(n >> 18) & 63];
    b += kB64[(n >> 12) & 63];
    b += i + 1 < s.size() ? kB64[(n >> 6) & 63] : '=';
    b += i + 2 < s.size() ? kB64[n & 63] : '=';
  }
  return "=?UTF-8?b?" + b + "?=";
}

// RFC 2045 quoted-printable with CRLF line ends and soft breaks before 76 columns.
std::string QuotedPrintable(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? text.npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      std::string enc;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
        enc = std::string(1, static_cast<char>(c));
      } else {
        enc = fmt::format("={:02X}", c);
      }
      if (col + enc.size() > 75) {
        out += "=\r\n";
        col = 0;
      }
      out += enc;
      col += enc.size();
    }
    if (nl == std::string_view::npos) break;
    out += "\r\n";
    start = nl + 1;
  }
  return out;
}

// The address of "Name <a@b>" or "a@b".
std::string Address(std::string_view s) {
  std::size_t lt = s.rfind('<');
  std::size_t gt = s.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    return std::string(s.substr(lt + 1, gt - lt - 1));
  }
  std::size_t a = s.find_first_not_of(" \t");
  std::size_t b = s.find_last_not_of(" \t");
  return a == std::string_view::npos ? "" : std::string(s.substr(a, b - a + 1));
}

// The addresses of a To list: comma-separated, commas inside quotes ignored.
std::vector<std::string> AddressList(std::string_view s) {
  std::vector<std::string> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] == '"') quoted = !quoted;
    if (i == s.size() || (s[i] == ',' && !quoted)) {
      std::string a = Address(s.substr(start, i - start));
      if (!a.empty()) out.push_back(a);
      start = i + 1;
    }
  }
  return out;
}

// RFC 5322 date in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
std::string MailDate(std::int64_t ms) {
  auto tt = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string RandomHex(int bytes) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string out;
  for (int i = 0; i < bytes; ++i) out += fmt::format("{:02x}", static_cast<unsigned>(rng() & 0xff));
  return out;
}

std::string Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

struct Upload {
  std::string_view data;
  std::size_t pos = 0;
};

std::size_t ReadBody(char* ptr, std::size_t size, std::size_t nmemb, void* userp) {
  auto* u = static_cast<Upload*>(userp);
  std::size_t n = std::min(size * nmemb, u->data.size() - u->pos);
  std::memcpy(ptr, u->data.data() + u->pos, n);
  u->pos += n;
  return n;
}

void CurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

class Email : public Integration {
 public:
  Email(config::EmailConfig c, std::shared_ptr<const NotifyTemplates> t)
      : c_(std::move(c)), templates_(std::move(t)) {}
  std::string_view kind() const override { return "email"; }
  bool send_resolved() const override { return c_.send_resolved; }

  Status Notify(const Notification& n) override {
    std::int64_t now = n.now_ms != 0 ? n.now_ms : static_cast<std::int64_t>(std::time(nullptr)) * 1000;
    std::string id = fmt::format("<{}.{}@{}>", now, RandomHex(8), Hostname());
    auto msg = BuildEmail(c_, *templates_, n, id, now);
    if (!msg.ok()) return msg.status();
    return Send(*msg);
  }

 private:
  Status Send(const EmailMessage& msg) const {
    auto password = ValueOrFile(c_.auth_password, c_.auth_password_file, "smtp auth_password");
    if (!password.ok()) return password.status();
    CurlGlobalInit();
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Status::Internal("cannot notify email: cannot create a curl handle");
    std::size_t colon = c_.smarthost.rfind(':');
    bool implicit_tls = colon != std::string::npos && c_.smarthost.substr(colon + 1) == "465";
    std::string url = fmt::format("{}://{}/{}", implicit_tls ? "smtps" : "smtp", c_.smarthost,
                                  c_.hello.empty() ? "localhost" : c_.hello);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(kDefaultTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     static_cast<long>(c_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    if (c_.tls_config.insecure_skip_verify) {
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!c_.tls_config.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, c_.tls_config.ca_file.c_str());
    if (!c_.tls_config.cert_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, c_.tls_config.cert_file.c_str());
    if (!c_.tls_config.key_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, c_.tls_config.key_file.c_str());
    std::string secret;
    if (!c_.auth_username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, c_.auth_username.c_str());
      if (!password->empty()) {
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password->c_str());
      } else if (!c_.auth_secret.empty()) {
        curl_easy_setopt(curl, CURLOPT_PASSWORD, c_.auth_secret.c_str());
        curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, "AUTH=CRAM-MD5");
      }
      if (!c_.auth_identity.empty()) curl_easy_setopt(curl, CURLOPT_SASL_AUTHZID, c_.auth_identity.c_str());
    }
    std::string from = "<" + msg.from + ">";
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_slist* rcpt = nullptr;
    for (const std::string& to : msg.to) rcpt = curl_slist_append(rcpt, ("<" + to + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    Upload up{msg.data};
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    char err[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
    CURLcode rc = curl_easy_perform(curl);
    long smtp_code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &smtp_code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK) return Status::Ok();
    std::string msg_text = fmt::format("cannot notify email via {}: {}{}{}", c_.smarthost,
                                       curl_easy_strerror(rc), err[0] ? ": " : "", err);
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT: return Status::Timeout(msg_text);
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
      case CURLE_LOGIN_DENIED: return Status::BadData(msg_text);
      default:
        // A permanent SMTP rejection (5xx) will not succeed on retry.
        if (smtp_code >= 500 && smtp_code < 600) return Status::BadData(msg_text);
        return Status::Unavailable(msg_text);
    }
  }

  config::EmailConfig c_;
  std::shared_ptr<const NotifyTemplates> templates_;
};

}  // namespace

Result<EmailMessage> BuildEmail(const config::EmailConfig& c, const NotifyTemplates& t,
                                const Notification& n, const std::string& message_id,
                                std::int64_t date_ms) {
  static const std::string kSubject = R"({{ template "email.default.subject" . }})";
  static const std::string kHtml = R"({{ template "email.default.html" . }})";
  static const std::string kText = R"({{ template "email.default.text" . }})";
  Expander e(t, n);
  // Header names are case-insensitive; the configured ones win over the defaults.
  std::map<std::string, std::pair<std::string, std::string>> headers;  // lower -> (name, value)
  auto lower = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  headers["from"] = {"From", c.from};
  headers["to"] = {"To", c.to};
  headers["subject"] = {"Subject", kSubject};
  for (const auto& [k, v] : c.headers) headers[lower(k)] = {k, v};
  std::vector<std::pair<std::string, std::string>> expanded;
  for (const auto& [k, nv] : headers) expanded.push_back({nv.first, e.Expand(nv.second)});
  std::string text = e.Expand(Or(c.text, kText));
  std::string html = e.Expand(Or(c.html, kHtml), /*html=*/true);
  if (!e.status().ok()) return e.status();

  EmailMessage m;
  for (const auto& [k, v] : expanded) {
    if (lower(k) == "from") m.from = Address(v);
    if (lower(k) == "to") m.to = AddressList(v);
  }
  if (m.from.empty()) return Status::BadData("cannot notify email: no from address");
  if (m.to.empty()) return Status::BadData("cannot notify email: no to address");

  std::string boundary = "hw-" + GroupKeyHash(message_id).substr(0, 24);
  std::string& d = m.data;
  for (const auto& [k, v] : expanded) d += k + ": " + HeaderValue(v) + "\r\n";
  d += "Message-Id: " + message_id + "\r\n";
  d += "Date: " + MailDate(date_ms) + "\r\n";
  d += "MIME-Version: 1.0\r\n";
  d += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  auto part = [&](std::string_view type, std::string_view body) {
    d += "--" + boundary + "\r\n";
    d += "Content-Transfer-Encoding: quoted-printable\r\n";
    d += fmt::format("Content-Type: {}; charset=UTF-8\r\n\r\n", type);
    d += QuotedPrintable(body);
    d += "\r\n";
  };
  if (!text.empty()) part("text/plain", text);
  if (!html.empty()) part("text/html", html);
  d += "--" + boundary + "--\r\n";
  return m;
}

std::unique_ptr<Integration> NewEmail(config::EmailConfig c,
                                      std::shared_ptr<const NotifyTemplates> t) {
  return std::make_unique<Email>(std::move(c), std::move(t));
}

}  // namespace hw::alerting::integrations
