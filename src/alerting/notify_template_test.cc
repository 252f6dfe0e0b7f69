#include "alerting/notify_template.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace hw::alerting {
namespace {

constexpr std::int64_t kNow = 1'780'000'600'000;  // 2026-05-28T20:36:40Z

model::Alert MakeAlert(std::vector<std::pair<std::string_view, std::string_view>> labels,
                       std::map<std::string, std::string> annotations, bool resolved = false) {
  model::Alert a;
  a.labels = model::Labels::FromPairs(labels);
  a.annotations = std::move(annotations);
  a.starts_at_ms = 1'780'000'000'000;
  a.ends_at_ms = resolved ? kNow - 60'000 : 0;
  a.generator_url = "http://hw.example:9190/graph?g0.expr=up";
  return a;
}

Notification Sample() {
  Notification n;
  n.receiver = "ops team";
  n.group_key = "{}:{alertname=\"APIDown\"}";
  n.group_labels = model::Labels::FromPairs({{"alertname", "APIDown"}});
  n.alerts.push_back(MakeAlert({{"alertname", "APIDown"}, {"instance", "api-1"}, {"severity", "critical"}},
                               {{"summary", "API api-1 is down"},
                                {"description", "No scrape for 5m"},
                                {"runbook_url", "/runbooks/api-down.md"}}));
  n.alerts.push_back(MakeAlert({{"alertname", "APIDown"}, {"instance", "api-2"}, {"severity", "critical"}},
                               {{"summary", "API api-2 is down"},
                                {"runbook_url", "https://wiki.example/api-down"}},
                               /*resolved=*/true));
  n.now_ms = kNow;
  n.external_url = "http://hw.example:9190/";
  return n;
}

std::string Render(const NotifyTemplates& t, std::string_view text, const Notification& n,
                bool html = false) {
  auto r = t.Execute(text, n, html);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
  return r.ok() ? *r : "";
}

struct Case {
  const char* name;
  const char* tmpl;
  const char* want;
};

class NotifyTemplateData : public testing::TestWithParam<Case> {};

TEST_P(NotifyTemplateData, Renders) {
  EXPECT_EQ(Render(*NotifyTemplates::Defaults(), GetParam().tmpl, Sample()), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NotifyTemplateData,
    testing::Values(
        Case{"top", "{{ .Receiver }}|{{ .Status }}|{{ .ExternalURL }}|{{ len .Alerts }}", "ops team|firing|http://hw.example:9190/|2"},
        Case{"firing_resolved", "{{ len .Alerts.Firing }}/{{ .Alerts.Resolved | len }}", "1/1"},
        Case{"alert_fields",
             "{{ range .Alerts }}{{ .Status }} {{ .Labels.instance }} {{ .Annotations.summary }} {{ .Fingerprint | len }};{{ end }}",
             "firing api-1 API api-1 is down 16;resolved api-2 API api-2 is down 16;"},
        Case{"times", "{{ (index .Alerts 0).StartsAt }}|{{ (index .Alerts 0).EndsAt }}|{{ (index .Alerts 1).EndsAt.Unix }}",
             "2026-05-28 20:26:40 +0000 UTC|0001-01-01 00:00:00 +0000 UTC|1780000540"},
        Case{"common", "{{ .CommonLabels.SortedPairs.Names | join \",\" }}={{ .CommonLabels.Values | join \",\" }}|{{ len .CommonAnnotations }}",
             "alertname,severity=APIDown,critical|0"},
        Case{"sorted_pairs", "{{ range (index .Alerts 0).Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}",
             "alertname=APIDown instance=api-1 severity=critical "},
        Case{"names_values", "{{ .GroupLabels.Names }} {{ .GroupLabels.Values }}", "[alertname] [APIDown]"},
        Case{"remove", "{{ (.CommonLabels.Remove .GroupLabels.Names).Values | join \" \" }}|{{ with .CommonLabels.Remove (stringSlice \"alertname\" \"severity\") }}x{{ else }}empty{{ end }}",
             "critical|empty"},
        Case{"funcs",
             "{{ toUpper \"ab\" }} {{ toLower \"AB\" }} {{ title \"api down\" }} {{ join \"-\" (stringSlice \"a\" \"b\") }} "
             "{{ if match \"^api-[0-9]$\" (index .Alerts 0).Labels.instance }}m{{ end }} {{ reReplaceAll \"api-(.*)\" \"node$1\" \"api-7\" }} {{ len \"four\" }}",
             "AB ab Api Down a-b m node7 4"},
        Case{"range_vars", "{{ range $i, $a := .Alerts }}{{ $i }}:{{ $a.Labels.instance }}/{{ $.Receiver }} {{ end }}",
             "0:api-1/ops team 1:api-2/ops team "},
        Case{"runbooks", "{{ range .Alerts }}{{ .RunbookURL }} {{ end }}|{{ .RunbookURLs | len }}",
             "http://hw.example:9190/runbooks/api-down.md https://wiki.example/api-down |2"},
        Case{"subject", "{{ template \"__subject\" . }}", "[FIRING:1] APIDown (critical)"},
        Case{"define_inline", "{{ define \"x\" }}<{{ . }}>{{ end }}{{ template \"x\" .Status }}", "<firing>"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(NotifyTemplate, UserTemplatesOverrideAndUseDefaults) {
  const std::string dir = testing::TempDir() + "/notify_tmpl";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/a.tmpl") << R"({{ define "my.title" }}{{ .CommonLabels.alertname }} on {{ range .Alerts.Firing }}{{ .Labels.instance }}{{ end }}{{ end }}
{{ define "slack.default.username" }}pager-bot{{ end }})";
  std::ofstream(dir + "/b.tmpl") << R"({{ define "my.body" }}{{ template "my.title" . }}: {{ template "__text_alert_list" .Alerts.Firing }}{{ end }})";
  auto t = NotifyTemplates::Load({dir + "/*.tmpl", dir + "/none-*.tmpl"});
  ASSERT_TRUE(t.ok()) << t.status().message();
  Notification n = Sample();
  EXPECT_EQ(Render(**t, "{{ template \"my.title\" . }}", n), "APIDown on api-1");
  EXPECT_EQ(Render(**t, "{{ template \"slack.default.username\" . }}", n), "pager-bot");
  std::string body = Render(**t, "{{ template \"my.body\" . }}", n);
  EXPECT_TRUE(body.starts_with("APIDown on api-1: - APIDown: API api-1 is down\n")) << body;
  EXPECT_NE(body.find("Runbook: http://hw.example:9190/runbooks/api-down.md"), std::string::npos) << body;
  // The defaults are untouched.
  EXPECT_EQ(Render(*NotifyTemplates::Defaults(), "{{ template \"slack.default.username\" . }}", n), "hastewatch");

  std::ofstream(dir + "/bad.tmpl") << "{{ define \"x\" }}{{ nosuch }}{{ end }}";
  auto bad = NotifyTemplates::Load({dir + "/*.tmpl"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("cannot load template file " + dir + "/bad.tmpl"), std::string::npos)
      << bad.status().message();
  std::filesystem::remove(dir + "/bad.tmpl");
}

TEST(NotifyTemplate, Errors) {
  const NotifyTemplates& t = *NotifyTemplates::Defaults();
  Notification n = Sample();
  EXPECT_FALSE(t.Execute("{{ template \"nope\" . }}", n).ok());
  EXPECT_FALSE(t.Execute("{{ .NoSuchField }}", n).ok());
  EXPECT_FALSE(t.Execute("{{ query \"up\" }}", n).ok());  // a rules-only function
  EXPECT_FALSE(t.Execute("{{ define \"a\" }}", n).ok());
}

TEST(NotifyTemplate, HtmlEscapesValuesButNotSafeHtml) {
  Notification n = Sample();
  n.alerts[0].annotations["summary"] = "<b>x</b> & y";
  const NotifyTemplates& t = *NotifyTemplates::Defaults();
  EXPECT_EQ(Render(t, "<p>{{ (index .Alerts 0).Annotations.summary }}</p>", n, true),
            "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>");
  EXPECT_EQ(Render(t, "<p>{{ (index .Alerts 0).Annotations.summary | safeHtml }}</p>", n, true),
            "<p><b>x</b> & y</p>");
  EXPECT_EQ(Render(t, "{{ (index .Alerts 0).Annotations.summary }}", n), "<b>x</b> & y");
}

TEST(NotifyTemplate, DefaultsCarryRunbooksAndSummaries) {
  const NotifyTemplates& t = *NotifyTemplates::Defaults();
  Notification n = Sample();
  const std::string local = "http://hw.example:9190/runbooks/api-down.md";
  const std::string remote = "https://wiki.example/api-down";
  for (const char* name : {"slack.default.title", "slack.default.text", "pagerduty.default.description",
                           "email.default.subject", "email.default.html", "email.default.text",
                           "__description"}) {
    std::string out = Render(t, std::string("{{ template \"") + name + "\" . }}", n, name == std::string("email.default.html"));
    EXPECT_NE(out.find(local), std::string::npos) << name << ":\n" << out;
    EXPECT_NE(out.find(remote), std::string::npos) << name << ":\n" << out;
    EXPECT_NE(out.find("API api-1 is down"), std::string::npos) << name << ":\n" << out;
  }
  EXPECT_EQ(Render(t, "{{ template \"email.default.subject\" . }}", n),
            "[FIRING:1] APIDown (critical): API api-1 is down; API api-2 is down | runbook: " + local + " " + remote);
  EXPECT_EQ(Render(t, "{{ template \"email.default.text\" . }}", n),
            "Firing:\n"
            "- APIDown: API api-1 is down\n"
            "  Description: No scrape for 5m\n"
            "  Runbook: http://hw.example:9190/runbooks/api-down.md\n"
            "  Started: 2026-05-28 20:26:40 +0000 UTC\n"
            "  Labels: alertname=APIDown instance=api-1 severity=critical\n"
            "  Source: http://hw.example:9190/graph?g0.expr=up\n"
            "\n"
            "Resolved:\n"
            "- APIDown: API api-2 is down\n"
            "  Runbook: https://wiki.example/api-down\n"
            "  Started: 2026-05-28 20:26:40 +0000 UTC, resolved: 2026-05-28 20:35:40 +0000 UTC\n"
            "  Labels: alertname=APIDown instance=api-2 severity=critical\n"
            "  Source: http://hw.example:9190/graph?g0.expr=up\n");
  EXPECT_EQ(Render(t, "{{ template \"slack.default.text\" . }}", n),
            "*FIRING* APIDown: API api-1 is down\n"
            "> No scrape for 5m\n"
            "Runbook: <http://hw.example:9190/runbooks/api-down.md|http://hw.example:9190/runbooks/api-down.md>\n"
            "*RESOLVED* APIDown: API api-2 is down\n"
            "Runbook: <https://wiki.example/api-down|https://wiki.example/api-down>\n");
}

TEST(NotifyTemplate, HeldSummaryAndFlappingSaySo) {
  const NotifyTemplates& t = *NotifyTemplates::Defaults();
  Notification n = Sample();
  n.alerts.erase(n.alerts.begin());
  n.kind = Notification::Kind::kHeldSummary;
  n.note = "APIDown fired and resolved outside business hours";
  EXPECT_FALSE(n.Firing());
  EXPECT_EQ(Render(t, "{{ template \"email.default.subject\" . }}", n),
            "[RESOLVED] APIDown fired and resolved outside business hours: API api-2 is down | runbook: "
            "https://wiki.example/api-down");
  EXPECT_TRUE(Render(t, "{{ template \"email.default.text\" . }}", n)
                  .starts_with("APIDown fired and resolved outside business hours\n\nResolved:\n"));
  EXPECT_NE(Render(t, "{{ template \"email.default.html\" . }}", n, true)
                .find("<em>APIDown fired and resolved outside business hours</em>"),
            std::string::npos);
  EXPECT_TRUE(Render(t, "{{ template \"slack.default.text\" . }}", n)
                  .starts_with("_APIDown fired and resolved outside business hours_\n"));

  n = Sample();
  n.kind = Notification::Kind::kFlapping;
  n.note = "APIDown changed state 8 times in the last hour";
  EXPECT_TRUE(Render(t, "{{ template \"slack.default.title\" . }}", n)
                  .starts_with("[FLAPPING] APIDown changed state 8 times in the last hour: API api-1 is down"));
}

}  // namespace
}  // namespace hw::alerting
