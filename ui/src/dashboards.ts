// Built-in dashboards, in the guide's JSON shape (title, panels: [{title, query}])
// with the optional fields issue 8 adds (type, unit, legend, thresholds, description,
// width in twelfths). A panel may carry several queries (`queries`), each with its
// own legend template.
//
// The queries are the guide's, corrected as examples/hastecrm/rules/*.yml corrects
// them: histogram_quantile over the per-bucket rate of http_request_duration_seconds
// (summed by le), error rate as errors over requests summed per service, and the
// recording rules' names for exporter metrics (cpu_usage_percent, disk_free_percent,
// redis_hit_rate).
import type { Threshold } from "./chart";
import type { Unit } from "./units";

export interface PanelQuery {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  title: string;
  query?: string;
  queries?: PanelQuery[];
  type?: "timeseries" | "stat";
  unit?: Unit;
  legend?: string;
  thresholds?: Threshold[];
  description?: string;
  width?: number;
}

export interface DashboardSpec {
  title: string;
  time?: { from: string; to: string };
  refresh?: string;
  panels: PanelSpec[];
}

export function panelQueries(p: PanelSpec): PanelQuery[] {
  if (p.queries?.length) return p.queries;
  return p.query ? [{ expr: p.query, legend: p.legend }] : [];
}

const latency = (q: string) =>
  `histogram_quantile(${q}, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))`;

export const SYSTEM_OVERVIEW: DashboardSpec = {
  title: "hasteCRM System Overview",
  time: { from: "now-1h", to: "now" },
  refresh: "30s",
  panels: [
    {
      title: "Request Rate",
      query: "sum by (service) (rate(http_requests_total[5m]))",
      legend: "{{service}}",
      unit: "req/s",
      description: "HTTP requests per second by service (guide: Golden Signals, Traffic).",
      width: 6,
    },
    {
      title: "Error Rate",
      query: "sum by (service) (rate(http_errors_total[5m])) / sum by (service) (rate(http_requests_total[5m]))",
      legend: "{{service}}",
      unit: "percentunit",
      thresholds: [{ value: 0.05, color: "#dc2626" }],
      description:
        "Failed share of requests by service; the dashed line is HighErrorRate's 5% (rules/alerts.yml). Both counters are summed by service before dividing: their other labels differ.",
      width: 6,
    },
    {
      title: "Latency p50 / p95 / p99",
      queries: [
        { expr: latency("0.5"), legend: "p50 {{service}}" },
        { expr: latency("0.95"), legend: "p95 {{service}}" },
        { expr: latency("0.99"), legend: "p99 {{service}}" },
      ],
      unit: "seconds",
      thresholds: [{ value: 0.5, color: "#dc2626" }],
      description:
        "Quantiles of http_request_duration_seconds from the per-bucket rate over 5m; the dashed line is P95LatencyHigh's 500 ms.",
      width: 8,
    },
    {
      title: "Active Users",
      query: "sum(active_users_total)",
      legend: "active users",
      type: "stat",
      unit: "short",
      description: "Users active now, over all workspaces (active_users_total).",
      width: 4,
    },
    {
      title: "CPU Usage",
      query: "cpu_usage_percent",
      legend: "{{instance}}",
      unit: "percent",
      thresholds: [{ value: 80, color: "#d97706" }],
      description: "Busy CPU percent per instance (recording rule over node_cpu_seconds_total); CPUHighUsage above 80%.",
      width: 4,
    },
    {
      title: "Memory Usage",
      query: "100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)",
      legend: "{{instance}}",
      unit: "percent",
      description: "Memory in use per instance: 1 − MemAvailable / MemTotal (node-exporter).",
      width: 4,
    },
    {
      title: "Disk Free",
      query: "disk_free_percent",
      legend: "{{instance}} {{mountpoint}}",
      unit: "percent",
      thresholds: [{ value: 20, color: "#d97706" }],
      description: "Free space per filesystem (recording rule over node_filesystem_*); DiskSpaceLow (warning) below 20%.",
      width: 4,
    },
    {
      title: "DB Connections",
      query: "sum by (database) (database_connections_active)",
      legend: "{{database}}",
      unit: "short",
      description: "Open database connections (guide: Saturation).",
      width: 4,
    },
    {
      title: "Cache Hit Rate",
      query: "redis_hit_rate",
      legend: "{{instance}}",
      unit: "percentunit",
      thresholds: [{ value: 0.8, color: "#d97706" }],
      description: "Share of Redis lookups served from cache (recording rule over redis_keyspace_*); CacheHitRateLow below 80%.",
      width: 4,
    },
    {
      title: "Queue Depth",
      query: "sum by (queue_name) (queue_depth)",
      legend: "{{queue_name}}",
      unit: "short",
      thresholds: [{ value: 1000, color: "#d97706" }],
      description: "Jobs waiting per queue (guide: Saturation); QueueBacklog above 1000.",
      width: 4,
    },
  ],
};
