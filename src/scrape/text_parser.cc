#include "scrape/text_parser.h"

#include "scrape/exposition_lex.h"

namespace hw::scrape {

using lex::Dialect;
using lex::QuoteForMessage;
using lex::SkipBlanks;

void TextParser::Reset(std::string_view body) {
  ResetBase(body);
  has_typed_family_ = false;
  has_last_family_ = false;
  typed_.clear();
  helped_.clear();
  sampled_.clear();
  owned_.clear();
}

Result<Entry> TextParser::Next() {
  if (!error_.ok()) return error_;
  if (done_) return Entry::kEof;
  bool newline;
  while (NextLine(&newline)) {
    std::string_view line = line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF, see header
    std::size_t pos = SkipBlanks(line, 0);
    if (pos == line.size()) continue;  // blank line
    Entry entry = Entry::kSample;
    Status st = line[pos] == '#' ? ParseHashLine(line, pos + 1, &entry)
                                 : ParseSample(line, pos);
    if (!st.ok()) {
      error_ = std::move(st);
      return error_;
    }
    return entry;
  }
  done_ = true;
  return Entry::kEof;
}

std::string_view TextParser::Keep(std::string_view name) {
  if (!lex::InScratch(scratch_, name)) return name;
  return owned_.emplace_back(name);
}

Status TextParser::ParseHashLine(std::string_view line, std::size_t pos, Entry* entry) {
  // As Prometheus' lexer: "#", optional blanks, HELP or TYPE, at least one blank.
  std::size_t p = SkipBlanks(line, pos);
  std::string_view rest = line.substr(p);
  if (rest.size() > 4 && lex::IsBlank(rest[4])) {
    std::string_view word = rest.substr(0, 4);
    if (word == "HELP" || word == "TYPE") {
      *entry = word == "HELP" ? Entry::kHelp : Entry::kType;
      return ParseMetadata(line, SkipBlanks(line, p + 4), *entry);
    }
  }
  *entry = Entry::kComment;
  comment_ = line.substr(pos);
  return Status::Ok();
}

Status TextParser::ParseMetadata(std::string_view line, std::size_t pos, Entry kind) {
  lex::PrepareScratch(&scratch_, line);
  const char* word = kind == Entry::kHelp ? "HELP" : "TYPE";
  std::string what;
  std::string_view name;
  std::size_t p = pos;
  if (p < line.size() && line[p] == '"') {
    if (!lex::ReadQuoted(line, &p, Dialect::kText, &scratch_, &name, &what)) {
      return LineError(what);
    }
    if (name.empty() || !lex::ValidUtf8(name)) {
      return LineError("invalid quoted metric name " + QuoteForMessage(name));
    }
  } else {
    p = lex::ScanMetricName(line, pos);
    if (p == pos) return LineError(std::string("expected a metric name after ") + word);
    name = line.substr(pos, p - pos);
  }
  if (p < line.size() && !lex::IsBlank(line[p])) {
    return LineError("invalid metric name " + QuoteForMessage(line.substr(pos)));
  }
  name = Keep(name);
  metadata_ = MetadataView{name, MetricType::kUnknown, {}};
  if (kind == Entry::kHelp) {
    // Prometheus keeps the help text after exactly one separating blank.
    std::string_view raw = p < line.size() ? line.substr(p + 1) : std::string_view();
    if (!lex::DecodeHelp(raw, Dialect::kText, &scratch_, &metadata_.text, &what)) {
      return LineError(what);
    }
    if (!helped_.insert(name).second) {
      return LineError("second HELP line for metric " + QuoteForMessage(name));
    }
    return Status::Ok();
  }
  std::size_t b = SkipBlanks(line, p);
  std::size_t e = line.size();
  while (e > b && lex::IsBlank(line[e - 1])) --e;
  std::string_view type_name = line.substr(b, e - b);
  if (type_name.empty()) return LineError("missing metric type");
  std::optional<MetricType> type = ParseMetricType(type_name, Format::kPrometheusText);
  if (!type.has_value()) {
    return LineError("invalid metric type " + QuoteForMessage(type_name) +
                     " (want counter, gauge, histogram, summary or untyped)");
  }
  if (!typed_.insert(name).second) {
    return LineError("second TYPE line for metric " + QuoteForMessage(name));
  }
  for (std::string_view suffix : FamilySuffixes(*type, Format::kPrometheusText)) {
    probe_.assign(name);
    probe_.append(suffix);
    if (sampled_.contains(probe_)) {
      return LineError("TYPE line for metric " + QuoteForMessage(name) +
                       " after samples of " + QuoteForMessage(probe_));
    }
  }
  metadata_.type = *type;
  typed_family_ = name;
  typed_type_ = *type;
  has_typed_family_ = true;
  return Status::Ok();
}

Status TextParser::ParseSample(std::string_view line, std::size_t pos) {
  labels_.clear();
  lex::PrepareScratch(&scratch_, line);
  sample_.timestamp_ms.reset();
  sample_.exemplar.reset();
  std::string what;
  std::string_view name;
  std::size_t p = lex::ScanMetricName(line, pos);
  if (p > pos) {
    name = line.substr(pos, p - pos);
    std::size_t after = p;
    p = SkipBlanks(line, p);
    if (p == after && p < line.size() && line[p] != '{') {
      return LineError("invalid metric name " + QuoteForMessage(line.substr(pos, p - pos + 1)));
    }
  } else if (line[pos] != '{') {
    return LineError("expected a metric name or '{', got " +
                     QuoteForMessage(line.substr(pos, 1)));
  }
  if (p < line.size() && line[p] == '{') {
    bool named = !name.empty();
    if (!lex::ParseLabelSet(line, &p, Dialect::kText, &name, &labels_, &scratch_, &what)) {
      return LineError(named && what == "metric name given twice"
                           ? "metric name given both before and inside the braces"
                           : what);
    }
    if (name.empty()) return LineError("missing metric name");
    p = SkipBlanks(line, p);
  }
  // Value: Prometheus' lexer takes everything up to a blank or '{'.
  std::size_t v = p;
  while (p < line.size() && !lex::IsBlank(line[p]) && line[p] != '{') ++p;
  if (p == v) {
    return LineError(v == line.size() ? "missing value"
                                      : "unexpected " + QuoteForMessage(line.substr(v, 1)));
  }
  std::string_view value = line.substr(v, p - v);
  if (!lex::ParseFloat(value, /*allow_hex=*/true, &sample_.value)) {
    return LineError("invalid value " + QuoteForMessage(value));
  }
  if (p < line.size() && line[p] == '{') return LineError("unexpected '{' after value");
  p = SkipBlanks(line, p);
  if (p < line.size() && line[p] != '#') {
    std::size_t t = p;
    while (p < line.size() && !lex::IsBlank(line[p])) ++p;
    std::string_view ts = line.substr(t, p - t);
    std::int64_t ms;
    if (!lex::ParseInt64(ts, &ms)) {
      return LineError("invalid timestamp " + QuoteForMessage(ts) + " (want integer milliseconds)");
    }
    sample_.timestamp_ms = ms;
    p = SkipBlanks(line, p);
    if (p < line.size() && line[p] != '#') {
      return LineError("unexpected " + QuoteForMessage(line.substr(p)) + " after timestamp");
    }
  }
  if (p < line.size()) ParseExemplar(line, p);
  std::string_view dup;
  if (lex::FindDuplicateName(labels_, &dup)) {
    return LineError(dup == model::kMetricName
                         ? std::string("label __name__ is reserved for the metric name")
                         : "duplicate label name " + QuoteForMessage(dup));
  }
  sample_.name = name;
  sample_.labels = labels_;
  sample_.created = false;
  if (has_typed_family_ &&
      BelongsToFamily(name, typed_family_, typed_type_, Format::kPrometheusText)) {
    sample_.family = typed_family_;
    sample_.type = typed_type_;
  } else {
    sample_.family = name;
    sample_.type = MetricType::kUnknown;
  }
  if (!has_last_family_ || sample_.family != last_family_) {
    last_family_ = Keep(sample_.family);
    has_last_family_ = true;
    sampled_.insert(last_family_);
  }
  return Status::Ok();
}

bool TextParser::ParseExemplar(std::string_view line, std::size_t pos) {
  exemplar_labels_.clear();
  std::string what;
  std::size_t p = SkipBlanks(line, pos + 1);
  if (p >= line.size() || line[p] != '{') return false;
  if (!lex::ParseLabelSet(line, &p, Dialect::kText, nullptr, &exemplar_labels_, &scratch_,
                          &what)) {
    return false;
  }
  ExemplarView ex;
  std::size_t v = p = SkipBlanks(line, p);
  while (p < line.size() && !lex::IsBlank(line[p])) ++p;
  if (!lex::ParseFloat(line.substr(v, p - v), true, &ex.value)) return false;
  p = SkipBlanks(line, p);
  if (p < line.size()) {
    std::size_t t = p;
    while (p < line.size() && !lex::IsBlank(line[p])) ++p;
    std::int64_t ms;
    if (!lex::ParseSecondsAsMs(line.substr(t, p - t), &ms)) return false;
    ex.timestamp_ms = ms;
    if (SkipBlanks(line, p) != line.size()) return false;
  }
  ex.labels = exemplar_labels_;
  sample_.exemplar = ex;
  return true;
}

}  // namespace hw::scrape
