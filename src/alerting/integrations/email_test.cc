// The email integration against a real SMTP server: Debian's python3-aiosmtpd, started
// by the test on a free loopback port (skipped when it is not installed). The server
// writes each delivered message, its decoded headers and text parts to files.
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "alerting/integrations.h"
#include "alerting/integrations/payloads.h"

extern char** environ;

namespace hw::alerting {
namespace {

using namespace std::chrono_literals;

constexpr char kServer[] = R"PY(
import email, email.policy, os, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, out, cert, key, user, password = sys.argv[1:7]

class Handler:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(out) if f.endswith('.eml')])
        base = os.path.join(out, 'msg%d' % n)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with open(base + '.info', 'w') as f:
            f.write('mail_from: %s\n' % envelope.mail_from)
            f.write('rcpt_tos: %s\n' % ','.join(envelope.rcpt_tos))
            f.write('tls: %s\n' % bool(session.ssl))
            f.write('authenticated: %s\n' % bool(session.authenticated))
            for k, v in msg.items():
                f.write('%s: %s\n' % (k, v))
        with open(base + '.parts', 'w') as f:
            for part in msg.walk():
                if part.get_content_maintype() == 'text':
                    f.write('=== %s\n%s' % (part.get_content_type(), part.get_content()))
        with open(base + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        os.rename(base + '.tmp', base + '.eml')
        return '250 OK'

def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
          and auth_data.password == password.encode())
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

ctx = None
if cert:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
kwargs = dict(hostname='127.0.0.1', port=int(port))
if ctx:
    kwargs.update(tls_context=ctx, require_starttls=True)
if user:
    kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=bool(ctx))
controller = Controller(Handler(), **kwargs)
controller.start()
open(os.path.join(out, 'ready'), 'w').close()
while True:
    time.sleep(1)
)PY";

// The python3 that has aiosmtpd (Debian's, not necessarily the first on PATH), or "".
std::string FindPython() {
  for (const char* py : {"/usr/bin/python3", "python3"}) {
    std::string cmd = std::string(py) + " -c 'import aiosmtpd' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return py;
  }
  return "";
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

// The file's text with CRLF read as LF.
std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  std::erase(s, '\r');
  return s;
}

bool WaitForFile(const std::string& path) {
  for (int i = 0; i < 1000 && !std::filesystem::exists(path); ++i) std::this_thread::sleep_for(10ms);
  return std::filesystem::exists(path);
}

class SmtpServer {
 public:
  // tls: STARTTLS with a fresh self-signed certificate (required by the server).
  SmtpServer(const std::string& python, bool tls, std::string user = "", std::string password = "") {
    dir_ = testing::TempDir() + "/smtp_" + std::to_string(getpid()) + "_" + std::to_string(counter_++);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/out");
    std::ofstream(dir_ + "/server.py") << kServer;
    std::string cert, key;
    if (tls) {
      cert = dir_ + "/cert.pem";
      key = dir_ + "/key.pem";
      std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                        "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " + key +
                        " -out " + cert + " >/dev/null 2>&1";
      ok_ = std::system(cmd.c_str()) == 0;
      if (!ok_) return;
    }
    port_ = FreePort();
    std::vector<std::string> args = {python, dir_ + "/server.py", std::to_string(port_), dir_ + "/out",
                                     cert, key, user, password};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ok_ = posix_spawnp(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) == 0 &&
          WaitForFile(dir_ + "/out/ready");
  }
  ~SmtpServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  bool ok() const { return ok_; }
  std::string smarthost() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string cert() const { return dir_ + "/cert.pem"; }
  // The n-th delivered message's files: "eml", "info", "parts".
  std::string Message(int n, const char* ext) const {
    std::string base = dir_ + "/out/msg" + std::to_string(n);
    if (!WaitForFile(base + ".eml")) return "";
    return ReadFile(base + "." + ext);
  }

 private:
  static inline int counter_ = 0;
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool ok_ = false;
};

