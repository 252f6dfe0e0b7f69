#!/usr/bin/env python3
"""Writes Prometheus rule files (`groups:` form) for bench/gen_workload.py's metrics.

A realistic mix in the style of the monitoring guide (examples/hastecrm), by default
1,000 rules in 16 groups of ~62, ~60% recording and ~40% alerting:

  * recording rules: sum/avg by job/instance/endpoint of rate() and increase() over
    1m..1h windows, histogram_quantile over the rate of buckets (HTTP, database,
    background jobs), ratios of aggregated errors to requests, SLO burn rates, mean
    latencies (rate of _sum / rate of _count), *_over_time, predict_linear, deriv,
    topk, one-to-many matching (load per CPU);
  * alerting rules: thresholds, `for` (0s, 30s, 5m, 10m), severity/team labels,
    annotations templated with $labels and $value | humanize, humanize1024,
    humanizePercentage and humanizeDuration, a runbook URL; some alert on series
    recorded earlier in the same group (evaluated in order, as in Prometheus).

Alert thresholds sit far from the workload's typical values (x0.1..0.5 to fire, x2.5..20
to stay quiet), so which alerts fire does not depend on the instant two servers
happen to evaluate at: a benchmark can compare firing/pending counts across servers.
With `for` 0s/30s an alert whose expression holds is firing after ~3 iterations; with
5m/10m it stays pending for the first 5 minutes.

Deterministic for a given --seed. Usable as a module (generate(...)) or a CLI:
  python3 bench/gen_rules.py --out-dir /tmp/rules [--rules 1000 --groups 16]
"""
import argparse
import itertools
import os
import random

WINDOWS = ["1m", "2m", "3m", "5m", "10m", "15m", "30m", "1h"]
LONG = ["5m", "10m", "15m", "20m", "30m", "1h"]  # for noisy series (few observations a scrape)
QUANTILES = ["0.5", "0.9", "0.95", "0.99"]
MODES = ["user", "system", "iowait", "softirq", "steal"]

# Typical per-series values of the workload (see gen_workload.py), used to place
# thresholds far from them.
HTTP_Q = {"0.5": 0.083, "0.9": 0.41, "0.95": 0.46, "0.99": 0.55}
DB_Q = {"0.5": 0.0042, "0.9": 0.018, "0.95": 0.034, "0.99": 0.047}
JOB_Q = {"0.5": 3.5, "0.9": 9.1, "0.95": 15.0, "0.99": 27.5}


def q_tag(q):
    return "p" + q.split(".")[1].ljust(2, "0")


# ---- recording rule templates: (name, expr, params) --------------------------------
# Every combination of the params is one candidate rule; names carry every param, so
# they are unique.

