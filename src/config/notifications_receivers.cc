// `receivers` of the notifications section (Alertmanager's receiver configs): webhook,
// email, Slack and PagerDuty, each with Alertmanager's keys, defaults and checks
// (config/notifiers.go, 0.25-0.27), plus the http_config they share. Settings a
// receiver leaves out come from `global`, as Alertmanager fills them at load, so the
// notifiers never look at `global` again.
#include <set>

#include <fmt/format.h>

#include "config/sections.h"

namespace hw::config {
namespace {

// Receiver types and keys Alertmanager has that hastewatch does not deliver yet: named
// as such instead of "unknown key", so a working alertmanager.yml fails with a reason.
constexpr std::string_view kUnsupportedReceivers[] = {
    "opsgenie_configs",   "victorops_configs",  "wechat_configs", "pushover_configs",
    "sns_configs",        "telegram_configs",   "webex_configs",  "discord_configs",
    "msteams_configs",    "msteamsv2_configs",  "jira_configs",   "rocketchat_configs",
    "incidentio_configs", "mattermost_configs",
};

// Rejects `key` unless it is absent or an empty list: options hastewatch does not
// implement (Slack actions, PagerDuty images and links) never silently vanish.
void RejectUnsupportedList(MapReader& r, std::string_view key, std::string_view what) {
  YAML::Node n = r.Take(key);
  if (!n.IsDefined() || n.IsNull() || (n.IsSequence() && n.size() == 0)) return;
  r.ctx().Error(n, JoinPath(r.path(), key),
                fmt::format("{} are not supported yet by hastewatch; remove the key", what));
}

// A secret given inline or in a file (`key` / `key_file`): at most one of them.
void ReadSecretPair(MapReader& r, std::string_view key, const std::string& base_dir,
                    std::string* value, std::string* file) {
  r.String(key, value);
  std::string file_key = fmt::format("{}_file", key);
  if (r.String(file_key, file)) *file = ResolvePath(base_dir, *file);
  if (!value->empty() && !file->empty()) {
    r.ctx().Error(r.Take(file_key), r.path(),
                  fmt::format("at most one of {} & {} must be configured", key, file_key));
  }
}

// A URL key checked as Alertmanager's URL type; "<secret>" (a config printed by the
// API) is accepted for secret URLs as Alertmanager does.
bool ReadUrl(MapReader& r, std::string_view key, bool secret, std::string* out) {
  if (!r.String(key, out)) return false;
  if (secret && *out == "<secret>") return true;
  std::string problem = CheckAmUrl(*out);
  if (problem.empty()) return true;
  r.ctx().Error(r.Take(key), JoinPath(r.path(), key), problem);
  return false;
}

// Every receiver type's `http_config`; when absent the receiver uses global.http_config.
void ReadReceiverHttp(MapReader& r, const AmGlobalConfig& global, const std::string& base_dir,
                      HttpClientConfig* out) {
  YAML::Node n = r.Take("http_config");
  *out = global.http_config;
  if (n.IsDefined() && !n.IsNull()) {
    *out = HttpClientConfig{};
    ReadAmHttpConfig(n, JoinPath(r.path(), "http_config"), base_dir, r.ctx(), out);
  }
}

void ReadWebhook(const YAML::Node& node, const std::string& path, const AmGlobalConfig& global,
                 const std::string& base_dir, YamlContext& ctx, WebhookConfig* c) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  r.Bool("send_resolved", &c->send_resolved);
  // A plain URL in Alertmanager 0.25 (amtool rejects "<secret>" here).
  ReadUrl(r, "url", /*secret=*/false, &c->url);
  if (r.String("url_file", &c->url_file)) c->url_file = ResolvePath(base_dir, c->url_file);
  if (c->url.empty() && c->url_file.empty() && !r.Has("url")) {
    ctx.Error(node, path, "one of url or url_file must be configured");
  } else if (!c->url.empty() && !c->url_file.empty()) {
    ctx.Error(r.Take("url_file"), path, "at most one of url & url_file must be configured");
  }
  r.Int("max_alerts", &c->max_alerts, 0, std::numeric_limits<std::int64_t>::max());
  if (r.Duration("timeout", &c->timeout) && c->timeout.count() < 0) {
    ctx.Error(r.Take("timeout"), JoinPath(path, "timeout"), "must not be negative");
  }
  ReadReceiverHttp(r, global, base_dir, &c->http_config);
  r.Finish();
}

// strings.Title as Alertmanager applies it to header names: each word's first letter
// upper-cased ("x-mailer" -> "X-Mailer").
std::string TitleCase(std::string_view s) {
  std::string out(s);
  bool start = true;
  for (char& ch : out) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (start && std::isalpha(c)) ch = static_cast<char>(std::toupper(c));
    start = !(std::isalnum(c) || c == '_' || c >= 0x80);
  }
  return out;
}