Notification Sample() {
  Notification n;
  n.receiver = "ops";
  n.group_key = "{}:{alertname=\"DiskFull\"}";
  n.group_labels = model::Labels::FromPairs({{"alertname", "DiskFull"}});
  model::Alert a;
  a.labels = model::Labels::FromPairs({{"alertname", "DiskFull"}, {"instance", "db-1"}});
  a.annotations = {{"summary", "Disk on db-1 is 97% full"},
                   {"description", "Free space < 3% on /var/lib/postgresql"},
                   {"runbook_url", "/runbooks/disk-full.md"}};
  a.starts_at_ms = 1'780'000'000'000;
  n.alerts.push_back(a);
  n.now_ms = 1'780'000'600'000;
  n.external_url = "https://hw.example.com";
  return n;
}

class EmailTest : public testing::Test {
 protected:
  void SetUp() override {
    python_ = FindPython();
    if (python_.empty()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  }
  std::string python_;
};

TEST_F(EmailTest, DeliversMultipartMessageOverStartTlsWithAuth) {
  SmtpServer smtp(python_, /*tls=*/true, "alerts", "s3cret");
  if (!smtp.ok()) GTEST_SKIP() << "cannot start aiosmtpd with TLS (openssl missing?)";
  config::AmGlobalConfig g;
  g.smtp_smarthost = smtp.smarthost();
  g.smtp_from = "Hastewatch <hw@example.com>";
  g.smtp_auth_username = "alerts";
  g.smtp_auth_password = "s3cret";
  config::ReceiverConfig r;
  r.name = "ops";
  auto& c = r.email_configs.emplace_back();
  c.to = "Ops Team <ops@example.com>, oncall@example.com";
  c.tls_config.ca_file = smtp.cert();
  c.headers = {{"X-Team", "{{ .GroupLabels.alertname }}-team"}};
  auto built = BuildIntegrations(r, g, NotifyTemplates::Defaults());
  ASSERT_TRUE(built.ok()) << built.status().message();
  ASSERT_EQ(built->size(), 1u);
  Status s = (*built)[0]->Notify(Sample());
  ASSERT_TRUE(s.ok()) << s.message();

  std::string info = smtp.Message(0, "info");
  EXPECT_NE(info.find("mail_from: hw@example.com\n"), std::string::npos) << info;
  EXPECT_NE(info.find("rcpt_tos: ops@example.com,oncall@example.com\n"), std::string::npos) << info;
  EXPECT_NE(info.find("tls: True\n"), std::string::npos) << info;
  EXPECT_NE(info.find("authenticated: True\n"), std::string::npos) << info;
  EXPECT_NE(info.find("From: Hastewatch <hw@example.com>\n"), std::string::npos) << info;
  EXPECT_NE(info.find("To: Ops Team <ops@example.com>, oncall@example.com\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Subject: [FIRING:1] DiskFull (db-1): Disk on db-1 is 97% full | runbook: "
                      "https://hw.example.com/runbooks/disk-full.md\n"),
            std::string::npos)
      << info;
  EXPECT_NE(info.find("X-Team: DiskFull-team\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Message-Id: <1780000600000."), std::string::npos) << info;
  EXPECT_NE(info.find("Date: Thu, 28 May 2026 20:36:40 +0000\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Content-Type: multipart/alternative;"), std::string::npos) << info;

  std::string parts = smtp.Message(0, "parts");
  std::size_t text = parts.find("=== text/plain\n");
  std::size_t html = parts.find("=== text/html\n");
  ASSERT_NE(text, std::string::npos) << parts;
  ASSERT_NE(html, std::string::npos) << parts;
  ASSERT_LT(text, html);
  std::string text_part = parts.substr(text, html - text);
  std::string html_part = parts.substr(html);
  EXPECT_NE(text_part.find("- DiskFull: Disk on db-1 is 97% full\n"
                           "  Description: Free space < 3% on /var/lib/postgresql\n"
                           "  Runbook: https://hw.example.com/runbooks/disk-full.md\n"),
            std::string::npos)
      << text_part;
  EXPECT_NE(html_part.find("<a href=\"https://hw.example.com/runbooks/disk-full.md\">"), std::string::npos)
      << html_part;
  EXPECT_NE(html_part.find("Free space &lt; 3% on /var/lib/postgresql"), std::string::npos) << html_part;
  // Quoted-printable on the wire keeps lines short.
  std::string raw = smtp.Message(0, "eml");
  EXPECT_NE(raw.find("Content-Transfer-Encoding: quoted-printable"), std::string::npos);
  std::istringstream lines(raw);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 200u) << line;
}