REC = {
    "node-cpu": [
        ("instance:node_cpu_utilisation:rate{w}",
         '1 - avg without (cpu, mode) (rate(node_cpu_seconds_total{{job="node",mode="idle"}}[{w}]))',
         {"w": WINDOWS}),
        ("instance_mode:node_cpu_seconds:rate{w}",
         'sum without (cpu) (rate(node_cpu_seconds_total{{job="node"}}[{w}]))', {"w": WINDOWS}),
        ("instance:node_cpu_{mode}:ratio_rate{w}",
         'avg by (instance) (rate(node_cpu_seconds_total{{mode="{mode}"}}[{w}]))', {"w": WINDOWS, "mode": MODES}),
        ("job:node_cpu_utilisation:avg_rate{w}",
         'avg by (job) (1 - rate(node_cpu_seconds_total{{mode="idle"}}[{w}]))', {"w": WINDOWS}),
        ("instance:node_load1_per_cpu:avg{w}",
         'avg_over_time(node_load1[{w}]) / on (instance) group_left count by (instance) '
         '(node_cpu_seconds_total{{mode="idle"}})', {"w": WINDOWS}),
        ("instance:node_context_switches:rate{w}", 'rate(node_context_switches_total[{w}])', {"w": WINDOWS}),
        ("instance:node_cpu_{mode}:irate", 'sum by (instance) (irate(node_cpu_seconds_total{{mode="{mode}"}}[1m]))',
         {"mode": MODES}),
    ],
    "node-memory-disk": [
        ("instance:node_memory_{m}:avg{w}", 'avg_over_time(node_memory_{m}_bytes[{w}])',
         {"w": WINDOWS, "m": ["MemAvailable", "MemFree", "Cached", "Buffers"]}),
        ("instance:node_memory_available:ratio", 'node_memory_MemAvailable_bytes / (node_memory_MemAvailable_bytes '
         '+ node_memory_Cached_bytes + node_memory_Buffers_bytes)', {}),
        ("mountpoint:node_filesystem_avail:min{w}",
         'min by (mountpoint) (min_over_time(node_filesystem_avail_bytes[{w}]))', {"w": WINDOWS}),
        ("instance:node_filesystem_avail_{mp}:predict4h_{w}",
         'predict_linear(node_filesystem_avail_bytes{{mountpoint="{mpath}"}}[{w}], 4 * 3600)',
         {"w": LONG, "mp": ["root", "var", "boot"]}),
        ("instance:node_disk_{d}_bytes:rate{w}", 'sum by (instance) (rate(node_disk_{d}_bytes_total[{w}]))',
         {"w": WINDOWS, "d": ["read", "written"]}),
    ],
    "node-network": [
        ("instance_device:node_network_{d}_bytes:rate{w}", 'rate(node_network_{d}_bytes_total[{w}])',
         {"w": WINDOWS, "d": ["receive", "transmit"]}),
        ("instance:node_network_{d}_bytes_excl_lo:rate{w}",
         'sum by (instance) (rate(node_network_{d}_bytes_total{{device!="lo"}}[{w}]))',
         {"w": WINDOWS, "d": ["receive", "transmit"]}),
        ("job:node_network_{d}_bytes:rate{w}", 'sum by (job) (rate(node_network_{d}_bytes_total[{w}]))',
         {"w": WINDOWS, "d": ["receive", "transmit"]}),
        ("top3:node_network_{d}_bytes:rate{w}",
         'topk(3, sum by (instance) (rate(node_network_{d}_bytes_total[{w}])))',
         {"w": LONG, "d": ["receive", "transmit"]}),
    ],
    "api-http": [
        ("job:http_requests:rate{w}", 'sum by (job) (rate(http_requests_total[{w}]))', {"w": WINDOWS}),
        ("job_endpoint:http_requests:rate{w}", 'sum by (job, endpoint) (rate(http_requests_total[{w}]))',
         {"w": WINDOWS}),
        ("job_endpoint_method:http_requests_{m}:rate{w}",
         'sum by (job, endpoint, method) (rate(http_requests_total{{method="{M}"}}[{w}]))',
         {"w": WINDOWS, "m": ["get", "post"]}),
        ("job_status:http_requests:rate{w}", 'sum by (job, status) (rate(http_requests_total[{w}]))',
         {"w": WINDOWS}),
        ("endpoint:http_requests:increase{w}", 'sum by (endpoint) (increase(http_requests_total[{w}]))',
         {"w": WINDOWS}),
        ("job_endpoint_status:http_requests:rate{w}",
         'sum by (job, endpoint, status) (rate(http_requests_total[{w}]))', {"w": WINDOWS}),
        ("job_method:http_requests:irate", 'sum by (job, method) (irate(http_requests_total[1m]))', {}),
    ],
    "api-errors": [
        ("job_endpoint:http_errors:rate{w}", 'sum by (job, endpoint) (rate(http_errors_total[{w}]))',
         {"w": WINDOWS}),
        ("endpoint:http_errors:ratio_rate{w}",
         'sum by (endpoint) (rate(http_errors_total[{w}])) / sum by (endpoint) (rate(http_requests_total[{w}]))',
         {"w": WINDOWS}),
        ("job:http_5xx:ratio_rate{w}",
         'sum by (job) (rate(http_requests_total{{status=~"5.."}}[{w}])) / sum by (job) '
         '(rate(http_requests_total[{w}]))', {"w": WINDOWS}),
        ("endpoint_method:http_errors:ratio_rate{w}",
         'sum by (endpoint, method) (rate(http_errors_total[{w}])) / sum by (endpoint, method) '
         '(rate(http_requests_total[{w}]))', {"w": WINDOWS}),
        ("job_method:http_errors:rate{w}", 'sum by (job, method) (rate(http_errors_total[{w}]))',
         {"w": WINDOWS}),
        ("job:http_errors:increase{w}", 'sum by (job) (increase(http_errors_total[{w}]))', {"w": WINDOWS}),
        ("job:slo_availability:burnrate{w}",
         '(sum(rate(http_requests_total{{status=~"5.."}}[{w}])) / sum(rate(http_requests_total[{w}]))) / (1 - 0.999)',
         {"w": WINDOWS}),
    ],
    "api-latency": [
        ("job:http_request_duration_seconds:{qt}_rate{w}",
         'histogram_quantile({q}, sum by (job, le) (rate(http_request_duration_seconds_bucket[{w}])))',
         {"w": WINDOWS, "q": QUANTILES}),
        ("job_endpoint:http_request_duration_seconds:{qt}_rate{w}",
         'histogram_quantile({q}, sum by (job, endpoint, le) '
         '(rate(http_request_duration_seconds_bucket{{status="200"}}[{w}])))', {"w": WINDOWS, "q": QUANTILES}),
        ("job_method:http_request_duration_seconds:{qt}_rate{w}",
         'histogram_quantile({q}, sum by (job, method, le) (rate(http_request_duration_seconds_bucket[{w}])))',
         {"w": WINDOWS, "q": QUANTILES}),
        ("job_endpoint:http_request_duration_seconds:mean_rate{w}",
         'sum by (job, endpoint) (rate(http_request_duration_seconds_sum[{w}])) / sum by (job, endpoint) '
         '(rate(http_request_duration_seconds_count[{w}]))', {"w": WINDOWS}),
        ("endpoint:http_request_apdex:rate{w}",
         '(sum by (endpoint) (rate(http_request_duration_seconds_bucket{{le="0.1"}}[{w}])) + sum by (endpoint) '
         '(rate(http_request_duration_seconds_bucket{{le="0.5"}}[{w}]))) / 2 / sum by (endpoint) '
         '(rate(http_request_duration_seconds_count[{w}]))', {"w": WINDOWS}),
    ],
    "database": [
        ("table:database_query_duration_seconds:{qt}_rate{w}",
         'histogram_quantile({q}, sum by (table, le) (rate(database_query_duration_seconds_bucket[{w}])))',
         {"w": WINDOWS, "q": QUANTILES}),
        ("operation:database_query_duration_seconds:{qt}_rate{w}",
         'histogram_quantile({q}, sum by (operation, le) (rate(database_query_duration_seconds_bucket[{w}])))',
         {"w": WINDOWS, "q": QUANTILES}),
        ("table_operation:database_queries:rate{w}",
         'sum by (table, operation) (rate(database_query_duration_seconds_count[{w}]))', {"w": WINDOWS}),
        ("table:database_query_duration_seconds:mean_rate{w}",
         'sum by (table) (rate(database_query_duration_seconds_sum[{w}])) / sum by (table) '
         '(rate(database_query_duration_seconds_count[{w}]))', {"w": WINDOWS}),
        ("job:database_connections_active:max{w}", 'max_over_time(database_connections_active[{w}])',
         {"w": WINDOWS}),
    ],
    "jobs-queues": [
        ("job_type:job_processing_duration_seconds:{qt}_rate{w}",
         'histogram_quantile({q}, sum by (job_type, le) '
         '(rate(job_processing_duration_seconds_bucket{{status="ok"}}[{w}])))', {"w": LONG, "q": QUANTILES}),
        ("job_type_status:jobs_processed:rate{w}",
         'sum by (job_type, status) (rate(job_processing_duration_seconds_count[{w}]))', {"w": WINDOWS}),
        ("job_type:jobs_failed:ratio_rate{w}",
         'sum by (job_type) (rate(job_processing_duration_seconds_count{{status="failed"}}[{w}])) / sum by '
         '(job_type) (rate(job_processing_duration_seconds_count[{w}]))', {"w": LONG}),
        ("queue:queue_depth:avg{w}", 'avg_over_time(queue_depth[{w}])', {"w": WINDOWS}),
        ("queue:queue_depth:deriv{w}", 'deriv(queue_depth[{w}])', {"w": LONG}),
    ],
    "business": [
        ("job:active_users:avg{w}", 'sum by (job) (avg_over_time(active_users_total[{w}]))', {"w": WINDOWS}),
        ("workspace:active_users:max{w}", 'max_over_time(active_users_total[{w}])', {"w": WINDOWS}),
        ("type:websocket_connections:max{w}", 'max_over_time(websocket_connections_active[{w}])', {"w": WINDOWS}),
        ("job:websocket_connections:avg{w}", 'sum by (job) (avg_over_time(websocket_connections_active[{w}]))',
         {"w": WINDOWS}),
        ("workspace:active_users:avg{w}", 'avg_over_time(active_users_total[{w}])', {"w": WINDOWS}),
        ("job:redis_memory_usage_bytes:avg{w}", 'avg_over_time(redis_memory_usage_bytes[{w}])', {"w": WINDOWS}),
    ],
}

