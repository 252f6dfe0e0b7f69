"""End-to-end: metric ingestion by scraping (issue "Metric ingestion").

A stdlib HTTP exporter serves /metrics; hastewatch scrapes it on a short interval;
after a clean stop `hastewatch tsdb dump` must show the exporter's series with the
target labels, the synthetic `up` and `scrape_*` series, and a stale marker for the
series the exporter stopped exposing. check-config accepts a Prometheus-style scrape
config and names the position of a bad one.
"""
import math
import os
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import Hastewatch, dump, run_cli


class Exporter:
    """Serves `body` at /metrics on a free loopback port."""

    def __init__(self, body):
        self.body = body
        self.hits = 0
        exporter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                exporter.hits += 1
                data = exporter.body.encode()
                self.send_response(200 if self.path.startswith("/metrics") else 404)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def scrape_config(address, interval="200ms"):
    return f"""
global:
  scrape_interval: 15s
  external_labels: {{cluster: e2e}}
scrape_configs:
  - job_name: demo
    scrape_interval: {interval}
    scrape_timeout: {interval}
    static_configs:
      - targets: ['{address}']
        labels: {{env: test}}
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: drop_me
        action: drop
"""


class ScrapeTest(unittest.TestCase):
    def test_check_config_accepts_scrape_configs(self):
        hw = Hastewatch(scrape_config("127.0.0.1:9"))
        code, out, err = run_cli("check-config", hw.config)
        self.assertEqual(code, 0, out + err)

    def test_check_config_names_the_bad_key(self):
        hw = Hastewatch("scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n"
                        "    scrape_timeout: 10s\n    relabel_configs:\n      - action: explode\n")
        code, out, err = run_cli("check-config", hw.config)
        self.assertEqual(code, 1)
        text = out + err
        self.assertIn(f"{hw.config}:4:21: scrape_configs[0].scrape_timeout: scrape timeout greater "
                      "than scrape interval", text)
        self.assertIn(f"{hw.config}:6:17: scrape_configs[0].relabel_configs[0].action: unknown "
                      "relabel action \"explode\"", text)

    def test_scrapes_target_and_marks_vanished_series_stale(self):
        exporter = Exporter("# TYPE demo_requests_total counter\n"
                            "demo_requests_total{method=\"get\"} 42\n"
                            "demo_temp 21.5\nvanishing 1\ndrop_me 3\n")
        try:
            hw = Hastewatch(scrape_config(exporter.address)).start()
            try:
                deadline = time.time() + 10
                while exporter.hits < 3 and time.time() < deadline:
                    time.sleep(0.05)
                self.assertGreaterEqual(exporter.hits, 3, "the target was never scraped (is scrape::Manager wired into src/server/app.cc?)")
                exporter.body = "# TYPE demo_requests_total counter\n" \
                                "demo_requests_total{method=\"get\"} 43\ndemo_temp 21.5\n"
                seen = exporter.hits
                while exporter.hits < seen + 3 and time.time() < deadline + 5:
                    time.sleep(0.05)
            finally:
                self.assertEqual(hw.stop(), 0, hw.stderr())
        finally:
            exporter.close()

        target = f'instance="{exporter.address}", job="demo"'
        up = dump(hw.data, match='up{job="demo"}')
        key = f'{{__name__="up", env="test", {target}}}'
        self.assertIn(key, up, up.keys())
        self.assertEqual(up[key][-1][1], 1.0)
        got = dump(hw.data, match='{job="demo"}')
        counter = f'{{__name__="demo_requests_total", env="test", {target}, method="get"}}'
        self.assertIn(counter, got, got.keys())
        self.assertEqual(got[counter][-1][1], 43.0)
        self.assertNotIn(f'{{__name__="drop_me", env="test", {target}}}', got)
        for name in ("scrape_duration_seconds", "scrape_samples_scraped",
                     "scrape_samples_post_metric_relabeling", "scrape_series_added"):
            self.assertIn(f'{{__name__="{name}", env="test", {target}}}', got)
        scraped = got[f'{{__name__="scrape_samples_scraped", env="test", {target}}}']
        self.assertEqual(scraped[0][1], 4.0)
        vanishing = got[f'{{__name__="vanishing", env="test", {target}}}']
        self.assertTrue(math.isnan(vanishing[-1][1]), "no stale marker: %r" % vanishing[-3:])


if __name__ == "__main__":
    unittest.main()
