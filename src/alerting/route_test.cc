#include "alerting/route.h"

#include <gtest/gtest.h>

namespace hw::alerting {
namespace {

using config::AmMatcher;
using config::RouteConfig;
using Op = AmMatcher::Op;

AmMatcher M(std::string name, Op op, std::string value) {
  return {std::move(name), op, std::move(value)};
}
AmMatcher Eq(std::string name, std::string value) {
  return M(std::move(name), Op::kEqual, std::move(value));
}
// A deprecated match_re entry, stored as Alertmanager stores it: anchored.
AmMatcher MatchRe(std::string name, std::string re) {
  return M(std::move(name), Op::kRegex, "^(?:" + re + ")$");
}

RouteConfig Node(std::string receiver, std::vector<AmMatcher> matchers,
                 std::vector<RouteConfig> routes = {}) {
  RouteConfig r;
  r.receiver = std::move(receiver);
  r.matchers = std::move(matchers);
  r.routes = std::move(routes);
  return r;
}

RouteConfig GroupBy(RouteConfig r, std::vector<std::string> labels) {
  r.group_by_set = true;
  if (labels == std::vector<std::string>{"..."}) {
    r.group_by_all = true;
  } else {
    r.group_by = std::move(labels);
  }
  return r;
}

Duration Min(int m) { return Duration(m * 60'000); }

struct Expected {
  std::string receiver;
  std::vector<std::string> group_by;
  bool group_by_all = false;
  std::int64_t group_wait_ms = 30'000;
  std::int64_t group_interval_ms = 300'000;
  std::int64_t repeat_interval_ms = 4 * 3'600'000;
  std::string key;
};

struct MatchCase {
  model::Labels labels;
  std::vector<Expected> want;
};

void CheckMatches(const RouteTree& tree, const std::vector<MatchCase>& cases) {
  for (const MatchCase& c : cases) {
    SCOPED_TRACE(c.labels.ToString());
    std::vector<const Route*> got = tree.Match(c.labels);
    ASSERT_EQ(got.size(), c.want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      const Route& r = *got[i];
      const Expected& w = c.want[i];
      std::vector<std::string> group_by = r.group_by;
      std::sort(group_by.begin(), group_by.end());
      std::vector<std::string> want_group_by = w.group_by;
      std::sort(want_group_by.begin(), want_group_by.end());
      EXPECT_EQ(r.receiver, w.receiver);
      EXPECT_EQ(group_by, want_group_by);
      EXPECT_EQ(r.group_by_all, w.group_by_all);
      EXPECT_EQ(r.group_wait_ms, w.group_wait_ms);
      EXPECT_EQ(r.group_interval_ms, w.group_interval_ms);
      EXPECT_EQ(r.repeat_interval_ms, w.repeat_interval_ms);
      EXPECT_EQ(r.key, w.key);
    }
  }
}

model::Labels L(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  return model::Labels::FromPairs(pairs);
}

// Alertmanager's dispatch/route_test.go TestRouteMatch (match / match_re forms).
RouteConfig AlertmanagerTestTree(bool new_style) {
  auto regex = [&](std::string name, std::string re) {
    return new_style ? M(std::move(name), Op::kRegex, std::move(re))
                     : MatchRe(std::move(name), std::move(re));
  };
  std::vector<AmMatcher> team_a = {Eq("owner", "team-A")};
  if (new_style) team_a.push_back(M("level", Op::kNotEqual, "critical"));
  std::vector<AmMatcher> testing = {Eq("env", "testing")};
  if (new_style) testing.push_back(M("baz", Op::kNotRegex, ".*quux"));

  RouteConfig production_a = Node("notify-productionA", {Eq("env", "production")});
  production_a.group_wait = Min(1);
  production_a.continue_matching = true;
  RouteConfig production_b =
      GroupBy(Node("notify-productionB", {regex("env", "produ.*"), regex("job", ".*")}), {"job"});
  production_b.group_wait = Duration(30'000);
  production_b.group_interval = Min(5);
  production_b.repeat_interval = Min(60);
  RouteConfig bc = GroupBy(Node("notify-BC", {regex("owner", "team-(B|C)")}), {"foo", "bar"});
  bc.group_wait = Min(2);
  RouteConfig wait_long = Node("", {Eq("wait", "long")});
  wait_long.group_wait = Min(2);

  return Node(
      "notify-def", {},
      {Node("notify-A", team_a,
            {GroupBy(Node("notify-testing", testing), {"..."}), production_a, production_b}),
       bc,
       GroupBy(Node("", {Eq("group_by", "role")},
                    {Node("notify-testing", {Eq("env", "testing")}, {wait_long})}),
               {"role"})});
}

TEST(RouteTest, AlertmanagerRouteMatch) {
  Result<RouteTree> tree = RouteTree::Build(AlertmanagerTestTree(false));
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  const std::string a = R"({}/{owner="team-A"})";
  CheckMatches(
      *tree,
      {
          {L({{"owner", "team-A"}}), {{"notify-A", {}, false, 30'000, 300'000, 14'400'000, a}}},
          {L({{"owner", "team-A"}, {"env", "unset"}}),
           {{"notify-A", {}, false, 30'000, 300'000, 14'400'000, a}}},
          {L({{"owner", "team-C"}}),
           {{"notify-BC",
             {"foo", "bar"},
             false,
             120'000,
             300'000,
             14'400'000,
             R"({}/{owner=~"^(?:team-(B|C))$"})"}}},
          {L({{"owner", "team-A"}, {"env", "testing"}}),
           {{"notify-testing", {}, true, 30'000, 300'000, 14'400'000, a + R"(/{env="testing"})"}}},
          {L({{"owner", "team-A"}, {"env", "production"}}),
           {{"notify-productionA",
             {},
             false,
             60'000,
             300'000,
             14'400'000,
             a + R"(/{env="production"})"},
            {"notify-productionB",
             {"job"},
             false,
             30'000,
             300'000,
             3'600'000,
             a + R"(/{env=~"^(?:produ.*)$",job=~"^(?:.*)$"})"}}},
          {L({{"group_by", "role"}}),
           {{"notify-def",
             {"role"},
             false,
             30'000,
             300'000,
             14'400'000,
             R"({}/{group_by="role"})"}}},
          {L({{"env", "testing"}, {"group_by", "role"}}),
           {{"notify-testing",
             {"role"},
             false,
             30'000,
             300'000,
             14'400'000,
             R"({}/{group_by="role"}/{env="testing"})"}}},
          {L({{"env", "testing"}, {"group_by", "role"}, {"wait", "long"}}),
           {{"notify-testing",
             {"role"},
             false,
             120'000,
             300'000,
             14'400'000,
             R"({}/{group_by="role"}/{env="testing"}/{wait="long"})"}}},
          {L({{"owner", "team-Z"}}),
           {{"notify-def", {}, false, 30'000, 300'000, 14'400'000, "{}"}}},
      });
}

// TestRouteMatchers: the same tree in `matchers` form, with != and !~ and keys with
// several sorted matchers.
TEST(RouteTest, AlertmanagerRouteMatchers) {
  Result<RouteTree> tree = RouteTree::Build(AlertmanagerTestTree(true));
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  const std::string a = R"({}/{level!="critical",owner="team-A"})";
  CheckMatches(*tree, {
                          {L({{"owner", "team-A"}}),
                           {{"notify-A", {}, false, 30'000, 300'000, 14'400'000, a}}},
                          {L({{"owner", "team-A"}, {"level", "critical"}}),
                           {{"notify-def", {}, false, 30'000, 300'000, 14'400'000, "{}"}}},
                          {L({{"owner", "team-C"}}),
                           {{"notify-BC",
                             {"foo", "bar"},
                             false,
                             120'000,
                             300'000,
                             14'400'000,
                             R"x({}/{owner=~"team-(B|C)"})x"}}},
                          {L({{"owner", "team-A"}, {"env", "testing"}}),
                           {{"notify-testing",
                             {},
                             true,
                             30'000,
                             300'000,
                             14'400'000,
                             a + R"(/{baz!~".*quux",env="testing"})"}}},
                          // baz matching .*quux fails the !~ matcher: back to the parent.
                          {L({{"owner", "team-A"}, {"env", "testing"}, {"baz", "xquux"}}),
                           {{"notify-A", {}, false, 30'000, 300'000, 14'400'000, a}}},
                          {L({{"owner", "team-A"}, {"env", "production"}}),
                           {{"notify-productionA",
                             {},
                             false,
                             60'000,
                             300'000,
                             14'400'000,
                             a + R"(/{env="production"})"},
                            {"notify-productionB",
                             {"job"},
                             false,
                             30'000,
                             300'000,
                             3'600'000,
                             a + R"(/{env=~"produ.*",job=~".*"})"}}},
                          // A regex matches the whole value only.
                          {L({{"owner", "xteam-B"}}),
                           {{"notify-def", {}, false, 30'000, 300'000, 14'400'000, "{}"}}},
                      });
}

TEST(RouteTest, InheritParentGroupByAll) {
  RouteConfig root = Node("r", {},
                          {GroupBy(Node("", {Eq("env", "parent")},
                                        {Node("", {Eq("env", "child1")}),
                                         GroupBy(Node("", {Eq("env", "child2")}), {"foo"})}),
                                   {"..."})});
  Result<RouteTree> tree = RouteTree::Build(root);
  ASSERT_TRUE(tree.ok());
  const Route& parent = *tree->root().routes[0];
  EXPECT_TRUE(parent.group_by_all);
  EXPECT_TRUE(parent.routes[0]->group_by_all);
  EXPECT_FALSE(parent.routes[1]->group_by_all);
  EXPECT_EQ(parent.routes[1]->group_by, std::vector<std::string>{"foo"});
}

TEST(RouteTest, EmptyGroupByInheritsAsInAlertmanager) {
  RouteConfig root =
      GroupBy(Node("r", {}, {GroupBy(Node("c", {Eq("a", "1")}), {})}), {"alertname"});
  Result<RouteTree> tree = RouteTree::Build(root);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->root().routes[0]->group_by, std::vector<std::string>{"alertname"});
}

TEST(RouteTest, ContinueAndDepthFirstOrder) {
  RouteConfig c1 =
      Node("a", {Eq("x", "1")}, {Node("a1", {Eq("y", "1")}), Node("a2", {Eq("y", "2")})});
  c1.continue_matching = true;
  RouteConfig c2 = Node("b", {M("x", Op::kRegex, "1|2")});
  c2.continue_matching = true;
  RouteConfig c3 = Node("c", {});  // matches everything, stops here
  RouteConfig c4 = Node("d", {});
  Result<RouteTree> tree = RouteTree::Build(Node("root", {}, {c1, c2, c3, c4}));
  ASSERT_TRUE(tree.ok());
  auto receivers = [&](const model::Labels& l) {
    std::string out;
    for (const Route* r : tree->Match(l)) out += (out.empty() ? "" : ",") + r->receiver;
    return out;
  };
  EXPECT_EQ(receivers(L({{"x", "1"}, {"y", "2"}})), "a2,b,c");
  EXPECT_EQ(receivers(L({{"x", "1"}})), "a,b,c");
  EXPECT_EQ(receivers(L({{"x", "2"}})), "b,c");
  EXPECT_EQ(receivers(L({})), "c");
  EXPECT_EQ(tree->root().routes[2]->key, "{}/{}");
}

TEST(RouteTest, MissingLabelMatchesAsEmpty) {
  Result<RouteTree> tree =
      RouteTree::Build(Node("root", {}, {Node("empty", {Eq("team", "")}), Node("other", {})}));
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->Match(L({{"a", "b"}}))[0]->receiver, "empty");
  EXPECT_EQ(tree->Match(L({{"team", "x"}}))[0]->receiver, "other");
  Result<RouteTree> neg = RouteTree::Build(Node("root", {},
                                                {Node("has", {M("team", Op::kRegex, ".+")}),
                                                 Node("lacks", {M("team", Op::kNotRegex, ".+")})}));
  ASSERT_TRUE(neg.ok());
  EXPECT_EQ(neg->Match(L({{"team", "x"}}))[0]->receiver, "has");
  EXPECT_EQ(neg->Match(L({}))[0]->receiver, "lacks");
}

TEST(RouteTest, MatcherStringsAsAlertmanagerPrintsThem) {
  struct Case {
    AmMatcher m;
    std::string want;
  };
  for (const Case& c : std::vector<Case>{
           {Eq("action", "page"), R"(action="page")"},
           {M("alertname", Op::kRegex, "A|B"), R"(alertname=~"A|B")"},
           {M("a", Op::kNotEqual, "x\"y\\z\nw"), R"(a!="x\"y\\z\nw")"},
           {M("a", Op::kNotRegex, "é"), R"(a!~"é")"},
           {M("a b", Op::kEqual, "v\t"), R"("a b"="v\t")"},
       }) {
    Result<RouteMatcher> m = RouteMatcher::Compile(c.m);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->ToString(), c.want);
  }
  Result<RouteTree> tree =
      RouteTree::Build(Node("root", {},
                            {Node("x", {Eq("severity", "critical"), Eq("action", "page")}),
                             Node("y", {M("alertname", Op::kRegex, "A|B")})}));
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->root().key, "{}");
  EXPECT_EQ(tree->root().routes[0]->key, R"({}/{action="page",severity="critical"})");
  EXPECT_EQ(tree->root().routes[1]->key, R"({}/{alertname=~"A|B"})");
}

TEST(RouteTest, MatchersSortByNameValueThenOperator) {
  Result<RouteTree> tree =
      RouteTree::Build(Node("root", {},
                            {Node("x", {M("b", Op::kNotRegex, "1"), M("b", Op::kEqual, "1"),
                                        Eq("a", "2"), M("b", Op::kRegex, "0")})}));
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->root().routes[0]->MatchersString(), R"({a="2",b=~"0",b="1",b!~"1"})");
}

