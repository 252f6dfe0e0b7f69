#!/usr/bin/env python3
"""Scraping 1,000 targets x 500 series at a 15 s interval: CPU and memory used.

Serves --targets synthetic targets (bench/scrape_targets.py: one port each on loopback,
realistic series whose values change at every scrape), points hastewatch at them through
file_sd, lets every target be scraped once, then measures for --duration seconds:
  * hastewatch's CPU seconds per minute (utime + stime from /proc) and its RSS (end, peak)
  * scrape duration p50 / p99 / max over every scrape of the window (the
    scrape_duration_seconds series hastewatch stores, read back with a range selector)
  * samples/s ingested (hastewatch_scrape_samples_scraped_total) against the ideal
  * scrapes done against the ideal, `up` (all must be 1), head series
  * the target server's own CPU, to tell whether it was the bottleneck
Figures, not a pass/fail gate (the exit code is 1 only if something was down).

  python3 bench/scrape_load.py [--targets 1000] [--series 500] [--interval 15]
                               [--duration 150] [--procs 2] [--bin build/hastewatch]
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from harness import Hastewatch, parse_metrics  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) * 1024
    return out


def port_range(n):
    """A base port with n free ports after it."""
    for base in range(20000, 60000 - n, 2500):
        socks = []
        try:
            for p in range(base, base + n):
                s = socket.socket()
                s.bind(("127.0.0.1", p))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError(f"no {n} free consecutive ports")


def pct(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


class Api:
    def __init__(self, hw):
        self.hw = hw

    def get(self, path, params=None):
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        status, _, body = self.hw.request("GET", url, timeout=60)
        doc = json.loads(body)
        if status != 200:
            raise RuntimeError(f"{url}: {status} {body[:300]}")
        return doc["data"]

    def query(self, q, t=None):
        params = {"query": q}
        if t is not None:
            params["time"] = f"{t:.3f}"
        return self.get("/api/v1/query", params)["result"]

    def scalar(self, q, t=None):
        r = self.query(q, t)
        return float(r[0]["value"][1]) if r else float("nan")

    def self_metrics(self):
        status, _, body = self.hw.request("GET", "/metrics", timeout=30)
        return parse_metrics(body.decode())[0]


def metric_sum(samples, name, **match):
    return sum(v for (n, labels), v in samples.items()
               if n == name and all((k, w) in labels for k, w in match.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--targets", type=int, default=1000)
    ap.add_argument("--series", type=int, default=500)
    ap.add_argument("--interval", type=int, default=15, help="scrape interval, seconds")
    ap.add_argument("--duration", type=int, default=150, help="measured seconds")
    ap.add_argument("--procs", type=int, default=2, help="target server processes")
    ap.add_argument("--bin", default=os.environ.get("HASTEWATCH_BIN", os.path.join(ROOT, "build", "hastewatch")))
    args = ap.parse_args()
    os.environ["HASTEWATCH_BIN"] = args.bin
    import harness
    harness.BIN = args.bin

    base = port_range(args.targets)
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "scrape_targets.py"),
                               "--targets", str(args.targets), "--series", str(args.series),
                               "--base-port", str(base), "--procs", str(args.procs)],
                              stdout=subprocess.PIPE, text=True)
    hw = None
    try:
        if server.stdout.readline().strip() != "ready":
            raise RuntimeError("the target server did not start")
        children = [int(p) for p in open(f"/proc/{server.pid}/task/{server.pid}/children").read().split()]

        groups = []
        per = 100
        for g in range(0, args.targets, per):
            groups.append({"targets": [f"127.0.0.1:{base + i}" for i in range(g, min(args.targets, g + per))],
                           "labels": {"env": "bench", "rack": f"r{g // per:02d}"}})
        config = f"""
server:
  auth:
    anonymous: read
global:
  scrape_interval: {args.interval}s
  scrape_timeout: {min(10, args.interval)}s
scrape_configs:
  - job_name: load
    file_sd_configs:
      - files: [targets.json]
