"""End-to-end: metric ingestion from real peers (issue "Metric ingestion", "Real peers in
the tests").

Every peer is installed (if missing) and started by the test itself, on loopback, and
stopped after it:
  * NodeExporterTest: Debian's prometheus-node-exporter, scraped at 1 s; up, node_* series,
    values against the exporter's own /metrics and /proc/meminfo, /api/v1/targets and
    /api/v1/metadata.
  * PromClientTest: a Node.js service instrumented with the npm prom-client package
    (tests/e2e/peers/promclient, installed with `npm ci` from its lockfile), scraped in the
    text format and in OpenMetrics; counters, gauges, histograms with custom buckets,
    summaries, escaped label values: every sample equals what the service reports, before
    and after its values change.
  * PrometheusRemoteWriteTest: Debian's prometheus scraping itself at 1 s and
    remote-writing to hastewatch with a bearer token; hastewatch holds what Prometheus
    holds.
  * FaultyTargetsTest: targets that refuse connections, are too slow, return garbage, an
    HTTP error or too many samples: each is down with Prometheus' lastError and up 0,
    while a good target beside them stays up.
  * ReloadTest: POST /-/reload and SIGHUP add and remove targets; a broken config fails
    the reload (500), keeps the old config running and makes the "config" readiness
    check unhealthy until the file is fixed.
A test skips only when its peer cannot be installed on this machine.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import Hastewatch

HERE = os.path.dirname(os.path.abspath(__file__))
PROMCLIENT_DIR = os.path.join(HERE, "peers", "promclient")
WRITER = "e2e-peers-write-token-0123456789"
ADMIN = "e2e-peers-admin-token-0123456789"
READER = "e2e-peers-read-token-0123456789"
AUTH = f"""
server:
  auth:
    anonymous: read
    tokens:
      - {{name: writer, role: write, token: {WRITER}}}
      - {{name: ops, role: admin, token: {ADMIN}}}
      - {{name: viewer, role: read, token: {READER}}}
"""


# --- helpers -----------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, fn, timeout=20, interval=0.1):
    """Polls fn() until it returns a truthy value; returns it or fails naming `what`."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = fn()
        except (OSError, ValueError, KeyError, AssertionError) as e:
            last = e
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def ensure_installed(test, binary, package):
    """Returns the path of `binary`, installing Debian's `package` if it is missing (what
    scripts/setup.sh --test does); skips the test only if it cannot be installed."""
    path = shutil.which(binary)
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        if p.returncode != 0:  # the package lists may be missing or old
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env, timeout=300)
            p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        path = shutil.which(binary)
        if path:
            return path
        test.skipTest(f"{package} is not installed and `apt-get install {package}` failed: "
                      f"{(p.stdout + p.stderr).strip()[-500:]}")
    test.skipTest(f"{package} is not installed (run scripts/setup.sh --test as root)")


class Process:
    """A peer process with its output in a file; stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, args, tmp, name, cwd=None):
        self.log_path = os.path.join(tmp, name + ".log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd,
                                     stdin=subprocess.DEVNULL)

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class Api:
    """hastewatch's Prometheus HTTP API, as a test reads it."""

    def __init__(self, hw):
        self.hw = hw

    def get(self, path, params=None, token=None):
        url = path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        headers = {"Authorization": "Bearer " + token} if token else {}
        status, _, body = self.hw.request("GET", url, headers=headers)
        doc = json.loads(body)
        assert status == 200 and doc["status"] == "success", (url, status, body[:500])
        return doc["data"]

    def query(self, q, t=None):
        params = {"query": q}
        if t is not None:
            params["time"] = f"{t:.3f}"
        data = self.get("/api/v1/query", params)
        return data["result"]

    def vector(self, q, t=None):
        """{frozenset(labels): float value} of an instant vector query."""
        return {frozenset(r["metric"].items()): float(r["value"][1]) for r in self.query(q, t)}

    def value(self, q):
        """The value of a query that returns exactly one series, else None."""
        r = self.query(q)
        return float(r[0]["value"][1]) if len(r) == 1 else None

    def targets(self, pool=None):
        params = {"state": "active"}
        if pool:
            params["scrapePool"] = pool
        return self.get("/api/v1/targets", params)["activeTargets"]

    def target(self, instance):
        for t in self.targets():
            if t["labels"].get("instance") == instance:
                return t
        return None


_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


