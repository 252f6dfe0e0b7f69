"""End-to-end: the foundation a user meets first (issue "Foundation").

Starts the real binary with a config that names real dependency checks (a TCP
listener and an HTTP server run by this test) and checks every endpoint, the auth
rules, the self-metrics, the structured logs, graceful shutdown and check-config.
"""
import http.server
import json
import os
import signal
import socket
import threading
import time
import unittest

from harness import Hastewatch, parse_metrics, run_cli

ADMIN = "e2e-admin-token-0123456789"
READER = "e2e-read-token-0123456789"
LOG_FIELDS = {"timestamp", "level", "service", "correlationId", "message"}
OPTIONAL_LOG_FIELDS = {"userId", "workspaceId", "metadata", "error"}


class Dependency(http.server.ThreadingHTTPServer):
    """An Elasticsearch stand-in whose answer and delay the test controls."""

    def __init__(self):
        self.status = 200
        self.delay = 0.0
        self.asked = threading.Event()  # set once a request reached the stand-in
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.asked.set()
                time.sleep(outer.delay)
                body = b'{"status":"green"}'
                self.send_response(outer.status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def config(tcp_port, http_port, environment="production"):
    return f"""
server:
  environment: {environment}
  max_request_body: 64KiB
  shutdown_grace: 10s
  auth:
    anonymous: read
    tokens:
      - {{name: ops, role: admin, token: {ADMIN}}}
      - {{name: viewer, role: read, token: {READER}}}
health:
  checks:
    - {{name: postgres, tcp: "127.0.0.1:{tcp_port}", timeout: 1s}}
    - {{name: elasticsearch, http: "http://127.0.0.1:{http_port}/_cluster/health", timeout: 5s}}
"""


class FoundationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = socket.socket()
        cls.db.bind(("127.0.0.1", 0))
        cls.db.listen(16)
        cls.search = Dependency()
        cls.hw = Hastewatch(config(cls.db.getsockname()[1], cls.search.server_address[1])).start()

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()
        cls.search.shutdown()
        cls.db.close()

    def test_live(self):
        status, _, body = self.hw.get_json("/health/live")
        self.assertEqual(status, 200)
        self.assertEqual(body, {"status": "ok"})

    def test_ready_lists_every_check(self):
        status, _, body = self.hw.get_json("/health/ready")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ready")
        names = [c["name"] for c in body["checks"]]
        self.assertEqual(names, ["storage", "config", "postgres", "elasticsearch"])
        for c in body["checks"]:
            self.assertTrue(c["healthy"], c)
            self.assertIsInstance(c["latency_ms"], (int, float))
            self.assertNotIn("error", c)

    def test_ready_is_503_when_a_dependency_fails(self):
        self.search.status = 500
        try:
            status, _, body = self.hw.get_json("/health/ready")
        finally:
            self.search.status = 200
        self.assertEqual(status, 503)
        self.assertEqual(body["status"], "not ready")
        failed = [c for c in body["checks"] if not c["healthy"]]
        self.assertEqual([c["name"] for c in failed], ["elasticsearch"])
        self.assertIn("answered 500", failed[0]["error"])

    def test_detailed_needs_a_valid_token(self):
        self.assertEqual(self.hw.request("GET", "/health/detailed")[0], 401)
        status, hdrs, _ = self.hw.request("GET", "/health/detailed",
                                          headers={"Authorization": "Bearer wrong-token"})
        self.assertEqual(status, 401)
        self.assertEqual(hdrs.get("www-authenticate"), "Bearer")
        status, _, body = self.hw.get_json("/health/detailed",
                                           headers={"Authorization": "Bearer " + READER})
        self.assertEqual(status, 200)
        self.assertGreater(body["uptime"], 0)
        self.assertGreater(body["memory"]["rss_bytes"], 1 << 20)
        self.assertIn("heap_bytes", body["memory"])
        self.assertTrue(body["storage"]["writable"])
        self.assertGreater(body["storage"]["free_bytes"], 0)
        self.assertEqual(set(body["queues"]), {"http_connections", "http_queued", "http_in_flight"})
        self.assertEqual(len(body["checks"]), 4)

    def test_errors_are_json_with_codes(self):
        cases = [
            ("GET", "/no/such/route", None, {}, 404, "not_found"),
            ("POST", "/health/live", None, {}, 405, "method_not_allowed"),
            ("POST", "/health/ready", b"x" * (65 * 1024), {}, 413, "too_large"),
        ]
        for method, path, body, headers, want_status, want_type in cases:
            status, hdrs, data = self.hw.request(method, path, body=body, headers=headers)
            self.assertEqual(status, want_status, (method, path, data))
            doc = json.loads(data)
            self.assertEqual(doc["status"], "error")
            self.assertEqual(doc["errorType"], want_type)
            self.assertTrue(doc["error"])
            self.assertEqual(hdrs["content-type"], "application/json")

    def test_malformed_http_gets_400_and_server_survives(self):
        for junk in [b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/7.0\r\n\r\n",
                     b"\x00\x01\x02\x03\r\n\r\n", b"GET /health/live HTTP/1.1\r\nNo-Colon\r\n\r\n"]:
            out = self.hw.raw(junk)
            self.assertTrue(out.startswith(b"HTTP/1.1 400"), (junk, out[:200]))
            self.assertIn(b'"errorType":"bad_data"', out)
        self.assertEqual(self.hw.request("GET", "/health/live")[0], 200)

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        out = self.hw.raw(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n" * 2 +
                          b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(out.count(b"HTTP/1.1 200 OK"), 3)

    def test_correlation_id_is_echoed(self):
        _, hdrs, _ = self.hw.request("GET", "/health/live", headers={"X-Request-Id": "req-42"})
        self.assertEqual(hdrs["x-request-id"], "req-42")
        tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        _, hdrs, _ = self.hw.request("GET", "/health/live", headers={"traceparent": tp})
        self.assertEqual(hdrs["x-request-id"], "0af7651916cd43dd8448eb211c80319c")
        _, hdrs, _ = self.hw.request("GET", "/health/live")
        self.assertRegex(hdrs["x-request-id"], r"^[0-9a-f]{32}$")

    def test_metrics_golden_signals(self):
        self.hw.request("GET", "/health/live")
        self.hw.request("GET", "/no/such/route/12345")
        status, hdrs, body = self.hw.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["content-type"].startswith("text/plain; version=0.0.4"))
        samples, types = parse_metrics(body.decode())
        self.assertEqual(types["http_request_duration_seconds"], "histogram")
        self.assertEqual(types["http_requests_total"], "counter")
        self.assertEqual(types["http_errors_total"], "counter")
        buckets = sorted({dict(labels)["le"] for (name, labels) in samples
                          if name == "http_request_duration_seconds_bucket"},
                         key=lambda v: float(v))
        self.assertEqual(buckets, ["0.01", "0.05", "0.1", "0.5", "1", "2", "5", "+Inf"])
        live = {"method": "GET", "endpoint": "/health/live", "status": "200"}
        self.assertGreaterEqual(samples[("http_requests_total", frozenset(live.items()))], 1)
        self.assertIn(("http_request_duration_seconds_count", frozenset(live.items())), samples)
        err = {"method": "GET", "endpoint": "unmatched", "error_type": "not_found"}
        self.assertGreaterEqual(samples[("http_errors_total", frozenset(err.items()))], 1)
        endpoints = {dict(l).get("endpoint") for (n, l) in samples if n == "http_requests_total"}
        self.assertNotIn("/no/such/route/12345", endpoints, "raw path used as a label")
        for name in ["process_resident_memory_bytes", "process_cpu_seconds_total",
                     "process_open_fds", "process_start_time_seconds"]:
            value = samples[(name, frozenset())]
            self.assertGreaterEqual(value, 0, name)
        self.assertGreater(samples[("process_start_time_seconds", frozenset())], time.time() - 3600)
        build = [l for (n, l) in samples if n == "hastewatch_build_info"]
        self.assertEqual(len(build), 1)
        self.assertEqual({k for k, _ in build[0]}, {"version", "revision", "compiler"})

    def test_logs_are_the_guides_log_entries(self):
        self.hw.request("GET", "/health/live", headers={"X-Request-Id": "log-check-1"})
        self.hw.request("GET", "/health/detailed", headers={"Authorization": "Bearer " + ADMIN,
                                                            "X-Request-Id": "log-check-2"})
        time.sleep(0.1)
        entries = self.hw.logs()
        self.assertTrue(entries)
        for e in entries:
            self.assertTrue(LOG_FIELDS <= set(e), e)
            self.assertTrue(set(e) <= LOG_FIELDS | OPTIONAL_LOG_FIELDS, e)
            self.assertIn(e["level"], {"ERROR", "WARN", "INFO", "DEBUG", "TRACE"})
            self.assertRegex(e["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            self.assertEqual(e["service"], "hastewatch")
        access = [e for e in entries if e["message"] == "http request"]
        one = [e for e in access if e["correlationId"] == "log-check-1"]
        self.assertEqual(len(one), 1)
        self.assertEqual(one[0]["metadata"]["endpoint"], "/health/live")
        self.assertEqual(one[0]["metadata"]["status"], 200)
        two = [e for e in access if e["correlationId"] == "log-check-2"]
        self.assertEqual(len(two), 1)
        self.assertEqual(two[0]["userId"], "ops")
        text = "\n".join(self.hw.log_lines())
        self.assertNotIn(ADMIN, text)
        self.assertNotIn(READER, text)


class OneRequestOneLogTest(unittest.TestCase):
    def test_exactly_one_access_entry_per_request(self):
        hw = Hastewatch("server: {}\n").start()
        try:
            for i in range(25):
                hw.request("GET", "/health/live" if i % 2 else "/missing")
        finally:
            self.assertEqual(hw.stop(), 0)
        access = [e for e in hw.logs() if e["message"] == "http request"]
        self.assertEqual(len(access), 25)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_finishes_in_flight_requests_then_exits_0(self):
        search = Dependency()
        search.delay = 1.5
        db = socket.socket()
        db.bind(("127.0.0.1", 0))
        db.listen(4)
        hw = Hastewatch(config(db.getsockname()[1], search.server_address[1])).start()
        result = {}

        def slow_request():
            result["resp"] = hw.request("GET", "/health/ready", timeout=20)

        t = threading.Thread(target=slow_request)
        t.start()
        # The readiness check is now waiting on the slow dependency: the request is in flight.
        self.assertTrue(search.asked.wait(20), "the readiness check never reached the dependency")
        hw.proc.send_signal(signal.SIGTERM)
        t.join(20)
        hw.proc.wait(20)
        search.shutdown()
        db.close()
        self.assertEqual(result["resp"][0], 200, result)
        self.assertEqual(hw.proc.returncode, 0)
        messages = [e["message"] for e in hw.logs()]
        self.assertIn("hastewatch stopped", messages)
        with self.assertRaises(OSError):
            socket.create_connection(tuple(hw.address.rsplit(":", 1)[0:1]) + (int(hw.address.rsplit(":", 1)[1]),), timeout=1)


class StartupTest(unittest.TestCase):
    def test_environment_sets_log_level_and_flag_overrides(self):
        hw = Hastewatch("server:\n  environment: staging\n").start()
        hw.stop()
        started = [e for e in hw.logs() if e["message"] == "hastewatch started"][0]
        self.assertEqual(started["metadata"]["logLevel"], "DEBUG")
        hw = Hastewatch("server:\n  environment: staging\n", extra_args=["--log-level", "warn"]).start()
        hw.request("GET", "/health/live")
        hw.stop()
        self.assertTrue(all(e["level"] in ("WARN", "ERROR") for e in hw.logs()), hw.logs())

    def test_second_instance_on_same_data_dir_is_refused(self):
        first = Hastewatch("server: {}\n").start()
        try:
            second = Hastewatch("server: {}\n", data_dir=first.data).start(expect_ok=False)
            second.proc.wait(10)
            self.assertEqual(second.proc.returncode, 1)
            self.assertIn("another hastewatch is using it", second.stderr())
        finally:
            first.stop()

    def test_broken_config_does_not_start(self):
        hw = Hastewatch("server:\n  listen: [oops]\n").start(expect_ok=False)
        hw.proc.wait(10)
        self.assertEqual(hw.proc.returncode, 1)
        self.assertIn("hastewatch.yml:2:11: server.listen: expected a string", hw.stderr())


class CheckConfigTest(unittest.TestCase):
    def write(self, text):
        import tempfile
        fd, path = tempfile.mkstemp(suffix=".yml")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def test_example_pack_is_valid(self):
        root = os.path.join(os.path.dirname(__file__), "../..")
        code, out, err = run_cli("check-config", os.path.join(root, "examples/hastecrm/hastewatch.yml"))
        self.assertEqual(code, 0, err)
        self.assertIn("valid", out)

    def test_broken_files_name_file_line_column_and_key(self):
        cases = [
            ("server:\n  listen: 127.0.0.1:9190\n  workers: 4\n", ":3:3: server.workers: unknown key"),
            ("server:\n  read_timeout: soon\n", ":2:17: server.read_timeout: cannot parse duration"),
            ("health:\n  checks:\n    - name: db\n      tcp: nohost\n", ":4:12: health.checks[0].tcp: \"nohost\" is not host:port"),
            ("server: {listen: [1,\n", ":2:1: invalid YAML: end of sequence flow not found"),
            ("traces: {}\n", ":1:9: traces: section not supported yet"),
            ("dashboards: {}\n", ":1:13: dashboards: expected a list"),
            ("rule_files: [1, {a: b}]\n", ":1:17: rule_files[1]:"),
            ("\t- not yaml: [\n", ":1:2: invalid YAML: illegal block entry"),
        ]
        for text, expected in cases:
            path = self.write(text)
            code, out, err = run_cli("check-config", path)
            self.assertEqual(code, 1, (text, out, err))
            self.assertIn(path + expected, err, (text, err))

    def test_missing_file(self):
        code, _, err = run_cli("check-config", "/nonexistent/hastewatch.yml")
        self.assertEqual(code, 1)
        self.assertIn("cannot read config \"/nonexistent/hastewatch.yml\"", err)


if __name__ == "__main__":
    unittest.main()
