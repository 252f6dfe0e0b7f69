#include "rules/template.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <re2/re2.h>

namespace hw::rules {
namespace tmpl {

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

std::string Print(const Val& v) {
  switch (v.k) {
    case Val::K::kNil: return "<no value>";
    case Val::K::kStr: return v.s;
    case Val::K::kNum: return FormatGoFloat(v.n);
    case Val::K::kBool: return v.b ? "true" : "false";
    case Val::K::kMap: {
      std::string out = "map[";
      bool first = true;
      for (const auto& [k, x] : v.map) {
        if (!first) out += " ";
        first = false;
        out += k + ":" + x;
      }
      return out + "]";
    }
    case Val::K::kSample: return "{" + v.sample.labels.ToString() + " " + FormatGoFloat(v.sample.value) + "}";
    case Val::K::kSamples: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.samples.size(); ++i) {
        if (i) out += " ";
        out += "{" + v.samples[i].labels.ToString() + " " + FormatGoFloat(v.samples[i].value) + "}";
      }
      return out + "]";
    }
    case Val::K::kData: return "{...}";
  }
  return "";
}

bool Truth(const Val& v) {
  switch (v.k) {
    case Val::K::kNil: return false;
    case Val::K::kStr: return !v.s.empty();
    case Val::K::kNum: return v.n != 0;
    case Val::K::kBool: return v.b;
    case Val::K::kMap: return !v.map.empty();
    case Val::K::kSamples: return !v.samples.empty();
    default: return true;
  }
}

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

const std::set<std::string, std::less<>>& Funcs() {
  static const std::set<std::string, std::less<>> k = {
      "humanize", "humanize1024", "humanizeDuration", "humanizePercentage",
      "humanizeTimestamp", "printf", "print", "println", "title", "toUpper", "toLower",
      "reReplaceAll", "match", "query", "first", "value", "label", "strvalue",
      "sortByLabel", "len", "index", "eq", "ne", "lt", "le", "gt", "ge", "and", "or",
      "not", "safeHtml", "stripPort", "pathPrefix"};
  return k;
}

// ---- parser -----------------------------------------------------------------------

class Parser {
 public:
  Parser(std::string_view name, std::string_view text) : name_(name), in_(text) {}

  Result<std::shared_ptr<Node>> Run() {
    auto root = std::make_shared<Node>();
    std::string end_kw;
    HW_RETURN_IF_ERROR(ParseList(root.get(), &end_kw));
    if (!end_kw.empty()) return Err(last_action_, fmt::format("unexpected {{{{{}}}}}", end_kw));
    return root;
  }

