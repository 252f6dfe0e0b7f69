#!/usr/bin/env python3
"""Side by side: hastewatch, Prometheus and VictoriaMetrics on the same workload.

Prints, for each engine (ratios are what matter; absolute figures depend on the machine):
  * bytes on disk per sample after importing bench/gen_workload.py's dataset
      hastewatch:       hastewatch import openmetrics
      Prometheus:       promtool tsdb create-blocks-from openmetrics
      VictoriaMetrics:  POST /api/v1/import/prometheus, then /internal/force_flush
  * import time (and samples/s)
  * select+decode: time to read every sample back (hastewatch tsdb dump, promtool tsdb
    dump, VictoriaMetrics /api/v1/export), samples/s
  * resident memory per active series after remote-writing --series fresh series
Installs prometheus and victoria-metrics (Debian packages) if missing. Run from the
repository root: python3 bench/tsdb_compare.py   (or make bench)
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from harness import encode_write_request, snappy_block  # noqa: E402

HW = os.path.join(ROOT, "build", "hastewatch")


def ensure_packages():
    missing = [p for p, b in [("prometheus", "promtool"), ("victoria-metrics", "victoria-metrics")]
               if not shutil.which(b)]
    if missing:
        print(f"installing {' '.join(missing)} ...", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                       check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                       stdout=subprocess.DEVNULL)


def du(path, exclude=()):
    total = 0
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in exclude]
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def timed(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - start


def post(url, data, headers, timeout=600):
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


class Server:
    def __init__(self, args, ready_url, cwd=None):
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
        wait_http(ready_url)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def remote_write_series(url, n_series, token=None, batch=2000):
    """Writes n fresh series with 2 samples each; returns seconds taken."""
    headers = {"Content-Type": "application/x-protobuf", "Content-Encoding": "snappy",
               "X-Prometheus-Remote-Write-Version": "0.1.0"}
    if token:
        headers["Authorization"] = "Bearer " + token
    now = int(time.time() * 1000)
    start = time.perf_counter()
    for lo in range(0, n_series, batch):
        series = [({"__name__": "mem_test_metric", "instance": f"host-{i % 500}:9100",
                    "job": "bench", "series_id": str(i)}, [(now - 15000, 1.0), (now, 2.0)])
                  for i in range(lo, min(n_series, lo + batch))]
        post(url, snappy_block(encode_write_request(series)), headers)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description="hastewatch vs Prometheus vs VictoriaMetrics storage")
    ap.add_argument("--hosts", type=int, default=12, help="node_exporter hosts in the dataset")
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--series", type=int, default=100_000, help="series for the memory test")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    ensure_packages()
    work = tempfile.mkdtemp(prefix="hw-bench-")
    om, prom = os.path.join(work, "workload.om"), os.path.join(work, "workload.prom")
    gen = [sys.executable, os.path.join(ROOT, "bench", "gen_workload.py"), "--hosts", str(args.hosts),
           "--hours", str(args.hours)]
    out = subprocess.run(gen + ["--out", om], check=True, capture_output=True, text=True).stderr
    subprocess.run(gen + ["--format", "prometheus", "--out", prom], check=True, capture_output=True)
    samples = int(out.split(" samples")[0].split()[-1])
    print(out.strip())
    results = {}

    # hastewatch
    d = os.path.join(work, "hw")
    t = timed([HW, "import", "openmetrics", om, "--data", d], stdout=subprocess.DEVNULL)
    size = du(os.path.join(d, "tsdb"), exclude=("wal",))
    t_read = timed([HW, "tsdb", "dump", "--data", d], stdout=subprocess.DEVNULL)
    results["hastewatch"] = {"bytes": size, "import_s": t, "read_s": t_read}

    # Prometheus
    d = os.path.join(work, "prom")
    t = timed(["promtool", "tsdb", "create-blocks-from", "openmetrics", om, d], stdout=subprocess.DEVNULL)
    size = du(d)
    os.makedirs(os.path.join(d, "wal"), exist_ok=True)  # promtool dump insists on one
    t_read = timed(["promtool", "tsdb", "dump", d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results["Prometheus 2.42"] = {"bytes": size, "import_s": t, "read_s": t_read}

    # VictoriaMetrics
    d = os.path.join(work, "vm")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    vm = Server(["victoria-metrics", f"-storageDataPath={d}", f"-httpListenAddr=127.0.0.1:{port}",
                 "-search.disableCache", "-loggerLevel=ERROR",
                 # the dataset's timestamps are from 2023: keep them
                 "-retentionPeriod=100y"], base + "/health")
    with open(prom, "rb") as f:
        body = f.read()
    start = time.perf_counter()
    post(base + "/api/v1/import/prometheus", body, {"Content-Type": "text/plain"})
    urllib.request.urlopen(base + "/internal/force_flush", timeout=600).read()
    t = time.perf_counter() - start
    urllib.request.urlopen(base + "/internal/force_merge", timeout=600).read()
    time.sleep(3)
    size = du(d)
    start = time.perf_counter()
    export = base + "/api/v1/export?" + urllib.parse.urlencode({"match[]": '{__name__!=""}', "start": "0"})
    exported = 0
    with urllib.request.urlopen(export, timeout=600) as r:
        for line in r:
            exported += len(json.loads(line)["values"])
    t_read = time.perf_counter() - start
    if exported != samples:
        print(f"warning: VictoriaMetrics exported {exported} of {samples} samples", file=sys.stderr)
    vm.stop()
    results["VictoriaMetrics 1.79"] = {"bytes": size, "import_s": t, "read_s": t_read}

    # Memory per active series: fresh servers, N series remote-written.
    n = args.series
    token = "bench-write-token-0123456789"
    cfg = os.path.join(work, "hw.yml")
    with open(cfg, "w") as f:
        f.write(f"server:\n  auth:\n    tokens:\n      - {{name: bench, role: write, token: {token}}}\n")
    mem = {}
    port = free_port()
    hw = Server([HW, "serve", "--config", cfg, "--data", os.path.join(work, "hw-mem"),
                 "--listen", f"127.0.0.1:{port}", "--log-level", "error"], f"http://127.0.0.1:{port}/health/live")
    before = rss_bytes(hw.proc.pid)
    remote_write_series(f"http://127.0.0.1:{port}/api/v1/write", n, token)
    mem["hastewatch"] = (rss_bytes(hw.proc.pid) - before) / n
    hw.stop()
    port = free_port()
    pcfg = os.path.join(work, "prom.yml")
    with open(pcfg, "w") as f:
        f.write("global: {}\n")
    pr = Server(["prometheus", f"--config.file={pcfg}", f"--storage.tsdb.path={os.path.join(work, 'prom-mem')}",
                 f"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver",
                 "--log.level=error"], f"http://127.0.0.1:{port}/-/ready")
    before = rss_bytes(pr.proc.pid)
    remote_write_series(f"http://127.0.0.1:{port}/api/v1/write", n)
    mem["Prometheus 2.42"] = (rss_bytes(pr.proc.pid) - before) / n
    pr.stop()
    port = free_port()
    vm = Server(["victoria-metrics", f"-storageDataPath={os.path.join(work, 'vm-mem')}",
                 f"-httpListenAddr=127.0.0.1:{port}", "-loggerLevel=ERROR"], f"http://127.0.0.1:{port}/health")
    before = rss_bytes(vm.proc.pid)
    remote_write_series(f"http://127.0.0.1:{port}/api/v1/write", n)
    time.sleep(2)
    mem["VictoriaMetrics 1.79"] = (rss_bytes(vm.proc.pid) - before) / n
    vm.stop()

    prom_bps = results["Prometheus 2.42"]["bytes"] / samples
    print(f"\n{samples} samples; memory test: {n} series\n")
    print(f"{'engine':<22}{'bytes/sample':>13}{'vs Prom':>9}{'import s':>10}{'import samples/s':>18}"
          f"{'read samples/s':>16}{'RSS B/series':>14}")
    for name, r in results.items():
        bps = r["bytes"] / samples
        print(f"{name:<22}{bps:>13.3f}{bps / prom_bps:>9.2f}{r['import_s']:>10.2f}"
              f"{samples / r['import_s']:>18,.0f}{samples / r['read_s']:>16,.0f}{mem[name]:>14,.0f}")
    print(json.dumps({"samples": samples, "results": results, "rss_per_series": mem}))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"work directory kept: {work}")


if __name__ == "__main__":
    main()
