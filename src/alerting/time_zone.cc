// TZif (RFC 8536) and POSIX TZ string reading; see time_zone.h.
#include "alerting/time_zone.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace hw::alerting {
namespace {

constexpr std::int64_t kDay = 86'400;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool IsLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Howard Hinnant's civil_from_days.
void CivilFromDays(std::int64_t z, std::int64_t* y, int* m, int* d) {
  z += 719'468;
  std::int64_t era = FloorDiv(z, 146'097);
  std::int64_t doe = z - era * 146'097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

// Weekday of a day number, 0 = Sunday (1970-01-01 was a Thursday).
int WeekdayOfDays(std::int64_t days) { return static_cast<int>(((days % 7) + 11) % 7); }

// One end of a POSIX TZ DST rule: a date form and the local time of the change.
struct RuleDate {
  enum class Kind { kJulian1, kZeroBased, kMonthWeekDay };
  Kind kind = Kind::kMonthWeekDay;
  int a = 0, b = 0, c = 0;  // Jn: a; n: a; Mm.w.d: a = m, b = w, c = d
  int time = 7200;          // seconds after local midnight; may be negative or > 24h

  // Wall-clock seconds (since the wall clock's epoch) of the change in `year`.
  std::int64_t LocalSeconds(std::int64_t year) const {
    std::int64_t days = DaysFromCivil(year, 1, 1);
    switch (kind) {
      case Kind::kJulian1:
        days += a - 1 + ((IsLeap(year) && a >= 60) ? 1 : 0);
        break;
      case Kind::kZeroBased:
        days += a;
        break;
      case Kind::kMonthWeekDay: {
        std::int64_t first = DaysFromCivil(year, a, 1);
        int day = 1 + (c - WeekdayOfDays(first) + 7) % 7 + (b - 1) * 7;
        while (day > DaysInMonth(year, a)) day -= 7;
        days = first + day - 1;
        break;
      }
    }
    return days * kDay + time;
  }
};

// The rule of a POSIX TZ string, with offsets in seconds east of UTC.
struct PosixRule {
  int std_offset = 0;
  bool has_dst = false;
  int dst_offset = 0;
  RuleDate start, end;

  int OffsetAt(std::int64_t t) const {
    if (!has_dst) return std_offset;
    std::int64_t year;
    int m, d;
    CivilFromDays(FloorDiv(t + std_offset, kDay), &year, &m, &d);
    std::int64_t s = start.LocalSeconds(year) - std_offset;
    std::int64_t e = end.LocalSeconds(year) - dst_offset;
    bool dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
    return dst ? dst_offset : std_offset;
  }
};

// A tiny cursor over a POSIX TZ string.
class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixRule> Parse() {
    PosixRule r;
    if (!Name()) return std::nullopt;
    std::optional<int> std_off = Offset();
    if (!std_off) return std::nullopt;
    r.std_offset = -*std_off;  // POSIX offsets are west of UTC
    if (Done()) return r;
    if (!Name()) return std::nullopt;
    r.has_dst = true;
    r.dst_offset = r.std_offset + 3600;
    if (!Done() && Peek() != ',') {
      std::optional<int> dst_off = Offset();
      if (!dst_off) return std::nullopt;
      r.dst_offset = -*dst_off;
    }
    if (Done()) {  // POSIX leaves the default rule to the implementation; glibc's is US
      r.start = {RuleDate::Kind::kMonthWeekDay, 3, 2, 0, 7200};
      r.end = {RuleDate::Kind::kMonthWeekDay, 11, 1, 0, 7200};
      return r;
    }
    if (!Eat(',') || !Date(&r.start) || !Eat(',') || !Date(&r.end) || !Done()) {
      return std::nullopt;
    }
    return r;
  }

 private:
  bool Done() const { return i_ >= s_.size(); }
  char Peek() const { return Done() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  bool Name() {
    if (Eat('<')) {
      std::size_t close = s_.find('>', i_);
      if (close == std::string_view::npos || close == i_) return false;
      i_ = close + 1;
      return true;
    }
    std::size_t begin = i_;
    while (!Done() && std::isalpha(static_cast<unsigned char>(Peek()))) ++i_;
    return i_ - begin >= 3;
  }
  std::optional<int> Number(int max) {
    if (!std::isdigit(static_cast<unsigned char>(Peek()))) return std::nullopt;
    int v = 0;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) {
      v = v * 10 + (s_[i_++] - '0');
      if (v > max) return std::nullopt;
    }
    return v;
  }
  // [+-]hh[:mm[:ss]] in seconds (hours up to 167, as RFC 8536 allows in rules).
  std::optional<int> Offset() {
    int sign = 1;
    if (Eat('-')) {
      sign = -1;
    } else {
      Eat('+');
    }
    std::optional<int> h = Number(167);
    if (!h) return std::nullopt;
    int v = *h * 3600;
    if (Eat(':')) {
      std::optional<int> m = Number(59);
      if (!m) return std::nullopt;
      v += *m * 60;
      if (Eat(':')) {
        std::optional<int> s = Number(59);
        if (!s) return std::nullopt;
        v += *s;
      }
    }
    return sign * v;
  }
  bool Date(RuleDate* d) {
    if (Eat('J')) {
      std::optional<int> n = Number(365);
      if (!n || *n < 1) return false;
      *d = {RuleDate::Kind::kJulian1, *n, 0, 0, 7200};
    } else if (Eat('M')) {
      std::optional<int> m = Number(12), w, wd;
      if (!m || *m < 1 || !Eat('.') || !(w = Number(5)) || *w < 1 || !Eat('.') ||
          !(wd = Number(6))) {
        return false;
      }
      *d = {RuleDate::Kind::kMonthWeekDay, *m, *w, *wd, 7200};
    } else {
      std::optional<int> n = Number(365);
      if (!n) return false;
      *d = {RuleDate::Kind::kZeroBased, *n, 0, 0, 7200};
    }
    if (Eat('/')) {
      std::optional<int> t = Offset();
      if (!t) return false;
      d->time = *t;
    }
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

std::int64_t BigEndian(std::string_view data, std::size_t pos, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(data[pos + i]);
  if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

// Go's LoadLocation refuses names that could escape the zoneinfo directory.
bool IsSafeZoneName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.front() == '\\') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return true;
}

std::optional<std::string> ReadZoneFile(std::string_view name) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("ZONEINFO"); env != nullptr && *env != '\0') {
    dirs.emplace_back(env);
  }
  dirs.emplace_back("/usr/share/zoneinfo");
  for (const std::string& dir : dirs) {
    if (std::optional<std::string> data = ReadFile(dir + "/" + std::string(name))) return data;
  }
  return std::nullopt;
}

}  // namespace