def parse_exposition(text):
    """Text format 0.0.4 / OpenMetrics samples -> {(name, frozenset(labels)): float},
    label values unescaped."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \S+)?$', line)
        assert m, line
        labels = {k: re.sub(r'\\[\\"n]', lambda e: _UNESCAPE[e.group(0)], v)
                  for k, v in re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"',
                                         m.group(2) or "")}
        value = {"+Inf": "inf", "-Inf": "-inf"}.get(m.group(3), m.group(3))
        out[(m.group(1), frozenset(labels.items()))] = float(value)
    return out


class TextServer:
    """A stdlib HTTP server on a free loopback port; `route(handler)` answers each GET."""

    def __init__(self, route):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def reply(handler, body, status=200, content_type="text/plain; version=0.0.4"):
    data = body.encode()
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def exporter(body_fn):
    """A /metrics exporter serving body_fn() (a str) in the text format."""
    return TextServer(lambda h: reply(h, body_fn()))


# --- 1. Debian's prometheus-node-exporter ---------------------------------------------------

class NodeExporterTest(unittest.TestCase):
    def setUp(self):
        binary = ensure_installed(self, "prometheus-node-exporter", "prometheus-node-exporter")
        self.tmp = tempfile.mkdtemp(prefix="hw-peers-node-")
        self.addr = f"127.0.0.1:{free_port()}"
        # systemd needs D-Bus; the others probe hardware and only add failing collectors.
        self.exporter = Process([binary, f"--web.listen-address={self.addr}",
                                 "--no-collector.systemd", "--no-collector.hwmon",
                                 "--no-collector.rapl", "--no-collector.nvme",
                                 "--no-collector.zfs", "--no-collector.mdadm",
                                 f"--collector.textfile.directory={self.tmp}"],
                                self.tmp, "node-exporter")
        self.addCleanup(self.exporter.stop)
        wait_for("node-exporter to listen", lambda: http_get(f"http://{self.addr}/metrics")[0] == 200)
        self.hw = Hastewatch(AUTH + f"""