# ---- alerting rule templates --------------------------------------------------------
# (alert, expr with {thr}, typical value, comparison, description template, team,
#  params, (fire factor, quiet factor)). For ">" the alert fires when thr = typical x
#  fire factor (< 1) and stays quiet at typical x quiet factor (> 1); for "<" inverted.
F = (0.5, 2.5)

ALERTS = {
    "node-cpu": [
        ("HighCpuUsage", '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{{mode="idle"}}[{w}]))) > {thr}',
         43.0, ">", "CPU usage is {{ $value | humanize }}%", "platform", {"w": WINDOWS}, F),
        ("HighIowait", 'avg by (instance) (rate(node_cpu_seconds_total{{mode="iowait"}}[{w}])) > {thr}',
         0.02, ">", "iowait is {{ $value | humanizePercentage }} of CPU time", "platform", {"w": LONG}, F),
        ("HighLoad", 'avg_over_time(node_load1[{w}]) > {thr}', 1.2, ">",
         "load average is {{ $value | humanize }}", "platform", {"w": WINDOWS}, (0.3, 3)),
        ("HighContextSwitching", 'rate(node_context_switches_total[{w}]) > {thr}', 2000, ">",
         "{{ $value | humanize }} context switches/s", "platform", {"w": WINDOWS}, F),
    ],
    "node-memory-disk": [
        ("LowMemory", 'avg_over_time(node_memory_MemAvailable_bytes[{w}]) < {thr}', 6e9, "<",
         "only {{ $value | humanize1024 }}B available", "platform", {"w": WINDOWS}, (2, 0.3)),
        ("DiskSpaceLow", 'node_filesystem_avail_bytes{{mountpoint="{mpath}"}} < {thr}', None, "<",
         "{{ $labels.mountpoint }} has {{ $value | humanize1024 }}B free", "platform",
         {"mp": ["root", "var", "boot"]}, (2, 0.3)),
        ("DiskWillFillIn4Hours", 'predict_linear(node_filesystem_avail_bytes{{mountpoint="{mpath}"}}[{w}], 4 * 3600) '
         '< 0', None, "<", "{{ $labels.mountpoint }} fills up in 4 hours", "platform",
         {"w": LONG, "mp": ["root", "var", "boot"]}, None),
        ("HighDiskWrite", 'sum by (instance) (rate(node_disk_written_bytes_total[{w}])) > {thr}', 13333, ">",
         "writing {{ $value | humanize1024 }}B/s", "platform", {"w": WINDOWS}, F),
    ],
    "node-network": [
        ("NetworkReceiveHigh", 'sum by (instance) (rate(node_network_receive_bytes_total{{device="eth0"}}[{w}])) '
         '> {thr}', 13333, ">", "receiving {{ $value | humanize1024 }}B/s", "platform", {"w": WINDOWS}, F),
        ("NetworkTransmitHigh", 'sum by (instance) (rate(node_network_transmit_bytes_total{{device="eth0"}}[{w}])) '
         '> {thr}', 10000, ">", "sending {{ $value | humanize1024 }}B/s", "platform", {"w": WINDOWS}, F),
        ("TargetDown", 'up{{job="node"}} == 0', None, "", "{{ $labels.instance }} is down", "platform", {}, None),
        ("NodeExporterAbsent", 'absent(up{{job="node"}})', None, "", "no node_exporter target", "platform", {},
         None),
    ],
    "api-http": [
        ("HighRequestRate", 'sum by (endpoint) (rate(http_requests_total[{w}])) > {thr}', 40, ">",
         "{{ $labels.endpoint }} serves {{ $value | humanize }} req/s", "backend", {"w": WINDOWS}, F),
        ("LowRequestRate", 'sum by (job) (rate(http_requests_total[{w}])) < {thr}', 200, "<",
         "only {{ $value | humanize }} req/s", "backend", {"w": WINDOWS}, (2, 0.3)),
        ("RequestSpike", 'sum by (endpoint, method) (increase(http_requests_total[{w}])) > {thr}', None, ">",
         "{{ $value | humanize }} requests on {{ $labels.method }} {{ $labels.endpoint }}", "backend",
         {"w": WINDOWS}, F),
    ],
    "api-errors": [
        ("HighErrorRate", 'sum(rate(http_errors_total[{w}])) / sum(rate(http_requests_total[{w}])) > {thr}',
         0.0083, ">", "error rate is {{ $value | humanizePercentage }}", "backend", {"w": WINDOWS}, F),
        ("EndpointErrorRate", 'sum by (endpoint) (rate(http_errors_total[{w}])) / sum by (endpoint) '
         '(rate(http_requests_total[{w}])) > {thr}', 0.0083, ">",
         "{{ $labels.endpoint }} fails {{ $value | humanizePercentage }} of requests", "backend", {"w": WINDOWS},
         F),
        ("ErrorBudgetBurn", 'sum(rate(http_requests_total{{status=~"5.."}}[1h])) / sum(rate(http_requests_total[1h]))'
         ' > ({k} * 0.001) and sum(rate(http_requests_total{{status=~"5.."}}[{w}])) / '
         'sum(rate(http_requests_total[{w}])) > ({k} * 0.001)', None, "",
         "burning the error budget {{ $value | humanize }}x", "backend",
         {"w": ["5m", "30m"], "k": ["1", "2", "14.4", "36"]}, None),
    ],
    "api-latency": [
        ("HighLatency", 'histogram_quantile({q}, sum by (le) (rate(http_request_duration_seconds_bucket[{w}]))) '
         '> {thr}', HTTP_Q, ">", "{{ $labels.quantile }} latency is {{ $value | humanizeDuration }}",
         "backend", {"w": WINDOWS, "q": QUANTILES}, F),
        ("EndpointLatency", 'histogram_quantile({q}, sum by (endpoint, le) '
         '(rate(http_request_duration_seconds_bucket{{status="200"}}[{w}]))) > {thr}', HTTP_Q, ">",
         "{{ $labels.endpoint }} {{ $labels.quantile }} quantile is {{ $value | humanizeDuration }}", "backend",
         {"w": LONG, "q": QUANTILES[:3]}, F),
        ("SlowMeanResponse", 'sum by (endpoint) (rate(http_request_duration_seconds_sum[{w}])) / sum by (endpoint) '
         '(rate(http_request_duration_seconds_count[{w}])) > {thr}', 0.12, ">",
         "{{ $labels.endpoint }} answers in {{ $value | humanizeDuration }} on average", "backend",
         {"w": WINDOWS}, F),
    ],
    "database": [
        ("SlowQueries", 'histogram_quantile({q}, sum by (table, le) (rate(database_query_duration_seconds_bucket'
         '[{w}]))) > {thr}', DB_Q, ">", "{{ $labels.table }} queries take {{ $value | humanizeDuration }}",
         "data", {"w": LONG, "q": QUANTILES[1:]}, F),
        ("DatabaseConnectionsHigh", 'max_over_time(database_connections_active[{w}]) > {thr}', 40, ">",
         "{{ $value }} connections in use", "data", {"w": WINDOWS}, (0.35, 3)),
        ("QueryRateHigh", 'sum by (table) (rate(database_query_duration_seconds_count[{w}])) > {thr}', 30, ">",
         "{{ $labels.table }}: {{ $value | humanize }} queries/s", "data", {"w": WINDOWS}, F),
    ],
    "jobs-queues": [
        ("QueueBacklog", 'avg_over_time(queue_depth[{w}]) > {thr}', 50, ">",
         "{{ $labels.queue_name }} holds {{ $value }} jobs", "backend", {"w": LONG}, (0.1, 20)),
        ("SlowJobs", 'histogram_quantile({q}, sum by (job_type, le) (rate(job_processing_duration_seconds_bucket'
         '{{status="ok"}}[{w}]))) > {thr}', JOB_Q, ">",
         "{{ $labels.job_type }} jobs take {{ $value | humanizeDuration }}", "backend",
         {"w": ["10m", "15m", "30m", "1h"], "q": ["0.5", "0.9", "0.95"]}, F),
        ("JobFailures", 'sum by (job_type) (rate(job_processing_duration_seconds_count{{status="failed"}}[{w}])) > 0',
         None, "", "{{ $labels.job_type }} jobs fail", "backend", {"w": WINDOWS}, None),
    ],
    "business": [
        ("LowActiveUsers", 'sum(avg_over_time(active_users_total[{w}])) < {thr}', 800, "<",
         "{{ $value }} active users", "product", {"w": WINDOWS}, (2, 0.3)),
        ("WebsocketSpike", 'max_over_time(websocket_connections_active[{w}]) > {thr}', 300, ">",
         "{{ $labels.type }}: {{ $value }} websocket connections", "product", {"w": WINDOWS}, (0.3, 3)),
        ("RedisMemoryHigh", 'avg_over_time(redis_memory_usage_bytes[{w}]) > {thr}', 5e8, ">",
         "redis uses {{ $value | humanize1024 }}B", "product", {"w": WINDOWS}, F),
    ],
}