 private:
  Status Err(std::size_t at, std::string_view msg) const {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < at && i < in_.size(); ++i) {
      if (in_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return Status::BadData(fmt::format("template: {}:{}:{}: {}", name_, line, col, msg));
  }

  // Parses nodes until EOF or an {{end}}/{{else...}} action, whose keyword (and, for
  // "else if", the rest) is returned in *stop.
  Status ParseList(Node* list, std::string* stop) {
    while (pos_ < in_.size()) {
      std::size_t open = in_.find("{{", pos_);
      std::string text(in_.substr(pos_, open == std::string_view::npos ? in_.npos : open - pos_));
      if (open == std::string_view::npos) {
        AddText(list, text);
        pos_ = in_.size();
        break;
      }
      bool trim_left = open + 2 < in_.size() && in_[open + 2] == '-' &&
                       open + 3 < in_.size() && std::isspace(static_cast<unsigned char>(in_[open + 3]));
      if (trim_left) {
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
      }
      AddText(list, text);
      std::size_t body = open + (trim_left ? 3 : 2);
      std::size_t close = FindClose(body);
      if (close == std::string_view::npos) return Err(open, "unclosed action");
      bool trim_right = close >= 1 && in_[close - 1] == '-' && close >= 2 &&
                        std::isspace(static_cast<unsigned char>(in_[close - 2]));
      std::string_view action = in_.substr(body, close - body - (trim_right ? 1 : 0));
      last_action_ = open;
      pos_ = close + 2;
      if (trim_right) {
        while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
      }
      // Trim spaces around the action.
      std::size_t a = action.find_first_not_of(" \t\r\n");
      if (a == std::string_view::npos) return Err(open, "missing value for command");
      std::size_t b = action.find_last_not_of(" \t\r\n");
      action = action.substr(a, b - a + 1);
      std::size_t apos = body + a;
      if (action.starts_with("/*")) {
        if (!action.ends_with("*/")) return Err(open, "unclosed comment");
        continue;
      }
      std::string_view kw = action.substr(0, action.find_first_of(" \t\r\n("));
      if (kw == "end" || kw == "else") {
        *stop = std::string(action);
        stop_pos_ = apos;
        return Status::Ok();
      }
      if (kw == "if" || kw == "with" || kw == "range") {
        HW_RETURN_IF_ERROR(ParseControl(list, kw, action.substr(kw.size()), apos + kw.size()));
        continue;
      }
      if (kw == "define" || kw == "template" || kw == "block" || kw == "break" ||
          kw == "continue") {
        return Err(apos, fmt::format("{{{{{}}}}} is not supported", kw));
      }
      auto n = std::make_shared<Node>();
      n->k = Node::K::kAction;
      auto p = ParsePipe(action, apos);
      if (!p.ok()) return p.status();
      n->pipe = *p;
      list->list.push_back(n);
    }
    return Status::Ok();
  }

  Status ParseControl(Node* list, std::string_view kw, std::string_view rest, std::size_t rpos) {
    auto n = std::make_shared<Node>();
    n->k = kw == "if" ? Node::K::kIf : kw == "with" ? Node::K::kWith : Node::K::kRange;
    auto p = ParsePipe(rest, rpos);
    if (!p.ok()) return p.status();
    n->pipe = *p;
    auto body = std::make_shared<Node>();
    std::string stop;
    std::size_t start = last_action_;
    HW_RETURN_IF_ERROR(ParseList(body.get(), &stop));
    n->list = std::move(body->list);
    if (stop.empty()) return Err(start, fmt::format("unexpected EOF: {{{{{}}}}} without {{{{end}}}}", kw));
    if (stop.starts_with("else")) {
      std::string_view after = std::string_view(stop).substr(4);
      std::size_t a = after.find_first_not_of(" \t\r\n");
      auto else_list = std::make_shared<Node>();
      if (a != std::string_view::npos) {
        // {{else if ...}}: a nested if that consumes the shared {{end}}.
        std::string_view chained = after.substr(a);
        std::string_view ckw = chained.substr(0, chained.find_first_of(" \t\r\n("));
        if (ckw != "if" && ckw != "with") return Err(stop_pos_, "unexpected tokens after else");
        std::string chained_copy(chained);  // `stop` is reused by the recursion
        HW_RETURN_IF_ERROR(ParseControl(else_list.get(), ckw,
                                        std::string_view(chained_copy).substr(ckw.size()),
                                        stop_pos_));
        n->else_list = else_list;
        list->list.push_back(n);
        return Status::Ok();
      }
      std::string stop2;
      HW_RETURN_IF_ERROR(ParseList(else_list.get(), &stop2));
      if (stop2 != "end") return Err(start, fmt::format("{{{{{}}}}} without {{{{end}}}}", kw));
      n->else_list = else_list;
    } else if (stop != "end") {
      return Err(stop_pos_, "unexpected tokens after end");
    }
    list->list.push_back(n);
    return Status::Ok();
  }

  std::size_t FindClose(std::size_t from) const {
    std::size_t i = from;
    while (i + 1 < in_.size()) {
      char c = in_[i];
      if (c == '"' || c == '`' || c == '\'') {
        char q = c;
        ++i;
        while (i < in_.size() && in_[i] != q) {
          if (in_[i] == '\\' && q != '`') ++i;
          ++i;
        }
        ++i;
        continue;
      }
      if (c == '}' && in_[i + 1] == '}') return i;
      ++i;
    }
    return std::string_view::npos;
  }

  static void AddText(Node* list, const std::string& text) {
    if (text.empty()) return;
    auto n = std::make_shared<Node>();
    n->k = Node::K::kText;
    n->text = text;
    list->list.push_back(n);
  }

  // ---- pipelines: a tiny lexer over the action text ----
  struct Lex {
    std::string_view s;
    std::size_t i = 0;
    std::size_t base = 0;
    void Skip() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; }
  };

  Result<std::shared_ptr<Pipe>> ParsePipe(std::string_view text, std::size_t at) {
    Lex lx{text, 0, at};
    auto p = ParsePipeLex(lx, false);
    if (!p.ok()) return p.status();
    lx.Skip();
    if (lx.i < text.size()) return Err(at + lx.i, fmt::format("unexpected \"{}\" in command", text[lx.i]));
    return p;
  }