scrape_configs:
  - job_name: node
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['{self.addr}']
""").start()
        self.addCleanup(self.hw.stop)
        self.api = Api(self.hw)

    def test_node_exporter_is_scraped(self):
        api = self.api
        wait_for('up{job="node"} == 1', lambda: api.value('up{job="node"}') == 1.0)
        # Counters: the 5s window below filled with scrapes (with fewer, rate() covers only
        # part of the window and under-reads).
        wait_for("5 scrapes in 5s", lambda: (api.value('count_over_time(up{job="node"}[5s])') or 0) >= 5)

        up = api.query('up{job="node"}')
        self.assertEqual(up[0]["metric"], {"__name__": "up", "job": "node", "instance": self.addr})

        # Every node_cpu_seconds_total series the exporter exposes is there, as a counter
        # that advances.
        _, body = http_get(f"http://{self.addr}/metrics")
        exposed = parse_exposition(body.decode())
        want_cpu = {labels | {("job", "node"), ("instance", self.addr), ("__name__", name)}
                    for (name, labels) in exposed if name == "node_cpu_seconds_total"}
        self.assertGreaterEqual(len(want_cpu), 8 * os.cpu_count() // 2)
        got_cpu = api.vector('node_cpu_seconds_total{job="node"}')
        self.assertEqual(set(got_cpu), want_cpu)
        self.assertTrue(all(v >= 0 for v in got_cpu.values()))
        # All modes together advance by about one CPU-second per second per CPU (idle
        # alone may not move on a busy machine). rate() divides by the range, so the range
        # is one the samples fill.
        busy = api.value('sum(rate(node_cpu_seconds_total{job="node"}[5s]))')
        self.assertIsNotNone(busy)
        cpus = len({dict(k)["cpu"] for k in got_cpu})
        self.assertGreater(busy, cpus * 0.5)
        self.assertLess(busy, cpus * 1.5)

        # Gauges: MemAvailable within 25% of what the kernel says now.
        with open("/proc/meminfo") as f:
            meminfo = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f}
        mem = api.value('node_memory_MemAvailable_bytes{job="node"}')
        self.assertIsNotNone(mem)
        self.assertAlmostEqual(mem / meminfo["MemAvailable"], 1.0, delta=0.25)
        total = api.value('node_memory_MemTotal_bytes{job="node"}')
        self.assertEqual(total, float(meminfo["MemTotal"]))

        # The synthetic series: scraped samples as many as the exporter exposes (give or
        # take the few that vary between scrapes), a short duration.
        scraped = api.value('scrape_samples_scraped{job="node"}')
        self.assertAlmostEqual(scraped, len(exposed), delta=max(20, len(exposed) * 0.1))
        self.assertLess(api.value('scrape_duration_seconds{job="node"}'), 1.0)
        # Info metrics and labels with dots and slashes survive.
        uname = api.query('node_uname_info{job="node"}')
        self.assertEqual(len(uname), 1)
        self.assertEqual(uname[0]["metric"]["sysname"], os.uname().sysname)
        self.assertEqual(uname[0]["metric"]["release"], os.uname().release)

        # /api/v1/targets (a scrape that ran into the 1 s timeout on a loaded machine is
        # not what is tested: wait for one that did not)
        targets = wait_for("a node scrape under 1 s", lambda: [
            t for t in api.targets("node") if t["health"] == "up" and t["lastScrapeDuration"] < 1.0])
        self.assertEqual(len(targets), 1)
        t = targets[0]
        self.assertEqual(t["health"], "up")
        self.assertEqual(t["lastError"], "")
        self.assertEqual(t["labels"], {"instance": self.addr, "job": "node"})
        self.assertEqual(t["scrapeUrl"], f"http://{self.addr}/metrics")
        self.assertEqual(t["scrapePool"], "node")
        self.assertEqual((t["scrapeInterval"], t["scrapeTimeout"]), ("1s", "1s"))
        self.assertLess(t["lastScrapeDuration"], 1.0)

        # /api/v1/metadata: the exporter's TYPE and HELP.
        meta = api.get("/api/v1/metadata", {"metric": "node_cpu_seconds_total"})
        self.assertEqual(meta, {"node_cpu_seconds_total": [
            {"type": "counter", "help": "Seconds the CPUs spent in each mode.", "unit": ""}]})
        meta = api.get("/api/v1/metadata", {"metric": "node_memory_MemAvailable_bytes"})
        self.assertEqual(meta["node_memory_MemAvailable_bytes"][0]["type"], "gauge")
        all_meta = api.get("/api/v1/metadata")
        self.assertIn("node_scrape_collector_success", all_meta)
        self.assertTrue(self.exporter.alive(), self.exporter.output()[-2000:])


# --- 2. a Node.js service instrumented with prom-client --------------------------------------

class PromClientTest(unittest.TestCase):
    @classmethod
    def install(cls):
        """`npm ci` from the committed lockfile into a temporary copy of the peer (the
        source tree stays clean); returns its directory, or raises SkipTest."""
        node, npm = shutil.which("node"), shutil.which("npm")
        if not node or not npm:
            raise unittest.SkipTest("node and npm are not installed (scripts/setup.sh --test "
                                    "installs Debian's nodejs and npm)")
        work = tempfile.mkdtemp(prefix="hw-peers-promclient-")
        for f in ("package.json", "package-lock.json", "server.js"):
            shutil.copy(os.path.join(PROMCLIENT_DIR, f), work)
        p = subprocess.run([npm, "ci", "--prefer-offline", "--no-audit", "--no-fund",
                            "--loglevel=error"], cwd=work, capture_output=True, text=True,
                           timeout=300)
        if p.returncode != 0:
            raise unittest.SkipTest("npm ci of tests/e2e/peers/promclient failed (is the npm "
                                    f"registry reachable?): {(p.stdout + p.stderr)[-800:]}")
        return node, work

    @classmethod
    def setUpClass(cls):
        started = time.time()
        node, cls.work = cls.install()
        cls.npm_seconds = time.time() - started
        cls.service = Process([node, "server.js", "0"], cls.work, "promclient", cwd=cls.work)
        try:
            m = wait_for("the prom-client service to listen",
                         lambda: re.search(r"listening on (\S+)", cls.service.output()))
            cls.addr = m.group(1)
            cls.hw = Hastewatch(AUTH + f"""
scrape_configs:
  - job_name: shop
    scrape_interval: 500ms
    scrape_timeout: 500ms
    static_configs:
      - targets: ['{cls.addr}']
  - job_name: shop-om
    scrape_interval: 500ms
    scrape_timeout: 500ms
    params: {{format: [openmetrics]}}
    static_configs:
      - targets: ['{cls.addr}']
