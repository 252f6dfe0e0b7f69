// The dashboards under test: the pack's two JSON files (by absolute path, as a user's
// hastewatch.yml would name them), test dashboards written next to the temp config —
// one with a query that does not parse, one with a 100-series panel — and the data
// the API Performance dashboard and the 100-series panel draw.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DashboardSpec } from "../src/dashboards";
import type { Page } from "@playwright/test";
import { PALETTE } from "../src/palette";
import type { Series } from "./remote-write";

const PACK = resolve(dirname(fileURLToPath(import.meta.url)), "../../examples/hastecrm/dashboards");

// A pack dashboard as its file says (what the page must show).
export function packDashboard(id: string): DashboardSpec {
  return JSON.parse(readFileSync(join(PACK, `${id}.json`), "utf8")) as DashboardSpec;
}

// Pixels of a panel's canvas in a series colour (the palette's, not the grey grid's or
// a threshold's): the chart drew data, not just its axes.
export async function seriesPixels(page: Page, panel: string): Promise<number> {
  const palette = PALETTE.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  return page.locator(`[data-panel="${panel}"] canvas`).evaluate((c: HTMLCanvasElement, colors: number[][]) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 200) continue;
      if (colors.some(([r, g, b]) => Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 40)) n++;
    }
    return n;
  }, palette);
}

export const SMOOTH_SERIES = 100;
export const SMOOTH_POINTS = 1000;
export const SMOOTH_STEP_MS = 5_000;

// The `dashboards:` section of the test config.
export function dashboardsConfig(): string {
  return `dashboards:
  - ${join(PACK, "system-overview.json")}
  - ${join(PACK, "api-performance.json")}
  - ui-test-*.json`;
}

export const ERRORS_DASHBOARD = {
  title: "UI test: query errors",
  panels: [
    { title: "Broken query", query: "sum(rate(http_requests_total[5m])", width: 6 },
    { title: "Working query", query: "sum(rate(http_requests_total[5m]))", unit: "req/s", width: 6 },
  ],
};

export const SMOOTH_DASHBOARD = {
  title: "UI test: 100 series",
  refresh: "off",
  panels: [{ title: "100 series", query: "ui_smooth_series", legend: "{{series}}", unit: "short", width: 12 }],
};

// A multi-value variable over services whose names need regex escaping ("auth.v2"
// must not also select "authXv2").
export const VARIABLES_DASHBOARD = {
  title: "UI test: variables",
  refresh: "off",
  variables: [{ name: "service", title: "Service", match: "ui_var_requests_total", multi: true }],
  panels: [{
    title: "Requests by service", query: 'sum by (service) (rate(ui_var_requests_total{service=~"$service"}[5m]))',
    legend: "{{service}}", unit: "req/s", width: 12,
  }],
};
export const VAR_SERVICES = ["auth.v2", "authXv2", "billing", "search"];

export function writeTestDashboards(dir: string): void {
  writeFileSync(join(dir, "ui-test-errors.json"), JSON.stringify(ERRORS_DASHBOARD, null, 2));
  writeFileSync(join(dir, "ui-test-smooth.json"), JSON.stringify(SMOOTH_DASHBOARD, null, 2));
  writeFileSync(join(dir, "ui-test-variables.json"), JSON.stringify(VARIABLES_DASHBOARD, null, 2));
}

// Where the 100-series data ends (ms, a multiple of the step): the test asks for
// exactly its range, so each series has SMOOTH_POINTS points on the chart.
export function smoothEnd(now = Date.now()): number {
  return Math.floor(now / 60_000) * 60_000;
}

export function dashboardData(now = Date.now()): Series[] {
  const out: Series[] = [];
  // API Performance: two more API endpoints beside the overview's /api/contacts (web
  // keeps only that one, so choosing $service=web narrows $endpoint; other tests count
  // web's series), and the GraphQL and database histograms (55 minutes at 15s, as the
  // overview's data).
  const step = 15_000;
  const end = Math.floor(now / step) * step;
  const times: number[] = [];
  for (let t = end - 55 * 60_000; t <= end; t += step) times.push(t);
  const counter = (labels: Record<string, string>, perSec: number): Series => {
    let acc = 0;
    return { labels, samples: times.map((t, i) => [t, (acc += perSec * (1 + 0.2 * Math.sin(i / 9)) * (step / 1000))]) };
  };
  const buckets = ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"];
  const histogram = (name: string, labels: Record<string, string>, perSec: number, share: number[]) =>
    buckets.forEach((le, i) => out.push(counter({ __name__: name, ...labels, le }, perSec * share[i])));
  const endpoints = [
    { service: "api", endpoint: "/api/deals", rps: 12, err: 0.03, share: [0.2, 0.5, 0.8, 0.95, 0.99, 1] },
    { service: "api", endpoint: "/graphql", rps: 30, err: 0.01, share: [0.5, 0.8, 0.95, 0.99, 1, 1] },
  ];
  for (const e of endpoints) {
    const base = { job: e.service, instance: `${e.service}-1:3000`, service: e.service, endpoint: e.endpoint };
    out.push(counter({ __name__: "http_requests_total", ...base, method: "GET", status: "200" }, e.rps * (1 - e.err)));
    out.push(counter({ __name__: "http_requests_total", ...base, method: "GET", status: "500" }, e.rps * e.err));
    out.push(counter({ __name__: "http_errors_total", ...base, method: "GET", error_type: "internal" }, e.rps * e.err));
    histogram("http_request_duration_seconds_bucket", base, e.rps, e.share);
  }
  for (const [operation, rps] of [["GetContacts", 20], ["CreateDeal", 4]] as const) {
    histogram("graphql_query_duration_seconds_bucket", { job: "api", instance: "api-1:3000", service: "api", operation }, rps, [0.3, 0.6, 0.9, 0.97, 1, 1]);
  }
  histogram("database_query_duration_seconds_bucket", { job: "postgres", instance: "db-1:5432", service: "database" }, 100, [0.9, 0.97, 0.99, 1, 1, 1]);

  // The variables dashboard: its services over the last 55 minutes.
  const varCounter = (service: string, perSec: number): Series => ({
    labels: { __name__: "ui_var_requests_total", job: "ui-test", service },
    samples: times.map((t, i) => [t, perSec * (i + 1) * (step / 1000)]),
  });
  VAR_SERVICES.forEach((service, i) => out.push(varCounter(service, i + 1)));

  // The smoothness panel: SMOOTH_SERIES series of SMOOTH_POINTS points.
  const smoothEndMs = smoothEnd(now);
  for (let s = 0; s < SMOOTH_SERIES; s++) {
    const samples: [number, number][] = [];
    for (let i = 0; i < SMOOTH_POINTS; i++) {
      samples.push([smoothEndMs - (SMOOTH_POINTS - 1 - i) * SMOOTH_STEP_MS, 100 + s + 20 * Math.sin(i / 40 + s / 7)]);
    }
    out.push({ labels: { __name__: "ui_smooth_series", job: "ui-test", series: String(s).padStart(3, "0") }, samples });
  }
  return out;
}