void ReadEmail(const YAML::Node& node, const std::string& path, const AmGlobalConfig& global,
               const std::string& base_dir, YamlContext& ctx, EmailConfig* c) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  c->html = R"({{ template "email.default.html" . }})";
  r.Bool("send_resolved", &c->send_resolved);
  if (!r.String("to", &c->to) || c->to.empty()) {
    ctx.Error(node, path, "missing to address in email config");
  }
  r.String("from", &c->from);
  r.String("hello", &c->hello);
  if (r.String("smarthost", &c->smarthost) && !c->smarthost.empty()) {
    std::string problem = CheckAmHostPort(c->smarthost);
    if (!problem.empty()) ctx.Error(r.Take("smarthost"), JoinPath(path, "smarthost"), problem);
  }
  r.String("auth_username", &c->auth_username);
  ReadSecretPair(r, "auth_password", base_dir, &c->auth_password, &c->auth_password_file);
  r.String("auth_secret", &c->auth_secret);
  r.String("auth_identity", &c->auth_identity);
  bool require_tls_set = r.Bool("require_tls", &c->require_tls);
  YAML::Node tls = r.Take("tls_config");
  if (tls.IsDefined() && !tls.IsNull()) {
    ReadTls(tls, JoinPath(path, "tls_config"), base_dir, ctx, &c->tls_config);
  }
  YAML::Node headers = r.Take("headers");
  MapReader hr(ctx, headers, JoinPath(path, "headers"));
  if (hr.is_map()) {
    for (const auto& kv : headers) {
      if (!kv.first.IsScalar()) continue;
      std::string name = TitleCase(kv.first.Scalar());
      std::string value;
      hr.String(kv.first.Scalar(), &value);
      if (!c->headers.emplace(name, value).second) {
        ctx.Error(kv.first, JoinPath(path, "headers"),
                  fmt::format("duplicate header \"{}\" in email config", name));
      }
    }
  }
  r.String("html", &c->html);
  r.String("text", &c->text);
  r.Finish();

  // Alertmanager's defaulting from `global` (config.go, Config.UnmarshalYAML).
  if (c->smarthost.empty()) {
    if (global.smtp_smarthost.empty()) {
      ctx.Error(node, path, "no global SMTP smarthost set");
    }
    c->smarthost = global.smtp_smarthost;
  }
  if (c->from.empty()) {
    if (global.smtp_from.empty()) ctx.Error(node, path, "no global SMTP from set");
    c->from = global.smtp_from;
  }
  if (c->hello.empty()) c->hello = global.smtp_hello;
  if (c->auth_username.empty()) c->auth_username = global.smtp_auth_username;
  if (c->auth_password.empty() && c->auth_password_file.empty()) {
    c->auth_password = global.smtp_auth_password;
    c->auth_password_file = global.smtp_auth_password_file;
  }
  if (c->auth_secret.empty()) c->auth_secret = global.smtp_auth_secret;
  if (c->auth_identity.empty()) c->auth_identity = global.smtp_auth_identity;
  if (!require_tls_set) c->require_tls = global.smtp_require_tls;
  // The email notifier's header defaults, filled here so the notifier has one map.
  c->headers.emplace("Subject", R"({{ template "email.default.subject" . }})");
  c->headers.emplace("To", c->to);
  c->headers.emplace("From", c->from);
}

