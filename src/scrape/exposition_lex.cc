#include "scrape/exposition_lex.h"

#include <algorithm>

#include "model/labels.h"

namespace hw::scrape::lex {
namespace {

// Decodes the escape `\c` into scratch. Returns false for an escape the dialect
// forbids. For help text in the text format only \\ and \n are escapes.
bool DecodeEscape(char c, Dialect dialect, bool help, std::string* scratch) {
  switch (c) {
    case '\\': scratch->push_back('\\'); return true;
    case 'n': scratch->push_back('\n'); return true;
    case '"':
      if (dialect == Dialect::kOpenMetrics || !help) {
        scratch->push_back('"');
        return true;
      }
      break;
    default: break;
  }
  if (dialect == Dialect::kOpenMetrics) return false;
  scratch->push_back('\\');  // text format: unknown escapes stay as written
  scratch->push_back(c);
  return true;
}

bool BadEscape(char c, std::string* what) {
  *what = "invalid escape sequence " + QuoteForMessage(std::string("\\") + c) +
          " (only \\\\, \\\" and \\n are allowed)";
  return false;
}

}  // namespace

std::size_t ScanMetricName(std::string_view s, std::size_t pos) {
  if (pos >= s.size() || !IsMetricNameStart(s[pos])) return pos;
  ++pos;
  while (pos < s.size() && IsMetricNameChar(s[pos])) ++pos;
  return pos;
}

void PrepareScratch(std::string* scratch, std::string_view line) {
  scratch->clear();
  if (scratch->capacity() < line.size()) scratch->reserve(line.size());
}

bool InScratch(const std::string& scratch, std::string_view view) {
  const char* b = scratch.data();
  return view.data() >= b && view.data() <= b + scratch.capacity();
}

bool ReadQuoted(std::string_view line, std::size_t* pos, Dialect dialect,
                std::string* scratch, std::string_view* out, std::string* what) {
  const std::size_t start = *pos + 1;  // after the opening quote
  std::size_t i = start;
  // Fast path: no escapes, the value is a view of the line.
  while (i < line.size() && line[i] != '"' && line[i] != '\\') ++i;
  if (i < line.size() && line[i] == '"') {
    *out = line.substr(start, i - start);
    *pos = i + 1;
    return true;
  }
  const std::size_t begin = scratch->size();
  scratch->append(line.data() + start, i - start);
  while (i < line.size()) {
    char c = line[i];
    if (c == '"') {
      *out = std::string_view(scratch->data() + begin, scratch->size() - begin);
      *pos = i + 1;
      return true;
    }
    if (c != '\\') {
      scratch->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= line.size()) break;
    if (!DecodeEscape(line[i + 1], dialect, /*help=*/false, scratch)) {
      return BadEscape(line[i + 1], what);
    }
    i += 2;
  }
  *what = "unterminated quoted string";
  return false;
}

bool DecodeHelp(std::string_view raw, Dialect dialect, std::string* scratch,
                std::string_view* out, std::string* what) {
  if (!ValidUtf8(raw)) {
    *what = "help text is not valid UTF-8";
    return false;
  }
  std::size_t i = raw.find('\\');
  if (i == std::string_view::npos) {
    *out = raw;
    return true;
  }
  const std::size_t begin = scratch->size();
  scratch->append(raw.data(), i);
  while (i < raw.size()) {
    char c = raw[i];
    if (c != '\\') {
      scratch->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= raw.size()) {
      if (dialect == Dialect::kOpenMetrics) {
        *what = "help text ends in a lone backslash";
        return false;
      }
      scratch->push_back('\\');
      break;
    }
    if (!DecodeEscape(raw[i + 1], dialect, /*help=*/true, scratch)) {
      return BadEscape(raw[i + 1], what);
    }
    i += 2;
  }
  *out = std::string_view(scratch->data() + begin, scratch->size() - begin);
  return true;
}

bool ParseLabelSet(std::string_view line, std::size_t* pos, Dialect dialect,
                   std::string_view* metric_name, std::vector<LabelView>* labels,
                   std::string* scratch, std::string* what) {
  const bool text = dialect == Dialect::kText;
  auto skip = [&](std::size_t p) { return text ? SkipBlanks(line, p) : p; };
  std::size_t p = skip(*pos + 1);
  if (p < line.size() && line[p] == '}') {
    *pos = p + 1;
    return true;
  }
  while (true) {
    if (p >= line.size()) {
      *what = "unterminated label set";
      return false;
    }
    std::string_view name;
    bool quoted = false;
    bool is_metric_name = false;
    if (line[p] == '"') {
      if (!ReadQuoted(line, &p, dialect, scratch, &name, what)) return false;
      quoted = true;
      p = skip(p);
      if (p < line.size() && (line[p] == ',' || line[p] == '}')) {
        // A lone quoted string is the metric name.
        if (metric_name == nullptr) {
          *what = "a metric name is not allowed in an exemplar's labels";
          return false;
        }
        if (!metric_name->empty()) {
          *what = "metric name given twice";
          return false;
        }
        if (name.empty() || !ValidUtf8(name)) {
          *what = "invalid quoted metric name " + QuoteForMessage(name);
          return false;
        }
        *metric_name = name;
        is_metric_name = true;
      }
    } else if (IsLabelNameStart(line[p])) {
      std::size_t e = p + 1;
      while (e < line.size() && IsLabelNameChar(line[e])) ++e;
      name = line.substr(p, e - p);
      p = skip(e);
    } else {
      *what = "expected a label name, got " + QuoteForMessage(line.substr(p, 1));
      return false;
    }
    if (!is_metric_name) {
      if (quoted && (name.empty() || !ValidUtf8(name))) {
        *what = "invalid quoted label name " + QuoteForMessage(name);
        return false;
      }
      if (p >= line.size() || line[p] != '=') {
        *what = "expected '=' after label name " + QuoteForMessage(name);
        return false;
      }
      p = skip(p + 1);
      if (p >= line.size() || line[p] != '"') {
        *what = "expected a quoted value for label " + QuoteForMessage(name);
        return false;
      }
      std::string_view value;
      if (!ReadQuoted(line, &p, dialect, scratch, &value, what)) return false;
      if (!ValidUtf8(value)) {
        *what = "value of label " + QuoteForMessage(name) + " is not valid UTF-8";
        return false;
      }
      labels->push_back({name, value});
      p = skip(p);
    }
    if (p < line.size() && line[p] == ',') {
      p = skip(p + 1);
      if (p < line.size() && line[p] == '}') {  // trailing comma
        *pos = p + 1;
        return true;
      }
      continue;
    }
    if (p < line.size() && line[p] == '}') {
      *pos = p + 1;
      return true;
    }
    *what = p < line.size() ? "expected ',' or '}' in label set, got " +
                                  QuoteForMessage(line.substr(p, 1))
                            : "unterminated label set";
    return false;
  }
}

bool FindDuplicateName(std::span<const LabelView> labels, std::string_view* dup) {
  const std::size_t n = labels.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i].name == model::kMetricName) {
      *dup = labels[i].name;
      return true;
    }
  }
  if (n <= 16) {  // quadratic is cheapest for the label counts exporters use
    for (std::size_t i = 1; i < n; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (labels[i].name == labels[j].name) {
          *dup = labels[i].name;
          return true;
        }
      }
    }
    return false;
  }
  std::vector<std::string_view> names;
  names.reserve(n);
  for (const LabelView& l : labels) names.push_back(l.name);
  std::sort(names.begin(), names.end());
  auto it = std::adjacent_find(names.begin(), names.end());
  if (it == names.end()) return false;
  *dup = *it;
  return true;
}

std::string QuoteForMessage(std::string_view s, std::size_t max_bytes) {
  std::string out;
  bool cut = s.size() > max_bytes;
  model::AppendQuoted(&out, cut ? s.substr(0, max_bytes) : s);
  if (cut) out += "...";
  return out;
}

}  // namespace hw::scrape::lex