  Result<std::shared_ptr<Pipe>> ParsePipeLex(Lex& lx, bool in_paren) {
    auto p = std::make_shared<Pipe>();
    p->pos = static_cast<int>(lx.base + lx.i);
    lx.Skip();
    // `$x := ` / `$x = `
    if (lx.i < lx.s.size() && lx.s[lx.i] == '$') {
      std::size_t j = lx.i + 1;
      while (j < lx.s.size() && (std::isalnum(static_cast<unsigned char>(lx.s[j])) || lx.s[j] == '_')) ++j;
      std::size_t k = j;
      while (k < lx.s.size() && lx.s[k] == ' ') ++k;
      if (lx.s.substr(k).starts_with(":=") || (lx.s.substr(k).starts_with("=") && !lx.s.substr(k).starts_with("=="))) {
        p->decl = std::string(lx.s.substr(lx.i, j - lx.i));
        p->assign = lx.s[k] == '=';
        lx.i = k + (p->assign ? 1 : 2);
        vars_.insert(p->decl);
      }
    }
    while (true) {
      Command cmd;
      while (true) {
        lx.Skip();
        if (lx.i >= lx.s.size() || lx.s[lx.i] == '|' || (lx.s[lx.i] == ')' && in_paren)) break;
        auto op = ParseOperand(lx);
        if (!op.ok()) return op.status();
        cmd.args.push_back(std::move(*op));
      }
      if (cmd.args.empty()) return Err(lx.base + lx.i, "missing value for command");
      if (cmd.args[0].k != Operand::K::kFunc && cmd.args.size() > 1) {
        return Err(lx.base + lx.i, "can't give argument to non-function");
      }
      p->cmds.push_back(std::move(cmd));
      if (lx.i < lx.s.size() && lx.s[lx.i] == '|') {
        ++lx.i;
        continue;
      }
      break;
    }
    return p;
  }

  Result<Operand> ParseOperand(Lex& lx) {
    Operand op;
    std::size_t start = lx.i;
    char c = lx.s[lx.i];
    if (c == '(') {
      ++lx.i;
      auto p = ParsePipeLex(lx, true);
      if (!p.ok()) return p.status();
      if (lx.i >= lx.s.size() || lx.s[lx.i] != ')') return Err(lx.base + start, "unclosed left paren");
      ++lx.i;
      op.k = Operand::K::kPipe;
      op.pipe = *p;
      ReadFields(lx, &op.fields);
      return op;
    }
    if (c == '"' || c == '`') {
      op.k = Operand::K::kStr;
      ++lx.i;
      while (lx.i < lx.s.size() && lx.s[lx.i] != c) {
        char ch = lx.s[lx.i++];
        if (ch == '\\' && c == '"' && lx.i < lx.s.size()) {
          char e = lx.s[lx.i++];
          switch (e) {
            case 'n': op.s += '\n'; break;
            case 't': op.s += '\t'; break;
            case 'r': op.s += '\r'; break;
            case '\\': op.s += '\\'; break;
            case '"': op.s += '"'; break;
            default: op.s += '\\'; op.s += e;
          }
        } else {
          op.s += ch;
        }
      }
      if (lx.i >= lx.s.size()) return Err(lx.base + start, "unterminated quoted string");
      ++lx.i;
      return op;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || ((c == '-' || c == '+' || c == '.') && lx.i + 1 < lx.s.size() && std::isdigit(static_cast<unsigned char>(lx.s[lx.i + 1])))) {
      std::size_t j = lx.i;
      while (j < lx.s.size() && !std::isspace(static_cast<unsigned char>(lx.s[j])) && lx.s[j] != ')' && lx.s[j] != '|') ++j;
      std::string num(lx.s.substr(lx.i, j - lx.i));
      char* end = nullptr;
      op.n = std::strtod(num.c_str(), &end);
      if (end == num.c_str() || *end != '\0') return Err(lx.base + start, fmt::format("bad number syntax: \"{}\"", num));
      op.k = Operand::K::kNum;
      lx.i = j;
      return op;
    }
    if (c == '$' || c == '.') {
      op.k = Operand::K::kField;
      if (c == '$') {
        std::size_t j = lx.i + 1;
        while (j < lx.s.size() && (std::isalnum(static_cast<unsigned char>(lx.s[j])) || lx.s[j] == '_')) ++j;
        op.var = std::string(lx.s.substr(lx.i, j - lx.i));
        lx.i = j;
        if (op.var != "$" && !vars_.contains(op.var) && !IsPreamble(op.var)) {
          return Err(lx.base + start, fmt::format("undefined variable \"{}\"", op.var));
        }
      } else if (lx.i + 1 >= lx.s.size() || !std::isalpha(static_cast<unsigned char>(lx.s[lx.i + 1]))) {
        ++lx.i;  // bare dot
        return op;
      }
      ReadFields(lx, &op.fields);
      return op;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = lx.i;
      while (j < lx.s.size() && (std::isalnum(static_cast<unsigned char>(lx.s[j])) || lx.s[j] == '_')) ++j;
      std::string id(lx.s.substr(lx.i, j - lx.i));
      lx.i = j;
      if (id == "true" || id == "false") {
        op.k = Operand::K::kBool;
        op.b = id == "true";
      } else if (id == "nil") {
        op.k = Operand::K::kNil;
      } else if (Funcs().contains(id)) {
        op.k = Operand::K::kFunc;
        op.s = id;
      } else {
        return Err(lx.base + start, fmt::format("function \"{}\" not defined", id));
      }
      return op;
    }
    return Err(lx.base + start, fmt::format("unexpected \"{}\" in command", c));
  }

