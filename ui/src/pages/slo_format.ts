// How the SLO page writes its figures: the same precision as `hastewatch slo report`
// (achieved to 3 decimals, budget to 1), burn rates as multiples, months as YYYY-MM.
import { h } from "../dom";

const DASH = "–";

// 0.99958 -> "99.958%" (null, NaN: "–").
export function pct(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${(v * 100).toFixed(decimals)}%`;
}

// An objective as written: 0.999 -> "99.9%", 0.95 -> "95%".
export function objectivePct(v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  return `${Number((v * 100).toPrecision(6))}%`;
}

// 0.5 -> "0.50×", 20 -> "20.0×", 144 -> "144×".
export function burnRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
}

// How long until a projected time: "in 10.5 d", "in 3.2 h", "in 12 min".
export function inTime(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return DASH;
  if (ms <= 0) return "now";
  if (ms >= 86_400_000) return `in ${(ms / 86_400_000).toFixed(1)} d`;
  if (ms >= 3_600_000) return `in ${(ms / 3_600_000).toFixed(1)} h`;
  return `in ${Math.max(1, Math.round(ms / 60_000))} min`;
}

// "2024-02" of a time, in UTC as the report counts months.
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

// "2024-01" + 1 -> "2024-02"; "2024-01" - 1 -> "2023-12".
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  return monthOf(Date.UTC(y, m - 1 + by, 1));
}

export function isMonth(s: string | null): s is string {
  return !!s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

// The budget left as a bar and a number; overspent budgets show an empty red bar.
export function budgetBar(remaining: number | null): HTMLElement {
  const share = remaining === null ? 0 : Math.min(1, Math.max(0, remaining));
  const level = remaining === null ? "none" : remaining <= 0 ? "out" : remaining < 0.25 ? "low" : "ok";
  return h("span", { class: `budget budget-${level}`, title: "error budget remaining" },
    h("span", { class: "budget-track" }, h("span", { class: "budget-fill", style: `width:${(share * 100).toFixed(1)}%` })),
    h("span", { class: "budget-text" }, pct(remaining, 1)));
}

// Which days of a month's review were counted from the SLO history in state.db (the
// TSDB's retention had dropped them) and which had no data anywhere: a review should know.
export function dataSources(s: { storedDays: number; noDataDays: string[] }): string {
  const parts = [s.storedDays ? `${s.storedDays} d from SLO history` : "TSDB"];
  if (s.noDataDays.length) parts.push(`${s.noDataDays.length} d without data`);
  return parts.join(", ");
}