# Alerts on a series recorded earlier in the same group: (record-name prefix, typical).
ON_RECORDED = [
    ("instance:node_cpu_utilisation:rate", 0.43),
    ("endpoint:http_errors:ratio_rate", 0.0099),
    ("job:http_5xx:ratio_rate", 0.0083),
    ("job:http_requests:rate", 202),
    ("job_endpoint:http_requests:rate", 40),
    ("job:http_request_duration_seconds:p95_rate", 0.46),
    ("table:database_query_duration_seconds:p95_rate", 0.034),
    ("queue:queue_depth:avg", 50),
    ("instance:node_disk_written_bytes:rate", 13333),
]

# The guide's groups: theme -> how many groups of that theme.
THEMES = [("node-cpu", 2), ("node-memory-disk", 2), ("node-network", 1), ("api-http", 2), ("api-errors", 2),
          ("api-latency", 3), ("database", 2), ("jobs-queues", 1), ("business", 1)]

MOUNTS = {"root": ("/", 4e10), "var": ("/var", 1.2e11), "boot": ("/boot", 4e8)}
HUMANIZE = {"humanize1024": "humanize1024", "humanizeDuration": "humanizeDuration"}


def fmt_num(v):
    return f"{v:.6g}"


def expand(params):
    keys = list(params)
    for combo in itertools.product(*(params[k] for k in keys)):
        p = dict(zip(keys, combo))
        if "q" in p:
            p["qt"] = q_tag(p["q"])
        if "m" in p:
            p["M"] = p["m"].upper()
        if "mp" in p:
            p["mpath"] = MOUNTS[p["mp"]][0]
        yield p


