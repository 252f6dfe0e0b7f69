
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <re2/re2.h>

#include "rules/template_internal.h"

namespace hw::rules::tmpl {

const std::set<std::string, std::less<>>& Funcs(Dialect d) {
  static const std::set<std::string, std::less<>> rules = {
      "humanize", "humanize1024", "humanizeDuration", "humanizePercentage",
      "humanizeTimestamp", "printf", "print", "println", "title", "toUpper", "toLower",
      "reReplaceAll", "match", "query", "first", "value", "label", "strvalue",
      "sortByLabel", "len", "index", "eq", "ne", "lt", "le", "gt", "ge", "and", "or",
      "not", "safeHtml", "stripPort", "pathPrefix"};
  // Go's builtins and Alertmanager's template.DefaultFuncs.
  static const std::set<std::string, std::less<>> notify = {
      "printf", "print", "println", "len", "index", "eq", "ne", "lt", "le", "gt", "ge",
      "and", "or", "not", "urlquery", "html", "toUpper", "toLower", "title", "join",
      "match", "reReplaceAll", "safeHtml", "stringSlice", "trimSpace", "humanize",
      "humanize1024", "humanizeDuration", "humanizePercentage"};
  return d == Dialect::kRules ? rules : notify;
}

// ---- parser -----------------------------------------------------------------------

class Parser {
 public:
  Parser(std::string_view name, std::string_view text, Dialect dialect, Defines* defines)
      : name_(name), in_(text), dialect_(dialect), defines_(defines) {}

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
      if (dialect_ == Dialect::kNotify && (kw == "define" || kw == "template" || kw == "block")) {
        HW_RETURN_IF_ERROR(ParseTemplateAction(list, kw, action.substr(kw.size()), apos + kw.size()));
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
    ++depth_;
    Status body_st = ParseList(body.get(), &stop);
    --depth_;
    HW_RETURN_IF_ERROR(body_st);
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
      ++depth_;
      Status else_st = ParseList(else_list.get(), &stop2);
      --depth_;
      HW_RETURN_IF_ERROR(else_st);
      if (stop2 != "end") return Err(start, fmt::format("{{{{{}}}}} without {{{{end}}}}", kw));
      n->else_list = else_list;
    } else if (stop != "end") {
      return Err(stop_pos_, "unexpected tokens after end");
    }
    list->list.push_back(n);
    return Status::Ok();
  }

  // {{ define "name" }}body{{ end }}, {{ template "name" [pipeline] }},
  // {{ block "name" pipeline }}body{{ end }} (a define plus a template call).
  Status ParseTemplateAction(Node* list, std::string_view kw, std::string_view rest,
                             std::size_t rpos) {
    std::size_t a = rest.find_first_not_of(" \t\r\n");
    if (a == std::string_view::npos || (rest[a] != '"' && rest[a] != '`')) {
      return Err(rpos, fmt::format("missing name in {{{{{}}}}}", kw));
    }
    char q = rest[a];
    std::size_t b = rest.find(q, a + 1);
    if (b == std::string_view::npos) return Err(rpos + a, "unterminated quoted string");
    std::string tname(rest.substr(a + 1, b - a - 1));
    std::string_view pipe_text = rest.substr(b + 1);
    std::shared_ptr<Pipe> pipe;
    if (pipe_text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      if (kw == "define") return Err(rpos + b + 1, "unexpected tokens after define name");
      auto p = ParsePipe(pipe_text, rpos + b + 1);
      if (!p.ok()) return p.status();
      pipe = *p;
    }
    if (kw == "define" || kw == "block") {
      if (kw == "define" && depth_ > 0) return Err(rpos, "define must be at the top level");
      auto body = std::make_shared<Node>();
      std::string stop;
      std::size_t start = last_action_;
      ++depth_;
      Status st = ParseList(body.get(), &stop);
      --depth_;
      HW_RETURN_IF_ERROR(st);
      if (stop != "end") return Err(start, fmt::format("unexpected EOF: {{{{{}}}}} without {{{{end}}}}", kw));
      if (defines_ != nullptr) (*defines_)[tname] = body;
      if (kw == "define") return Status::Ok();
    }
    auto n = std::make_shared<Node>();
    n->k = Node::K::kTemplate;
    n->text = tname;
    n->pipe = pipe;
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
      if (k < lx.s.size() && lx.s[k] == ',') {  // `$i, $e := ...` (range)
        std::size_t v2 = k + 1;
        while (v2 < lx.s.size() && lx.s[v2] == ' ') ++v2;
        std::size_t e2 = v2 + 1;
        while (e2 < lx.s.size() && (std::isalnum(static_cast<unsigned char>(lx.s[e2])) || lx.s[e2] == '_')) ++e2;
        std::size_t k2 = e2;
        while (k2 < lx.s.size() && lx.s[k2] == ' ') ++k2;
        if (v2 < lx.s.size() && lx.s[v2] == '$' && lx.s.substr(k2).starts_with(":=")) {
          p->decl = std::string(lx.s.substr(lx.i, j - lx.i));
          p->decl2 = std::string(lx.s.substr(v2, e2 - v2));
          lx.i = k2 + 2;
          vars_.insert(p->decl);
          vars_.insert(p->decl2);
          k = lx.s.size();  // handled
        }
      }
      if (p->decl.empty() && (lx.s.substr(k).starts_with(":=") ||
                              (lx.s.substr(k).starts_with("=") && !lx.s.substr(k).starts_with("==")))) {
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
      // A field chain may end in a method that takes arguments (`.Labels.Remove $x`).
      bool method = cmd.args[0].k == Operand::K::kField && !cmd.args[0].fields.empty();
      if (cmd.args[0].k != Operand::K::kFunc && cmd.args.size() > 1 &&
          (dialect_ == Dialect::kRules || !method)) {
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
        if (op.var != "$" && !vars_.contains(op.var) &&
            !(dialect_ == Dialect::kRules && IsPreamble(op.var))) {
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
      } else if (Funcs(dialect_).contains(id)) {
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
  Dialect dialect_;
  Defines* defines_;
  int depth_ = 0;  // nesting of if/with/range/block bodies
};

Result<std::shared_ptr<Node>> ParseTree(std::string_view name, std::string_view text,
                                        Dialect dialect, Defines* defines) {
  Parser p(name, text, dialect, defines);
  return p.Run();
}

}  // namespace hw::rules::tmpl
