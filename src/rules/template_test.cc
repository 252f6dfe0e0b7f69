#include "rules/template.h"

#include <cmath>

#include <gtest/gtest.h>

namespace hw::rules {
namespace {

struct Case {
  const char* name;
  const char* tmpl;
  const char* want;
};

TemplateData Data() {
  TemplateData d;
  d.labels = {{"instance", "web-1:9100"}, {"job", "api"}, {"service", "checkout"}};
  d.value = 0.123456;
  d.external_labels = {{"cluster", "eu1"}};
  d.external_url = "http://hw.example:9190";
  d.query = [](std::string_view expr) -> Result<std::vector<TemplateSample>> {
    if (expr == "bad") return Status::BadData("parse error");
    std::vector<TemplateSample> out;
    if (expr == "up") {
      out.push_back({model::Labels::FromPairs({{"__name__", "up"}, {"job", "b"}}), 1});
      out.push_back({model::Labels::FromPairs({{"__name__", "up"}, {"job", "a"}}), 0});
    }
    return out;
  };
  return d;
}

class TemplateRender : public testing::TestWithParam<Case> {};

TEST_P(TemplateRender, Renders) {
  auto t = Template::Parse("t", GetParam().tmpl);
  ASSERT_TRUE(t.ok()) << t.status().message();
  auto out = t->Execute(Data());
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Table, TemplateRender,
    testing::Values(
        Case{"text", "plain", "plain"},
        Case{"label_var", "{{ $labels.job }}/{{ $labels.missing }}.", "api/."},
        Case{"label_dot", "{{ .Labels.service }} {{ .Value }}", "checkout 0.123456"},
        Case{"value", "{{ $value }}", "0.123456"},
        Case{"ext", "{{ $externalLabels.cluster }} {{ $externalURL }}", "eu1 http://hw.example:9190"},
        Case{"humanize", "{{ 1234567.0 | humanize }} {{ 0.00123 | humanize }} {{ 0 | humanize }}", "1.235M 1.23m 0"},
        Case{"humanize1024", "{{ humanize1024 1048576 }} {{ humanize1024 0.5 }}", "1Mi 0.5"},
        Case{"humanizeDuration", "{{ humanizeDuration 93784 }}|{{ humanizeDuration 61 }}|{{ humanizeDuration 1.5 }}|{{ humanizeDuration 0.0015 }}",
             "1d 2h 3m 4s|1m 1s|1.5s|1.5ms"},
        Case{"humanizePercentage", "{{ $value | humanizePercentage }}", "12.35%"},
        Case{"humanizeTimestamp", "{{ humanizeTimestamp 1435065584.128 }}", "2015-06-23 13:19:44.128 +0000 UTC"},
        Case{"humanize_string", "{{ \"2048\" | humanize1024 }}", "2ki"},
        Case{"printf", "{{ printf \"%.2f\" $value }} {{ printf \"%s=%d\" \"n\" 42 }} {{ printf \"%v%%\" 5 }} {{ printf \"%f\" 1.5 }}",
             "0.12 n=42 5% 1.500000"},
        Case{"printf_pipe", "{{ $value | printf \"%.1f\" }}", "0.1"},
        Case{"case", "{{ toUpper \"ab\" }} {{ \"AB\" | toLower }} {{ title \"hello big world\" }}", "AB ab Hello Big World"},
        Case{"reReplaceAll", "{{ reReplaceAll \"(.*):(.*)\" \"$1 port ${2}\" $labels.instance }}", "web-1 port 9100"},
        Case{"query", "{{ with query \"up\" }}{{ . | first | value }} {{ . | first | label \"job\" }}{{ end }}", "1 b"},
        Case{"query_range", "{{ range query \"up\" | sortByLabel \"job\" }}{{ .Labels.job }}={{ .Value }};{{ end }}", "a=0;b=1;"},
        Case{"query_empty_else", "{{ with query \"none\" }}x{{ else }}empty{{ end }}", "empty"},
        Case{"if_else", "{{ if gt $value 0.5 }}high{{ else if gt $value 0.1 }}mid{{ else }}low{{ end }}", "mid"},
        Case{"trim", "a  {{- \" b \" -}}  c", "a b c"},
        Case{"comment", "x{{/* note */}}y", "xy"},
        Case{"var", "{{ $s := $labels.service }}{{ $s | toUpper }}", "CHECKOUT"},
        Case{"paren", "{{ (printf \"%d\" 3) }}", "3"},
        Case{"match", "{{ if match \"^web\" $labels.instance }}yes{{ end }}", "yes"},
        Case{"big_value", "{{ 1e6 }} {{ 123456 }} {{ 1e-5 }}", "1e+06 123456 1e-05"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Template, ParseErrors) {
  for (const char* bad : {"{{ nosuch }}", "{{ $labels.x", "{{ if 1 }}", "{{ end }}",
                          "{{ $undeclared }}", "{{ \"unterminated }}", "{{ }}",
                          "{{ 1 2 }}"}) {
    EXPECT_FALSE(Template::Parse("t", bad).ok()) << bad;
  }
  auto t = Template::Parse("summary", "ok\n  {{ nosuch }}");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "template: summary:2:6: function \"nosuch\" not defined");
}

TEST(Template, ExecErrors) {
  auto t = Template::Parse("t", "{{ query \"bad\" }}");
  ASSERT_TRUE(t.ok());
  auto out = t->Execute(Data());
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("error calling query: parse error"), std::string::npos);
  t = Template::Parse("t", "{{ query \"none\" | first }}");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->Execute(Data()).ok());
}

TEST(Template, GoFloat) {
  EXPECT_EQ(FormatGoFloat(0.1), "0.1");
  EXPECT_EQ(FormatGoFloat(100000), "100000");
  EXPECT_EQ(FormatGoFloat(1234567), "1.234567e+06");
  EXPECT_EQ(FormatGoFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatGoFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatGoFloat(NAN), "NaN");
  EXPECT_EQ(FormatGoFloat(-INFINITY), "-Inf");
}

TEST(Template, RulesDialectKeepsDefineUnsupported) {
  EXPECT_FALSE(Template::Parse("t", "{{ define \"x\" }}a{{ end }}").ok());
  EXPECT_FALSE(Template::Parse("t", "{{ template \"x\" }}").ok());
  EXPECT_FALSE(Template::Parse("t", "{{ $labels.job \"arg\" }}").ok());
  EXPECT_FALSE(Template::Parse("t", "{{ join \",\" $labels }}").ok());  // notify-only function
}

TEST(TemplateSet, DefinesMethodsListsAndObjects) {
  using V = TemplateValue;
  static const TemplateMethods kMethods = {
      {"Upper", [](const V& self, const std::vector<V>&) -> Result<V> { return V::Str("UP:" + self.s); }},
      {"Pick", [](const V& self, const std::vector<V>& args) -> Result<V> {
         if (args.size() != 1 || args[0].k != V::K::kNum) return Status::BadData("want a number");
         return (*self.list)[static_cast<std::size_t>(args[0].n)];
       }}};
  V x = V::Str("x");
  x.methods = &kMethods;
  V dot = V::Object({{"Name", x},
                     {"Items", V::List({V::Str("a"), V::Str("b"), V::Str("c")}, &kMethods)},
                     {"Map", V::Map({{"k1", "v1"}, {"k2", "v2"}})}});
  TemplateSet set;
  ASSERT_TRUE(set.Add("lib", "{{ define \"item\" }}[{{ . }}]{{ end }}ignored text"
                             "{{ define \"all\" }}{{ range $i, $e := .Items }}{{ $i }}{{ template \"item\" $e }}{{ end }}{{ end }}").ok());
  EXPECT_TRUE(set.Has("item"));
  auto run = [&](std::string_view text, bool html = false) {
    auto r = set.ExecuteText(text, dot, html);
    EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
    return r.ok() ? *r : "";
  };
  EXPECT_EQ(run("{{ template \"all\" . }}"), "0[a]1[b]2[c]");
  EXPECT_EQ(*set.ExecuteNamed("all", dot), "0[a]1[b]2[c]");
  EXPECT_EQ(run("{{ .Name.Upper }} {{ .Items.Pick 1 }} {{ (.Items.Pick 2) | toUpper }}"), "UP:x b C");
  EXPECT_EQ(run("{{ range $k, $v := .Map }}{{ $k }}={{ $v }};{{ end }}{{ range $v := .Map }}{{ $v }}{{ end }}"),
            "k1=v1;k2=v2;v1v2");
  EXPECT_EQ(run("{{ .Items }} {{ len .Items }} {{ index .Items 0 }} {{ join \"+\" .Items }} {{ stringSlice \"p\" \"q\" }}"),
            "[a b c] 3 a a+b+c [p q]");
  EXPECT_EQ(run("{{ .Map.k2 }} {{ \"a b&c\" | urlquery }} {{ trimSpace \"  t \" }}"), "v2 a+b%26c t");
  EXPECT_EQ(run("<{{ \"<i>\" }}{{ \"<b>\" | safeHtml }}>", true), "<&lt;i&gt;<b>>");
  EXPECT_FALSE(set.ExecuteText("{{ .Items.Pick \"x\" }}", dot).ok());
  EXPECT_FALSE(set.ExecuteText("{{ .Missing }}", dot).ok());
  EXPECT_FALSE(set.ExecuteText("{{ template \"nope\" }}", dot).ok());
  EXPECT_FALSE(set.ExecuteNamed("nope", dot).ok());
  // Recursion is bounded.
  ASSERT_TRUE(set.Add("loop", "{{ define \"loop\" }}{{ template \"loop\" . }}{{ end }}").ok());
  EXPECT_FALSE(set.ExecuteNamed("loop", dot).ok());
}

}  // namespace
}  // namespace hw::rules