def rec_candidates(theme, rng):
    out = []
    for name, expr, params in REC[theme]:
        for p in expand(params):
            out.append((name.format(**p), expr.format(**p)))
    rng.shuffle(out)
    return out


def alert_candidates(theme, rng):
    out = []
    for alert, expr, typical, op, desc, team, params, factors in ALERTS[theme]:
        for p in expand(params):
            variants = [("warning", None)] if factors is None else [("warning", factors[0]), ("critical", factors[1])]
            for severity, factor in variants:
                q = dict(p)
                if factor is not None:
                    typ = typical
                    if isinstance(typical, dict):
                        typ = typical[p["q"]]
                    elif alert == "DiskSpaceLow":
                        typ = MOUNTS[p["mp"]][1]
                    elif alert == "RequestSpike":
                        typ = 20.2 * {"1m": 60, "2m": 120, "5m": 300, "10m": 600, "15m": 900, "30m": 1800,
                                      "1h": 3600, "3m": 180, "20m": 1200}[p["w"]]
                    q["thr"] = fmt_num(typ * factor)
                suffix = "".join(str(p[k]).replace(".", "").replace("/", "") for k in params
                                 if k in ("w", "mp", "k"))
                out.append({"alert": alert + ("" if not suffix else suffix.title().replace(" ", "")),
                            "expr": expr.format(**q), "severity": severity, "team": team,
                            "desc": desc, "q": p.get("q")})
    rng.shuffle(out)
    return out


