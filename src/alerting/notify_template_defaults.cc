// hastewatch's built-in notification templates, under the names Alertmanager's
// default.tmpl uses so that receiver configs written for Alertmanager work unchanged.
// Our own wording: every title and body carries each alert's summary (or description)
// and runbook link, and held summaries and flapping notifications say what they are.
// Incident pages' alerts carry signed acknowledge_url / resolve_url annotations
// (incidents/links.h); the bodies show them as links when present.
#include "alerting/notify_template.h"

namespace hw::alerting {

std::string_view DefaultTemplatesText() {
  static constexpr std::string_view kText = R"TMPL(
{{ define "__alertmanager" }}hastewatch{{ end }}
{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/alerts?receiver={{ .Receiver | urlquery }}{{ end }}

{{/* [FIRING:2], [RESOLVED], [FLAPPING] */}}
{{ define "__hw_status_tag" -}}
{{ if eq .Kind "flapping" }}FLAPPING{{ else }}{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}{{ end }}
{{- end }}

{{ define "__subject" -}}
[{{ template "__hw_status_tag" . }}] {{ if .Note }}{{ .Note }}{{ else }}{{ .GroupLabels.SortedPairs.Values | join " " }}
{{- if gt (len .CommonLabels) (len .GroupLabels) }} ({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
{{- end }}

{{/* One line: the subject, what the alerts say, where their runbooks are. */}}
{{ define "__hw_title" -}}
{{ template "__subject" . }}{{ with .Summary }}: {{ . }}{{ end }}{{ with .RunbookURLs }} | runbook: {{ join " " . }}{{ end }}
{{- end }}

{{ define "__description" }}{{ template "__hw_text_body" . }}{{ end }}

{{/* One alert as plain text; dot is the alert. */}}
{{ define "__hw_text_alert" -}}
- {{ .Labels.alertname }}{{ with .Annotations.summary }}: {{ . }}{{ end }}
{{ with .Annotations.description }}  Description: {{ . }}
{{ end }}{{ with .RunbookURL }}  Runbook: {{ . }}
{{ end }}{{ with .Annotations.acknowledge_url }}  Acknowledge: {{ . }}
{{ end }}{{ with .Annotations.resolve_url }}  Resolve: {{ . }}
{{ end }}  Started: {{ .StartsAt }}{{ if eq .Status "resolved" }}, resolved: {{ .EndsAt }}{{ end }}
  Labels:{{ range .Labels.SortedPairs }} {{ .Name }}={{ .Value }}{{ end }}
{{ with .GeneratorURL }}  Source: {{ . }}
{{ end }}
{{- end }}

{{ define "__text_alert_list" }}{{ range . }}{{ template "__hw_text_alert" . }}{{ end }}{{ end }}

{{ define "__hw_text_body" -}}
{{ with .Note }}{{ . }}

{{ end }}{{ if .Alerts.Firing }}Firing:
{{ template "__text_alert_list" .Alerts.Firing }}{{ end }}
{{- if .Alerts.Resolved }}{{ if .Alerts.Firing }}
{{ end }}Resolved:
{{ template "__text_alert_list" .Alerts.Resolved }}{{ end }}
{{- end }}

{{ define "slack.default.title" }}{{ template "__hw_title" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}
{{ define "slack.default.text" -}}
{{ with .Note }}_{{ . }}_
{{ end }}{{ range .Alerts -}}
*{{ .Status | toUpper }}* {{ .Labels.alertname }}{{ with .Annotations.summary }}: {{ . }}{{ end }}
{{ with .Annotations.description }}> {{ . }}
{{ end }}{{ with .RunbookURL }}Runbook: <{{ . }}|{{ . }}>
{{ end }}{{ if .Annotations.acknowledge_url }}<{{ .Annotations.acknowledge_url }}|Acknowledge>{{ with .Annotations.resolve_url }} · <{{ . }}|Resolve>{{ end }}
{{ end }}{{ end }}
{{- end }}

{{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "pagerduty.default.description" }}{{ template "__hw_title" . }}{{ end }}
{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}

{{ define "email.default.subject" }}{{ template "__hw_title" . }}{{ end }}
{{ define "email.default.text" }}{{ template "__hw_text_body" . }}{{ end }}
{{ define "email.default.html" -}}
<!DOCTYPE html>
<html>
<head><meta charset="UTF-8"><title>{{ template "__subject" . }}</title></head>
<body style="font-family: Helvetica, Arial, sans-serif; font-size: 14px">
<h2 style="color: {{ if eq .Status "firing" }}#b32d2e{{ else }}#2e7d32{{ end }}">{{ template "__subject" . }}</h2>
{{ with .Note }}<p><em>{{ . }}</em></p>
{{ end }}{{ range .Alerts -}}
<table style="border-collapse: collapse; margin: 0 0 16px 0">
<tr><th align="left">{{ .Status | toUpper }}</th><td><strong>{{ .Labels.alertname }}</strong></td></tr>
{{ with .Annotations.summary }}<tr><th align="left">Summary</th><td>{{ . }}</td></tr>
{{ end }}{{ with .Annotations.description }}<tr><th align="left">Description</th><td>{{ . }}</td></tr>
{{ end }}{{ with .RunbookURL }}<tr><th align="left">Runbook</th><td><a href="{{ . }}">{{ . }}</a></td></tr>
{{ end }}{{ if .Annotations.acknowledge_url }}<tr><th align="left">Act</th><td><a href="{{ .Annotations.acknowledge_url }}">Acknowledge</a>{{ with .Annotations.resolve_url }} · <a href="{{ . }}">Resolve</a>{{ end }}</td></tr>
{{ end }}<tr><th align="left">Labels</th><td>{{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }}<br>{{ end }}</td></tr>
<tr><th align="left">Started</th><td>{{ .StartsAt }}</td></tr>
{{ with .GeneratorURL }}<tr><th align="left">Source</th><td><a href="{{ . }}">{{ . }}</a></td></tr>
{{ end }}</table>
{{ end }}<p><a href="{{ template "__alertmanagerURL" . }}">Open in {{ template "__alertmanager" . }}</a></p>
</body>
</html>
{{ end }}
)TMPL";
  return kText;
}

}  // namespace hw::alerting