void ReadSlack(const YAML::Node& node, const std::string& path, const AmGlobalConfig& global,
               const std::string& base_dir, YamlContext& ctx, SlackConfig* c) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  // DefaultSlackConfig.
  c->color = R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})";
  c->username = R"({{ template "slack.default.username" . }})";
  c->title = R"({{ template "slack.default.title" . }})";
  c->title_link = R"({{ template "slack.default.titlelink" . }})";
  c->icon_emoji = R"({{ template "slack.default.iconemoji" . }})";
  c->icon_url = R"({{ template "slack.default.iconurl" . }})";
  c->pretext = R"({{ template "slack.default.pretext" . }})";
  c->text = R"({{ template "slack.default.text" . }})";
  c->fallback = R"({{ template "slack.default.fallback" . }})";
  c->callback_id = R"({{ template "slack.default.callbackid" . }})";
  c->footer = R"({{ template "slack.default.footer" . }})";
  r.Bool("send_resolved", &c->send_resolved);
  ReadUrl(r, "api_url", /*secret=*/true, &c->api_url);
  if (r.String("api_url_file", &c->api_url_file)) {
    c->api_url_file = ResolvePath(base_dir, c->api_url_file);
  }
  if (!c->api_url.empty() && !c->api_url_file.empty()) {
    ctx.Error(r.Take("api_url_file"), path,
              "at most one of api_url & api_url_file must be configured");
  }
  for (auto [key, field] : std::initializer_list<std::pair<std::string_view, std::string*>>{
           {"channel", &c->channel},
           {"username", &c->username},
           {"color", &c->color},
           {"title", &c->title},
           {"title_link", &c->title_link},
           {"pretext", &c->pretext},
           {"text", &c->text},
           {"footer", &c->footer},
           {"fallback", &c->fallback},
           {"callback_id", &c->callback_id},
           {"icon_emoji", &c->icon_emoji},
           {"icon_url", &c->icon_url},
           {"image_url", &c->image_url},
           {"thumb_url", &c->thumb_url}}) {
    r.String(key, field);
  }
  r.Bool("short_fields", &c->short_fields);
  r.Bool("link_names", &c->link_names);
  std::vector<bool> short_given;
  r.List("fields", [&](const YAML::Node& item, const std::string& p) {
    MapReader fr(ctx, item, p);
    SlackField f;
    fr.String("title", &f.title);
    fr.String("value", &f.value);
    short_given.push_back(fr.Bool("short", &f.short_field));
    if (fr.is_map() && f.title.empty()) {
      ctx.Error(item, p, "missing title in Slack field configuration");
    } else if (fr.is_map() && f.value.empty()) {
      ctx.Error(item, p, "missing value in Slack field configuration");
    }
    fr.Finish();
    c->fields.push_back(std::move(f));
  });
  for (size_t i = 0; i < c->fields.size(); ++i) {
    if (!short_given[i]) c->fields[i].short_field = c->short_fields;
  }
  bool mrkdwn_set = r.List("mrkdwn_in", [&](const YAML::Node& item, const std::string& p) {
    std::string s;
    if (ReadScalarString(ctx, item, p, &s)) c->mrkdwn_in.push_back(s);
  });
  if (!mrkdwn_set) c->mrkdwn_in = {"fallback", "pretext", "text"};
  RejectUnsupportedList(r, "actions", "Slack message actions");
  ReadReceiverHttp(r, global, base_dir, &c->http_config);
  r.Finish();
  if (c->api_url.empty() && c->api_url_file.empty()) {
    if (global.slack_api_url.empty() && global.slack_api_url_file.empty()) {
      ctx.Error(node, path, "no global Slack API URL set either inline or in a file");
    }
    c->api_url = global.slack_api_url;
    c->api_url_file = global.slack_api_url_file;
  }
}