TEST(RouteTest, GroupLabelsAndGroupKey) {
  Result<RouteTree> tree =
      RouteTree::Build(GroupBy(Node("default", {},
                                    {GroupBy(Node("all", {Eq("team", "all")}), {"..."}),
                                     Node("pager", {Eq("action", "page")})}),
                               {"alertname", "service", "cluster"}));
  ASSERT_TRUE(tree.ok());
  model::Labels alert = L(
      {{"alertname", "APIDown"}, {"service", "api"}, {"action", "page"}, {"severity", "critical"}});
  std::vector<const Route*> routes = tree->Match(alert);
  ASSERT_EQ(routes.size(), 1u);
  model::Labels group = routes[0]->GroupLabels(alert);
  EXPECT_EQ(group, L({{"alertname", "APIDown"}, {"service", "api"}}));  // no cluster label
  EXPECT_EQ(routes[0]->GroupKey(group),
            R"({}/{action="page"}:{alertname="APIDown", service="api"})");

  model::Labels all = L({{"team", "all"}, {"b", "x\"y"}});
  const Route* r = tree->Match(all)[0];
  EXPECT_EQ(r->receiver, "all");
  EXPECT_EQ(r->GroupLabels(all), all);
  EXPECT_EQ(r->GroupKey(r->GroupLabels(all)), R"({}/{team="all"}:{b="x\"y", team="all"})");
  EXPECT_EQ(tree->root().GroupKey(model::Labels()), "{}:{}");
}

