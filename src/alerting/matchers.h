// Alertmanager's label matchers outside the config: compiling the config's matchers,
// and parsing the matcher strings the API and amtool send ("alertname=APIDown",
// `severity=~"crit.*"`, `{service!="db", env="prod"}`).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/notifications.h"
#include "model/labels.h"
#include "model/matcher.h"

namespace hw::alerting {

// config matchers to compiled ones (regexes anchored).
Result<std::vector<model::Matcher>> CompileMatchers(const std::vector<config::AmMatcher>& ms);
bool MatchesAll(const std::vector<model::Matcher>& ms, const model::Labels& labels);

// One or more matchers: `name op value` with op = != =~ !~, the value quoted (Go
// escapes) or bare, several separated by commas, optionally inside { }. Errors name
// the input: "bad matcher \"x\": expected one of = != =~ !~".
Result<std::vector<model::Matcher>> ParseMatchers(std::string_view text);

}  // namespace hw::alerting
