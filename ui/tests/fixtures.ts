// What the tests share: the hastewatch under test, its token and the data written
// into it, and a page fixture that fails a test on any console error.
import { test as base, expect } from "@playwright/test";
import { dashboardsConfig } from "./fixtures-dashboards";
import { incidentsConfig } from "./fixtures-incidents";
import { slosConfig } from "./fixtures-slo";
import type { Series } from "./remote-write";

export const WRITE_TOKEN = "ui-test-write-token-0123456789";
export const RUNBOOK = "http://runbooks.example.test/high-error-rate.md";

export const RULES = `
groups:
  - name: ui-test
    interval: 1s
    rules:
      - alert: UiTestFiring
        expr: vector(1)
        labels: {severity: critical, service: api}
        annotations:
          summary: "UI test alert: always firing"
          description: "Raised by the browser tests' rule file."
          runbook_url: "${RUNBOOK}"
      - alert: UiTestPending
        expr: vector(1)
        for: 1h
        labels: {severity: warning}
        annotations: {summary: "UI test alert: pending for an hour"}
`;

export function config(port: number): string {
  return `
global:
  scrape_interval: 2s
  evaluation_interval: 1s
scrape_configs:
  - job_name: hastewatch
    static_configs:
      - targets: ["127.0.0.1:${port}"]
        labels: {service: hastewatch}
rule_files: [rules.yml]
${dashboardsConfig()}
${slosConfig()}
${incidentsConfig()}
server:
  auth:
    anonymous: read
    tokens:
      - {name: ui-test, role: write, token: ${WRITE_TOKEN}}
notifications:
  route:
    receiver: "null"
    group_wait: 1s
  receivers:
    - name: "null"
`;
}

// 55 minutes of the guide's golden signals and saturation metrics at a 15s
// interval, ending now: every System Overview panel has data for "Last 1 hour".
export function overviewData(now = Date.now()): Series[] {
  const step = 15_000;
  const end = Math.floor(now / step) * step;
  const times: number[] = [];
  for (let t = end - 55 * 60_000; t <= end; t += step) times.push(t);
  const wave = (t: number, period: number, phase = 0) => Math.sin((t / period) * 2 * Math.PI + phase);
  const gauge = (labels: Record<string, string>, f: (t: number) => number): Series => ({
    labels, samples: times.map((t) => [t, f(t)]),
  });
  const counter = (labels: Record<string, string>, ratePerSec: (t: number) => number): Series => {
    let acc = 0;
    return { labels, samples: times.map((t) => [t, (acc += ratePerSec(t) * (step / 1000))]) };
  };
  const out: Series[] = [];
  const buckets = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
  const share = [0.35, 0.65, 0.85, 0.95, 0.99, 0.999, 1]; // cumulative share per bucket
  for (const [service, rps, errShare] of [["api", 50, 0.02], ["web", 20, 0.004]] as const) {
    const base = { job: service, instance: `${service}-1:3000`, service };
    const rate = (t: number) => rps * (1 + 0.3 * wave(t, 20 * 60_000));
    out.push(counter({ __name__: "http_requests_total", ...base, method: "GET", endpoint: "/api/contacts", status: "200" }, rate));
    out.push(counter({ __name__: "http_errors_total", ...base, method: "GET", endpoint: "/api/contacts", error_type: "internal" },
      (t) => rate(t) * errShare * (1 + wave(t, 10 * 60_000))));
    buckets.forEach((le, i) =>
      out.push(counter({ __name__: "http_request_duration_seconds_bucket", ...base, le }, (t) => rate(t) * share[i])));
  }
  for (const ws of ["acme", "globex"]) {
    out.push(gauge({ __name__: "active_users_total", job: "api", instance: "api-1:3000", workspace: ws }, (t) => Math.round(120 + 40 * wave(t, 30 * 60_000))));
  }
  for (const [i, instance] of ["node-1:9100", "node-2:9100"].entries()) {
    out.push(gauge({ __name__: "cpu_usage_percent", job: "node", instance }, (t) => 35 + 20 * i + 15 * wave(t, 12 * 60_000, i)));
    out.push(gauge({ __name__: "node_memory_MemTotal_bytes", job: "node", instance }, () => 16 * 1024 ** 3));
    out.push(gauge({ __name__: "node_memory_MemAvailable_bytes", job: "node", instance }, (t) => (6 + 2 * wave(t, 25 * 60_000, i)) * 1024 ** 3));
    for (const mountpoint of ["/", "/var"]) {
      out.push(gauge({ __name__: "disk_free_percent", job: "node", instance, device: "sda1", fstype: "ext4", mountpoint }, (t) => 40 + 10 * i - (t - times[0]) / 600_000));
    }
  }
  out.push(gauge({ __name__: "database_connections_active", job: "api", instance: "api-1:3000", database: "crm" }, (t) => Math.round(30 + 10 * wave(t, 8 * 60_000))));
  out.push(gauge({ __name__: "redis_hit_rate", job: "redis", instance: "redis-1:9121" }, (t) => 0.92 + 0.05 * wave(t, 15 * 60_000)));
  for (const q of ["email", "webhooks"]) {
    out.push(gauge({ __name__: "queue_depth", job: "worker", instance: "worker-1:3001", queue_name: q }, (t) => Math.max(0, Math.round(200 + 150 * wave(t, 9 * 60_000, q.length)))));
  }
  return out;
}

// A page whose console errors and uncaught exceptions fail the test; a test that
// expects an HTTP error (a bad query's 400) lists the status in `allowedHttpErrors`.
export const test = base.extend<{ consoleErrors: string[]; allowedHttpErrors: number[] }>({
  allowedHttpErrors: [[], { option: true }],
  consoleErrors: async ({ page, allowedHttpErrors }, use) => {
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const status = /status of (\d{3})/.exec(m.text());
      if (status && allowedHttpErrors.includes(Number(status[1]))) return;
      errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
    await use(errors);
    expect(errors, "console errors").toEqual([]);
  },
});

export { expect };