void ReadPagerduty(const YAML::Node& node, const std::string& path, const AmGlobalConfig& global,
                   const std::string& base_dir, YamlContext& ctx, PagerdutyConfig* c) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  // DefaultPagerdutyConfig.
  c->description = R"({{ template "pagerduty.default.description" .}})";
  c->client = R"({{ template "pagerduty.default.client" . }})";
  c->client_url = R"({{ template "pagerduty.default.clientURL" . }})";
  c->severity = "error";
  r.Bool("send_resolved", &c->send_resolved);
  ReadSecretPair(r, "routing_key", base_dir, &c->routing_key, &c->routing_key_file);
  ReadSecretPair(r, "service_key", base_dir, &c->service_key, &c->service_key_file);
  if (c->routing_key.empty() && c->routing_key_file.empty() && c->service_key.empty() &&
      c->service_key_file.empty()) {
    ctx.Error(node, path, "missing service or routing key in PagerDuty config");
  }
  bool url_set = ReadUrl(r, "url", /*secret=*/false, &c->url);
  for (auto [key, field] : std::initializer_list<std::pair<std::string_view, std::string*>>{
           {"client", &c->client},
           {"client_url", &c->client_url},
           {"description", &c->description},
           {"severity", &c->severity},
           {"class", &c->class_},
           {"component", &c->component},
           {"group", &c->group},
           {"source", &c->source}}) {
    r.String(key, field);
  }
  YAML::Node details = r.Take("details");
  MapReader dr(ctx, details, JoinPath(path, "details"));
  if (dr.is_map()) {
    for (const auto& kv : details) {
      if (!kv.first.IsScalar()) continue;
      dr.String(kv.first.Scalar(), &c->details[kv.first.Scalar()]);
    }
  }
  // DefaultPagerdutyDetails, for the keys the config leaves out.
  c->details.emplace("firing", R"({{ template "pagerduty.default.instances" .Alerts.Firing }})");
  c->details.emplace("resolved",
                     R"({{ template "pagerduty.default.instances" .Alerts.Resolved }})");
  c->details.emplace("num_firing", "{{ .Alerts.Firing | len }}");
  c->details.emplace("num_resolved", "{{ .Alerts.Resolved | len }}");
  if (c->source.empty()) c->source = c->client_url;
  RejectUnsupportedList(r, "images", "PagerDuty images");
  RejectUnsupportedList(r, "links", "PagerDuty links");
  ReadReceiverHttp(r, global, base_dir, &c->http_config);
  r.Finish();
  if (!url_set) c->url = global.pagerduty_url;
}

void ReadReceiver(const YAML::Node& node, const std::string& path, const AmGlobalConfig& global,
                  const std::string& base_dir, YamlContext& ctx, ReceiverConfig* c) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  if (!r.String("name", &c->name) || c->name.empty()) {
    ctx.Error(node, path, "missing name in receiver");
  }
  r.List("webhook_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadWebhook(item, p, global, base_dir, ctx, &c->webhook_configs.emplace_back());
  });
  r.List("email_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadEmail(item, p, global, base_dir, ctx, &c->email_configs.emplace_back());
  });
  r.List("slack_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadSlack(item, p, global, base_dir, ctx, &c->slack_configs.emplace_back());
  });
  r.List("pagerduty_configs", [&](const YAML::Node& item, const std::string& p) {
    ReadPagerduty(item, p, global, base_dir, ctx, &c->pagerduty_configs.emplace_back());
  });
  for (std::string_view key : kUnsupportedReceivers) {
    YAML::Node n = r.Take(key);
    if (!n.IsDefined() || n.IsNull() || (n.IsSequence() && n.size() == 0)) continue;
    ctx.Error(n, JoinPath(path, key),
              "receiver type not supported yet by hastewatch (supported: webhook_configs, "
              "email_configs, slack_configs, pagerduty_configs)");
  }
  r.Finish();
}

}  // namespace

