
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
    case Val::K::kList: {
      std::string out = "[";
      for (std::size_t i = 0; v.list && i < v.list->size(); ++i) {
        if (i) out += " ";
        out += Print((*v.list)[i]);
      }
      return out + "]";
    }
    case Val::K::kObject: return "{...}";
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
    case Val::K::kList: return v.list && !v.list->empty();
    default: return true;
  }
}

namespace {

// html/template's escaping of text and quoted attribute values.
void AppendHtmlEscaped(std::string* out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&#34;"; break;
      case '\'': *out += "&#39;"; break;
      default: *out += c;
    }
  }
}

// Go's url.QueryEscape.
std::string QueryEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

constexpr int kMaxTemplateDepth = 1000;  // Go's is 100000; ours recurses on the C++ stack

}  // namespace

// ---- execution --------------------------------------------------------------------

class Exec {
 public:
  Exec(std::string_view name, const ExecEnv& env) : name_(name), env_(env) {
    vars_.push_back({"$", env.dot});
    for (const auto& v : env.vars) vars_.push_back(v);
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
        if (n.pipe->decl.empty()) {
          if (env_.html && !v->safe_html) {
            AppendHtmlEscaped(out, Print(*v));
          } else {
            *out += Print(*v);
          }
        }
        return Status::Ok();
      }
      case Node::K::kTemplate: return WalkTemplate(n, dot, out);
      case Node::K::kIf:
      case Node::K::kWith:
      case Node::K::kRange: {
        std::size_t mark = vars_.size();
        auto v = EvalPipe(*n.pipe, dot, /*bind=*/n.k != Node::K::kRange);
        if (!v.ok()) return v.status();
        Status st;
        if (n.k == Node::K::kRange && Truth(*v)) {
          // (key, element) pairs; keys bind to the first of two declared variables.
          std::vector<std::pair<Val, Val>> items;
          if (v->k == Val::K::kSamples) {
            for (std::size_t i = 0; i < v->samples.size(); ++i) {
              Val x;
              x.k = Val::K::kSample;
              x.sample = v->samples[i];
              items.push_back({Val::Num(static_cast<double>(i)), x});
            }
          } else if (v->k == Val::K::kMap) {
            for (const auto& kv : v->map) items.push_back({Val::Str(kv.first), Val::Str(kv.second)});
          } else if (v->k == Val::K::kList) {
            for (std::size_t i = 0; i < v->list->size(); ++i) {
              items.push_back({Val::Num(static_cast<double>(i)), (*v->list)[i]});
            }
          } else {
            return Fail(n.pipe->pos, fmt::format("range can't iterate over {}", Print(*v)));
          }
          for (const auto& [key, it] : items) {
            std::size_t inner = vars_.size();
            if (!n.pipe->decl2.empty()) {
              vars_.push_back({n.pipe->decl, key});
              vars_.push_back({n.pipe->decl2, it});
            } else if (!n.pipe->decl.empty()) {
              vars_.push_back({n.pipe->decl, it});
            }
            for (const auto& c : n.list) {
              st = Walk(*c, it, out);
              if (!st.ok()) break;
            }
            vars_.resize(inner);
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

  // {{ template "name" pipeline }}: runs the definition with the pipeline's value as
  // both dot and `$`, in a fresh variable scope, as Go does.
  Status WalkTemplate(const Node& n, const Val& dot, std::string* out) {
    const Node* def = nullptr;
    if (env_.defines != nullptr) {
      auto it = env_.defines->find(n.text);
      if (it != env_.defines->end()) def = it->second.get();
    }
    int pos = n.pipe ? n.pipe->pos : 0;
    if (def == nullptr) return Fail(pos, fmt::format("no such template \"{}\"", n.text));
    if (depth_ >= kMaxTemplateDepth) {
      return Fail(pos, fmt::format("exceeded maximum template depth ({})", kMaxTemplateDepth));
    }
    Val arg;
    if (n.pipe) {
      auto v = EvalPipe(*n.pipe, dot);
      if (!v.ok()) return v.status();
      arg = std::move(*v);
    }
    std::vector<std::pair<std::string, Val>> saved;
    saved.swap(vars_);
    vars_.push_back({"$", arg});
    ++depth_;
    Status st = Walk(*def, arg, out);
    --depth_;
    vars_.swap(saved);
    return st;
  }

  Result<Val> EvalPipe(const Pipe& p, const Val& dot, bool bind = true) {
    std::optional<Val> prev;
    for (const Command& c : p.cmds) {
      auto v = EvalCmd(c, dot, prev ? &*prev : nullptr, p.pos);
      if (!v.ok()) return v;
      prev = std::move(*v);
    }
    Val result = prev ? *prev : Val();
    if (bind && !p.decl.empty()) {
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

  // Follows `fields` from `base`. `args` (may be null) are the arguments of a method
  // call at the end of the chain (`.CommonLabels.Remove .GroupLabels.Names`).
  Result<Val> Lookup(const Val& base, const std::vector<std::string>& fields, int pos,
                     const std::vector<Val>* args = nullptr) {
    Val v = base;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string& f = fields[i];
      bool last = i + 1 == fields.size();
      if (v.methods != nullptr) {
        auto m = v.methods->find(f);
        if (m != v.methods->end()) {
          static const std::vector<Val> kNoArgs;
          auto r = m->second(v, last && args ? *args : kNoArgs);
          if (!r.ok()) return Fail(pos, fmt::format("error calling {}: {}", f, r.status().message()));
          v = std::move(*r);
          if (last) return v;
          continue;
        }
      }
      if (v.k == Val::K::kObject) {
        const Val* x = v.Field(f);
        if (x == nullptr) return Fail(pos, fmt::format("can't evaluate field {}", f));
        v = *x;
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
    if (args != nullptr && !args->empty()) {
      return Fail(pos, fmt::format("can't give argument to non-function {}", Print(v)));
    }
    return v;
  }

  Result<Val> EvalOperand(const Operand& op, const Val& dot, int pos,
                          const std::vector<Val>* args = nullptr) {
    switch (op.k) {
      case Operand::K::kStr: return Val::Str(op.s);
      case Operand::K::kNum: return Val::Num(op.n);
      case Operand::K::kBool: return Val::Bool(op.b);
      case Operand::K::kNil: return Val();
      case Operand::K::kPipe: {
        auto v = EvalPipe(*op.pipe, dot);
        if (!v.ok()) return v;
        return Lookup(*v, op.fields, pos, args);
      }
      case Operand::K::kField: {
        if (op.var.empty()) return Lookup(dot, op.fields, pos, args);
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
          if (it->first == op.var) return Lookup(it->second, op.fields, pos, args);
        }
        return Fail(pos, fmt::format("undefined variable \"{}\"", op.var));
      }
      case Operand::K::kFunc: return CallFunc(op.s, {}, pos);
    }
    return Val();
  }

  Result<Val> EvalCmd(const Command& c, const Val& dot, const Val* piped, int pos) {
    std::vector<Val> args;
    // and/or short-circuit; evaluating everything first is equivalent without side effects.
    for (std::size_t i = 1; i < c.args.size(); ++i) {
      auto v = EvalOperand(c.args[i], dot, pos);
      if (!v.ok()) return v;
      args.push_back(std::move(*v));
    }
    if (piped) args.push_back(*piped);
    if (c.args[0].k != Operand::K::kFunc) {
      if (args.empty()) return EvalOperand(c.args[0], dot, pos);
      bool method = (c.args[0].k == Operand::K::kField || c.args[0].k == Operand::K::kPipe) &&
                    !c.args[0].fields.empty();
      if (!method) return Fail(pos, "can't give argument to non-function");
      return EvalOperand(c.args[0], dot, pos, &args);
    }
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
    if (fn == "safeHtml") {
      HW_RETURN_IF_ERROR(want(1));
      Val v = Val::Str(Print(args[0]));
      v.safe_html = true;
      return v;
    }
    if (fn == "html") {
      std::string out;
      for (const Val& a : args) AppendHtmlEscaped(&out, Print(a));
      return Val::Str(out);
    }
    if (fn == "urlquery") {
      std::string all;
      for (const Val& a : args) all += Print(a);
      return Val::Str(QueryEscape(all));
    }
    if (fn == "trimSpace") {
      HW_RETURN_IF_ERROR(want(1));
      std::string s = Print(args[0]);
      std::size_t a = s.find_first_not_of(" \t\r\n\v\f");
      if (a == std::string::npos) return Val::Str("");
      std::size_t b = s.find_last_not_of(" \t\r\n\v\f");
      return Val::Str(s.substr(a, b - a + 1));
    }
    if (fn == "stringSlice") {
      std::vector<Val> items;
      for (const Val& a : args) items.push_back(Val::Str(Print(a)));
      return Val::List(std::move(items));
    }
    if (fn == "join") {
      HW_RETURN_IF_ERROR(want(2));
      if (args[1].k != Val::K::kList) return Fail(pos, fmt::format("error calling join: {} is not a list", Print(args[1])));
      std::string sep = Print(args[0]), out;
      for (std::size_t i = 0; i < args[1].list->size(); ++i) {
        if (i) out += sep;
        out += Print((*args[1].list)[i]);
      }
      return Val::Str(out);
    }
    if (fn == "toUpper" || fn == "toLower" || fn == "title" || fn == "stripPort") {
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
      if (env_.query == nullptr || !*env_.query) return Fail(pos, "error calling query: no query function");
      auto r = (*env_.query)(Print(args[0]));
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
      if (a.k == Val::K::kList) return Val::Num(static_cast<double>(a.list->size()));
      return Fail(pos, fmt::format("error calling len: len of {}", Print(a)));
    }
    if (fn == "index") {
      HW_RETURN_IF_ERROR(want(2));
      if (args[0].k == Val::K::kMap) {
        auto it = args[0].map.find(Print(args[1]));
        return Val::Str(it == args[0].map.end() ? "" : it->second);
      }
      if (args[0].k == Val::K::kList && args[1].k == Val::K::kNum) {
        auto i = static_cast<std::size_t>(args[1].n);
        if (args[1].n < 0 || i >= args[0].list->size()) return Fail(pos, "error calling index: out of range");
        return (*args[0].list)[i];
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
  const ExecEnv& env_;
  std::vector<std::pair<std::string, Val>> vars_;
  int depth_ = 0;
};

Status ExecuteTree(const Node& root, std::string_view name, const ExecEnv& env,
                   std::string* out) {
  Exec ex(name, env);
  return ex.Walk(root, env.dot, out);
}

}  // namespace hw::rules::tmpl
