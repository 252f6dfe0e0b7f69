#include "slo/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/units.h"
#include "slo/rules.h"

namespace hw::slo {
namespace {

std::string Day(std::int64_t ms) { return FormatRfc3339Millis(ms).substr(0, 10); }
std::string Pct(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "-";
  return fmt::format("{:.{}f}%", fraction * 100, decimals);
}
std::string ObjectivePct(double fraction) { return fmt::format("{:.6g}%", fraction * 100); }

std::string SliName(const Spec& s) {
  if (s.kind == Spec::SliKind::kEvents) return "good events";
  return fmt::format("within {}", FormatDuration(Duration(std::llround(s.threshold_seconds * 1000))));
}

std::string StatusWord(const SloMonth& m) {
  if (m.budget.total <= 0) return "no data";
  if (m.critical_breached) return "critical";
  return m.met ? "met" : "missed";
}

std::string WorstDay(const SloMonth& m) {
  if (!m.worst_day) return "-";
  return fmt::format("{} ({})", Day(m.worst_day->start_ms), Pct(m.worst_day->achieved, 3));
}

using Row = std::vector<std::string>;

std::vector<Row> Rows(const MonthReport& r) {
  std::vector<Row> rows;
  rows.push_back({"SERVICE", "SLO", "SLI", "OBJECTIVE", "ACHIEVED", "BUDGET USED", "BREACHES",
                  "WORST DAY", "STATUS"});
  for (const SloMonth& m : r.slos) {
    rows.push_back({m.spec->service, m.spec->name, SliName(*m.spec), ObjectivePct(m.spec->objective),
                    Pct(m.budget.achieved, 3),
                    m.budget.total > 0 ? Pct(m.budget.used, 1) : "-",
                    fmt::format("{}", m.breach_days.size()), WorstDay(m), StatusWord(m)});
  }
  return rows;
}

// "api / api-availability: 3 days from the SLO history in state.db; no data on ..."
// for SLOs with stored days, or with days missing among days with data.
std::vector<std::string> SourceNotes(const MonthReport& r) {
  std::vector<std::string> notes;
  for (const SloMonth& m : r.slos) {
    const bool gaps = !m.no_data_days.empty() && !m.days.empty();
    if (m.stored_days == 0 && !gaps) continue;
    std::string n = fmt::format("{} / {}:", m.spec->service, m.spec->name);
    if (m.stored_days > 0) {
      n += fmt::format(" {} day{} from the SLO history in state.db", m.stored_days,
                       m.stored_days == 1 ? "" : "s");
    }
    if (gaps) {
      if (m.stored_days > 0) n.push_back(';');
      n.append(" no data on");
      for (std::int64_t d : m.no_data_days) n.append(" ").append(Day(d));
    }
    notes.push_back(n);
  }
  return notes;
}

std::string Title(const MonthReport& r) {
  std::string t = fmt::format("SLO compliance for {:04}-{:02} ({} to {} UTC", r.year, r.month,
                              Day(r.start_ms), Day(r.end_ms));
  if (r.eval_ms < r.end_ms) t += fmt::format(", in progress at {}", FormatRfc3339Millis(r.eval_ms));
  return t + ")";
}

void Number(rapidjson::Writer<rapidjson::StringBuffer>& w, double v) {
  if (std::isfinite(v)) {
    w.Double(v);
  } else {
    w.Null();
  }
}

void Str(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

Result<std::pair<int, int>> ParseMonth(std::string_view text) {
  int year = 0, month = 0;
  auto bad = [&] {
    return Status::BadData(fmt::format("invalid month \"{}\": expected YYYY-MM", text));
  };
  if (text.size() != 7 || text[4] != '-') return bad();
  if (std::from_chars(text.data(), text.data() + 4, year).ec != std::errc() ||
      std::from_chars(text.data() + 5, text.data() + 7, month).ec != std::errc()) {
    return bad();
  }
  if (year < 1970 || month < 1 || month > 12) return bad();
  return std::pair{year, month};
}

std::string MonthOf(std::int64_t now_ms) { return FormatRfc3339Millis(now_ms).substr(0, 7); }

Result<MonthReport> BuildMonthReport(const std::vector<Spec>& specs, int year, int month,
                                     const QuerySource& source, std::int64_t now_ms,
                                     const DayStore* store) {
  MonthReport r;
  r.year = year;
  r.month = month;
  r.start_ms = MonthStartMs(year, month);
  r.end_ms = MonthStartMs(year, month + 1);
  if (r.start_ms > now_ms) {
    return Status::BadData(fmt::format("cannot report on {:04}-{:02}: the month has not begun",
                                       year, month));
  }
  r.eval_ms = std::min(r.end_ms, now_ms);
  for (const Spec& spec : specs) {
    SloMonth m;
    m.spec = &spec;
    Result<SpanCount> events = CountSpan(spec, source, store, r.start_ms, r.eval_ms, true);
    if (!events.ok()) {
      return Status(events.status().code(),
                    fmt::format("cannot compute SLO {}: {}", spec.Id(), events.status().message()));
    }
    m.budget = ComputeBudget(events->good, events->total, spec.objective);
    m.met = m.budget.total > 0 && m.budget.achieved >= spec.objective;
    m.critical_breached = spec.critical_objective > 0 && m.budget.total > 0 &&
                          m.budget.achieved < spec.critical_objective;
    m.stored_days = events->stored_days;
    for (const DayCount& c : events->days) {
      if (c.source == DaySource::kNone) {
        m.no_data_days.push_back(c.start_ms);
        continue;
      }
      DayFigures d{c.start_ms, c.good, c.total, c.good / c.total, c.source};
      if (d.achieved < spec.objective) m.breach_days.push_back(d.start_ms);
      if (!m.worst_day || d.achieved < m.worst_day->achieved) m.worst_day = d;
      m.days.push_back(d);
    }
    r.slos.push_back(std::move(m));
  }
  return r;
}

std::string FormatTable(const MonthReport& r) {
  std::vector<Row> rows = Rows(r);
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out = Title(r) + "\n\n";
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  const std::vector<std::string> notes = SourceNotes(r);
  if (!notes.empty()) out += "\n";
  for (const std::string& n : notes) out += n + "\n";
  return out;
}

std::string FormatMarkdown(const MonthReport& r) {
  std::vector<Row> rows = Rows(r);
  std::string out = "## " + Title(r) + "\n\n";
  for (std::size_t n = 0; n < rows.size(); ++n) {
    out += "|";
    for (const std::string& cell : rows[n]) out += " " + cell + " |";
    out += "\n";
    if (n == 0) {
      out += "|";
      for (std::size_t i = 0; i < rows[0].size(); ++i) out += " --- |";
      out += "\n";
    }
  }
  for (const SloMonth& m : r.slos) {
    if (m.breach_days.empty()) continue;
    out += fmt::format("\n{} / {}: below {} on", m.spec->service, m.spec->name,
                       ObjectivePct(m.spec->objective));
    for (std::int64_t d : m.breach_days) out.append(" ").append(Day(d));
    out += "\n";
  }
  for (const std::string& n : SourceNotes(r)) out += "\n" + n + "\n";
  return out;
}

std::string FormatJson(const MonthReport& r) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("month");
  Str(w, fmt::format("{:04}-{:02}", r.year, r.month));
  w.Key("start");
  Str(w, FormatRfc3339Millis(r.start_ms));
  w.Key("end");
  Str(w, FormatRfc3339Millis(r.end_ms));
  w.Key("evaluatedAt");
  Str(w, FormatRfc3339Millis(r.eval_ms));
  w.Key("complete");
  w.Bool(r.eval_ms >= r.end_ms);
  w.Key("slos");
  w.StartArray();
  for (const SloMonth& m : r.slos) {
    const Spec& s = *m.spec;
    w.StartObject();
    w.Key("service");
    Str(w, s.service);
    w.Key("slo");
    Str(w, s.name);
    w.Key("objective");
    w.Double(s.objective);
    w.Key("criticalObjective");
    Number(w, s.critical_objective > 0 ? s.critical_objective : NAN);
    w.Key("goodEvents");
    w.Double(m.budget.good);
    w.Key("totalEvents");
    w.Double(m.budget.total);
    w.Key("achieved");
    Number(w, m.budget.achieved);
    w.Key("budgetUsed");
    Number(w, m.budget.total > 0 ? m.budget.used : NAN);
    w.Key("budgetRemaining");
    Number(w, m.budget.total > 0 ? m.budget.remaining : NAN);
    w.Key("met");
    w.Bool(m.met);
    w.Key("criticalBreached");
    w.Bool(m.critical_breached);
    w.Key("status");
    Str(w, StatusWord(m));
    w.Key("breaches");
    w.Int64(static_cast<std::int64_t>(m.breach_days.size()));
    w.Key("breachDays");
    w.StartArray();
    for (std::int64_t d : m.breach_days) Str(w, Day(d));
    w.EndArray();
    w.Key("worstDay");
    if (m.worst_day) {
      w.StartObject();
      w.Key("date");
      Str(w, Day(m.worst_day->start_ms));
      w.Key("achieved");
      w.Double(m.worst_day->achieved);
      w.Key("goodEvents");
      w.Double(m.worst_day->good);
      w.Key("totalEvents");
      w.Double(m.worst_day->total);
      w.EndObject();
    } else {
      w.Null();
    }
    w.Key("storedDays");
    w.Int(m.stored_days);
    w.Key("noDataDays");
    w.StartArray();
    for (std::int64_t d : m.no_data_days) Str(w, Day(d));
    w.EndArray();
    w.Key("days");
    w.StartArray();
    for (const DayFigures& d : m.days) {
      w.StartObject();
      w.Key("date");
      Str(w, Day(d.start_ms));
      w.Key("achieved");
      w.Double(d.achieved);
      w.Key("goodEvents");
      w.Double(d.good);
      w.Key("totalEvents");
      w.Double(d.total);
      w.Key("source");
      Str(w, std::string(DaySourceName(d.source)));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hw::slo
