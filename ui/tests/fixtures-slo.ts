// The SLO page's data (tests/slos.spec.ts): the series behind tests/slos-test.yml,
// remote-written by global-setup.ts. Counters every 5 minutes, each sample carrying
// the 5 minutes before it, from UTC midnight on the 21st of the previous month
// (sloDataStart) to now, so the month picker has two months to show:
//
//   checkout   200 requests per 5 minutes; 1 failed (0.5%) in the current month,
//              4 (2%) in the previous one
//   search     100 searches per 5 minutes, 98 within 300ms (98%)
//   payments   50 per 5 minutes, 40 result="ok" (80%): burning 20x its budget
//
// Every share is constant within a month, so increase() and rate() extrapolate both
// counters of a ratio alike and the figures come out exact.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remoteWrite, type Series } from "./remote-write";

export const SLO_FILE = resolve(dirname(fileURLToPath(import.meta.url)), "slos-test.yml");

// The config's lines for this data: the SLO file, and a retention that keeps the
// previous month (the default 15 days would drop it once the head is persisted).
export function slosConfig(): string {
  return `slos: [${JSON.stringify(SLO_FILE)}]\nstorage:\n  tsdb:\n    retention_time: 90d`;
}

export const DAY_MS = 86_400_000;
const STEP_MS = 5 * 60_000;

// UTC midnight on the 1st of the month holding t, `offset` months later.
export function monthStart(t: number, offset = 0): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

export function sloDataStart(now: number): number {
  return monthStart(now, -1) + 20 * DAY_MS;
}

export function sloData(now = Date.now()): Series[] {
  const thisMonth = monthStart(now);
  const labels = (name: string, extra: Record<string, string> = {}) => ({ __name__: name, service: "shop", ...extra });
  const names = [
    labels("shop_checkout_requests_total"),
    labels("shop_checkout_errors_total"),
    labels("shop_search_duration_seconds_bucket", { le: "0.3" }),
    labels("shop_search_duration_seconds_bucket", { le: "+Inf" }),
    labels("shop_search_duration_seconds_count"),
    labels("shop_payments_total", { result: "ok" }),
    labels("shop_payments_total", { result: "failed" }),
  ];
  const series: Series[] = names.map((l) => ({ labels: l, samples: [] }));
  const counts = new Array<number>(names.length).fill(0);
  for (let t = sloDataStart(now); t <= now; t += STEP_MS) {
    if (series[0].samples.length) {
      const current = t - STEP_MS >= thisMonth;
      const increments = [200, current ? 1 : 4, 98, 100, 100, 40, 10];
      increments.forEach((n, i) => (counts[i] += n));
    }
    series.forEach((s, i) => s.samples.push([t, counts[i]]));
  }
  return series;
}

// In requests of at most CHUNK samples per series, oldest first: remote-write.ts
// spreads a series' bytes into one call's arguments, which a month of samples
// would overflow.
const CHUNK = 2000;

export async function writeSloData(url: string, token: string, now = Date.now()): Promise<void> {
  const series = sloData(now);
  for (let i = 0; i < series[0].samples.length; i += CHUNK) {
    await remoteWrite(url, series.map((s) => ({ labels: s.labels, samples: s.samples.slice(i, i + CHUNK) })), token);
  }
}
