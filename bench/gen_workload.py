#!/usr/bin/env python3
"""Writes a realistic metrics workload as OpenMetrics text with timestamps.

The same file feeds hastewatch (`hastewatch import openmetrics`), Prometheus
(`promtool tsdb create-blocks-from openmetrics`) and, converted to the Prometheus text
format with millisecond timestamps (--format prometheus), VictoriaMetrics
(`/api/v1/import/prometheus`).

What it models, per 15 s scrape with a few milliseconds of jitter:
  * node_exporter on N hosts: CPU seconds per cpu and mode (counters, 2 decimals),
    memory gauges in bytes (multiples of 4 KiB), filesystem free bytes, network and
    disk byte counters, load averages (2 decimals), context switches.
  * the guide's golden signals for the hasteCRM API: http_request_duration_seconds
    histograms (buckets 0.01 .. 5), http_requests_total, http_errors_total,
    database_query_duration_seconds histograms, job_processing_duration_seconds,
    active_users_total, websocket_connections_active, database_connections_active,
    redis_memory_usage_bytes, queue_depth, up.
Deterministic for a given --seed.
"""
import argparse
import math
import random
import sys

STEP_MS = 15_000
START_MS = 1_700_000_000_000  # 2023-11-14T22:13:20Z, a block-aligned-ish fixed start

HTTP_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5]
DB_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5]
JOB_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60]


class Counter:
    def __init__(self, rng, rate, decimals=0, start=None):
        self.rng, self.rate, self.decimals = rng, rate, decimals
        self.value = start if start is not None else round(rng.uniform(0, rate * 10000), decimals)

    def step(self):
        inc = max(0.0, self.rng.gauss(self.rate, self.rate * 0.3))
        self.value = round(self.value + inc, self.decimals) if self.decimals else self.value + int(inc)
        return self.value


