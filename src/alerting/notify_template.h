// Notification templates: Alertmanager's template data and functions on hastewatch's
// template engine (rules/template_set.h), with built-in default templates under
// Alertmanager's names and user template files (`templates:` globs) loaded on top.
//
// The data (`.` of every receiver field) is Alertmanager's template.Data:
//   .Receiver .Status ("firing" / "resolved") .Alerts .GroupLabels .CommonLabels
//   .CommonAnnotations .ExternalURL
//   .Alerts is a list with .Firing / .Resolved; each alert has .Status .Labels
//   .Annotations .StartsAt .EndsAt .GeneratorURL .Fingerprint
//   label and annotation maps (KV) have .SortedPairs (each .Name .Value; the list has
//   .Names / .Values), .Names, .Values, .Remove <list of names>
// plus hastewatch's additions, for the defaults and for users:
//   .Kind ("normal", "held_summary", "flapping") and .Note (Notification::note)
//   .GroupKey; per alert .RunbookURL (annotation runbook_url, a relative path prefixed
//   with .ExternalURL); .RunbookURLs (the distinct links, in alert order); .Summary
//   (the alerts' summaries, or descriptions when there is none, distinct, "; "-joined)
// Times print as Go's time.Time does ("2026-05-28 20:26:40 +0000 UTC"), with .Unix.
//
// Built-in templates (our own text, Alertmanager's names): __alertmanager,
// __alertmanagerURL, __subject, __description, __text_alert_list, slack.default.*
// (title username fallback callbackid pretext titlelink iconemoji iconurl text footer),
// pagerduty.default.* (client clientURL description instances), email.default.subject,
// email.default.html, email.default.text. Every default title and body carries each
// alert's summary (or description) and runbook link, and says so when the notification
// is a held summary or a flapping one.
//
// Thread-safety: a NotifyTemplates is immutable once loaded and may be executed
// concurrently; share it as shared_ptr<const NotifyTemplates>.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alerting/notification.h"
#include "base/status.h"
#include "rules/template_set.h"

namespace hw::alerting {

// The template data of `n`.
rules::TemplateValue NotifyData(const Notification& n);

class NotifyTemplates {
 public:
  // The built-in defaults alone.
  static std::shared_ptr<const NotifyTemplates> Defaults();
  // The defaults, then each glob's files (sorted by name within a glob), later
  // definitions replacing earlier ones. A glob matching nothing is not an error (as in
  // Alertmanager); an unreadable or unparsable file is: "cannot load template file
  // <path>: <cause>".
  static Result<std::shared_ptr<const NotifyTemplates>> Load(const std::vector<std::string>& globs);

  // Adds the definitions in `text` (a template file's contents named `name`).
  Status Add(std::string_view name, std::string_view text);

  // Runs a receiver field's template text against a notification's data. `html`:
  // escape values as html/template does (email html).
  Result<std::string> Execute(std::string_view text, const rules::TemplateValue& data,
                              bool html = false) const;
  Result<std::string> Execute(std::string_view text, const Notification& n,
                              bool html = false) const;

 private:
  rules::TemplateSet set_;
};

// The built-in definitions, for reference and tests.
std::string_view DefaultTemplatesText();

}  // namespace hw::alerting
