#!/usr/bin/env python3
"""Synthetic scrape targets for bench/scrape_load.py: many /metrics endpoints on loopback.

Each target listens on its own port (127.0.0.1:BASE+i) and answers GET /metrics with
--series samples in the text format 0.0.4, shaped like a real service (HTTP counters by
handler and code, a latency histogram, per-CPU counters, filesystem and network gauges,
a GC summary, process metrics) with values that change at every scrape: counters grow,
gauges wander. The targets are spread over --procs processes (asyncio, one thread
each), so the generator is unlikely to be the bottleneck; each process counts what it
served and the CPU it used, printed as JSON on SIGTERM/SIGINT (or written to --stats).

  python3 bench/scrape_targets.py --targets 1000 --series 500 --base-port 20000 --procs 2
prints "ready" on stdout once every port listens.
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import random
import resource
import signal
import sys
import time


def families(n_series):
    """[(name, type, help, [label strings, one per sample])] totalling exactly n_series."""
    fams = []
    handlers = ["/api/users", "/api/orders", "/api/items", "/api/search", "/healthz"]
    lat = []
    for h in handlers:
        for le in ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]:
            lat.append(("_bucket", f'handler="{h}",le="{le}"'))
        lat.append(("_sum", f'handler="{h}"'))
        lat.append(("_count", f'handler="{h}"'))
    fams.append(("http_request_duration_seconds", "histogram", "Request latency.", lat))
    fams.append(("http_requests_total", "counter", "Requests by handler, method and code.",
                 [("", f'handler="{h}",method="{m}",code="{c}"') for h in handlers
                  for m in ("GET", "POST") for c in ("200", "400", "404", "500")]))
    fams.append(("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.",
                 [("", f'cpu="{c}",mode="{m}"') for c in range(8)
                  for m in ("idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user")]))
    fams.append(("go_gc_duration_seconds", "summary", "GC pause durations.",
                 [("", f'quantile="{q}"') for q in ("0", "0.25", "0.5", "0.75", "1")] +
                 [("_sum", ""), ("_count", "")]))
    for name, typ in [("process_cpu_seconds_total", "counter"), ("process_resident_memory_bytes", "gauge"),
                      ("process_open_fds", "gauge"), ("process_start_time_seconds", "gauge"),
                      ("go_goroutines", "gauge"), ("go_memstats_heap_alloc_bytes", "gauge")]:
        fams.append((name, typ, name.replace("_", " ") + ".", [("", "")]))
    mounts = ["/", "/boot", "/var", "/home", "/data", "/tmp"]
    for name in ("node_filesystem_avail_bytes", "node_filesystem_size_bytes", "node_filesystem_files_free"):
        fams.append((name, "gauge", "Filesystem " + name.split("_", 2)[2] + ".",
                     [("", f'device="/dev/sda{i}",fstype="ext4",mountpoint="{m}"')
                      for i, m in enumerate(mounts)]))
    devices = [f"eth{i}" for i in range(4)] + [f"veth{i:04x}" for i in range(6)]
    for name in ("node_network_receive_bytes_total", "node_network_transmit_bytes_total",
                 "node_network_receive_packets_total", "node_network_transmit_packets_total",
                 "node_network_receive_errs_total"):
        fams.append((name, "counter", "Network device statistic.", [("", f'device="{d}"') for d in devices]))
    used = sum(len(f[3]) for f in fams)
    queues = []
    i = 0
    while used + len(queues) < n_series:  # the rest: a gauge with many label values
        queues.append(("", f'queue="queue-{i:04d}",priority="{("low", "normal", "high")[i % 3]}"'))
        i += 1
    fams.append(("app_queue_depth", "gauge", "Jobs waiting, by queue.", queues))
    # Trim (when n_series is small) from the end.
    out, left = [], n_series
    for name, typ, help_text, samples in fams:
        if left <= 0:
            break
        out.append((name, typ, help_text, samples[:left]))
        left -= len(samples[:left])
    return out


class Target:
    """One endpoint's series: precomputed line prefixes, values advanced per scrape."""

    def __init__(self, index, n_series):
        self.rng = random.Random(index)
        self.lines = []   # (prefix "name{labels} ", kind, state)
        self.header = {}  # line index -> "# HELP/# TYPE" block
        for name, typ, help_text, samples in families(n_series):
            self.header[len(self.lines)] = f"# HELP {name} {help_text}\n# TYPE {name} {typ}\n"
            for suffix, labels in samples:
                prefix = f"{name}{suffix}{{{labels}}} " if labels else f"{name}{suffix} "
                counter = typ in ("counter", "histogram") or suffix in ("_sum", "_count")
                self.lines.append([prefix, counter, self.rng.uniform(0, 1e6) if counter
                                   else self.rng.uniform(0, 1e9), self.rng.uniform(0.1, 50)])

    def body(self):
        parts = []
        rng = self.rng.random
        for i, line in enumerate(self.lines):
            h = self.header.get(i)
            if h:
                parts.append(h)
            if line[1]:
                line[2] += int(line[3] * rng())  # counters grow by whole events
                parts.append(f"{line[0]}{line[2]:.0f}\n")
            else:
                line[2] *= 0.95 + 0.1 * rng()  # gauges wander
                parts.append(f"{line[0]}{line[2]:.6g}\n")
        return "".join(parts).encode()


def serve(indices, n_series, base_port, ready, stats_path):
    targets = {i: Target(i, n_series) for i in indices}
    served = {"requests": 0, "bytes": 0}

    async def handle(reader, writer, target):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                body = target.body()
                ok = head.startswith(b"GET /metrics")
                resp = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                        if ok else b"HTTP/1.1 404 Not Found\r\n")
                if not ok:
                    body = b"not found\n"
                writer.write(resp + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
                served["requests"] += 1
                served["bytes"] += len(body)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main():
        for i, t in targets.items():
            await asyncio.start_server(lambda r, w, t=t: handle(r, w, t), "127.0.0.1", base_port + i,
                                       backlog=64)
        ready.release()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()

    asyncio.run(main())
    ru = resource.getrusage(resource.RUSAGE_SELF)
    with open(stats_path, "w") as f:
        json.dump({**served, "cpu_s": ru.ru_utime + ru.ru_stime}, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--targets", type=int, default=1000)
    ap.add_argument("--series", type=int, default=500)
    ap.add_argument("--base-port", type=int, default=20000)
    ap.add_argument("--procs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--stats", help="write the summed stats JSON here on exit")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    ready = multiprocessing.Semaphore(0)
    tmp = f"/tmp/scrape-targets-{os.getpid()}"
    procs = []
    for p in range(args.procs):
        idx = list(range(p, args.targets, args.procs))
        proc = multiprocessing.Process(target=serve, args=(idx, args.series, args.base_port, ready,
                                                           f"{tmp}.{p}.json"))
        proc.start()
        procs.append(proc)
    for _ in procs:
        ready.acquire()
    print("ready", flush=True)

    def stop(*_):
        for proc in procs:
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGTERM)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for proc in procs:
        proc.join()
    total = {"requests": 0, "bytes": 0, "cpu_s": 0.0}
    for p in range(args.procs):
        try:
            with open(f"{tmp}.{p}.json") as f:
                for k, v in json.load(f).items():
                    total[k] += v
            os.unlink(f"{tmp}.{p}.json")
        except OSError:
            pass
    text = json.dumps(total)
    if args.stats:
        with open(args.stats, "w") as f:
            f.write(text)
    print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