"""
        hw = Hastewatch(config)
        with open(os.path.join(hw.tmp, "targets.json"), "w") as f:
            json.dump(groups, f)
        hw.start()
        api = Api(hw)
        pid = hw.proc.pid
        print(f"{args.targets} targets x {args.series} series every {args.interval}s "
              f"({args.targets * args.series / args.interval:,.0f} samples/s ideal); "
              f"targets on 127.0.0.1:{base}-{base + args.targets - 1} from {args.procs} processes; "
              f"{os.cpu_count()} cores", flush=True)

        # Warm-up: every target scraped once (their offsets spread them over an interval).
        deadline = time.time() + args.interval * 2 + 30
        while time.time() < deadline:
            ts = api.get("/api/v1/targets", {"state": "active"})["activeTargets"]
            done = sum(1 for t in ts if t["lastScrape"] != "0001-01-01T00:00:00Z")
            if len(ts) == args.targets and done == args.targets:
                break
            time.sleep(1)
        else:
            print(f"warning: only {done} of {len(ts)} targets scraped after warm-up", flush=True)
        warm_rss = rss(pid)["VmRSS"]

        m0 = api.self_metrics()
        t0, c0 = time.time(), cpu_seconds(pid)
        srv0 = sum(cpu_seconds(p) for p in children)
        peak = 0
        while time.time() < t0 + args.duration:
            time.sleep(min(5, max(0.1, t0 + args.duration - time.time())))
            peak = max(peak, rss(pid)["VmRSS"])
        t1, c1 = time.time(), cpu_seconds(pid)
        srv1 = sum(cpu_seconds(p) for p in children)
        m1 = api.self_metrics()
        mem = rss(pid)
        span = t1 - t0

        samples = (metric_sum(m1, "hastewatch_scrape_samples_scraped_total", job="load") -
                   metric_sum(m0, "hastewatch_scrape_samples_scraped_total", job="load"))
        scrapes = (metric_sum(m1, "hastewatch_scrapes_total", job="load") -
                   metric_sum(m0, "hastewatch_scrapes_total", job="load"))
        failed = (metric_sum(m1, "hastewatch_scrapes_total", job="load", result="failure") -
                  metric_sum(m0, "hastewatch_scrapes_total", job="load", result="failure"))
        window = int(span)
        durations = [float(v) for r in api.query(f'scrape_duration_seconds{{job="load"}}[{window}s]', t1)
                     for _, v in r["values"]]
        up_total = api.scalar('count(up{job="load"})')
        up_ok = api.scalar('count(up{job="load"} == 1)')
        head = api.get("/api/v1/status/tsdb")["headStats"]

        ideal_samples = args.targets * args.series / args.interval
        ideal_scrapes = args.targets * span / args.interval
        print(f"measured over {span:.0f} s after warm-up:")
        print(f"  hastewatch CPU        {(c1 - c0) / span * 60:8.2f} CPU-s per minute "
              f"({(c1 - c0) / span * 100:.1f}% of one core)")
        print(f"  hastewatch RSS        {mem['VmRSS'] / 2**20:8.1f} MiB at the end, "
              f"{max(peak, mem['VmRSS']) / 2**20:.1f} MiB peak sampled, {mem['VmHWM'] / 2**20:.1f} MiB "
              f"high-water (after warm-up: {warm_rss / 2**20:.1f} MiB); "
              f"{mem['VmRSS'] / max(1, head.get('numSeries', 0)):.0f} B per head series")
        print(f"  scrape duration       p50 {pct(durations, 0.5) * 1000:.1f} ms, "
              f"p99 {pct(durations, 0.99) * 1000:.1f} ms, max {max(durations or [0]) * 1000:.1f} ms "
              f"({len(durations)} scrapes)")
        print(f"  samples ingested      {samples / span:10,.0f} /s (ideal {ideal_samples:,.0f}/s)")
        print(f"  scrapes               {scrapes:10,.0f} ({scrapes / span:.1f}/s; ideal "
              f"{ideal_scrapes:,.0f}), failed {failed:.0f}")
        print(f"  up                    {up_ok:.0f} of {up_total:.0f} targets up")
        print(f"  head                  {head.get('numSeries', 0):,} series, "
              f"{head.get('chunkCount', 0):,} chunks")
        srv_share = (srv1 - srv0) / span
        print(f"  target server CPU     {srv_share * 100:.1f}% of one core over {args.procs} processes"
              + ("  <- the generator may be the bottleneck" if srv_share > 0.8 * args.procs else ""))
        return 0 if up_ok == up_total == args.targets and failed == 0 else 1
    finally:
        if hw:
            hw.stop()
        server.terminate()
        try:
            out, _ = server.communicate(timeout=30)
            if out.strip():
                print(f"  target server totals  {out.strip()}")
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