""").start()
        except BaseException:
            cls.service.stop()
            raise
        cls.api = Api(cls.hw)

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()
        cls.service.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def service_samples(self, fmt=""):
        _, body = http_get(f"http://{self.addr}/metrics" + ("?format=" + fmt if fmt else ""))
        return {k: v for k, v in parse_exposition(body.decode()).items()
                if k[0].startswith("shop_")}

    def stored(self, job):
        return self.api.vector(f'{{__name__=~"shop_.*",job="{job}"}}')

    def assert_same(self, job, fmt=""):
        """Waits until hastewatch's latest shop_* samples of `job` equal the service's."""
        want = {frozenset(labels | {("__name__", name), ("job", job), ("instance", self.addr)}): v
                for (name, labels), v in self.service_samples(fmt).items()}
        self.assertGreater(len(want), 20)
        try:
            wait_for(f"{job}'s samples to match the service", lambda: self.stored(job) == want,
                     timeout=10)
        except AssertionError:
            got = self.stored(job)
            self.assertEqual({k: got.get(k) for k in want}, want)
            self.assertEqual(set(got), set(want))
            raise

    def test_1_samples_equal_the_services(self):
        api = self.api
        wait_for("both jobs up", lambda: api.vector('up{job=~"shop.*"}') and
                 set(api.vector('up{job=~"shop.*"}').values()) == {1.0} and
                 len(api.vector('up{job=~"shop.*"}')) == 2)
        self.assert_same("shop")
        self.assert_same("shop-om", "openmetrics")
        # The values themselves, as the service's code sets them (bump 1).
        self.assertEqual(api.value('shop_orders_total{job="shop",method="card",status="ok"}'), 3.0)
        self.assertEqual(api.value('shop_queue_depth{job="shop",queue="refunds"}'), -3.25)
        self.assertEqual(api.value('shop_queue_depth{job="shop",queue="email"}'), 43.5)
        # Default metrics of prom-client are there too.
        self.assertIsNotNone(api.value('nodejs_version_info{job="shop"}'))
        self.assertGreater(api.value('process_resident_memory_bytes{job="shop"}'), 1e6)

    def test_2_label_values_arrive_intact(self):
        api = self.api
        _, body = http_get(f"http://{self.addr}/expected")
        tricky = json.loads(body)["tricky"]
        self.assertIn("\n", tricky)
        for job in ("shop", "shop-om"):
            series = wait_for("the invoice series", lambda: api.get(
                "/api/v1/series", {"match[]": f'shop_orders_total{{job="{job}",method="invoice"}}'}))
            self.assertEqual(series, [{"__name__": "shop_orders_total", "instance": self.addr,
                                       "job": job, "method": "invoice", "note": tricky,
                                       "service": "shop", "status": "ok"}])
            # The escaped value also works as a matcher.
            q = 'shop_orders_total{note=%s,job="%s"}' % (json.dumps(tricky), job)
            self.assertEqual(len(api.query(q)), 1, q)
        values = api.get("/api/v1/label/note/values")
        self.assertEqual(sorted(values), sorted(["plain", tricky]))

    def test_3_histogram_buckets_and_summary(self):
        api = self.api
        _, body = http_get(f"http://{self.addr}/expected")
        buckets = json.loads(body)["buckets"]
        want_le = {repr(float(b)).removesuffix(".0") if float(b).is_integer() else str(b)
                   for b in buckets} | {"+Inf"}
        for job in ("shop", "shop-om"):
            got = wait_for("buckets", lambda: api.query(
                f'shop_request_duration_seconds_bucket{{job="{job}",method="GET"}}'))
            self.assertEqual({r["metric"]["le"] for r in got}, want_le, job)
            self.assertEqual({r["metric"]["route"] for r in got}, {"/orders"})
        # Cumulative counts over both routes: 2, 3, 5, 7, 8, 9 -> median in (0.05, 0.25].
        q = ('histogram_quantile(0.5, sum by (le) '
             '(shop_request_duration_seconds_bucket{job="shop"}))')
        self.assertAlmostEqual(api.value(q), 0.2, places=9)
        self.assertEqual(api.value('shop_request_duration_seconds_count{job="shop",method="POST"}'), 3)
        self.assertAlmostEqual(
            api.value('shop_request_duration_seconds_sum{job="shop",method="GET"}'), 4.025)
        quantiles = api.vector('shop_payload_bytes{job="shop"}')
        self.assertEqual({dict(k)["quantile"]: v for k, v in quantiles.items()},
                         {"0.5": 550.0, "0.9": 950.0, "0.99": 1000.0})
        self.assertEqual(api.value('shop_payload_bytes_count{job="shop"}'), 10)
        self.assertEqual(api.value('shop_payload_bytes_sum{job="shop"}'), 5500)

    def test_4_metadata(self):
        meta = self.api.get("/api/v1/metadata")
        for name, typ, help_text in [
                ("shop_orders_total", "counter", "Orders placed, by payment method and outcome."),
                ("shop_queue_depth", "gauge", "Jobs waiting, by queue."),
                ("shop_request_duration_seconds", "histogram", "Request latency, by route and method."),
                ("shop_payload_bytes", "summary", "Request payload size.")]:
            self.assertIn(name, meta)
            self.assertIn({"type": typ, "help": help_text, "unit": ""}, meta[name], name)

    def test_5_changed_values_arrive(self):
        api = self.api
        with urllib.request.urlopen(urllib.request.Request(
                f"http://{self.addr}/bump", method="POST"), timeout=5) as r:
            self.assertEqual(r.status, 200)
        wait_for("the bumped counter", lambda: api.value(
            'shop_orders_total{job="shop",method="card",status="ok"}') == 6.0)
        self.assert_same("shop")
        self.assert_same("shop-om", "openmetrics")
        self.assertEqual(api.value('shop_queue_depth{job="shop",queue="refunds"}'), -6.5)
        self.assertAlmostEqual(api.value('shop_orders_total{job="shop",method="invoice"}'), 0.2)
        # The counter's increase over the bump, as PromQL sees it.
        inc = api.value('max_over_time(shop_request_duration_seconds_count{job="shop",method="GET"}[1m])'
                        ' - min_over_time(shop_request_duration_seconds_count{job="shop",method="GET"}[1m])')
        self.assertEqual(inc, 6.0)


# --- 3. Debian's prometheus remote-writing to hastewatch -------------------------------------

class PrometheusRemoteWriteTest(unittest.TestCase):
    def setUp(self):
        binary = ensure_installed(self, "prometheus", "prometheus")
        self.hw = Hastewatch(AUTH).start()
        self.addCleanup(self.hw.stop)
        self.api = Api(self.hw)
        self.tmp = tempfile.mkdtemp(prefix="hw-peers-prom-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.prom_addr = f"127.0.0.1:{free_port()}"
        config = os.path.join(self.tmp, "prometheus.yml")
        with open(config, "w") as f:
            f.write(f"""
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  external_labels: {{replica: e2e}}
scrape_configs:
  - job_name: prom-self
    static_configs:
      - targets: ['{self.prom_addr}']
