#!/usr/bin/env python3
"""remote_write ingestion, side by side: hastewatch, Prometheus and VictoriaMetrics.

Each server is started fresh on loopback with an empty data directory, one after the
other (never concurrently: they share the machine with the load generator), and
bench/remote_write_load (built from bench/remote_write_load.cc) sends it the same
pre-encoded Prometheus remote_write 1.0 workload: --series series x --rounds rounds,
--batch samples a request over --concurrency keep-alive connections.

  hastewatch:       hastewatch serve (a write token), POST /api/v1/write
  Prometheus:       prometheus --web.enable-remote-write-receiver, empty config
  VictoriaMetrics:  victoria-metrics -retentionPeriod=100y, POST /api/v1/write

While the load runs (and for --settle seconds after), the server process' CPU time
(utime + stime of /proc/PID/stat, every thread) and resident memory (VmRSS, and the
peak VmHWM) are sampled. Prints, per engine: samples/s, server CPU seconds, CPU seconds
per million samples, RSS at the end and its peak, errors, request latency, the
generator's own CPU; then the ratios against Prometheus. The samples each server says
it stored (its own counter on /metrics) are checked against what was sent.

Installs prometheus and victoria-metrics (Debian packages) if missing. Run from the
repository root after `make build` (which also builds build/bench/remote_write_load):
  python3 bench/ingest_compare.py [--series 100000 --rounds 60 --concurrency 16 --keep]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def ensure_packages():
    missing = [p for p, b in [("prometheus", "prometheus"), ("victoria-metrics", "victoria-metrics")]
               if not shutil.which(b)]
    if missing:
        print(f"installing {' '.join(missing)} ...", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                       check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                       stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def cpu_seconds(pid):
    """utime + stime of every thread of the process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of stat(5)


def memory(pid):
    """(VmRSS, VmHWM) in bytes."""
    rss = hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) * 1024
    return rss, hwm


