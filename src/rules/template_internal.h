// Internal to src/rules: the syntax tree of the Go text/template subset (template.h,
// template_set.h), shared by the parser (template_parse.cc) and the executor
// (template_exec.cc).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "rules/template.h"
#include "rules/template_set.h"

namespace hw::rules::tmpl {

// ---- values -----------------------------------------------------------------------

using Val = TemplateValue;

std::string Print(const Val& v);
bool Truth(const Val& v);

// ---- syntax tree ------------------------------------------------------------------

struct Pipe;
struct Operand {
  enum class K { kField, kFunc, kStr, kNum, kBool, kNil, kPipe };
  K k = K::kNil;
  std::string var;                  // kField: "" for dot, "$" or "$name" otherwise
  std::vector<std::string> fields;  // kField
  std::string s;                    // kFunc name / kStr
  double n = 0;
  bool b = false;
  std::shared_ptr<Pipe> pipe;
};
struct Command {
  std::vector<Operand> args;
};
struct Pipe {
  std::string decl;   // "$x" for `$x := ...`; "$i" for `$i, $e := ...`
  std::string decl2;  // "$e" for `$i, $e := ...` (range only)
  bool assign = false;  // `$x = ...`
  std::vector<Command> cmds;
  int pos = 0;
};
struct Node {
  enum class K { kList, kText, kAction, kIf, kWith, kRange, kTemplate };
  K k = K::kList;
  std::string text;                               // kText; kTemplate: the name
  std::shared_ptr<Pipe> pipe;                     // kTemplate: may be null (nil dot)
  std::vector<std::shared_ptr<Node>> list;       // kList; body of if/with/range
  std::shared_ptr<Node> else_list;                // may be null
};

// The two dialects: rules (Prometheus' functions, its preamble variables, no
// define/template) and notifications (Alertmanager's functions, define/template).
enum class Dialect { kRules, kNotify };

// The functions a pipeline may call in a dialect.
const std::set<std::string, std::less<>>& Funcs(Dialect d = Dialect::kRules);

using Defines = std::map<std::string, std::shared_ptr<const Node>, std::less<>>;

// Parses template text into its tree; errors name the template and position. In the
// notify dialect, {{ define }} bodies go to *defines (which may be null otherwise).
Result<std::shared_ptr<Node>> ParseTree(std::string_view name, std::string_view text,
                                        Dialect dialect = Dialect::kRules,
                                        Defines* defines = nullptr);

struct ExecEnv {
  Val dot;
  std::vector<std::pair<std::string, Val>> vars;  // preamble variables besides `$`
  const TemplateQueryFunc* query = nullptr;       // the `query` function; may be null
  const Defines* defines = nullptr;               // for {{ template }}
  bool html = false;                              // escape printed values
};

// Runs a parsed tree, appending the output to *out.
Status ExecuteTree(const Node& root, std::string_view name, const ExecEnv& env,
                   std::string* out);

}  // namespace hw::rules::tmpl