remote_write:
  - url: http://{self.hw.address}/api/v1/write
    authorization: {{credentials: {WRITER}}}
    queue_config: {{batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 1s}}
    metadata_config: {{send: true, send_interval: 1s}}
  - url: http://{self.hw.address}/api/v1/write
    name: no-token
    queue_config: {{batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 1s}}
""")
        self.prom = Process([binary, f"--config.file={config}",
                             f"--storage.tsdb.path={os.path.join(self.tmp, 'data')}",
                             f"--web.listen-address={self.prom_addr}", "--log.level=warn"],
                            self.tmp, "prometheus")
        self.addCleanup(self.prom.stop)
        wait_for("prometheus to be ready",
                 lambda: http_get(f"http://{self.prom_addr}/-/ready")[0] == 200, timeout=30)

    def prom_query(self, q, t):
        _, body = http_get(f"http://{self.prom_addr}/api/v1/query?" +
                           urllib.parse.urlencode({"query": q, "time": f"{t:.3f}"}))
        return {frozenset(r["metric"].items()): float(r["value"][1])
                for r in json.loads(body)["data"]["result"]}

    def test_remote_written_samples_arrive(self):
        api = self.api
        want_up = {"__name__": "up", "job": "prom-self", "instance": self.prom_addr, "replica": "e2e"}
        up = wait_for("up from prometheus", lambda: api.query('up{job="prom-self"}'), timeout=30)
        self.assertEqual(up[0]["metric"], want_up)
        self.assertEqual(up[0]["value"][1], "1")
        series = api.get("/api/v1/series", {"match[]": 'up{job="prom-self"}'})
        self.assertEqual(series, [want_up])
        # Let a few scrapes go by, then compare a moment that both have fully: every
        # series Prometheus holds for its job at that time, with the same value, plus the
        # external label.
        wait_for("5 samples of up",
                 lambda: api.value('count_over_time(up{job="prom-self"}[1m])') >= 5, timeout=30)
        t = time.time() - 2.5
        time.sleep(1.5)  # batch_send_deadline 500 ms: what was scraped before t is sent
        names = ['up', 'scrape_samples_scraped', 'prometheus_build_info',
                 'prometheus_tsdb_head_series', 'go_goroutines',
                 'prometheus_http_requests_total', 'prometheus_engine_query_duration_seconds',
                 'prometheus_tsdb_compaction_chunk_range_seconds_bucket']
        for name in names:
            # repr: NaN (an empty summary's quantiles) equals itself.
            want = {k | {("replica", "e2e")}: repr(v)
                    for k, v in self.prom_query(f'{name}{{job="prom-self"}}', t).items()}
            self.assertTrue(want, name)
            def got():
                return {k: repr(v) for k, v in api.vector(f'{name}{{job="prom-self"}}', t).items()}
            try:  # on a loaded machine the queue may lag a little more
                wait_for(name, lambda: got() == want, timeout=10)
            except AssertionError:
                self.assertEqual(got(), want, name)
        # And the whole job, by count.
        want_n = len(self.prom_query('{job="prom-self"}', t))
        got_n = wait_for("every series", lambda: len(api.vector('{job="prom-self"}', t)) == want_n
                         and want_n, timeout=10)
        self.assertGreater(got_n, 300)

        # Prometheus saw its writes succeed on the queue with the token, and refused on
        # the one without.
        def prom_value(q):
            r = self.prom_query(q, time.time())
            return sum(r.values()) if r else None
        sent = wait_for("samples sent", lambda: prom_value(
            'prometheus_remote_storage_samples_total{remote_name!="no-token"}'))
        self.assertGreater(sent, 0)
        self.assertEqual(prom_value(
            'prometheus_remote_storage_samples_failed_total{remote_name!="no-token"}'), 0)
        wait_for("the no-token queue to fail", lambda: (prom_value(
            'prometheus_remote_storage_samples_failed_total{remote_name="no-token"}') or 0) > 0)
        denied = [e for e in self.hw.logs() if e.get("message") == "http request"
                  and e.get("metadata", {}).get("path") == "/api/v1/write"
                  and e.get("metadata", {}).get("status") == 401]
        self.assertTrue(denied)
        self.assertTrue(self.prom.alive(), self.prom.output()[-2000:])


# --- 4. targets that fail ---------------------------------------------------------------------

GOOD_BODY = "# TYPE good_requests_total counter\ngood_requests_total{code=\"200\"} 7\ngood_temp 21.5\n"
GARBAGE_BODY = "# TYPE garbage_ok gauge\ngarbage_ok 1\nthis is { not a metric\n"
MANY_BODY = "".join(f"many_series{{i=\"{i}\"}} {i}\n" for i in range(10))


class FaultyTargetsTest(unittest.TestCase):
    def test_each_failure_is_reported_and_the_good_target_stays_up(self):
        stop = threading.Event()

        def slow(h):
            stop.wait(3)  # longer than scrape_timeout
            reply(h, GOOD_BODY)

        servers = {
            "good": exporter(lambda: GOOD_BODY),
            "slow": TextServer(slow),
            "garbage": exporter(lambda: GARBAGE_BODY),
            "error": TextServer(lambda h: reply(h, "overloaded\n", status=503)),
            "many": exporter(lambda: MANY_BODY),
        }
        for s in servers.values():
            self.addCleanup(s.close)
        self.addCleanup(stop.set)
        addr = {k: s.address for k, s in servers.items()}
        addr["refused"] = f"127.0.0.1:{free_port()}"  # nothing listens there
        hw = Hastewatch(AUTH + f"""
