#!/usr/bin/env python3
"""Rule evaluation, side by side: hastewatch and Prometheus 2.42 on the same 1,000 rules.

Dataset: bench/gen_workload.py's metrics model (node_exporter on --hosts hosts and the
guide's hasteCRM API signals, ~1,030 series at --hosts 12), computed once, scrape by
scrape, with one fixed seed. Rules are evaluated at "now", so the data is live: for each
server the first --backfill minutes of scrapes are remote-written (in time order, so
both TSDB heads accept them) with timestamps ending at the moment the run starts, and
a feeder thread then keeps remote-writing the next scrape every 15 s, each at its own
timestamp, for as long as the server runs. Both servers thus hold the same series with
the same values at the same offsets from their start; only the absolute time differs.

Rules: bench/gen_rules.py, by default 1,000 rules (~60% recording: sum/avg by
job/instance/endpoint of rate(), histogram_quantile over rate of buckets, ratios of
aggregated errors to requests, burn rates, *_over_time, ...; ~40% alerting with
thresholds, `for`, labels and annotations templated with humanize*), in 16 groups with
a 15 s interval, written to files both servers load unchanged through `rule_files`.

Fairness: the servers run one after the other, never together (2 cores: they would
compete, and share them with nothing but this script's feeder and poller). Each starts
on an empty data directory with no rules, gets the backfill, then the rule files in a
SIGHUP reload, so no evaluation sees a half-written history. Prometheus runs each
group in its own goroutine, hastewatch runs all groups on one evaluation thread; the
groups' slots are spread over the interval by both, so groups seldom overlap.

Timing: /api/v1/rules is polled every --poll seconds; each group's evaluationTime is
recorded once per distinct lastEvaluation. The first evaluation after the reload is a
warm-up and is dropped; the median of the next --iterations is the group's figure.
Also shown: server CPU seconds per interval while measuring (rule evaluation plus the
small live ingestion and the API polling), missed iterations and failed evaluations
(each server's own counters).

Agreement (printed, never a failure): per rule health (errors), per alerting rule the
number of firing and pending alerts, the alerts' labels and label-only summaries, per
recording rule the number of series it recorded (count by (__name__) over names with a
colon), ALERTS by alertstate, and every rule expression as an instant query at one fixed
point of the dataset (the same relative instant for both servers, so the answers must
match exactly, up to float rounding). Thresholds sit far from the data's typical values,
so firing/pending counts do not depend on the instant each server evaluates at.

Exits non-zero only on errors (a server not starting, crashing, refusing data or
rules); figures and disagreements are printed. Run from the repository root:
  python3 bench/rules_compare.py [--iterations 6 --rules 1000 --groups 16 --keep]
"""
import argparse
import http.client
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import gen_rules  # noqa: E402
import gen_workload  # noqa: E402
from harness import encode_write_request, snappy_block  # noqa: E402
from ingest_compare import cpu_seconds, free_port, machine_ticks  # noqa: E402

STEP_MS = gen_workload.STEP_MS
TOKEN = "bench-rules-token-0123456789"
PROM = "Prometheus 2.42"
HWN = "hastewatch"


class BenchError(Exception):
    pass


# ---- dataset -----------------------------------------------------------------------

def build_dataset(hosts, steps, seed):
    """[(labels dict)], values[step][series], jitter_ms[step]: gen_workload's model."""
    import random
    rng = random.Random(seed)
    fams = gen_workload.build(rng, hosts)
    labels, gens = [], []
    for name, (typ, _help, members) in fams.items():
        for lbl, fn in members:
            metric = name
            if "#" in lbl:
                lbl, suffix = lbl.split("#")
                metric = f"{name}_{suffix}"
            elif typ == "histogram":
                metric = f"{name}_bucket"
            d = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', lbl))
            d["__name__"] = metric
            labels.append(d)
            gens.append(fn)
    values = [[float(fn()) for fn in gens] for _ in range(steps)]
    jrng = random.Random(seed + 1)
    jitter = [jrng.randint(-5, 5) for _ in range(steps)]
    return labels, values, jitter


def write_body(labels, values, jitter, base_ms, lo, hi):
    """A snappy remote-write body with scrapes lo..hi-1, every series in time order."""
    series = []
    for s, lbl in enumerate(labels):
        series.append((lbl, [(base_ms + i * STEP_MS + jitter[i], values[i][s]) for i in range(lo, hi)]))
    return snappy_block(encode_write_request(series))