def make_alert(c, rng, used):
    name = c["alert"]
    if c.get("q"):
        name += q_tag(c["q"]).upper()
    base, n = name, 2
    while (name, c["severity"]) in used:
        name, n = f"{base}V{n}", n + 1
    used.add((name, c["severity"]))
    labels = {"severity": c["severity"], "team": c["team"]}
    if c.get("q"):
        labels["quantile"] = c["q"]
    summary = "{{ $labels.alertname }}"
    if "instance" in c["expr"] or "up{" in c["expr"]:
        summary += " on {{ $labels.instance }}"
    elif "by (endpoint" in c["expr"]:
        summary += " on {{ $labels.endpoint }}"
    elif "queue_depth" in c["expr"]:
        summary += " for queue {{ $labels.queue_name }}"
    return {
        "alert": name,
        "expr": c["expr"],
        "for": rng.choice(["0s", "30s", "30s", "1m", "5m", "10m"]) if c["severity"] == "warning"
        else rng.choice(["0s", "30s", "5m"]),
        "labels": labels,
        "annotations": {
            "summary": summary,
            "description": c["desc"],
            "runbook_url": "https://runbooks.hastecrm.example/" + c["alert"].lower(),
        },
    }


def generate(n_rules=1000, n_groups=16, recording_share=0.6, seed=7, interval="15s"):
    """Returns [(group name, [rule dict, ...]), ...]."""
    rng = random.Random(seed)
    themes = [t for t, n in THEMES for _ in range(n)]
    while len(themes) < n_groups:
        themes += [t for t, _ in THEMES]
    themes = themes[:n_groups]
    pools_rec = {t: rec_candidates(t, rng) for t in REC}
    pools_alert = {t: alert_candidates(t, rng) for t in ALERTS}
    used_alerts = set()
    seq = {}
    groups = []
    for g, theme in enumerate(themes):
        size = n_rules // n_groups + (1 if g < n_rules % n_groups else 0)
        n_rec = round(size * recording_share)
        n_alert = size - n_rec
        seq[theme] = seq.get(theme, 0) + 1
        rules = []
        recorded = []
        for _ in range(n_rec):
            pool = pools_rec[theme] or pools_rec[rng.choice([t for t in REC if pools_rec[t]])]
            name, expr = pool.pop()
            rules.append({"record": name, "expr": expr})
            recorded.append(name)
        alerts = []
        # Up to a quarter of a group's alerts read series recorded earlier in it.
        on_rec = [(n, typ) for n in recorded for prefix, typ in ON_RECORDED if n.startswith(prefix)]
        rng.shuffle(on_rec)
        for name, typ in on_rec[: n_alert // 4]:
            sev, factor = rng.choice([("warning", 0.5), ("critical", 2.5)])
            alert = "".join(w.title() for w in name.replace(":", "_").split("_")[1:])
            alerts.append(make_alert({"alert": alert, "expr": f"{name} > {fmt_num(typ * factor)}",
                                      "severity": sev, "team": "sre", "desc": "{{ $value | humanize }}"},
                                     rng, used_alerts))
        while len(alerts) < n_alert:
            pool = pools_alert[theme] or pools_alert[rng.choice([t for t in ALERTS if pools_alert[t]])]
            alerts.append(make_alert(pool.pop(), rng, used_alerts))
        # Interleave: recording rules first within each slice, alerts after the series they read.
        order = rules + alerts
        groups.append((f"{theme}-{seq[theme]}", order))
    return groups


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_yaml(groups, interval="15s"):
    out = ["groups:"]
    for name, rules in groups:
        out += [f"  - name: {name}", f"    interval: {interval}", "    rules:"]
        for r in rules:
            if "record" in r:
                out += [f"      - record: {r['record']}", f"        expr: {yaml_str(r['expr'])}"]
                continue
            out += [f"      - alert: {r['alert']}", f"        expr: {yaml_str(r['expr'])}", f"        for: {r['for']}",
                    "        labels:"]
            out += [f"          {k}: {yaml_str(v)}" for k, v in r["labels"].items()]
            out.append("        annotations:")
            out += [f"          {k}: {yaml_str(v)}" for k, v in r["annotations"].items()]
    return "\n".join(out) + "\n"


def write(out_dir, groups, interval="15s", per_file=4):
    """Writes the groups, per_file to a file (rules-NN.yml); returns the paths."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for i in range(0, len(groups), per_file):
        path = os.path.join(out_dir, f"rules-{i // per_file:02d}.yml")
        with open(path, "w") as f:
            f.write(to_yaml(groups[i:i + per_file], interval))
        paths.append(path)
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--groups", type=int, default=16)
    ap.add_argument("--recording-share", type=float, default=0.6)
    ap.add_argument("--interval", default="15s")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    groups = generate(args.rules, args.groups, args.recording_share, args.seed)
    paths = write(args.out_dir, groups, args.interval)
    n_rec = sum(1 for _, rs in groups for r in rs if "record" in r)
    n = sum(len(rs) for _, rs in groups)
    print(f"gen_rules: {n} rules ({n_rec} recording, {n - n_rec} alerting) in {len(groups)} groups, "
          f"{len(paths)} files in {args.out_dir}")


if __name__ == "__main__":
    main()
