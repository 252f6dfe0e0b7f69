#!/usr/bin/env python3
"""Dashboard and alert queries against hastewatch, Prometheus and VictoriaMetrics.

Imports one dataset (bench/gen_workload.py) into each engine, starts the three
servers on loopback, runs the same instant and range queries against their
Prometheus-compatible APIs, checks that hastewatch's answers agree with Prometheus'
and prints each query's median latency and the ratios. Evaluation times fall between
sample timestamps, so Prometheus 2.42 (closed windows) and 3.x semantics (left-open)
select the same samples. VictoriaMetrics runs with -search.disableCache; its answers
differ from Prometheus' by design, so only its speed is compared.

Run from the repository root: python3 bench/query_compare.py  (or make bench)
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tsdb_compare import HW, ROOT, Server, ensure_packages, free_port  # noqa: E402

START_S = 1_700_000_000  # gen_workload's first scrape

# The guide's dashboards and alerts, in valid PromQL (see examples/hastecrm).
QUERIES = [
    "sum by (job) (rate(http_requests_total[5m]))",
    "sum by (job) (rate(http_errors_total[5m]))",
    "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    "sum(active_users_total)",
    "sum by (endpoint) (rate(http_requests_total[5m]))",
    "histogram_quantile(0.95, sum by (endpoint, le) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.95, sum by (le) (rate(database_query_duration_seconds_bucket[5m])))",
    "sum(rate(http_errors_total[5m])) / sum(rate(http_requests_total[5m])) > 0.05",
    "up == 0",
    '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > 80',
    "node_filesystem_avail_bytes < 1e10",
    "queue_depth > 1000",
    "avg_over_time(node_load1[10m])",
    "topk(5, sum by (instance) (rate(node_network_receive_bytes_total[5m])))",
    "sum by (mode) (irate(node_cpu_seconds_total[1m]))",
    "max_over_time(websocket_connections_active[30m])",
]


_conns = {}


def get(base, path, params):
    """GET over a kept-alive connection per server, as Grafana does."""
    import http.client
    conn = _conns.get(base)
    if conn is None:
        host, port = base.split("//")[1].split(":")
        conn = _conns[base] = http.client.HTTPConnection(host, int(port), timeout=120)
    url = path + "?" + urllib.parse.urlencode(params)
    start = time.perf_counter()
    conn.request("GET", url)
    body = conn.getresponse().read()
    return time.perf_counter() - start, json.loads(body)


def canonical(data):
    """{labels tuple: [(t, value float), ...]} from a vector or matrix result."""
    out = {}
    if data["resultType"] == "scalar":
        return {(): [(data["result"][0], float(data["result"][1]))]}
    for s in data["result"]:
        key = tuple(sorted(s["metric"].items()))
        points = s.get("values") or [s["value"]]
        out[key] = [(float(t), float(v)) for t, v in points]
    return out


def agree(a, b):
    if a.keys() != b.keys():
        return f"series differ: {sorted(a.keys() ^ b.keys())[:3]}"
    for k in a:
        if len(a[k]) != len(b[k]):
            return f"{k}: {len(a[k])} vs {len(b[k])} points"
        for (ta, va), (tb, vb) in zip(a[k], b[k]):
            if ta != tb:
                return f"{k}: timestamps {ta} vs {tb}"
            if math.isnan(va) and math.isnan(vb):
                continue
            if not math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-9):
                return f"{k} at {ta}: {va} vs {vb}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hosts", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    ensure_packages()
    work = tempfile.mkdtemp(prefix="hw-qbench-")
    om, prom_txt = os.path.join(work, "w.om"), os.path.join(work, "w.prom")
    gen = [sys.executable, os.path.join(ROOT, "bench", "gen_workload.py"), "--hosts", str(args.hosts)]
    subprocess.run(gen + ["--out", om], check=True, capture_output=True)
    subprocess.run(gen + ["--format", "prometheus", "--out", prom_txt], check=True, capture_output=True)

    servers, bases = [], {}
    try:
        d = os.path.join(work, "hw")
        subprocess.run([HW, "import", "openmetrics", om, "--data", d], check=True, stdout=subprocess.DEVNULL)
        cfg = os.path.join(work, "hw.yml")
        with open(cfg, "w") as f:
            f.write("storage:\n  tsdb:\n    retention_time: 100y\n")
        port = free_port()
        servers.append(Server([HW, "serve", "--config", cfg, "--data", d, "--listen", f"127.0.0.1:{port}",
                               "--log-level", "error"], f"http://127.0.0.1:{port}/health/ready"))
        bases["hastewatch"] = f"http://127.0.0.1:{port}"

        d = os.path.join(work, "prom")
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", om, d], check=True,
                       stdout=subprocess.DEVNULL)
        pcfg = os.path.join(work, "prom.yml")
        with open(pcfg, "w") as f:
            f.write("global: {}\n")
        port = free_port()
        servers.append(Server(["prometheus", f"--config.file={pcfg}", f"--storage.tsdb.path={d}",
                               "--storage.tsdb.retention.time=100y", f"--web.listen-address=127.0.0.1:{port}",
                               "--log.level=error"], f"http://127.0.0.1:{port}/-/ready"))
        bases["Prometheus 2.42"] = f"http://127.0.0.1:{port}"

        port = free_port()
        vm_base = f"http://127.0.0.1:{port}"
        servers.append(Server(["victoria-metrics", f"-storageDataPath={os.path.join(work, 'vm')}",
                               f"-httpListenAddr=127.0.0.1:{port}", "-search.disableCache",
                               "-retentionPeriod=100y", "-loggerLevel=ERROR"], vm_base + "/health"))
        with open(prom_txt, "rb") as f:
            req = urllib.request.Request(vm_base + "/api/v1/import/prometheus", data=f.read(), method="POST")
        urllib.request.urlopen(req, timeout=600).read()
        urllib.request.urlopen(vm_base + "/internal/force_flush", timeout=600).read()
        bases["VictoriaMetrics 1.79"] = vm_base

        # Between sample timestamps (scrapes every 15 s, a few ms of jitter).
        t_instant = START_S + 5400 + 7.5
        rng = {"start": START_S + 600 + 7.5, "end": START_S + 7200 - 52.5, "step": "60"}
        rows, disagreements = [], 0
        for q in QUERIES:
            for kind, params, path in [("instant", {"query": q, "time": t_instant}, "/api/v1/query"),
                                       ("range", {"query": q, **rng}, "/api/v1/query_range")]:
                lat, answers = {}, {}
                for name, base in bases.items():
                    times = []
                    for _ in range(args.repeat):
                        t, body = get(base, path, params)
                        times.append(t)
                    if body.get("status") != "success":
                        raise RuntimeError(f"{name}: {q}: {body}")
                    lat[name] = statistics.median(times)
                    answers[name] = canonical(body["data"])
                diff = agree(answers["hastewatch"], answers["Prometheus 2.42"])
                disagreements += diff is not None
                rows.append((kind, q, lat, diff))
        p = "Prometheus 2.42"
        print(f"\n{'kind':<8}{'hastewatch ms':>14}{'Prom ms':>9}{'VM ms':>8}{'hw/Prom':>9}{'VM/Prom':>9}  query")
        for kind, q, lat, diff in rows:
            print(f"{kind:<8}{lat['hastewatch'] * 1e3:>14.2f}{lat[p] * 1e3:>9.2f}{lat['VictoriaMetrics 1.79'] * 1e3:>8.2f}"
                  f"{lat['hastewatch'] / lat[p]:>9.2f}{lat['VictoriaMetrics 1.79'] / lat[p]:>9.2f}  {q[:70]}"
                  + (f"\n        DIFFERS from Prometheus: {diff}" if diff else ""))
        for kind in ("instant", "range"):
            hw = statistics.median(r[2]["hastewatch"] / r[2][p] for r in rows if r[0] == kind)
            vm = statistics.median(r[2]["VictoriaMetrics 1.79"] / r[2][p] for r in rows if r[0] == kind)
            print(f"median {kind} latency vs Prometheus: hastewatch {hw:.2f}x, VictoriaMetrics {vm:.2f}x")
        print(f"answers agreeing with Prometheus: {len(rows) - disagreements} of {len(rows)}")
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