scrape_configs:
  - job_name: faulty
    scrape_interval: 1s
    scrape_timeout: 500ms
    static_configs:
      - targets: ['{addr["good"]}', '{addr["refused"]}', '{addr["slow"]}', '{addr["garbage"]}', '{addr["error"]}']
  - job_name: limited
    scrape_interval: 1s
    scrape_timeout: 500ms
    sample_limit: 5
    static_configs:
      - targets: ['{addr["many"]}', '{addr["good"]}']
""").start()
        self.addCleanup(hw.stop)
        api = Api(hw)

        def all_scraped():
            ts = api.targets()
            return len(ts) == 7 and all(t["lastScrape"] != "0001-01-01T00:00:00Z" for t in ts) and ts
        wait_for("every target scraped once", all_scraped, timeout=15)
        time.sleep(1.2)  # a second round: nothing changes

        def good_up():
            ts = {(t["scrapePool"], t["labels"]["instance"]): t for t in api.targets()}
            good = [ts[(pool, addr["good"])]["health"] for pool in ("faulty", "limited")]
            return good == ["up", "up"] and ts
        # One slow answer from the good exporter on a loaded machine is not what is tested.
        by = wait_for("the good target up in both pools", good_up, timeout=10)

        def check(pool, name, health, error_re):
            t = by[(pool, addr[name])]
            self.assertEqual(t["health"], health, (name, t))
            self.assertRegex(t["lastError"], error_re, name)
            up = api.value(f'up{{job="{pool}",instance="{addr[name]}"}}')
            self.assertEqual(up, 1.0 if health == "up" else 0.0, name)

        url = lambda name: re.escape(f'Get "http://{addr[name]}/metrics": ')  # noqa: E731
        check("faulty", "good", "up", r"^$")
        check("limited", "good", "up", r"^$")
        check("faulty", "refused", "down", "^" + url("refused") + "(?i:.*connection refused)$")
        check("faulty", "slow", "down", "^" + url("slow") + "context deadline exceeded$")
        check("faulty", "garbage", "down", r"^line 3: ")
        check("faulty", "error", "down", r"^server returned HTTP status 503 Service Unavailable$")
        check("limited", "many", "down", r"^sample limit exceeded$")

        # A failed scrape stores none of its samples; the good target's are all there.
        self.assertEqual(api.query('garbage_ok'), [])
        self.assertEqual(api.query('many_series'), [])
        self.assertEqual(len(api.query('good_requests_total')), 2)
        self.assertEqual(api.value(f'good_temp{{job="faulty",instance="{addr["good"]}"}}'), 21.5)
        # scrape_duration_seconds of the slow target is about its timeout.
        d = api.value(f'scrape_duration_seconds{{instance="{addr["slow"]}"}}')
        self.assertGreaterEqual(d, 0.45)
        self.assertLess(d, 1.0)
        # The synthetic series exist for every target, the down ones scraped 0 samples
        # (sample_limit: Prometheus reports what the body held).
        self.assertEqual(len(api.query('scrape_samples_scraped')), 7)
        self.assertEqual(api.value(f'scrape_samples_scraped{{instance="{addr["refused"]}"}}'), 0)
        # The server is healthy and serves everything else as before.
        status, _, body = hw.request("GET", "/health/ready")
        self.assertEqual(status, 200, body)
        self.assertEqual(api.value('count(up == 0)'), 5)
        self.assertEqual(api.value('count(up == 1)'), 2)


# --- 5. reload -------------------------------------------------------------------------------

class ReloadTest(unittest.TestCase):
    def config(self, targets, extra=""):
        listed = ", ".join(f"'{t}'" for t in targets)
        return AUTH + f"""