std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  std::int64_t era = FloorDiv(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

int DaysInMonth(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

struct TimeZone::Data {
  std::string name = "UTC";
  std::vector<std::int64_t> transitions;  // ascending Unix seconds
  std::vector<int> offsets;               // offset from transitions[i] on
  int initial_offset = 0;                 // before the first transition
  std::optional<PosixRule> rule;          // after the last transition

  int OffsetAt(std::int64_t t) const {
    if (transitions.empty() || t >= transitions.back()) {
      if (rule) return rule->OffsetAt(t);
      return transitions.empty() ? initial_offset : offsets.back();
    }
    auto it = std::upper_bound(transitions.begin(), transitions.end(), t);
    if (it == transitions.begin()) return initial_offset;
    return offsets[it - transitions.begin() - 1];
  }
};

TimeZone::TimeZone() : data_(std::make_shared<Data>()) {}

const std::string& TimeZone::name() const { return data_->name; }

int TimeZone::OffsetAt(std::int64_t unix_s) const { return data_->OffsetAt(unix_s); }

CivilTime TimeZone::ToCivil(std::int64_t unix_s) const {
  CivilTime c;
  c.utc_offset = OffsetAt(unix_s);
  std::int64_t local = unix_s + c.utc_offset;
  std::int64_t days = FloorDiv(local, kDay);
  std::int64_t secs = local - days * kDay;
  std::int64_t year;
  CivilFromDays(days, &year, &c.month, &c.day);
  c.year = static_cast<int>(year);
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  c.weekday = WeekdayOfDays(days);
  return c;
}

std::int64_t TimeZone::FromLocal(std::int64_t local_s) const {
  // Zones change offset at most once in any two days, so the offsets a day either
  // side are the only candidates.
  int o1 = OffsetAt(local_s - kDay), o2 = OffsetAt(local_s + kDay);
  std::optional<std::int64_t> best;
  for (int o : {o1, o2}) {
    std::int64_t u = local_s - o;
    if (OffsetAt(u) == o && (!best || u < *best)) best = u;
  }
  if (best) return *best;
  // A gap: the wall time was skipped. Find the change, the first instant whose wall
  // time is past local_s.
  std::int64_t lo = local_s - std::max(o1, o2), hi = local_s - std::min(o1, o2);
  while (lo < hi) {
    std::int64_t mid = lo + (hi - lo) / 2;
    if (mid + OffsetAt(mid) >= local_s) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

Result<TimeZone> TimeZone::FromPosix(std::string_view tz, std::string name) {
  std::optional<PosixRule> rule = PosixParser(tz).Parse();
  if (!rule) return Status::BadData(fmt::format("invalid POSIX TZ string \"{}\"", tz));
  auto data = std::make_shared<Data>();
  data->name = std::move(name);
  data->initial_offset = rule->std_offset;
  data->rule = *rule;
  return TimeZone(std::move(data));
}

Result<TimeZone> TimeZone::FromTzif(std::string_view d, std::string name) {
  auto bad = [&](std::string_view why) {
    return Status::BadData(fmt::format("cannot read time zone {}: {}", name, why));
  };
  constexpr std::size_t kHeader = 44;
  if (d.size() < kHeader || d.substr(0, 4) != "TZif") return bad("not a TZif file");
  char version = d[4];
  std::size_t pos = 0;
  int time_size = 4;
  // v2+ files repeat the data with 64-bit times after the v1 block; read those.
  for (int pass = 0; pass < 2; ++pass) {
    if (d.size() < pos + kHeader || d.substr(pos, 4) != "TZif") return bad("truncated header");
    std::int64_t isutcnt = BigEndian(d, pos + 20, 4), isstdcnt = BigEndian(d, pos + 24, 4),
                 leapcnt = BigEndian(d, pos + 28, 4), timecnt = BigEndian(d, pos + 32, 4),
                 typecnt = BigEndian(d, pos + 36, 4), charcnt = BigEndian(d, pos + 40, 4);
    if (isutcnt < 0 || isstdcnt < 0 || leapcnt < 0 || timecnt < 0 || typecnt <= 0 || charcnt < 0) {
      return bad("invalid counts");
    }
    std::size_t body = timecnt * time_size + timecnt + typecnt * 6 + charcnt +
                       leapcnt * (time_size + 4) + isstdcnt + isutcnt;
    if (d.size() < pos + kHeader + body) return bad("truncated data");
    if (pass == 0 && version >= '2') {
      pos += kHeader + body;
      time_size = 8;
      continue;
    }
    auto data = std::make_shared<Data>();
    data->name = std::move(name);
    std::size_t p = pos + kHeader;
    std::size_t idx_pos = p + timecnt * time_size;
    std::size_t type_pos = idx_pos + timecnt;
    auto type_offset = [&](std::size_t type) {
      return static_cast<int>(BigEndian(d, type_pos + type * 6, 4));
    };
    for (std::int64_t i = 0; i < timecnt; ++i) {
      std::size_t type = static_cast<unsigned char>(d[idx_pos + i]);
      if (static_cast<std::int64_t>(type) >= typecnt) return bad("invalid time type index");
      std::int64_t t = BigEndian(d, p + i * time_size, time_size);
      if (!data->transitions.empty() && t <= data->transitions.back()) {
        return bad("transitions out of order");
      }
      data->transitions.push_back(t);
      data->offsets.push_back(type_offset(type));
    }
    data->initial_offset = type_offset(0);
    std::size_t footer = pos + kHeader + body;
    if (time_size == 8 && footer < d.size() && d[footer] == '\n') {
      std::size_t end = d.find('\n', footer + 1);
      if (end != std::string_view::npos && end > footer + 1) {
        std::string_view tz = d.substr(footer + 1, end - footer - 1);
        data->rule = PosixParser(tz).Parse();
        if (!data->rule) return bad(fmt::format("invalid footer \"{}\"", tz));
      }
    }
    return TimeZone(std::move(data));
  }
  return bad("unreachable");
}

Result<TimeZone> TimeZone::Load(std::string_view name) {
  if (name.empty() || name == "UTC") return TimeZone();
  if (name == "Local") {
    const char* tz = std::getenv("TZ");
    std::optional<std::string> data;
    if (tz == nullptr) {
      data = ReadFile("/etc/localtime");
    } else {
      std::string_view v = tz;
      if (!v.empty() && v.front() == ':') v.remove_prefix(1);
      if (v.empty() || v == "UTC") return TimeZone();
      if (v.front() == '/') {
        data = ReadFile(std::string(v));
      } else if (IsSafeZoneName(v)) {
        data = ReadZoneFile(v);
      }
      if (!data) {
        Result<TimeZone> posix = FromPosix(v, "Local");
        if (posix.ok()) return posix;
      }
    }
    if (!data) return TimeZone();  // as Go: Local falls back to UTC
    Result<TimeZone> zone = FromTzif(*data, "Local");
    return zone.ok() ? zone : Result<TimeZone>(TimeZone());
  }
  if (!IsSafeZoneName(name)) return Status::BadData(fmt::format("invalid time zone {}", name));
  std::optional<std::string> data = ReadZoneFile(name);
  if (!data) return Status::BadData(fmt::format("unknown time zone {}", name));
  Result<TimeZone> zone = FromTzif(*data, std::string(name));
  if (!zone.ok()) return Status::BadData(fmt::format("unknown time zone {}", name));
  return zone;
}

}  // namespace hw::alerting
