// Internal to src/rules: the syntax tree and values of the Go text/template subset
// (template.h), shared by the parser (template_parse.cc) and the executor
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

namespace hw::rules::tmpl {

// ---- values -----------------------------------------------------------------------

struct Val {
  enum class K { kNil, kStr, kNum, kBool, kMap, kSamples, kSample, kData };
  K k = K::kNil;
  std::string s;
  double n = 0;
  bool b = false;
  std::map<std::string, std::string> map;
  std::vector<TemplateSample> samples;
  TemplateSample sample;
  static Val Str(std::string v) { Val x; x.k = K::kStr; x.s = std::move(v); return x; }
  static Val Num(double v) { Val x; x.k = K::kNum; x.n = v; return x; }
  static Val Bool(bool v) { Val x; x.k = K::kBool; x.b = v; return x; }
  static Val Map(std::map<std::string, std::string> m) { Val x; x.k = K::kMap; x.map = std::move(m); return x; }
};

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
  std::string decl;  // "$x" for `$x := ...`
  bool assign = false;  // `$x = ...`
  std::vector<Command> cmds;
  int pos = 0;
};
struct Node {
  enum class K { kList, kText, kAction, kIf, kWith, kRange };
  K k = K::kList;
  std::string text;
  std::shared_ptr<Pipe> pipe;
  std::vector<std::shared_ptr<Node>> list;       // kList; body of if/with/range
  std::shared_ptr<Node> else_list;                // may be null
};

// The functions a pipeline may call.
const std::set<std::string, std::less<>>& Funcs();

// Parses template text into its tree; errors name the template and position.
Result<std::shared_ptr<Node>> ParseTree(std::string_view name, std::string_view text);
// Runs a parsed tree against data, appending the output to *out.
Status ExecuteTree(const Node& root, std::string_view name, const TemplateData& data,
                   std::string* out);

}  // namespace hw::rules::tmpl