std::string CheckAmHostPort(std::string_view s) {
  std::string_view port;
  if (s.starts_with('[')) {
    size_t end = s.find(']');
    if (end == std::string_view::npos) return fmt::format("address {}: missing ']' in address", s);
    if (end + 1 >= s.size() || s[end + 1] != ':') {
      return fmt::format("address {}: missing port in address", s);
    }
    port = s.substr(end + 2);
  } else {
    size_t colon = s.rfind(':');
    if (colon == std::string_view::npos)
      return fmt::format("address {}: missing port in address", s);
    if (s.substr(0, colon).find(':') != std::string_view::npos) {
      return fmt::format("address {}: too many colons in address", s);
    }
    port = s.substr(colon + 1);
  }
  if (port.empty()) return fmt::format("address \"{}\": port cannot be empty", s);
  return "";
}

std::string CheckAmUrl(std::string_view url) {
  size_t colon = url.find(':');
  std::string_view scheme;
  // Go's url.Parse: a scheme is letters, digits, + - . before the first ':'.
  if (colon != std::string_view::npos && colon > 0 &&
      std::isalpha(static_cast<unsigned char>(url[0]))) {
    scheme = url.substr(0, colon);
    for (char ch : scheme) {
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '+' && ch != '-' && ch != '.') {
        scheme = {};
        break;
      }
    }
  }
  std::string lower(scheme);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower != "http" && lower != "https") {
    return fmt::format("unsupported scheme \"{}\" for URL", lower);
  }
  std::string_view rest = url.substr(colon + 1);
  if (!rest.starts_with("//")) return "missing host for URL";
  rest.remove_prefix(2);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.empty()) return "missing host for URL";
  return "";
}

void ReadAmHttpConfig(const YAML::Node& node, const std::string& path, const std::string& base_dir,
                      YamlContext& ctx, HttpClientConfig* out) {
  MapReader r(ctx, node, path);
  if (!r.is_map()) return;
  ReadHttpAuth(r, path, base_dir, ctx, &out->basic_auth, &out->authorization);
  YAML::Node tls = r.Take("tls_config");
  if (tls.IsDefined() && !tls.IsNull()) {
    ReadTls(tls, JoinPath(path, "tls_config"), base_dir, ctx, &out->tls_config);
  }
  if (r.String("proxy_url", &out->proxy_url) && !out->proxy_url.empty()) {
    std::string problem = CheckAmUrl(out->proxy_url);
    if (!problem.empty()) ctx.Error(r.Take("proxy_url"), JoinPath(path, "proxy_url"), problem);
  }
  // Accepted for compatibility: hastewatch's client follows redirects and speaks
  // HTTP/1.1, so neither setting changes what it does.
  bool ignored = false;
  r.Bool("follow_redirects", &ignored);
  r.Bool("enable_http2", &ignored);
  for (std::string_view key :
       {"oauth2", "no_proxy", "proxy_from_environment", "proxy_connect_header"}) {
    YAML::Node n = r.Take(key);
    if (n.IsDefined() && !n.IsNull()) {
      ctx.Error(n, JoinPath(path, key), "not supported yet by hastewatch; remove the key");
    }
  }
  r.Finish();
}

void ReadAmReceivers(const YAML::Node& node, const std::string& path, const AmGlobalConfig& global,
                     const std::string& base_dir, YamlContext& ctx,
                     std::vector<ReceiverConfig>* out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsSequence()) {
    ctx.Error(node, path, "expected a list of receivers");
    return;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string p = fmt::format("{}[{}]", path, i);
    ReceiverConfig c;
    ReadReceiver(node[i], p, global, base_dir, ctx, &c);
    if (!c.name.empty() && !names.insert(c.name).second) {
      ctx.Error(node[i]["name"], JoinPath(p, "name"),
                fmt::format("notification config name \"{}\" is not unique", c.name));
    }
    out->push_back(std::move(c));
  }
}

}  // namespace hw::config