def machine_ticks():
    """(busy, total) CPU ticks of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v) - idle, sum(v)


class Sampler(threading.Thread):
    """Polls a process' CPU time and RSS until stopped; keeps the peak RSS seen."""

    def __init__(self, pid, interval=0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                self.peak_rss = max(self.peak_rss, memory(self.pid)[0])
            except OSError:
                return
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.join()


def scrape_counter(url, pattern):
    """Sum of the /metrics samples whose line matches `pattern` (a regex on the series)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            text = r.read().decode()
    except Exception:
        return None
    total, found = 0.0, False
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        if re.fullmatch(pattern, series):
            total += float(value)
            found = True
    return total if found else None


class Engine:
    def __init__(self, name, args, ready_url, write_url, metrics_url, stored_pattern, token=None):
        self.name, self.args, self.ready_url = name, args, ready_url
        self.write_url, self.metrics_url, self.stored_pattern = write_url, metrics_url, stored_pattern
        self.token = token


def engines(work, hw_bin, only):
    out = []
    token = "bench-write-token-0123456789"
    if "hastewatch" in only:
        port = free_port()
        cfg = os.path.join(work, "hastewatch.yml")
        with open(cfg, "w") as f:
            f.write(f"server:\n  auth:\n    tokens:\n      - {{name: bench, role: write, token: {token}}}\n")
        base = f"http://127.0.0.1:{port}"
        out.append(Engine("hastewatch", [hw_bin, "serve", "--config", cfg, "--data", os.path.join(work, "hw"),
                                         "--listen", f"127.0.0.1:{port}", "--log-level", "error"],
                          base + "/health/live", base + "/api/v1/write", base + "/metrics",
                          r"hastewatch_remote_write_samples_total(\{\})?", token))
    if "prometheus" in only:
        port = free_port()
        cfg = os.path.join(work, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global: {}\n")
        base = f"http://127.0.0.1:{port}"
        out.append(Engine("Prometheus 2.42",
                          ["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={os.path.join(work, 'prom')}",
                           f"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver",
                           "--log.level=error"],
                          base + "/-/ready", base + "/api/v1/write", base + "/metrics",
                          r"prometheus_tsdb_head_samples_appended_total(\{.*\})?"))
    if "victoria-metrics" in only:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        out.append(Engine("VictoriaMetrics 1.79",
                          ["victoria-metrics", f"-storageDataPath={os.path.join(work, 'vm')}",
                           f"-httpListenAddr=127.0.0.1:{port}", "-retentionPeriod=100y", "-loggerLevel=ERROR"],
                          base + "/health", base + "/api/v1/write", base + "/metrics",
                          r'vm_rows_inserted_total\{type="promremotewrite"\}'))
    return out


def run_engine(e, load_bin, args):
    log = open(os.path.join(args.work, e.name.split()[0] + ".log"), "wb")
    proc = subprocess.Popen(e.args, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(e.ready_url, proc)
        time.sleep(1)  # let start-up work finish before the baseline
        pid = proc.pid
        cpu_idle0 = cpu_seconds(pid)
        rss_idle = memory(pid)[0]
        cmd = [load_bin, "--url", e.write_url, "--series", str(args.series), "--rounds", str(args.rounds),
               "--batch", str(args.batch), "--samples-per-series", str(args.samples_per_series),
               "--concurrency", str(args.concurrency), "--json"]
        if args.duration:
            cmd += ["--duration", str(args.duration)]
        if e.token:
            cmd += ["--bearer", e.token]
        gen = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The generator pre-encodes first; the measurement starts when it says it is done.
        gen_err = []
        for line in gen.stderr:
            gen_err.append(line)
            if line.startswith("pre-encoded"):
                break
        sampler = Sampler(pid)
        cpu0 = cpu_seconds(pid)
        m0 = machine_ticks()
        idle_cpu = cpu0 - cpu_idle0  # server CPU while idle, during pre-encoding
        sampler.start()
        t0 = time.perf_counter()
        out, err = gen.communicate()
        wall = time.perf_counter() - t0
        cpu1 = cpu_seconds(pid)
        m1 = machine_ticks()
        rss_end = memory(pid)[0]
        time.sleep(args.settle)
        cpu2 = cpu_seconds(pid)
        sampler.stop()
        rss_settled, hwm = memory(pid)
        gen_err.append(err)
        lines = [l for l in out.splitlines() if l.startswith("{")]
        if not lines:
            raise RuntimeError(f"remote_write_load failed against {e.name}:\n{''.join(gen_err)}{out}")
        res = json.loads(lines[-1])
        stored = scrape_counter(e.metrics_url, e.stored_pattern)
        first_error = next((l.strip() for l in "".join(gen_err).splitlines() if l.startswith("first error")), "")
        return {
            "samples": res["samples"], "seconds": res["seconds"], "samples_per_s": res["samples_per_s"],
            "requests_per_s": res["requests_per_s"], "errors": res["errors"],
            "error_samples": res["error_samples"], "first_error": first_error,
            "p50_ms": res["p50_ms"], "p99_ms": res["p99_ms"],
            "gen_cpu_s": res["gen_cpu_s"],
            # cores busy with anything but this server and the generator: a loaded machine
            # makes every figure worse, so it is shown beside them
            "other_cores": max(0.0, (m1[0] - m0[0]) / max(m1[1] - m0[1], 1) * (os.cpu_count() or 1)
                               - (cpu1 - cpu0 + res["gen_cpu_s"]) / max(wall, 1e-9)),
            "cpu_s": cpu1 - cpu0, "cpu_settle_s": cpu2 - cpu1, "cpu_idle_s": idle_cpu,
            "cpu_per_m": (cpu1 - cpu0) / max(res["samples"], 1) * 1e6,
            "cores": (cpu1 - cpu0) / max(wall, 1e-9),
            "rss_idle": rss_idle, "rss_end": rss_end, "rss_settled": rss_settled,
            "peak_rss": max(hwm, sampler.peak_rss), "stored": stored,
        }
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def main():
    ap = argparse.ArgumentParser(description="remote_write ingestion: hastewatch vs Prometheus vs VictoriaMetrics")
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=60,
                    help="samples per series, 15 s apart (60: 6M samples, each server's run well "
                         "under a minute on 2 cores; 200 for 20M)")
    ap.add_argument("--batch", type=int, default=2000, help="samples per request")
    ap.add_argument("--samples-per-series", type=int, default=1, help="samples of a series in one request")
    ap.add_argument("--concurrency", type=int, default=16,
                    help="connections (sender shards; Prometheus' max_shards is 50). Below ~16, "
                         "Prometheus 2.42 does not keep 2 cores busy")
    ap.add_argument("--duration", type=float, default=0, help="cap each run at this many seconds")
    ap.add_argument("--settle", type=float, default=5, help="seconds sampled after the load ends")
    ap.add_argument("--engines", default="hastewatch,prometheus,victoria-metrics")
    ap.add_argument("--hastewatch", default=os.path.join(ROOT, "build", "hastewatch"))
    ap.add_argument("--load", default=None, help="remote_write_load binary (default: next to --hastewatch)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (data, logs)")
    args = ap.parse_args()
    load_bin = args.load or os.path.join(os.path.dirname(os.path.abspath(args.hastewatch)), "bench",
                                         "remote_write_load")
    only = set(args.engines.split(","))
    for b in ([args.hastewatch] if "hastewatch" in only else []) + [load_bin]:
        if not os.access(b, os.X_OK):
            sys.exit(f"{b} not found: build it first (make build)")
    ensure_packages()
    args.work = tempfile.mkdtemp(prefix="hw-ingest-")
    total = args.series * args.rounds * args.samples_per_series
    print(f"workload: {args.series:,} series x {args.rounds} rounds = {total:,} samples, "
          f"{args.batch} samples a request, {args.concurrency} connections; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}",
          flush=True)
    results = {}
    for e in engines(args.work, args.hastewatch, only):
        print(f"  {e.name} ...", end="", flush=True)
        r = run_engine(e, load_bin, args)
        results[e.name] = r
        print(f" {r['samples_per_s']:,.0f} samples/s, {r['errors']} errors"
              + (f" ({r['first_error']})" if r["first_error"] else ""), flush=True)

    mib = 1 << 20
    print()
    print(f"{'engine':<22}{'samples/s':>12}{'CPU s':>8}{'cores':>7}{'CPU s/M':>9}{'+settle':>9}"
          f"{'RSS MiB':>9}{'peak MiB':>10}{'errors':>8}{'stored':>12}{'p50 ms':>8}{'p99 ms':>8}{'gen CPU':>9}")
    for name, r in results.items():
        stored = "?" if r["stored"] is None else f"{r['stored']:,.0f}"
        print(f"{name:<22}{r['samples_per_s']:>12,.0f}{r['cpu_s']:>8.2f}{r['cores']:>7.2f}{r['cpu_per_m']:>9.3f}"
              f"{r['cpu_settle_s']:>9.2f}{r['rss_end'] / mib:>9.0f}{r['peak_rss'] / mib:>10.0f}{r['errors']:>8}"
              f"{stored:>12}{r['p50_ms']:>8.1f}{r['p99_ms']:>8.1f}{r['gen_cpu_s']:>9.2f}{r['other_cores']:>8.2f}")
    print("CPU s: server CPU (all threads) while the load ran; cores: CPU s / wall s; CPU s/M: per million "
          f"samples; +settle: server CPU in the {args.settle:g} s after; RSS: at the end of the load; "
          "peak: VmHWM; stored: the server's own appended-samples counter; gen CPU: the load generator's; "
          "others: cores used by other processes meanwhile (non-zero: the machine was shared)")
    prom = results.get("Prometheus 2.42")
    if prom:
        print("\nvs Prometheus 2.42 (throughput: higher is better; CPU and memory: lower is better)")
        print(f"{'engine':<22}{'samples/s':>11}{'CPU s/M':>9}{'RSS':>7}{'peak RSS':>10}")
        for name, r in results.items():
            print(f"{name:<22}{r['samples_per_s'] / prom['samples_per_s']:>10.2f}x"
                  f"{r['cpu_per_m'] / prom['cpu_per_m']:>8.2f}x{r['rss_end'] / prom['rss_end']:>6.2f}x"
                  f"{r['peak_rss'] / prom['peak_rss']:>9.2f}x")
    print(json.dumps({"series": args.series, "rounds": args.rounds, "batch": args.batch,
                      "concurrency": args.concurrency, "results": results}))
    if args.keep:
        print(f"work directory kept: {args.work}")
    else:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