TEST_F(EmailTest, WrongPasswordIsPermanentAndPlainServerFailsRequireTls) {
  {
    SmtpServer smtp(python_, /*tls=*/true, "alerts", "s3cret");
    if (!smtp.ok()) GTEST_SKIP() << "cannot start aiosmtpd with TLS";
    config::ReceiverConfig r;
    auto& c = r.email_configs.emplace_back();
    c.to = "ops@example.com";
    c.from = "hw@example.com";
    c.smarthost = smtp.smarthost();
    c.auth_username = "alerts";
    c.auth_password = "wrong";
    c.tls_config.insecure_skip_verify = true;
    auto built = BuildIntegrations(r, config::AmGlobalConfig{}, nullptr);
    ASSERT_TRUE(built.ok());
    Status s = (*built)[0]->Notify(Sample());
    EXPECT_EQ(s.code(), StatusCode::kBadData) << s.message();
  }
  SmtpServer plain(python_, /*tls=*/false);
  ASSERT_TRUE(plain.ok());
  config::ReceiverConfig r;
  auto& c = r.email_configs.emplace_back();
  c.to = "ops@example.com";
  c.from = "hw@example.com";
  c.smarthost = plain.smarthost();
  auto built = BuildIntegrations(r, config::AmGlobalConfig{}, nullptr);
  ASSERT_TRUE(built.ok());
  Status s = (*built)[0]->Notify(Sample());  // require_tls, but no STARTTLS offered
  EXPECT_FALSE(s.ok());
  // Without require_tls it is delivered in the clear, with a custom text part.
  r.email_configs[0].require_tls = false;
  r.email_configs[0].text = "{{ range .Alerts }}{{ .Annotations.summary }} -> {{ .RunbookURL }}{{ end }}";
  built = BuildIntegrations(r, config::AmGlobalConfig{}, nullptr);
  ASSERT_TRUE(built.ok());
  s = (*built)[0]->Notify(Sample());
  ASSERT_TRUE(s.ok()) << s.message();
  std::string parts = plain.Message(0, "parts");
  EXPECT_NE(parts.find("=== text/plain\nDisk on db-1 is 97% full -> https://hw.example.com/runbooks/disk-full.md"),
            std::string::npos)
      << parts;
  EXPECT_NE(plain.Message(0, "info").find("tls: False"), std::string::npos);
}

TEST(EmailMessageTest, HeadersAreEncodedAndBodiesQuotedPrintable) {
  config::EmailConfig c;
  c.to = "ops@example.com";
  c.from = "hw@example.com";
  c.headers = {{"Subject", "Störung {{ .GroupLabels.alertname }}\r\nBcc: evil@example.com"}};
  c.text = std::string(100, 'x') + "=";
  auto m = integrations::BuildEmail(c, *NotifyTemplates::Defaults(), Sample(), "<id@h>", 1'780'000'600'000);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_NE(m->data.find("Subject: =?UTF-8?b?"), std::string::npos) << m->data;
  EXPECT_EQ(m->data.find("\r\nBcc:"), std::string::npos) << m->data;
  EXPECT_NE(m->data.find(std::string(75, 'x') + "=\r\n" + std::string(25, 'x') + "=3D\r\n"), std::string::npos)
      << m->data;
  EXPECT_EQ(m->from, "hw@example.com");
  EXPECT_EQ(m->to, std::vector<std::string>{"ops@example.com"});
}

}  // namespace
}  // namespace hw::alerting