  static bool IsPreamble(std::string_view v) {
    return v == "$labels" || v == "$value" || v == "$externalLabels" || v == "$externalURL";
  }

  static void ReadFields(Lex& lx, std::vector<std::string>* fields) {
    while (lx.i < lx.s.size() && lx.s[lx.i] == '.') {
      std::size_t j = lx.i + 1;
      while (j < lx.s.size() && (std::isalnum(static_cast<unsigned char>(lx.s[j])) || lx.s[j] == '_')) ++j;
      fields->emplace_back(lx.s.substr(lx.i + 1, j - lx.i - 1));
      lx.i = j;
    }
  }

 public:
  // Variables declared anywhere in the template (scoping is checked loosely).
  std::set<std::string, std::less<>> vars_;

 private:
  std::string name_;
  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t last_action_ = 0;
  std::size_t stop_pos_ = 0;
};

// ---- execution --------------------------------------------------------------------

class Exec {
 public:
  Exec(std::string_view name, const TemplateData& data) : name_(name), data_(data) {
    Val dot;
    dot.k = Val::K::kData;
    vars_.push_back({"$", dot});
    vars_.push_back({"$labels", Val::Map(data.labels)});
    vars_.push_back({"$value", Val::Num(data.value)});
    vars_.push_back({"$externalLabels", Val::Map(data.external_labels)});
    vars_.push_back({"$externalURL", Val::Str(data.external_url)});
  }

  Status Walk(const Node& n, const Val& dot, std::string* out) {
    switch (n.k) {
      case Node::K::kList:
        for (const auto& c : n.list) HW_RETURN_IF_ERROR(Walk(*c, dot, out));
        return Status::Ok();
      case Node::K::kText:
        *out += n.text;
        return Status::Ok();
      case Node::K::kAction: {
        auto v = EvalPipe(*n.pipe, dot);
        if (!v.ok()) return v.status();
        if (n.pipe->decl.empty()) *out += Print(*v);
        return Status::Ok();
      }
      case Node::K::kIf:
      case Node::K::kWith:
      case Node::K::kRange: {
        std::size_t mark = vars_.size();
        auto v = EvalPipe(*n.pipe, dot);
        if (!v.ok()) return v.status();
        Status st;
        if (n.k == Node::K::kRange && Truth(*v)) {
          std::vector<Val> items;
          if (v->k == Val::K::kSamples) {
            for (const auto& s : v->samples) {
              Val x;
              x.k = Val::K::kSample;
              x.sample = s;
              items.push_back(x);
            }
          } else if (v->k == Val::K::kMap) {
            for (const auto& kv : v->map) items.push_back(Val::Str(kv.second));
          } else {
            return Fail(n.pipe->pos, fmt::format("range can't iterate over {}", Print(*v)));
          }
          for (const Val& it : items) {
            for (const auto& c : n.list) {
              st = Walk(*c, it, out);
              if (!st.ok()) break;
            }
            if (!st.ok()) break;
          }
        } else if (Truth(*v)) {
          const Val& inner = n.k == Node::K::kWith ? *v : dot;
          for (const auto& c : n.list) {
            st = Walk(*c, inner, out);
            if (!st.ok()) break;
          }
        } else if (n.else_list) {
          st = Walk(*n.else_list, dot, out);
        }
        vars_.resize(mark);
        return st;
      }
    }
    return Status::Ok();
  }