scrape_configs:
  - job_name: reload
    scrape_interval: 500ms
    scrape_timeout: 500ms
    static_configs:
      - targets: [{listed}]
{extra}"""

    def write(self, hw, text):
        tmp = hw.config + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, hw.config)

    def reload(self, hw, token=ADMIN):
        headers = {"Authorization": "Bearer " + token} if token else {}
        status, _, body = hw.request("POST", "/-/reload", headers=headers)
        return status, json.loads(body) if body else None

    def ready(self, hw):
        status, _, body = hw.request("GET", "/health/ready")
        doc = json.loads(body)
        return status, {c["name"]: c for c in doc.get("checks", [])}

    def test_reload_adds_and_removes_targets_and_survives_a_broken_config(self):
        exps = [exporter(lambda i=i: f"reload_value {i}\n") for i in range(4)]
        for e in exps:
            self.addCleanup(e.close)
        a, b, c, d = (e.address for e in exps)
        hw = Hastewatch(self.config([a, b])).start()
        self.addCleanup(hw.stop)
        api = Api(hw)

        def instances():
            return sorted(t["labels"]["instance"] for t in api.targets("reload"))

        def up_instances():
            return sorted(dict(k)["instance"] for k, v in api.vector('up{job="reload"}').items()
                          if v == 1)
        wait_for("a and b up", lambda: up_instances() == sorted([a, b]))

        # Only admins may reload.
        self.assertEqual(self.reload(hw, token=None)[0], 401)
        self.assertEqual(self.reload(hw, token=READER)[0], 403)

        # POST /-/reload: add c, remove b.
        self.write(hw, self.config([a, c]))
        status, doc = self.reload(hw)
        self.assertEqual((status, doc), (200, {"status": "success"}))
        self.assertEqual(instances(), sorted([a, c]))
        wait_for("a and c up", lambda: up_instances() == sorted([a, c]))
        # b's series get stale markers (written on a worker): an instant query no longer
        # returns them, long before the 5m lookback would end.
        wait_for("b's series stale", lambda: api.query(f'{{instance="{b}"}}') == [])
        self.assertEqual(api.value(f'reload_value{{instance="{c}"}}'), 2.0)

        # SIGHUP: add d and a second job.
        self.write(hw, self.config([a, c, d], extra=f"""
  - job_name: second
    scrape_interval: 500ms
    scrape_timeout: 500ms
    static_configs:
      - targets: ['{a}']