TEST(RouteTest, TimeIntervalsAreNotInheritedButHoldIs) {
  RouteConfig child = Node("", {Eq("a", "1")}, {Node("", {Eq("b", "1")})});
  child.mute_time_intervals = {"nights"};
  child.active_time_intervals = {"business"};
  child.outside_active_intervals = "drop";
  Result<RouteTree> tree = RouteTree::Build(Node("root", {}, {child}));
  ASSERT_TRUE(tree.ok());
  const Route& c = *tree->root().routes[0];
  EXPECT_EQ(c.receiver, "root");
  EXPECT_EQ(c.mute_time_intervals, std::vector<std::string>{"nights"});
  EXPECT_FALSE(c.hold_outside_active);
  EXPECT_TRUE(c.routes[0]->mute_time_intervals.empty());
  EXPECT_TRUE(c.routes[0]->active_time_intervals.empty());
  EXPECT_FALSE(c.routes[0]->hold_outside_active);
  EXPECT_TRUE(tree->root().hold_outside_active);
  EXPECT_EQ(c.config, &tree->root().config->routes[0]);
}

TEST(RouteTest, BuildErrors) {
  struct Case {
    RouteConfig root;
    std::string want;
  };
  RouteConfig bad_hold = Node("r", {}, {Node("x", {})});
  bad_hold.routes[0].outside_active_intervals = "wait";
  bad_hold.routes[0].line = 7;
  bad_hold.routes[0].column = 5;
  RouteConfig root_continue = Node("r", {});
  root_continue.continue_matching = true;
  for (const Case& c : std::vector<Case>{
           {Node("", {}), "cannot build route tree: root route must specify a default receiver"},
           {Node("r", {Eq("a", "b")}),
            "cannot build route tree: root route must not have any matchers"},
           {root_continue, "cannot build route tree: cannot have continue in root route"},
           {Node("r", {}, {Node("x", {M("a", Op::kRegex, "(")})}),
            "cannot build route tree: route: invalid regex in matcher a=~\"(\": missing ): ("},
           {bad_hold,
            "cannot build route tree: route at line 7:5: outside_active_intervals must be "
            "\"hold\" or \"drop\", not \"wait\""},
       }) {
    Result<RouteTree> tree = RouteTree::Build(c.root);
    ASSERT_FALSE(tree.ok());
    EXPECT_EQ(tree.status().message(), c.want);
  }
}

}  // namespace
}  // namespace hw::alerting