class Gauge:
    def __init__(self, rng, base, spread, decimals=2, quantum=None):
        self.rng, self.base, self.spread, self.decimals, self.quantum = rng, base, spread, decimals, quantum
        self.phase = rng.uniform(0, 2 * math.pi)
        self.t = 0

    def step(self):
        self.t += 1
        v = self.base + self.spread * math.sin(self.phase + self.t / 40) + self.rng.gauss(0, self.spread / 10)
        if self.quantum:
            return max(0, int(v // self.quantum) * self.quantum)
        return round(max(0.0, v), self.decimals)


class Histogram:
    """Cumulative bucket counters fed by latency observations (ms precision)."""

    def __init__(self, rng, buckets, rps, median):
        self.rng, self.buckets, self.rps, self.median = rng, buckets, rps, median
        self.counts = [0] * (len(buckets) + 1)
        self.sum = 0.0

    def step(self):
        n = max(0, int(self.rng.gauss(self.rps * 15, self.rps * 2)))
        for _ in range(min(n, 200)):  # sample a bounded number, scale the rest
            pass
        scale = n / min(n, 200) if n else 0
        obs = [round(self.rng.lognormvariate(math.log(self.median), 0.8), 3) for _ in range(min(n, 200))]
        for o in obs:
            for i, b in enumerate(self.buckets):
                if o <= b:
                    self.counts[i] += scale
                    break
            else:
                self.counts[-1] += scale
            self.sum += o * scale
        self.sum = round(self.sum, 3)
        cum, out = 0, []
        for c in self.counts:
            cum += c
            out.append(int(cum))
        return out, self.sum, out[-1]


def build(rng, hosts):
    """Returns a list of families: (name, type, help, [(labels, generator_fn)])."""
    fams = {}

    def add(name, typ, help_text, labels, fn):
        fams.setdefault(name, (typ, help_text, []))[2].append((labels, fn))

    for h in range(hosts):
        inst = f'instance="host-{h:02d}:9100",job="node"'
        for cpu in range(4):
            for mode, rate in [("user", 4.0), ("system", 1.5), ("idle", 8.5), ("iowait", 0.3),
                               ("irq", 0.01), ("softirq", 0.2), ("nice", 0.05), ("steal", 0.02)]:
                c = Counter(rng, rate, 2)
                add("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.",
                    f'cpu="{cpu}",{inst},mode="{mode}"', c.step)
        for name, base in [("MemAvailable", 6e9), ("MemFree", 2e9), ("Cached", 3e9), ("Buffers", 2e8)]:
            g = Gauge(rng, base, base * 0.05, quantum=4096)
            add(f"node_memory_{name}_bytes", "gauge", f"Memory information field {name}_bytes.", inst, g.step)
        for mp, dev, base in [("/", "vda1", 4e10), ("/var", "vda2", 1.2e11), ("/boot", "vda3", 4e8)]:
            g = Gauge(rng, base, base * 0.001, quantum=4096)
            add("node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.",
                f'device="/dev/{dev}",fstype="ext4",{inst},mountpoint="{mp}"', g.step)
        for dev in ["eth0", "lo"]:
            for d, rate in [("receive", 2e5), ("transmit", 1.5e5)]:
                add(f"node_network_{d}_bytes_total", "counter", f"Network device statistic {d}_bytes.",
                    f'device="{dev}",{inst}', Counter(rng, rate).step)
        for dev in ["vda"]:
            for d, rate in [("read", 5e4), ("written", 2e5)]:
                add(f"node_disk_{d}_bytes_total", "counter", f"The total number of bytes {d} successfully.",
                    f'device="{dev}",{inst}', Counter(rng, rate).step)
        for n, base in [("1", 1.2), ("5", 1.0), ("15", 0.9)]:
            add(f"node_load{n}", "gauge", f"{n}m load average.", inst, Gauge(rng, base, 0.4).step)
        add("node_context_switches_total", "counter", "Total number of context switches.", inst,
            Counter(rng, 3e4).step)
        add("up", "gauge", "Whether the target was scraped.", inst, lambda: 1)

    api = 'job="api"'
    endpoints = ["/api/contacts", "/api/deals", "/api/auth/login", "/api/search", "/graphql"]
    for ep in endpoints:
        for method in ["GET", "POST"]:
            for status, rps in [("200", 20), ("500", 0.2)]:
                lbl = f'endpoint="{ep}",{api},method="{method}",status="{status}"'
                hist = Histogram(rng, HTTP_BUCKETS, rps, 0.08)
                state = {}

                def hstep(hist=hist, state=state):
                    state["v"] = hist.step()
                    return state["v"]
                # Buckets, sum and count share one observation stream per scrape.
                for i, b in enumerate(HTTP_BUCKETS + ["+Inf"]):
                    le = f"{b}" if b != "+Inf" else "+Inf"
                    if i == 0:
                        fn = (lambda hstep=hstep: hstep()[0][0])
                    else:
                        fn = (lambda i=i, state=state: state["v"][0][i])
                    add("http_request_duration_seconds", "histogram", "HTTP request latency.",
                        f'{lbl},le="{le}"', fn)
                add("http_request_duration_seconds", "histogram", "", f"{lbl}#sum", lambda state=state: state["v"][1])
                add("http_request_duration_seconds", "histogram", "", f"{lbl}#count", lambda state=state: state["v"][2])
                add("http_requests_total", "counter", "HTTP requests.", lbl, Counter(rng, rps * 15).step)
            add("http_errors_total", "counter", "HTTP errors.",
                f'endpoint="{ep}",error_type="internal",{api},method="{method}"', Counter(rng, 3).step)
    for table in ["contacts", "deals", "emails", "users"]:
        for op in ["select", "insert", "update"]:
            lbl = f'{api},operation="{op}",table="{table}"'
            hist = Histogram(rng, DB_BUCKETS, 10, 0.004)
            st = {}
            for i, b in enumerate(DB_BUCKETS + ["+Inf"]):
                fn = (lambda hist=hist, st=st: (st.__setitem__("v", hist.step()), st["v"][0][0])[1]) if i == 0 \
                    else (lambda i=i, st=st: st["v"][0][i])
                add("database_query_duration_seconds", "histogram", "Database query latency.", f'{lbl},le="{b}"', fn)
            add("database_query_duration_seconds", "histogram", "", f"{lbl}#sum", lambda st=st: st["v"][1])
            add("database_query_duration_seconds", "histogram", "", f"{lbl}#count", lambda st=st: st["v"][2])
    for job_type in ["email_sync", "enrichment", "search_index"]:
        for status in ["ok", "failed"]:
            lbl = f'{api},job_type="{job_type}",status="{status}"'
            hist = Histogram(rng, JOB_BUCKETS, 2 if status == "ok" else 0.05, 3)
            st = {}
            for i, b in enumerate(JOB_BUCKETS + ["+Inf"]):
                fn = (lambda hist=hist, st=st: (st.__setitem__("v", hist.step()), st["v"][0][0])[1]) if i == 0 \
                    else (lambda i=i, st=st: st["v"][0][i])
                add("job_processing_duration_seconds", "histogram", "Background job duration.", f'{lbl},le="{b}"', fn)
            add("job_processing_duration_seconds", "histogram", "", f"{lbl}#sum", lambda st=st: st["v"][1])
            add("job_processing_duration_seconds", "histogram", "", f"{lbl}#count", lambda st=st: st["v"][2])
    for w in range(20):
        add("active_users_total", "gauge", "Active users.", f'{api},workspace="ws-{w:02d}"',
            Gauge(rng, 40, 15, decimals=0).step)
    for t in ["web", "mobile"]:
        add("websocket_connections_active", "gauge", "Open websocket connections.", f'{api},type="{t}"',
            Gauge(rng, 300, 80, decimals=0).step)
    add("database_connections_active", "gauge", "Active database connections.", f'database="primary",{api}',
        Gauge(rng, 40, 10, decimals=0).step)
    add("redis_memory_usage_bytes", "gauge", "Redis memory.", api, Gauge(rng, 5e8, 2e7, quantum=8).step)
    for q in ["email", "enrichment", "search", "webhooks", "default"]:
        add("queue_depth", "gauge", "Jobs waiting.", f'{api},queue_name="{q}"', Gauge(rng, 50, 40, decimals=0).step)
    return fams


def fmt_value(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hosts", type=int, default=12)
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--format", choices=["openmetrics", "prometheus"], default="openmetrics")
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    fams = build(rng, args.hosts)
    steps = int(args.hours * 3600_000 / STEP_MS)
    # Scrape timestamps: one per step per target, with a few ms of jitter.
    times = [START_MS + i * STEP_MS + rng.randint(-5, 5) for i in range(steps)]
    # Values are generated scrape by scrape (histograms share state across their series).
    series = []  # (name, labels, values)
    for name, (typ, help_text, members) in fams.items():
        for labels, fn in members:
            series.append([name, typ, labels, []])
    index = {}
    for s_i, (name, typ, labels, _) in enumerate(series):
        index.setdefault(name, []).append(s_i)
    gens = [fn for _, (_, _, members) in fams.items() for _, fn in members]
    for _ in range(steps):
        for s_i, fn in enumerate(gens):
            series[s_i][3].append(fn())
    out = sys.stdout if args.out == "-" else open(args.out, "w")
    n_samples = 0
    for name, (typ, help_text, members) in fams.items():
        if args.format == "openmetrics":
            family = name[:-len("_total")] if typ == "counter" and name.endswith("_total") else name
            out.write(f"# TYPE {family} {typ}\n")
            if help_text:
                out.write(f"# HELP {family} {help_text}\n")
        else:
            out.write(f"# TYPE {name} {typ}\n")
        for s_i in index[name]:
            _, _, labels, values = series[s_i]
            metric = name
            if "#" in labels:
                labels, suffix = labels.split("#")
                metric = f"{name}_{suffix}"
            elif typ == "histogram":
                metric = f"{name}_bucket"
            for t, v in zip(times, values):
                if args.format == "openmetrics":
                    out.write(f"{metric}{{{labels}}} {fmt_value(v)} {t // 1000}.{t % 1000:03d}\n")
                else:
                    out.write(f"{metric}{{{labels}}} {fmt_value(v)} {t}\n")
                n_samples += 1
    if args.format == "openmetrics":
        out.write("# EOF\n")
    if out is not sys.stdout:
        out.close()
    print(f"gen_workload: {len(series)} series, {steps} scrapes, {n_samples} samples", file=sys.stderr)


if __name__ == "__main__":
    main()