 private:
  Status Fail(int pos, std::string_view msg) const {
    return Status::Execution(fmt::format("template: {}: error at byte {}: {}", name_, pos + 1, msg));
  }

  Result<Val> EvalPipe(const Pipe& p, const Val& dot) {
    std::optional<Val> prev;
    for (const Command& c : p.cmds) {
      auto v = EvalCmd(c, dot, prev ? &*prev : nullptr, p.pos);
      if (!v.ok()) return v;
      prev = std::move(*v);
    }
    Val result = prev ? *prev : Val();
    if (!p.decl.empty()) {
      bool found = false;
      if (p.assign) {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
          if (it->first == p.decl) {
            it->second = result;
            found = true;
            break;
          }
        }
      }
      if (!found) vars_.push_back({p.decl, result});
    }
    return result;
  }

  Result<Val> Lookup(const Val& base, const std::vector<std::string>& fields, int pos) {
    Val v = base;
    for (const std::string& f : fields) {
      if (v.k == Val::K::kData) {
        if (f == "Labels") v = Val::Map(data_.labels);
        else if (f == "Value") v = Val::Num(data_.value);
        else if (f == "ExternalLabels") v = Val::Map(data_.external_labels);
        else if (f == "ExternalURL") v = Val::Str(data_.external_url);
        else return Fail(pos, fmt::format("can't evaluate field {}", f));
      } else if (v.k == Val::K::kMap) {
        auto it = v.map.find(f);
        v = Val::Str(it == v.map.end() ? "" : it->second);
      } else if (v.k == Val::K::kSample) {
        if (f == "Labels") {
          std::map<std::string, std::string> m;
          for (const auto& l : v.sample.labels) m[std::string(l.name)] = std::string(l.value);
          v = Val::Map(std::move(m));
        } else if (f == "Value") {
          v = Val::Num(v.sample.value);
        } else {
          return Fail(pos, fmt::format("can't evaluate field {} in sample", f));
        }
      } else if (v.k == Val::K::kNil) {
        return Fail(pos, fmt::format("nil pointer evaluating .{}", f));
      } else {
        return Fail(pos, fmt::format("can't evaluate field {} in {}", f, Print(v)));
      }
    }
    return v;
  }

  Result<Val> EvalOperand(const Operand& op, const Val& dot, int pos) {
    switch (op.k) {
      case Operand::K::kStr: return Val::Str(op.s);
      case Operand::K::kNum: return Val::Num(op.n);
      case Operand::K::kBool: return Val::Bool(op.b);
      case Operand::K::kNil: return Val();
      case Operand::K::kPipe: {
        auto v = EvalPipe(*op.pipe, dot);
        if (!v.ok()) return v;
        return Lookup(*v, op.fields, pos);
      }
      case Operand::K::kField: {
        if (op.var.empty()) return Lookup(dot, op.fields, pos);
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
          if (it->first == op.var) return Lookup(it->second, op.fields, pos);
        }
        return Fail(pos, fmt::format("undefined variable \"{}\"", op.var));
      }
      case Operand::K::kFunc: return CallFunc(op.s, {}, pos);
    }
    return Val();
  }

  Result<Val> EvalCmd(const Command& c, const Val& dot, const Val* piped, int pos) {
    if (c.args[0].k != Operand::K::kFunc) {
      if (piped) return Fail(pos, "can't give argument to non-function");
      return EvalOperand(c.args[0], dot, pos);
    }
    std::vector<Val> args;
    // and/or short-circuit; evaluating everything first is equivalent without side effects.
    for (std::size_t i = 1; i < c.args.size(); ++i) {
      auto v = EvalOperand(c.args[i], dot, pos);
      if (!v.ok()) return v;
      args.push_back(std::move(*v));
    }
    if (piped) args.push_back(*piped);
    return CallFunc(c.args[0].s, args, pos);
  }

  Result<double> ToFloat(const Val& v, int pos, std::string_view fn) {
    if (v.k == Val::K::kNum) return v.n;
    if (v.k == Val::K::kBool) return v.b ? 1.0 : 0.0;
    if (v.k == Val::K::kStr) {
      char* end = nullptr;
      double d = std::strtod(v.s.c_str(), &end);
      if (!v.s.empty() && *end == '\0') return d;
    }
    return Fail(pos, fmt::format("error calling {}: cannot convert {} to float", fn, Print(v)));
  }

  static std::string GoRepl(const std::string& repl) {
    // Go's $1 / ${1} / $$ -> RE2's \1 / \\ escaping.
    std::string out;
    for (std::size_t i = 0; i < repl.size(); ++i) {
      char c = repl[i];
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '$' && i + 1 < repl.size() && repl[i + 1] == '$') {
        out += '$';
        ++i;
      } else if (c == '$' && i + 1 < repl.size() && (std::isdigit(static_cast<unsigned char>(repl[i + 1])) || repl[i + 1] == '{')) {
        std::size_t j = i + 1;
        bool brace = repl[j] == '{';
        if (brace) ++j;
        std::size_t k = j;
        while (k < repl.size() && std::isdigit(static_cast<unsigned char>(repl[k]))) ++k;
        if (k == j || (brace && (k >= repl.size() || repl[k] != '}'))) {
          out += c;
          continue;
        }
        out += "\\" + repl.substr(j, k - j);
        i = brace ? k : k - 1;
      } else {
        out += c;
      }
    }
    return out;
  }

  Result<std::string> Printf(const std::vector<Val>& args, int pos) {
    if (args.empty() || args[0].k != Val::K::kStr) return Fail(pos, "printf needs a format string");
    const std::string& f = args[0].s;
    std::string out;
    std::size_t ai = 1;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '%') {
        out += f[i];
        continue;
      }
      std::size_t j = i + 1;
      while (j < f.size() && std::strchr("+- #0", f[j])) ++j;
      while (j < f.size() && (std::isdigit(static_cast<unsigned char>(f[j])) || f[j] == '.')) ++j;
      if (j >= f.size()) {
        out += "%!(NOVERB)";
        break;
      }
      char verb = f[j];
      std::string spec = f.substr(i, j - i);
      i = j;
      if (verb == '%') {
        out += '%';
        continue;
      }
      if (ai >= args.size()) {
        out += fmt::format("%!{}(MISSING)", verb);
        continue;
      }
      const Val& a = args[ai++];
      char buf[512];
      switch (verb) {
        case 'v':
        case 's': {
          std::string s = Print(a);
          std::snprintf(buf, sizeof buf, (spec + "s").c_str(), s.c_str());
          out += buf;
          break;
        }
        case 'q': {
          std::string s;
          model::AppendQuoted(&s, Print(a));
          out += s;
          break;
        }
        case 'd':
        case 'x':
        case 'X': {
          auto d = ToFloat(a, pos, "printf");
          if (!d.ok()) return d.status();
          std::snprintf(buf, sizeof buf, (spec + "ll" + verb).c_str(),
                        static_cast<long long>(*d));
          out += buf;
          break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G': {
          auto d = ToFloat(a, pos, "printf");
          if (!d.ok()) return d.status();
          if (std::isnan(*d) || std::isinf(*d)) {
            out += FormatGoFloat(*d);
          } else {
            std::snprintf(buf, sizeof buf, (spec + verb).c_str(), *d);
            out += buf;
          }
          break;
        }
        case 't':
          out += Truth(a) ? "true" : "false";
          break;
        default:
          out += fmt::format("%!{}({})", verb, Print(a));
      }
    }
    if (ai < args.size()) {
      out += "%!(EXTRA ";
      for (std::size_t k = ai; k < args.size(); ++k) out += (k > ai ? ", " : "") + Print(args[k]);
      out += ")";
    }
    return out;
  }

  static int Compare(const Val& a, const Val& b, bool* ok) {
    *ok = true;
    if (a.k == Val::K::kNum && b.k == Val::K::kNum) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
    if (a.k == Val::K::kStr && b.k == Val::K::kStr) return a.s.compare(b.s) < 0 ? -1 : a.s == b.s ? 0 : 1;
    if (a.k == Val::K::kBool && b.k == Val::K::kBool) return a.b == b.b ? 0 : (a.b ? 1 : -1);
    *ok = false;
    return 0;
  }

  Result<Val> CallFunc(const std::string& fn, const std::vector<Val>& args, int pos) {
    auto want = [&](std::size_t n) -> Status {
      if (args.size() != n) {
        return Fail(pos, fmt::format("wrong number of args for {}: want {} got {}", fn, n, args.size()));
      }
      return Status::Ok();
    };
    auto num_fn = [&](std::string (*f)(double)) -> Result<Val> {
      HW_RETURN_IF_ERROR(want(1));
      auto d = ToFloat(args[0], pos, fn);
      if (!d.ok()) return d.status();
      return Val::Str(f(*d));
    };
    if (fn == "humanize") return num_fn(Humanize);
    if (fn == "humanize1024") return num_fn(Humanize1024);
    if (fn == "humanizeDuration") return num_fn(HumanizeDuration);
    if (fn == "humanizePercentage") return num_fn(HumanizePercentage);
    if (fn == "humanizeTimestamp") return num_fn(HumanizeTimestamp);
    if (fn == "printf") {
      auto s = Printf(args, pos);
      if (!s.ok()) return s.status();
      return Val::Str(*s);
    }
    if (fn == "print" || fn == "println") {
      std::string out;
      for (std::size_t i = 0; i < args.size(); ++i) {
        bool strs = i > 0 && args[i].k == Val::K::kStr && args[i - 1].k == Val::K::kStr;
        if (i > 0 && (fn == "println" || !strs)) out += " ";
        out += Print(args[i]);
      }
      if (fn == "println") out += "\n";
      return Val::Str(out);
    }
    if (fn == "toUpper" || fn == "toLower" || fn == "title" || fn == "safeHtml" ||
        fn == "stripPort") {
      HW_RETURN_IF_ERROR(want(1));
      std::string s = Print(args[0]);
      if (fn == "toUpper") {
        for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      } else if (fn == "toLower") {
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (fn == "title") {
        bool start = true;
        for (char& c : s) {
          bool letter = std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80) || c == '_' || c == '\'';
          if (start && letter) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          start = !letter;
        }
      } else if (fn == "stripPort") {
        std::size_t colon = s.rfind(':');
        if (colon != std::string::npos && s.find(']') == std::string::npos && s.find(':') == colon) s.resize(colon);
        else if (s.starts_with("[") && s.find("]:") != std::string::npos) s = s.substr(1, s.find("]:") - 1);
      }
      return Val::Str(s);
    }
    if (fn == "pathPrefix") return Val::Str("");
    if (fn == "reReplaceAll") {
      HW_RETURN_IF_ERROR(want(3));
      RE2 re(Print(args[0]));
      if (!re.ok()) return Fail(pos, fmt::format("error calling reReplaceAll: {}", re.error()));
      std::string text = Print(args[2]);
      RE2::GlobalReplace(&text, re, GoRepl(Print(args[1])));
      return Val::Str(text);
    }
    if (fn == "match") {
      HW_RETURN_IF_ERROR(want(2));
      RE2 re(Print(args[0]));
      if (!re.ok()) return Fail(pos, fmt::format("error calling match: {}", re.error()));
      return Val::Bool(RE2::PartialMatch(Print(args[1]), re));
    }
    if (fn == "query") {
      HW_RETURN_IF_ERROR(want(1));
      if (!data_.query) return Fail(pos, "error calling query: no query function");
      auto r = data_.query(Print(args[0]));
      if (!r.ok()) return Fail(pos, fmt::format("error calling query: {}", r.status().message()));
      Val v;
      v.k = Val::K::kSamples;
      v.samples = std::move(*r);
      return v;
    }
    if (fn == "first") {
      HW_RETURN_IF_ERROR(want(1));
      if (args[0].k != Val::K::kSamples) return Fail(pos, "error calling first: not a query result");
      if (args[0].samples.empty()) return Fail(pos, "error calling first: first() called on vector with no elements");
      Val v;
      v.k = Val::K::kSample;
      v.sample = args[0].samples[0];
      return v;
    }
    if (fn == "sortByLabel") {
      HW_RETURN_IF_ERROR(want(2));
      if (args[1].k != Val::K::kSamples) return Fail(pos, "error calling sortByLabel: not a query result");
      Val v = args[1];
      std::string l = Print(args[0]);
      std::stable_sort(v.samples.begin(), v.samples.end(), [&](const auto& a, const auto& b) {
        return a.labels.Get(l) < b.labels.Get(l);
      });
      return v;
    }
    if (fn == "value" || fn == "strvalue") {
      HW_RETURN_IF_ERROR(want(1));
      if (args[0].k != Val::K::kSample) return Fail(pos, fmt::format("error calling {}: not a sample", fn));
      if (fn == "value") return Val::Num(args[0].sample.value);
      return Val::Str(std::string(args[0].sample.labels.Get("__value__")));
    }
    if (fn == "label") {
      HW_RETURN_IF_ERROR(want(2));
      if (args[1].k != Val::K::kSample) return Fail(pos, "error calling label: not a sample");
      return Val::Str(std::string(args[1].sample.labels.Get(Print(args[0]))));
    }
    if (fn == "len") {
      HW_RETURN_IF_ERROR(want(1));
      const Val& a = args[0];
      if (a.k == Val::K::kStr) return Val::Num(static_cast<double>(a.s.size()));
      if (a.k == Val::K::kMap) return Val::Num(static_cast<double>(a.map.size()));
      if (a.k == Val::K::kSamples) return Val::Num(static_cast<double>(a.samples.size()));
      return Fail(pos, fmt::format("error calling len: len of {}", Print(a)));
    }
    if (fn == "index") {
      HW_RETURN_IF_ERROR(want(2));
      if (args[0].k == Val::K::kMap) {
        auto it = args[0].map.find(Print(args[1]));
        return Val::Str(it == args[0].map.end() ? "" : it->second);
      }
      if (args[0].k == Val::K::kSamples && args[1].k == Val::K::kNum) {
        auto i = static_cast<std::size_t>(args[1].n);
        if (args[1].n < 0 || i >= args[0].samples.size()) return Fail(pos, "error calling index: out of range");
        Val v;
        v.k = Val::K::kSample;
        v.sample = args[0].samples[i];
        return v;
      }
      return Fail(pos, "error calling index: cannot index");
    }
    if (fn == "not") {
      HW_RETURN_IF_ERROR(want(1));
      return Val::Bool(!Truth(args[0]));
    }
    if (fn == "and" || fn == "or") {
      if (args.empty()) return Fail(pos, fmt::format("wrong number of args for {}", fn));
      for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (Truth(args[i]) != (fn == "and")) return args[i];
      }
      return args.back();
    }
    if (fn == "eq" || fn == "ne" || fn == "lt" || fn == "le" || fn == "gt" || fn == "ge") {
      if (args.size() < 2) return Fail(pos, fmt::format("wrong number of args for {}", fn));
      bool ok = true;
      if (fn == "eq") {
        for (std::size_t i = 1; i < args.size(); ++i) {
          int c = Compare(args[0], args[i], &ok);
          if (!ok) return Fail(pos, "error calling eq: incompatible types for comparison");
          if (c == 0) return Val::Bool(true);
        }
        return Val::Bool(false);
      }
      HW_RETURN_IF_ERROR(want(2));
      int c = Compare(args[0], args[1], &ok);
      if (!ok) return Fail(pos, fmt::format("error calling {}: incompatible types for comparison", fn));
      if (fn == "ne") return Val::Bool(c != 0);
      if (fn == "lt") return Val::Bool(c < 0);
      if (fn == "le") return Val::Bool(c <= 0);
      if (fn == "gt") return Val::Bool(c > 0);
      return Val::Bool(c >= 0);
    }
    return Fail(pos, fmt::format("function \"{}\" not defined", fn));
  }

  std::string name_;
  const TemplateData& data_;
  std::vector<std::pair<std::string, Val>> vars_;
};

}  // namespace tmpl

Result<Template> Template::Parse(std::string_view name, std::string_view text) {
  tmpl::Parser p(name, text);
  auto root = p.Run();
  if (!root.ok()) return root.status();
  Template t;
  t.name_ = std::string(name);
  t.root_ = std::move(*root);
  return t;
}

Result<std::string> Template::Execute(const TemplateData& data) const {
  tmpl::Exec ex(name_, data);
  std::string out;
  tmpl::Val dot;
  dot.k = tmpl::Val::K::kData;
  HW_RETURN_IF_ERROR(ex.Walk(*root_, dot, &out));
  return out;
}

}  // namespace hw::rules
