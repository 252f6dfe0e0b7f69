#include "scrape/openmetrics_parser.h"

#include <algorithm>

#include "scrape/exposition_lex.h"

namespace hw::scrape {
namespace {

using lex::Dialect;
using lex::QuoteForMessage;

constexpr std::string_view kEofLine = "# EOF";

bool HasLabel(std::span<const LabelView> labels, std::string_view name) {
  return std::any_of(labels.begin(), labels.end(),
                     [&](const LabelView& l) { return l.name == name; });
}

bool IsUnitChar(char c) { return lex::IsMetricNameChar(c); }

}  // namespace

void OpenMetricsParser::Reset(std::string_view body) {
  ResetBase(body);
  in_family_ = false;
  finished_.clear();
  owned_.clear();
}

Result<Entry> OpenMetricsParser::Next() {
  if (!error_.ok()) return error_;
  if (done_) return Entry::kEof;
  bool newline;
  if (!NextLine(&newline)) {
    ++line_no_;
    line_ = {};
    error_ = LineError("missing \"# EOF\" at the end of the input");
    return error_;
  }
  Entry entry = Entry::kSample;
  Status st = ParseLine(newline, &entry);
  if (!st.ok()) {
    error_ = std::move(st);
    return error_;
  }
  if (entry == Entry::kEof) done_ = true;
  return entry;
}

std::string_view OpenMetricsParser::Keep(std::string_view name) {
  if (!lex::InScratch(scratch_, name)) return name;
  return owned_.emplace_back(name);
}

Status OpenMetricsParser::ParseLine(bool newline, Entry* entry) {
  std::string_view line = line_;
  if (line == kEofLine) {
    if (pos_ < body_.size()) {
      NextLine(&newline);
      return LineError("unexpected data after \"# EOF\"");
    }
    *entry = Entry::kEof;
    return Status::Ok();
  }
  if (!newline) return LineError("the last line must be \"# EOF\"");
  if (line.empty()) return LineError("empty line (OpenMetrics allows none)");
  if (line.back() == '\r') {
    return LineError("carriage return before line feed (OpenMetrics lines end in \"\\n\" only)");
  }
  if (line[0] != '#') return ParseSample(line);
  std::string_view rest = line.starts_with("# ") ? line.substr(2) : std::string_view();
  for (auto [word, kind] : {std::pair{"HELP", Entry::kHelp}, std::pair{"TYPE", Entry::kType},
                            std::pair{"UNIT", Entry::kUnit}}) {
    if (rest.starts_with(word) && (rest.size() == 4 || rest[4] == ' ')) {
      *entry = kind;
      return ParseMetadata(rest.substr(std::min<std::size_t>(rest.size(), 5)), kind);
    }
  }
  return LineError("invalid comment: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF");
}

Status OpenMetricsParser::ParseMetadata(std::string_view rest, Entry kind) {
  lex::PrepareScratch(&scratch_, line_);
  std::string_view word = kind == Entry::kHelp ? "HELP" : kind == Entry::kType ? "TYPE" : "UNIT";
  std::string what;
  std::string_view name;
  std::size_t p = 0;
  if (!rest.empty() && rest[0] == '"') {
    if (!lex::ReadQuoted(rest, &p, Dialect::kOpenMetrics, &scratch_, &name, &what)) {
      return LineError(what);
    }
    if (name.empty() || !lex::ValidUtf8(name)) {
      return LineError("invalid quoted metric name " + QuoteForMessage(name));
    }
  } else {
    p = lex::ScanMetricName(rest, 0);
    if (p == 0) return LineError("expected a metric family name after " + std::string(word));
    name = rest.substr(0, p);
  }
  if (p < rest.size() && rest[p] != ' ') {
    return LineError("invalid metric family name " + QuoteForMessage(rest));
  }
  std::string_view text = p < rest.size() ? rest.substr(p + 1) : std::string_view();
  name = Keep(name);
  if (!in_family_ || name != family_) {
    HW_RETURN_IF_ERROR(StartFamily(name));
  } else if (family_has_samples_) {
    return LineError(std::string(word) + " line for metric family " + QuoteForMessage(name) +
                     " after its samples");
  }
  bool* seen = kind == Entry::kHelp   ? &family_has_help_
               : kind == Entry::kType ? &family_has_type_
                                      : &family_has_unit_;
  if (*seen) {
    return LineError("second " + std::string(word) + " line for metric family " +
                     QuoteForMessage(name));
  }
  *seen = true;
  metadata_ = MetadataView{name, family_type_, {}};
  if (kind == Entry::kHelp) {
    if (!lex::DecodeHelp(text, Dialect::kOpenMetrics, &scratch_, &metadata_.text, &what)) {
      return LineError(what);
    }
  } else if (kind == Entry::kUnit) {
    if (!std::all_of(text.begin(), text.end(), IsUnitChar)) {
      return LineError("invalid unit " + QuoteForMessage(text));
    }
    if (!text.empty() && !(name.size() > text.size() && name.ends_with(text) &&
                           name[name.size() - text.size() - 1] == '_')) {
      return LineError("unit " + QuoteForMessage(text) + " is not a suffix of metric family " +
                       QuoteForMessage(name));
    }
    metadata_.text = text;
  } else {
    std::optional<MetricType> type = ParseMetricType(text, Format::kOpenMetrics);
    if (!type.has_value()) {
      return LineError("invalid metric type " + QuoteForMessage(text) +
                       " (want counter, gauge, histogram, gaugehistogram, summary, info, "
                       "stateset or unknown)");
    }
    for (std::string_view suffix : FamilySuffixes(*type, Format::kOpenMetrics)) {
      probe_.assign(name);
      probe_.append(suffix);
      if (!suffix.empty() && finished_.contains(probe_)) {
        return LineError("TYPE line for metric family " + QuoteForMessage(name) +
                         " after samples of " + QuoteForMessage(probe_));
      }
    }
    family_type_ = metadata_.type = *type;
  }
  return Status::Ok();
}

Status OpenMetricsParser::StartFamily(std::string_view name) {
  if (in_family_) finished_.insert(family_);
  if (finished_.contains(name)) {
    return LineError("metric family " + QuoteForMessage(name) +
                     " seen twice (a family's lines must be contiguous)");
  }
  family_ = name;
  family_type_ = MetricType::kUnknown;
  in_family_ = true;
  family_has_type_ = family_has_help_ = family_has_unit_ = family_has_samples_ = false;
  return Status::Ok();
}

Status OpenMetricsParser::CheckFamily(std::string_view name) {
  std::string_view suffix;
  if (in_family_ && BelongsToFamily(name, family_, family_type_, Format::kOpenMetrics, &suffix)) {
    // The sample continues the current family.
  } else if (in_family_ && name == family_) {
    std::string allowed;
    for (std::string_view s : FamilySuffixes(family_type_, Format::kOpenMetrics)) {
      allowed += allowed.empty() ? "" : ", ";
      allowed += s;
    }
    return LineError(std::string(MetricTypeName(family_type_)) + " sample " +
                     QuoteForMessage(name) + " must end in one of: " + allowed);
  } else {
    HW_RETURN_IF_ERROR(StartFamily(Keep(name)));
  }
  family_has_samples_ = true;
  sample_.family = family_;
  sample_.type = family_type_;
  sample_.created = IsCreatedSuffix(suffix, family_type_, Format::kOpenMetrics);
  if (suffix == "_bucket" && !HasLabel(labels_, "le")) {
    return LineError("histogram bucket without an \"le\" label");
  }
  if (family_type_ == MetricType::kSummary && suffix.empty() &&
      !HasLabel(labels_, "quantile")) {
    return LineError("summary quantile sample without a \"quantile\" label");
  }
  return Status::Ok();
}
}  // namespace hw::scrape
