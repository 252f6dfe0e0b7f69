// Silences as the Alerts page edits them: matchers in Alertmanager's text form,
// which alerts they match (Alertmanager's rules, to preview a silence before saving
// it), and the start/end/duration fields resolved to the times the API takes.
// Pure logic, unit-tested in silence_model.test.ts.
import type { Labels, Matcher } from "./api";
import { formatDateTime, parseDuration } from "./time";

const MATCHER_RE = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const MATCHER_ONLY_RE = /\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*/y;

// `alertname="X", severity=~"crit.*"` (braces optional) -> Alertmanager v2 matchers.
export function parseMatchers(text: string): Matcher[] {
  const out: Matcher[] = [];
  let s = text.trim();
  // Offsets in `s` + base = offsets in what the user typed.
  let base = text.length - text.trimStart().length;
  if (s.startsWith("{") && s.endsWith("}")) {
    s = s.slice(1, -1);
    base++;
  }
  MATCHER_RE.lastIndex = 0;
  while (MATCHER_RE.lastIndex < s.length) {
    const start = MATCHER_RE.lastIndex;
    const m = MATCHER_RE.exec(s);
    if (!m) {
      const rest = s.slice(start);
      if (!rest.trim()) break;
      MATCHER_ONLY_RE.lastIndex = start;
      if (MATCHER_ONLY_RE.exec(s)) {
        throw new Error(`cannot parse matchers at character ${base + MATCHER_ONLY_RE.lastIndex + 1}: expected "," between matchers`);
      }
      const at = base + start + rest.length - rest.trimStart().length;
      throw new Error(`cannot parse matchers at character ${at + 1} ("${rest.trim().slice(0, 20)}"): expected name="value", name!="value", name=~"regex" or name!~"regex"`);
    }
    const op = m[2];
    // Regexes are not compiled here: the server (RE2) judges them on save, and
    // JavaScript refuses some RE2 accepts ((?i)..., \-).
    out.push({ name: m[1], value: unescapeValue(m[3]), isRegex: op.includes("~"), isEqual: !op.startsWith("!") });
  }
  if (!out.length) throw new Error("a silence needs at least one matcher");
  return out;
}

export function matcherOp(m: Matcher): string {
  return m.isRegex ? (m.isEqual === false ? "!~" : "=~") : m.isEqual === false ? "!=" : "=";
}

export function formatMatcher(m: Matcher): string {
  return `${m.name}${matcherOp(m)}${JSON.stringify(m.value)}`;
}

export function formatMatchers(ms: Matcher[]): string {
  return ms.map(formatMatcher).join(", ");
}

export function matchersFromLabels(l: Labels): string {
  return Object.keys(l).sort().map((k) => `${k}=${JSON.stringify(l[k])}`).join(", ");
}

// A quoted value as Alertmanager reads it: \n, \" and \\ are escapes; any other
// backslash stays as written (`path=~"/a\.b"` keeps its regex escape).
export function unescapeValue(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== "\\" || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const next = raw[++i];
    out += next === "n" ? "\n" : next === '"' || next === "\\" ? next : `\\${next}`;
  }
  return out;
}

// Alertmanager anchors regexes at both ends. It uses Go's RE2; JavaScript (without
// the u flag, which refuses escapes like \- that RE2 takes) agrees for the usual
// patterns, and a leading (?i) becomes the i flag.
function compile(m: Matcher): RegExp {
  const insensitive = m.value.startsWith("(?i)");
  const body = insensitive ? m.value.slice(4) : m.value;
  try {
    return new RegExp(`^(?:${body})$`, insensitive ? "i" : "");
  } catch (e) {
    throw new Error(`invalid regex in matcher ${formatMatcher(m)} (as JavaScript reads it; the server checks it on save): ${(e as Error).message}`);
  }
}

// A label that is absent matches as the empty string, as in Alertmanager.
export function matcherMatches(m: Matcher, labels: Labels): boolean {
  const v = labels[m.name] ?? "";
  const hit = m.isRegex ? compile(m).test(v) : v === m.value;
  return m.isEqual === false ? !hit : hit;
}

export function silenceMatches(ms: Matcher[], labels: Labels): boolean {
  return ms.every((m) => matcherMatches(m, labels));
}

// "now", an ISO time ("2026-11-27T10:00:00Z") or a local "YYYY-MM-DD HH:MM[:SS]"
// -> epoch ms; NaN when it is none of those.
export function parseWhen(text: string, now: number): number {
  const s = text.trim();
  if (s === "now") return now;
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (local) {
    const [y, mo, d, h, mi, sec] = local.slice(1).map((x) => Number(x ?? 0));
    const t = new Date(y, mo - 1, d, h, mi, sec).getTime();
    return new Date(t).getMonth() === mo - 1 ? t : NaN; // rejects 2026-02-31
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(s)) return Date.parse(s);
  return NaN;
}

export function formatWhen(ms: number): string {
  return formatDateTime(ms);
}

// 5400000 -> "1h30m": the duration field's text for an end time.
export function formatDuration(ms: number): string {
  if (!(ms > 0)) return "0s";
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, n] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
  }
  return parts.join("");
}

export interface TimeFields {
  starts: string;
  ends: string;
  duration: string;
}

// The times to send. `keepStart` is the edited silence's start as the API gave it:
// when the field still shows it, it is sent unchanged to the millisecond, so that
// Alertmanager updates an active silence in place rather than replacing it.
// `endsFrom` says which field the user set last: the end time or the duration.
export function resolveTimes(
  f: TimeFields, endsFrom: "ends" | "duration", now: number, keepStart?: string,
): { startsAt: string; endsAt: string } {
  const kept = keepStart !== undefined && f.starts.trim() === formatWhen(Date.parse(keepStart));
  const start = kept ? Date.parse(keepStart!) : parseWhen(f.starts, now);
  if (Number.isNaN(start)) throw new Error(`cannot parse start "${f.starts}": use now, YYYY-MM-DD HH:MM or an ISO time`);
  let end: number;
  if (endsFrom === "duration") {
    const d = parseDuration(f.duration.trim());
    if (!(d > 0)) throw new Error(`cannot parse duration "${f.duration}": use e.g. 30m, 2h, 1d12h`);
    end = start + d;
  } else {
    end = parseWhen(f.ends, now);
    if (Number.isNaN(end)) throw new Error(`cannot parse end "${f.ends}": use YYYY-MM-DD HH:MM or an ISO time`);
  }
  if (end <= start) throw new Error("the end must be after the start");
  return { startsAt: kept ? keepStart! : new Date(start).toISOString(), endsAt: new Date(end).toISOString() };
}