"""))
        hw.proc.send_signal(signal.SIGHUP)
        wait_for("d is a target", lambda: instances() == sorted([a, c, d]), timeout=10)
        wait_for("a, c and d up", lambda: up_instances() == sorted([a, c, d]))
        wait_for("job second up", lambda: api.value('up{job="second"}') == 1.0)
        good = self.config([a, c, d], extra="")
        self.write(hw, good)
        self.assertEqual(self.reload(hw)[0], 200)
        wait_for("job second gone", lambda: api.targets("second") == [])
        status, checks = self.ready(hw)
        self.assertEqual(status, 200)
        self.assertTrue(checks["config"]["healthy"], checks)

        # A broken file: the reload fails with 500, the old config keeps running.
        self.write(hw, self.config([a]) + "    scrape_timeout: [oops\n")
        status, doc = self.reload(hw)
        self.assertEqual(status, 500, doc)
        self.assertEqual(doc["status"], "error")
        self.assertEqual(doc["errorType"], "internal")
        self.assertTrue(doc["error"].startswith("failed to reload config: "), doc)
        self.assertIn(hw.config, doc["error"])
        self.assertEqual(instances(), sorted([a, c, d]))
        status, checks = self.ready(hw)
        self.assertEqual(status, 503)
        self.assertFalse(checks["config"]["healthy"], checks)
        self.assertIn(hw.config, checks["config"]["error"])
        self.assertTrue(checks["storage"]["healthy"])
        # Prometheus' own signals of a failed reload; /-/ready keeps serving traffic.
        _, _, rt = hw.get_json("/api/v1/status/runtimeinfo")
        self.assertFalse(rt["data"]["reloadConfigSuccess"], rt)
        _, _, metrics_text = hw.request("GET", "/metrics")
        self.assertIn(b"\nhastewatch_config_last_reload_successful 0\n", metrics_text)
        self.assertEqual(hw.request("GET", "/-/ready")[0], 200)
        # Scraping goes on under the old config.
        n = api.value(f'count_over_time(up{{instance="{d}"}}[1m])')
        wait_for("d scraped again", lambda: api.value(f'count_over_time(up{{instance="{d}"}}[1m])') > n,
                 timeout=10)

        # A valid file with a bad value (timeout > interval): also refused, via SIGHUP.
        self.write(hw, self.config([a]).replace("scrape_timeout: 500ms", "scrape_timeout: 5s"))
        hw.proc.send_signal(signal.SIGHUP)
        wait_for("the SIGHUP reload to fail", lambda: any(
            e.get("message", "").startswith("config reload failed") and
            "scrape timeout greater than scrape interval" in json.dumps(e)
            for e in hw.logs()), timeout=10)
        self.assertEqual(instances(), sorted([a, c, d]))
        self.assertEqual(self.ready(hw)[0], 503)

        # Fixing the file and reloading restores readiness and applies the new config.
        self.write(hw, self.config([d]))
        self.assertEqual(self.reload(hw)[0], 200)
        status, checks = self.ready(hw)
        self.assertEqual(status, 200)
        self.assertTrue(checks["config"]["healthy"], checks)
        _, _, rt = hw.get_json("/api/v1/status/runtimeinfo")
        self.assertTrue(rt["data"]["reloadConfigSuccess"], rt)
        self.assertEqual(instances(), [d])
        wait_for("only d up", lambda: up_instances() == [d])
        self.assertEqual(hw.proc.poll(), None)


if __name__ == "__main__":
    unittest.main()
