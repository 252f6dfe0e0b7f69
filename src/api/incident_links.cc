#include "api/incident_links.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <variant>

#include "api/html.h"
#include "http/request.h"

namespace hw::api {
namespace {

http::Response Page(int status, const std::string& title, const std::string& body) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>{0} · hastewatch</title>"
      "<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 "
      "1rem}}"
      "button{{font-size:1.2rem;padding:.6rem 1.4rem}}.error{{color:#b32d2e}}"
      "dt{{font-weight:600}}</style></head>\n<body><h1>{0}</h1>\n{1}\n</body></html>\n",
      HtmlEscape(title), body);
  return http::Response::Text(std::move(html), "text/html; charset=utf-8", status);
}

std::string Summary(const incidents::Incident& inc) {
  return fmt::format(
      "<dl><dt>Incident</dt><dd id=\"incident\">#{} {}</dd><dt>Severity</dt><dd id=\"severity\">{}"
      "</dd><dt>State</dt><dd id=\"state\">{}</dd></dl>",
      inc.id, HtmlEscape(inc.title), incidents::SeverityName(inc.severity),
      incidents::StateName(inc.state));
}

// Why the action has nothing to do, or "" when it can be done.
std::string AlreadyDone(const incidents::Incident& inc, std::string_view action) {
  if (!inc.IsOpen()) {
    return fmt::format("Incident #{} is already {}: nothing to do.", inc.id,
                       incidents::StateName(inc.state));
  }
  if (action == "acknowledge" && inc.state != incidents::State::kTriggered) {
    return fmt::format("Incident #{} is already acknowledged (state: {}): nothing to do.", inc.id,
                       incidents::StateName(inc.state));
  }
  return "";
}

struct Checked {
  std::int64_t id = 0;
  std::string action;
  std::string recipient;
};

// The link's incident, action and recipient once its signature and expiry hold; else
// the page to answer with (404 for a malformed path, 403 for a bad or expired link).
std::variant<Checked, http::Response> Check(const http::Request& req,
                                            const incidents::IncidentLinks& links) {
  const std::string_view id_text = req.RouteParam("id");
  const std::string action_text(req.RouteParam("action"));
  // Digits only, as the server writes them (no sign, blank or leading zero).
  std::int64_t id = 0;
  if (!id_text.empty() && id_text[0] != '0') {
    auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (ec != std::errc() || end != id_text.data() + id_text.size()) id = 0;
  }
  std::optional<std::string_view> action = incidents::ParseLinkAction(action_text);
  if (id <= 0 || !action) {
    return Page(404, "Not a hastewatch link",
                fmt::format("<p class=\"error\">\"{}\" is not an incident link "
                            "(expected /incident-link/&lt;id&gt;/acknowledge or /resolve).</p>",
                            HtmlEscape(req.path)));
  }
  // A link cut short (a mail client wrapping it) lacks its last parameters: say so.
  for (const char* name : {"to", "exp", "sig"}) {
    if (!req.Param(name)) {
      return Page(403, "Link not valid",
                  fmt::format("<p class=\"error\" id=\"reason\">the link has no \"{}\" parameter: "
                              "it was cut short</p><p>Copy the whole link from the message, or "
                              "open the incident in hastewatch.</p>",
                              name));
    }
  }
  const std::string to = req.Param("to").value_or("");
  Status s =
      links.Verify(id, *action, to, req.Param("exp").value_or(""), req.Param("sig").value_or(""));
  if (!s.ok()) {
    const bool expired = s.message().find("link expired") != std::string::npos;
    return Page(403, expired ? "Link expired" : "Link not valid",
                fmt::format("<p class=\"error\" id=\"reason\">{}</p><p>{}</p>", HtmlEscape(s.message()),
                            expired ? "Open the incident in hastewatch to act on it."
                                    : "The link was changed or not made by this server."));
  }
  return Checked{id, std::string(*action), to};
}

}  // namespace

void RegisterIncidentLinkRoutes(http::Router& router, incidents::IncidentManager& manager,
                                const incidents::IncidentLinks& links) {
  const std::string pattern = std::string(incidents::kLinkPathPrefix) + ":id/:action";
  router.Get(pattern, config::Role::kNone, [&manager, &links](http::Request& req) {
    auto checked = Check(req, links);
    if (auto* page = std::get_if<http::Response>(&checked)) return std::move(*page);
    const Checked& c = std::get<Checked>(checked);
    Result<incidents::Incident> inc = manager.Get(c.id);
    if (!inc.ok())
      return Page(404, "No such incident",
                  "<p class=\"error\">" + HtmlEscape(inc.status().message()) + "</p>");
    std::string body = Summary(*inc);
    if (std::string done = AlreadyDone(*inc, c.action); !done.empty()) {
      body += fmt::format("<p id=\"already\">{}</p>", HtmlEscape(done));
    } else {
      // action="": the POST goes back to the document's own URL, query (the signed
      // parts) included, even behind a proxy that adds a path prefix.
      body += fmt::format(
          "<form method=\"post\" action=\"\"><button type=\"submit\" id=\"act\">{} as {}"
          "</button></form>",
          c.action == "acknowledge" ? "Acknowledge" : "Resolve", HtmlEscape(c.recipient));
    }
    return Page(
        200,
        fmt::format("{} incident #{}", c.action == "acknowledge" ? "Acknowledge" : "Resolve", c.id),
        body);
  });
  router.Post(pattern, config::Role::kNone, [&manager, &links](http::Request& req) {
    auto checked = Check(req, links);
    if (auto* page = std::get_if<http::Response>(&checked)) return std::move(*page);
    const Checked& c = std::get<Checked>(checked);
    Result<incidents::Incident> before = manager.Get(c.id);
    if (!before.ok())
      return Page(404, "No such incident",
                  "<p class=\"error\">" + HtmlEscape(before.status().message()) + "</p>");
    if (std::string done = AlreadyDone(*before, c.action); !done.empty()) {
      return Page(200, fmt::format("Incident #{}", c.id),
                  Summary(*before) + fmt::format("<p id=\"already\">{}</p>", HtmlEscape(done)));
    }
    const std::string actor =
        (c.recipient.empty() ? std::string("someone") : c.recipient) + " via signed link";
    Status s =
        c.action == "acknowledge" ? manager.Acknowledge(c.id, actor) : manager.Resolve(c.id, actor);
    Result<incidents::Incident> after = manager.Get(c.id);
    if (!s.ok() || !after.ok()) {
      return Page(409, fmt::format("Incident #{} not changed", c.id),
                  fmt::format("<p class=\"error\">{}</p>",
                              HtmlEscape(s.ok() ? after.status().message() : s.message())));
    }
    return Page(
        200,
        fmt::format("Incident #{} {}", c.id,
                    c.action == "acknowledge" ? "acknowledged" : "resolved"),
        Summary(*after) + fmt::format("<p id=\"done\">Done: {} by {}.</p>",
                                      c.action == "acknowledge" ? "acknowledged" : "resolved",
                                      HtmlEscape(actor)));
  });
}

}  // namespace hw::api
