// The Slack integration: an incoming-webhook message with one attachment, shaped as
// Alertmanager's slack notifier sends it:
//
//   {"channel","username","icon_emoji","icon_url","link_names","attachments":[{"title",
//    "title_link","pretext","text","fallback","callback_id","fields":[{"title","value",
//    "short"}],"image_url","thumb_url","footer","color","mrkdwn_in"}]}
//
// omitting empty optional keys as its json tags do (text, fallback, callback_id and
// footer are always present).
#include <array>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include "alerting/integrations/common.h"
#include "alerting/integrations/payloads.h"

namespace hw::alerting::integrations {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
void Opt(Writer& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  Str(w, v);
}

// Slack's limit on attachment titles (Alertmanager's maxTitleLenRunes).
constexpr std::size_t kMaxTitleRunes = 1024;

const std::string& Or(const std::string& v, const std::string& def) { return v.empty() ? def : v; }

class Slack : public Integration {
 public:
  Slack(config::SlackConfig c, std::shared_ptr<const NotifyTemplates> t)
      : c_(std::move(c)), templates_(std::move(t)) {}
  std::string_view kind() const override { return "slack"; }
  bool send_resolved() const override { return c_.send_resolved; }

  Status Notify(const Notification& n) override {
    auto url = ValueOrFile(c_.api_url, c_.api_url_file, "slack api_url");
    if (!url.ok()) return url.status();
    if (url->empty()) return Status::BadData("cannot notify slack: no api_url");
    auto body = SlackPayload(c_, *templates_, n);
    if (!body.ok()) return body.status();
    return Post("slack", *url, *body, "application/json", c_.http_config, Duration(0));
  }

 private:
  config::SlackConfig c_;
  std::shared_ptr<const NotifyTemplates> templates_;
};

}  // namespace

Result<std::string> SlackPayload(const config::SlackConfig& c, const NotifyTemplates& t,
                                 const Notification& n) {
  static const std::string kUsername = R"({{ template "slack.default.username" . }})";
  static const std::string kColor = R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})";
  static const std::string kTitle = R"({{ template "slack.default.title" . }})";
  static const std::string kTitleLink = R"({{ template "slack.default.titlelink" . }})";
  static const std::string kPretext = R"({{ template "slack.default.pretext" . }})";
  static const std::string kText = R"({{ template "slack.default.text" . }})";
  static const std::string kFallback = R"({{ template "slack.default.fallback" . }})";
  static const std::string kCallbackId = R"({{ template "slack.default.callbackid" . }})";
  static const std::string kFooter = R"({{ template "slack.default.footer" . }})";
  static const std::string kIconEmoji = R"({{ template "slack.default.iconemoji" . }})";
  static const std::string kIconUrl = R"({{ template "slack.default.iconurl" . }})";
  Expander e(t, n);
  std::string channel = e.Expand(c.channel);
  std::string username = e.Expand(Or(c.username, kUsername));
  std::string icon_emoji = e.Expand(Or(c.icon_emoji, kIconEmoji));
  std::string icon_url = e.Expand(Or(c.icon_url, kIconUrl));
  std::string title = TruncateRunes(e.Expand(Or(c.title, kTitle)), kMaxTitleRunes);
  std::string title_link = e.Expand(Or(c.title_link, kTitleLink));
  std::string pretext = e.Expand(Or(c.pretext, kPretext));
  std::string text = e.Expand(Or(c.text, kText));
  std::string fallback = e.Expand(Or(c.fallback, kFallback));
  std::string callback_id = e.Expand(Or(c.callback_id, kCallbackId));
  std::string image_url = e.Expand(c.image_url);
  std::string thumb_url = e.Expand(c.thumb_url);
  std::string footer = e.Expand(Or(c.footer, kFooter));
  std::string color = e.Expand(Or(c.color, kColor));
  std::vector<std::array<std::string, 2>> fields;
  for (const config::SlackField& f : c.fields) fields.push_back({e.Expand(f.title), e.Expand(f.value)});
  if (!e.status().ok()) return e.status();

  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Opt(w, "channel", channel);
  Opt(w, "username", username);
  Opt(w, "icon_emoji", icon_emoji);
  Opt(w, "icon_url", icon_url);
  if (c.link_names) {
    w.Key("link_names");
    w.Bool(true);
  }
  w.Key("attachments");
  w.StartArray();
  w.StartObject();
  Opt(w, "title", title);
  Opt(w, "title_link", title_link);
  Opt(w, "pretext", pretext);
  w.Key("text");
  Str(w, text);
  w.Key("fallback");
  Str(w, fallback);
  w.Key("callback_id");
  Str(w, callback_id);
  if (!fields.empty()) {
    w.Key("fields");
    w.StartArray();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      w.StartObject();
      w.Key("title");
      Str(w, fields[i][0]);
      w.Key("value");
      Str(w, fields[i][1]);
      if (c.fields[i].short_field || c.short_fields) {
        w.Key("short");
        w.Bool(true);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  Opt(w, "image_url", image_url);
  Opt(w, "thumb_url", thumb_url);
  w.Key("footer");
  Str(w, footer);
  Opt(w, "color", color);
  std::vector<std::string> mrkdwn_in = c.mrkdwn_in;
  if (mrkdwn_in.empty()) mrkdwn_in = {"fallback", "pretext", "text"};
  w.Key("mrkdwn_in");
  w.StartArray();
  for (const std::string& m : mrkdwn_in) Str(w, m);
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::unique_ptr<Integration> NewSlack(config::SlackConfig c,
                                      std::shared_ptr<const NotifyTemplates> t) {
  return std::make_unique<Slack>(std::move(c), std::move(t));
}

}  // namespace hw::alerting::integrations
