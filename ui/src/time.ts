// Time ranges: relative ("now-1h" .. "now") or absolute (epoch milliseconds), kept
// in the URL as ?from=&to= so a link shares the view.

export interface TimeRange {
  from: string; // "now-15m" | epoch ms as a string
  to: string;
}

export const PRESETS: { label: string; from: string }[] = [
  { label: "Last 15 minutes", from: "now-15m" },
  { label: "Last 1 hour", from: "now-1h" },
  { label: "Last 6 hours", from: "now-6h" },
  { label: "Last 24 hours", from: "now-24h" },
  { label: "Last 7 days", from: "now-7d" },
];

export const REFRESH_CHOICES = ["off", "5s", "10s", "30s", "1m", "5m"];

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// "90s", "5m", "1h30m" -> milliseconds; NaN when malformed.
export function parseDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
  let total = 0;
  let pos = 0;
  if (!s) return NaN;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return NaN;
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = re.lastIndex;
  }
  return total;
}

// "now", "now-1h", or epoch ms -> epoch ms. NaN when malformed.
export function parseTime(s: string, now: number): number {
  if (s === "now") return now;
  if (s.startsWith("now-")) {
    const d = parseDuration(s.slice(4));
    return Number.isNaN(d) ? NaN : now - d;
  }
  if (/^\d+$/.test(s)) return Number(s);
  return NaN;
}

export function isValidRange(r: TimeRange, now = Date.now()): boolean {
  const a = parseTime(r.from, now);
  const b = parseTime(r.to, now);
  return !Number.isNaN(a) && !Number.isNaN(b) && a < b;
}

// The range in Unix seconds (as the query API wants them).
export function resolve(r: TimeRange, now = Date.now()): { start: number; end: number } {
  return { start: parseTime(r.from, now) / 1000, end: parseTime(r.to, now) / 1000 };
}

const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

// A step (seconds) giving at most `maxPoints` points, rounded up to a nice value so
// that refreshes land on the same grid.
export function stepFor(start: number, end: number, maxPoints = 500): number {
  const raw = Math.max(1, (end - start) / maxPoints);
  return NICE_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
}

// Aligns start and end to the step, so that successive refreshes reuse buckets.
export function align(start: number, end: number, step: number): { start: number; end: number } {
  return { start: Math.floor(start / step) * step, end: Math.floor(end / step) * step };
}

export function rangeLabel(r: TimeRange): string {
  const preset = PRESETS.find((p) => p.from === r.from && r.to === "now");
  if (preset) return preset.label;
  const fmt = (s: string) => (/^\d+$/.test(s) ? formatDateTime(Number(s)) : s);
  return `${fmt(r.from)} to ${fmt(r.to)}`;
}

export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// For <input type="datetime-local">: local time without seconds' fraction.
export function toLocalInput(ms: number): string {
  return formatDateTime(ms).replace(" ", "T").slice(0, 16);
}

export function fromLocalInput(s: string): number {
  return new Date(s).getTime();
}

export function readRange(params: URLSearchParams, fallback: TimeRange): TimeRange {
  const r = { from: params.get("from") ?? fallback.from, to: params.get("to") ?? fallback.to };
  return isValidRange(r) ? r : fallback;
}

export function writeRange(params: URLSearchParams, r: TimeRange): void {
  params.set("from", r.from);
  params.set("to", r.to);
}

export function formatAgo(iso: string | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (Number.isNaN(t) || t <= 0) return "never";
  const s = Math.round((now - t) / 1000);
  if (s < 0) return `in ${formatSeconds(-s)}`;
  return `${formatSeconds(s)} ago`;
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ""}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ""}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)}h` : ""}`;
}