# ---- HTTP --------------------------------------------------------------------------

class Client:
    def __init__(self, port, token=None):
        self.port, self.token = port, token
        self.conn = None

    def request(self, method, path, body=None, headers=None, timeout=120):
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise

    def get_json(self, path, params=None):
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        status, body = self.request("GET", url)
        if status != 200:
            raise BenchError(f"GET {url}: HTTP {status}: {body[:300]!r}")
        return json.loads(body)

    def write(self, body):
        status, resp = self.request("POST", "/api/v1/write", body=body, headers={
            "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy",
            "X-Prometheus-Remote-Write-Version": "0.1.0"})
        if status >= 300:
            raise BenchError(f"remote write: HTTP {status}: {resp[:300]!r}")

    def query(self, expr, t):
        status, body = self.request("GET", "/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": t}))
        return status, json.loads(body) if body else {}

    def metrics(self):
        status, body = self.request("GET", "/metrics")
        return body.decode() if status == 200 else ""


def metric_sum(text, name):
    total, found = 0.0, False
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
            found = True
    return total if found else None


# ---- servers -----------------------------------------------------------------------

class Engine:
    def __init__(self, name, work, hw_bin, interval, nice=0):
        self.name, self.work = name, os.path.join(work, name.split()[0])
        os.makedirs(self.work)
        self.port = free_port()
        self.cfg = os.path.join(self.work, "config.yml")
        self.rules_glob = os.path.join(work, "rules", "*.yml")
        self.interval, self.nice = interval, nice
        data = os.path.join(self.work, "data")
        if name == HWN:
            self.args = [hw_bin, "serve", "--config", self.cfg, "--data", data,
                         "--listen", f"127.0.0.1:{self.port}", "--log-level", "warn"]
            self.ready = "/health/ready"
            self.token = TOKEN
            self.missed_metric = "hastewatch_rule_group_iterations_missed_total"
            self.failed_metric = "hastewatch_rule_evaluation_failures_total"
        else:
            self.args = ["prometheus", f"--config.file={self.cfg}", f"--storage.tsdb.path={data}",
                         f"--web.listen-address=127.0.0.1:{self.port}", "--web.enable-remote-write-receiver",
                         "--log.level=warn"]
            self.ready = "/-/ready"
            self.token = None
            self.missed_metric = "prometheus_rule_group_iterations_missed_total"
            self.failed_metric = "prometheus_rule_evaluation_failures_total"
        self.proc = None
        self.log_path = os.path.join(self.work, "server.log")

    def write_config(self, with_rules):
        lines = []
        if self.name == HWN:
            lines += ["server:", "  auth:", "    tokens:", f"      - {{name: bench, role: write, token: {TOKEN}}}"]
        lines += ["global:", f"  evaluation_interval: {self.interval}s"]
        if with_rules:
            lines += ["rule_files:", f"  - {json.dumps(self.rules_glob)}"]
        with open(self.cfg, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        self.write_config(False)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT,
                                     preexec_fn=(lambda: os.nice(self.nice)) if self.nice else None)
        self.client = Client(self.port, self.token)
        deadline = time.time() + 60
        while time.time() < deadline:
            self.check_alive()
            try:
                status, _ = Client(self.port).request("GET", self.ready, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise BenchError(f"{self.name} did not become ready")

    def check_alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise BenchError(f"{self.name} exited with status {self.proc.returncode}; log tail:\n" + self.log_tail())

    def log_tail(self, n=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def reload_with_rules(self, n_groups):
        self.write_config(True)
        self.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 30
        while time.time() < deadline:
            self.check_alive()
            groups = self.client.get_json("/api/v1/rules", {"type": "record"})["data"]["groups"]
            if len(groups) == n_groups:
                return
            time.sleep(0.2)
        raise BenchError(f"{self.name}: rules not loaded after a reload; log tail:\n" + self.log_tail())

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class Feeder(threading.Thread):
    """Remote-writes scrape `step` at base + step * 15 s (its timestamp), as a live scrape would."""

    def __init__(self, engine, data, base_ms, first_step):
        super().__init__(daemon=True)
        self.client = Client(engine.port, engine.token)
        self.data, self.base_ms, self.next = data, base_ms, first_step
        self.done = threading.Event()
        self.error = None

    def run(self):
        labels, values, jitter = self.data
        while not self.done.is_set():
            now = time.time() * 1000
            hi = self.next
            while hi < len(values) and self.base_ms + hi * STEP_MS + jitter[hi] <= now:
                hi += 1
            if hi > self.next:
                try:
                    self.client.write(write_body(labels, values, jitter, self.base_ms, self.next, hi))
                except Exception as e:  # noqa: BLE001 - reported by the main thread
                    self.error = f"live remote write failed: {e}"
                    return
                self.next = hi
            if self.next >= len(values):
                self.error = "ran out of precomputed scrapes (raise --spare-minutes)"
                return
            due = self.base_ms + self.next * STEP_MS + jitter[self.next]
            self.done.wait(max(0.01, (due - time.time() * 1000) / 1000))

    def stop(self):
        self.done.set()
        self.join()


# ---- one server's run --------------------------------------------------------------

def canonical(data):
    if data["resultType"] == "scalar":
        return {(): float(data["result"][1])}
    return {tuple(sorted(s["metric"].items())): float(s["value"][1]) for s in data["result"]}


def run_engine(engine, data, args, rules, n_groups):
    labels, values, jitter = data
    out = {"name": engine.name}
    feeder = None
    try:
        engine.start()
        # History: the scrapes of the last --backfill minutes, ending now.
        n_back = args.backfill * 60_000 // STEP_MS
        base_ms = (int(time.time() * 1000) // STEP_MS) * STEP_MS - n_back * STEP_MS
        t0 = time.perf_counter()
        for lo in range(0, n_back + 1, 20):
            engine.client.write(write_body(labels, values, jitter, base_ms, lo, min(lo + 20, n_back + 1)))
        out["backfill_s"] = time.perf_counter() - t0
        feeder = Feeder(engine, data, base_ms, n_back + 1)
        feeder.start()

        engine.reload_with_rules(n_groups)
        reload_at = time.time()
        # Per group: [(lastEvaluation, evaluationTime)], in the order seen.
        seen = {}
        cpu_mark = None
        deadline = reload_at + (args.iterations + 3) * args.interval + 30
        while True:
            engine.check_alive()
            if feeder.error:
                raise BenchError(f"{engine.name}: {feeder.error}")
            groups = engine.client.get_json("/api/v1/rules", {"type": "record"})["data"]["groups"]
            for g in groups:
                if g["lastEvaluation"].startswith("0001-"):
                    continue
                lst = seen.setdefault(g["name"], [])
                if not lst or lst[-1][0] != g["lastEvaluation"]:
                    lst.append((g["lastEvaluation"], g["evaluationTime"]))
            warm = len(seen) == n_groups and all(len(v) >= 2 for v in seen.values())
            if warm and cpu_mark is None:
                cpu_mark = (time.time(), cpu_seconds(engine.proc.pid), machine_ticks(), os.times())
            if len(seen) == n_groups and all(len(v) >= 1 + args.iterations for v in seen.values()):
                break
            if time.time() > deadline:
                print(f"  {engine.name}: stopped waiting for {args.iterations} iterations of every group",
                      file=sys.stderr)
                break
            time.sleep(args.poll)
        cpu_end = (time.time(), cpu_seconds(engine.proc.pid), machine_ticks(), os.times())
        if cpu_mark is not None and cpu_end[0] - cpu_mark[0] > args.interval / 2:
            wall = cpu_end[0] - cpu_mark[0]
            server_cpu = cpu_end[1] - cpu_mark[1]
            out["cpu_per_interval"] = server_cpu / (wall / args.interval)
            # Cores busy with anything but this server and this script (a shared machine).
            (b0, t0_), (b1, t1_) = cpu_mark[2], cpu_end[2]
            own = (cpu_end[3].user + cpu_end[3].system) - (cpu_mark[3].user + cpu_mark[3].system)
            out["other_cores"] = max(0.0, (b1 - b0) / max(t1_ - t0_, 1) * (os.cpu_count() or 1)
                                     - (server_cpu + own) / wall)
        out["times"] = {g: [t for _, t in v[1:1 + args.iterations]] for g, v in seen.items()}
        out["measured_s"] = time.time() - reload_at

        # State after the run.
        m = engine.client.metrics()
        out["missed"] = metric_sum(m, engine.missed_metric)
        out["failed"] = metric_sum(m, engine.failed_metric)
        full = engine.client.get_json("/api/v1/rules")["data"]["groups"]
        health, alerts, summaries = {}, {}, {}
        for g in full:
            for r in g["rules"]:
                key = (g["name"], r["name"], r.get("labels", {}).get("severity", ""))
                health[key] = r.get("lastError", "") if r.get("health") == "err" else None
                if r["type"] == "alerting":
                    st = [a["state"] for a in r["alerts"]]
                    alerts[key] = (st.count("firing"), st.count("pending"))
                    for a in r["alerts"]:
                        lk = (key, tuple(sorted(a["labels"].items())))
                        summaries[lk] = (a["state"], a["annotations"].get("summary", ""))
        out["health"], out["alerts"], out["summaries"] = health, alerts, summaries
        now_s = time.time()
        _, body = engine.client.query('count by (__name__) ({__name__=~".+:.+"})', now_s)
        out["recorded"] = {s["metric"]["__name__"]: int(s["value"][1]) for s in body["data"]["result"]}
        _, body = engine.client.query("count by (alertstate) (ALERTS)", now_s)
        out["ALERTS"] = {s["metric"].get("alertstate", ""): int(s["value"][1]) for s in body["data"]["result"]}

        # Every rule expression at one fixed point of the dataset (1 min before the run).
        t_fixed = (base_ms + (n_back - 4) * STEP_MS + STEP_MS // 2) / 1000
        answers = {}
        t0 = time.perf_counter()
        for g, rs in rules:
            for r in rs:
                status, body = engine.client.query(r["expr"], t_fixed)
                if status != 200 or body.get("status") != "success":
                    answers[(g, r.get("record") or r.get("alert"), r["expr"])] = ("error", body.get("error", status))
                else:
                    answers[(g, r.get("record") or r.get("alert"), r["expr"])] = ("ok", canonical(body["data"]))
        out["query_s"] = time.perf_counter() - t0
        out["answers"] = answers
        engine.check_alive()
    except (OSError, http.client.HTTPException, KeyError, ValueError) as e:
        engine.check_alive()  # a crash explains it best
        raise BenchError(f"{engine.name}: {type(e).__name__}: {e}; log tail:\n{engine.log_tail()}") from e
    finally:
        if feeder is not None:
            feeder.stop()
        engine.stop()
    return out


# ---- report ------------------------------------------------------------------------

def diff_answers(a, b):
    if a[0] != b[0]:
        return f"{a[0]} vs {b[0]}: {a[1] if a[0] == 'error' else b[1]}"
    if a[0] == "error":
        return None if a[1] == b[1] else f"errors differ: {a[1]} / {b[1]}"
    x, y = a[1], b[1]
    if x.keys() != y.keys():
        only = sorted(x.keys() ^ y.keys())[:2]
        return f"series differ ({len(x)} vs {len(y)}), e.g. {only}"
    for k in x:
        if math.isnan(x[k]) and math.isnan(y[k]):
            continue
        if not math.isclose(x[k], y[k], rel_tol=1e-9, abs_tol=1e-12):
            return f"{dict(k)}: {x[k]!r} vs {y[k]!r}"
    return None


def report(results, rules, args):
    hw, pr = results[HWN], results[PROM]
    sizes = {g: (sum("record" in r for r in rs), sum("alert" in r for r in rs)) for g, rs in rules}
    print(f"\n{'group':<22}{'rules':>6}{'rec':>5}{'alert':>6}{'hastewatch ms':>15}{'Prometheus ms':>15}"
          f"{'ratio':>7}{'n':>6}")
    ratios, tot_h, tot_p = [], 0.0, 0.0
    rows = []
    for g, _ in rules:
        th, tp = hw["times"].get(g, []), pr["times"].get(g, [])
        if not th or not tp:
            print(f"{g:<22}{sum(sizes[g]):>6}  no measurement (hastewatch {len(th)}, Prometheus {len(tp)})")
            continue
        mh, mp = statistics.median(th) * 1e3, statistics.median(tp) * 1e3
        tot_h += mh
        tot_p += mp
        ratios.append(mh / mp)
        rows.append((g, mh / mp))
        print(f"{g:<22}{sum(sizes[g]):>6}{sizes[g][0]:>5}{sizes[g][1]:>6}{mh:>15.2f}{mp:>15.2f}{mh / mp:>7.2f}"
              f"{min(len(th), len(tp)):>6}")
    n_rules = sum(len(rs) for _, rs in rules)
    if ratios:
        print(f"{'total (all groups)':<22}{n_rules:>6}{'':>11}{tot_h:>15.2f}{tot_p:>15.2f}{tot_h / tot_p:>7.2f}")
        worst = sorted(rows, key=lambda r: -r[1])[:3]
        print(f"median group ratio hastewatch/Prometheus: {statistics.median(ratios):.2f}x "
              f"(target <= 0.5x); total {tot_h / tot_p:.2f}x; worst groups: "
              + ", ".join(f"{g} {r:.2f}x" for g, r in worst))
    print("ms: median over the measured iterations of each group's evaluationTime (/api/v1/rules); "
          "n: iterations measured per server (after 1 warm-up)")
    for r in (hw, pr):
        cpu = r.get("cpu_per_interval")
        fmt_n = (lambda v: "?" if v is None else f"{v:.0f}")
        print(f"{r['name']:<16} server CPU s per {args.interval:g}s interval: "
              + (f"{cpu:.3f}" if cpu is not None else "?")
              + f"; missed iterations {fmt_n(r['missed'])}; failed evaluations {fmt_n(r['failed'])}; "
              f"other processes meanwhile {r.get('other_cores', 0):.2f} cores; backfill {r['backfill_s']:.1f}s; "
              f"{len(r['answers'])} rule expressions as instant queries {r['query_s']:.2f}s")

    if hw.get("cpu_per_interval") and pr.get("cpu_per_interval"):
        print(f"server CPU per interval hastewatch/Prometheus: {hw['cpu_per_interval'] / pr['cpu_per_interval']:.2f}x"
              " (less sensitive than evaluationTime to other load on the machine)")
    if max(hw.get("other_cores", 0), pr.get("other_cores", 0)) > 0.3:
        print("NOTE: other processes kept the machine busy while measuring: the wall-clock evaluation times "
              "include waiting for a core")

    # Agreement.
    print("\nagreement (hastewatch vs Prometheus):")
    problems = 0
    for r in (hw, pr):
        errs = {k: e for k, e in r["health"].items() if e is not None}
        if errs:
            problems += 1
            print(f"  {r['name']}: {len(errs)} rules with errors, e.g.")
            for k, e in list(errs.items())[:5]:
                print(f"    {k[0]}/{k[1]}: {e}")
    fh = sum(v[0] for v in hw["alerts"].values())
    ph_ = sum(v[1] for v in hw["alerts"].values())
    fp = sum(v[0] for v in pr["alerts"].values())
    pp = sum(v[1] for v in pr["alerts"].values())
    print(f"  alerts firing: hastewatch {fh}, Prometheus {fp}; pending: hastewatch {ph_}, Prometheus {pp}")
    diff = [k for k in hw["alerts"].keys() | pr["alerts"].keys() if hw["alerts"].get(k) != pr["alerts"].get(k)]
    if diff:
        problems += 1
        print(f"  DISAGREE: {len(diff)} alerting rules with different (firing, pending) counts, e.g.")
        for k in sorted(diff)[:8]:
            print(f"    {k[0]}/{k[1]} [{k[2]}]: hastewatch {hw['alerts'].get(k)}, Prometheus {pr['alerts'].get(k)}")
    sdiff = [k for k in hw["summaries"].keys() | pr["summaries"].keys()
             if hw["summaries"].get(k) != pr["summaries"].get(k)]
    if sdiff:
        problems += 1
        print(f"  DISAGREE: {len(sdiff)} alerts differ in labels, state or summary annotation, e.g.")
        for k in sorted(sdiff)[:5]:
            print(f"    {k[0][1]} {dict(k[1])}: hastewatch {hw['summaries'].get(k)}, "
                  f"Prometheus {pr['summaries'].get(k)}")
    print(f"  ALERTS series by alertstate: hastewatch {hw['ALERTS']}, Prometheus {pr['ALERTS']}"
          + ("" if hw["ALERTS"] == pr["ALERTS"] else "  DISAGREE"))
    problems += hw["ALERTS"] != pr["ALERTS"]
    n_rec = sum(sizes[g][0] for g in sizes)
    print(f"  recorded series: hastewatch {sum(hw['recorded'].values())} in {len(hw['recorded'])} names, "
          f"Prometheus {sum(pr['recorded'].values())} in {len(pr['recorded'])} names ({n_rec} recording rules)")
    rdiff = sorted(k for k in hw["recorded"].keys() | pr["recorded"].keys()
                   if hw["recorded"].get(k) != pr["recorded"].get(k))
    if rdiff:
        problems += 1
        print(f"  DISAGREE: {len(rdiff)} recording rules with different series counts, e.g.")
        for k in rdiff[:8]:
            print(f"    {k}: hastewatch {hw['recorded'].get(k)}, Prometheus {pr['recorded'].get(k)}")
    adiff = []
    empty = 0
    for k in pr["answers"]:
        a, b = hw["answers"].get(k, ("missing", None)), pr["answers"][k]
        if b[0] == "ok" and not b[1]:
            empty += 1
        d = diff_answers(a, b) if a[0] != "missing" else "missing"
        if d:
            adiff.append((k, d))
    print(f"  rule expressions as instant queries at a fixed point of the data: {len(pr['answers']) - len(adiff)} "
          f"of {len(pr['answers'])} agree ({empty} empty in Prometheus: alerts not holding there, or reading "
          "series recorded later)")
    if adiff:
        problems += 1
        print("  DISAGREE:")
        for (g, name, expr), d in adiff[:10]:
            print(f"    {g}/{name}: {expr[:110]}\n      {d[:300]}")
    print("  => " + ("servers agree" if not problems else f"{problems} kinds of disagreement (see above)"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--groups", type=int, default=16)
    ap.add_argument("--interval", type=float, default=15, help="group interval, seconds")
    ap.add_argument("--iterations", type=int, default=6, help="measured iterations per group (after 1 warm-up)")
    ap.add_argument("--hosts", type=int, default=12)
    ap.add_argument("--backfill", type=int, default=65, help="minutes of history before the run")
    ap.add_argument("--spare-minutes", type=int, default=8, help="live scrapes precomputed per server run")
    ap.add_argument("--poll", type=float, default=3, help="seconds between /api/v1/rules polls")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--nice", type=int, default=0,
                    help="run both servers at this niceness (e.g. -10, as root, on a machine shared with "
                         "builds: their evaluations then wait less for a core)")
    ap.add_argument("--hastewatch", default=os.path.join(ROOT, "build", "hastewatch"))
    ap.add_argument("--keep", action="store_true", help="keep the work directory (rules, data, logs)")
    args = ap.parse_args()

    # The binary may be mid-rebuild: wait for it, then run a private copy.
    for _ in range(120):
        if os.access(args.hastewatch, os.X_OK):
            break
        time.sleep(1)
    else:
        sys.exit(f"{args.hastewatch} not found: build it first (make build)")
    if not shutil.which("prometheus"):
        print("installing prometheus ...", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="hw-rules-")
    hw_bin = os.path.join(work, "hastewatch-bin")
    time.sleep(0.5)
    shutil.copy2(args.hastewatch, hw_bin)

    rules = gen_rules.generate(args.rules, args.groups, seed=7)
    gen_rules.write(os.path.join(work, "rules"), rules, f"{args.interval:g}s")
    n_rec = sum("record" in r for _, rs in rules for r in rs)
    n_back = args.backfill * 60_000 // STEP_MS
    steps = n_back + 1 + args.spare_minutes * 60_000 // STEP_MS
    t0 = time.perf_counter()
    data = build_dataset(args.hosts, steps, args.seed)
    print(f"rules: {sum(len(rs) for _, rs in rules)} ({n_rec} recording, "
          f"{sum(len(rs) for _, rs in rules) - n_rec} alerting) in {len(rules)} groups, interval {args.interval:g}s; "
          f"data: {len(data[0])} series, {args.backfill} min backfilled + live every 15 s "
          f"(generated in {time.perf_counter() - t0:.1f}s); servers run one after the other; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
          + (f", servers at nice {args.nice}" if args.nice else ""), flush=True)
    version = subprocess.run([hw_bin, "version"], capture_output=True, text=True).stdout.strip()
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(args.hastewatch)))
    prom_version = subprocess.run(["prometheus", "--version"], capture_output=True, text=True)
    prom_version = (prom_version.stdout or prom_version.stderr).splitlines()[0]
    print(f"{version} (binary of {built}); {prom_version}", flush=True)

    results = {}
    status = 0
    try:
        for name in (HWN, PROM):
            print(f"  {name} ...", end="", flush=True)
            engine = Engine(name, work, hw_bin, args.interval, args.nice)
            results[name] = run_engine(engine, data, args, rules, len(rules))
            r = results[name]
            print(f" measured for {r['measured_s']:.0f}s", flush=True)
        report(results, rules, args)
    except BenchError as e:
        print(f"\nERROR: {e}", file=sys.stderr)
        status = 1
    finally:
        if args.keep or status:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
