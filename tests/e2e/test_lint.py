"""End-to-end: rule lint in `check-config`, statically and with --lint-live.

A server scrapes a tiny exporter (so /api/v1/metadata knows `queue_depth` is a gauge and
`jobs_processed` a counter) and receives a few remote-written series. A rule file then
holds one of each live problem: a selector that matches nothing, a vector match whose
sides never share labels, rate over a gauge, and a paging alert without `for`.
`check-config --lint-live URL --token T` must name each with file:line:col and the rule,
exit 1 for the gauge (an error), and leave the correct rules alone.
"""
import json
import os
import time
import unittest
import urllib.parse

from harness import Hastewatch, remote_write, run_cli
from test_scrape import Exporter

WRITER = "e2e-lint-writer-0123456789"
READER = "e2e-lint-reader-0123456789"


def server_config(address):
    return f"""
scrape_configs:
  - job_name: demo
    scrape_interval: 200ms
    scrape_timeout: 200ms
    static_configs:
      - targets: ['{address}']
server:
  auth:
    anonymous: none
    tokens:
      - {{name: writer, role: write, token: {WRITER}}}
      - {{name: reader, role: read, token: {READER}}}
"""


EXPORTER = """# TYPE queue_depth gauge
queue_depth{queue="emails"} 12
# TYPE jobs_processed counter
jobs_processed 42
"""

# Line and column numbers below are asserted; keep the layout.
RULES = """groups:
  - name: lint
    rules:
      - alert: ApiDown
        expr: up{service="api"} == 0
        for: 1m
        labels: {severity: critical}
        annotations: {runbook_url: /runbooks/api-down.md}
      - alert: ErrorsOverTarget
        expr: rate(http_errors_total[5m]) > slo_target
        for: 5m
      - record: queue:depth:rate5m
        expr: rate(queue_depth[5m])
      - alert: PageNow
        expr: http_errors_total > 100
        labels: {action: page}
        annotations: {runbook_url: /runbooks/errors.md}
      - record: jobs:rate5m
        expr: sum by (job) (rate(jobs_processed[5m]))
      - alert: ErrorsOverTargetFixed
        expr: sum by (service) (rate(http_errors_total[5m])) > on (service) slo_target
        for: 5m
"""


class LintTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.exporter = Exporter(EXPORTER)
        cls.hw = Hastewatch(server_config(cls.exporter.address)).start()
        now = int(time.time() * 1000)
        status, _, body = remote_write(cls.hw, [
            ({"__name__": "up", "service": "web", "instance": "w:1"}, [(now, 1.0)]),
            ({"__name__": "http_errors_total", "service": "api", "instance": "a:1"}, [(now, 7.0)]),
            ({"__name__": "slo_target", "service": "api"}, [(now, 0.01)]),
        ], token=WRITER)
        assert status == 204, body
        cls.url = f"http://{cls.hw.address}"
        cls.wait_for_metadata()
        cls.rules = os.path.join(cls.hw.tmp, "lint_rules.yml")
        with open(cls.rules, "w") as f:
            f.write(RULES)
        cls.config = os.path.join(cls.hw.tmp, "lint.yml")
        with open(cls.config, "w") as f:
            f.write("rule_files: [lint_rules.yml]\n")

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()
        cls.exporter.close()

    @classmethod
    def wait_for_metadata(cls):
        auth = {"Authorization": "Bearer " + READER}
        deadline = time.time() + 15
        while time.time() < deadline:
            _, _, meta = cls.hw.get_json("/api/v1/metadata", headers=auth)
            q = urllib.parse.urlencode({"match[]": "queue_depth"})
            _, _, series = cls.hw.get_json("/api/v1/series?" + q, headers=auth)
            if "queue_depth" in meta.get("data", {}) and series.get("data"):
                return
            time.sleep(0.1)
        raise AssertionError("the exporter was never scraped: " + json.dumps(meta))

    def at(self, line, col):
        return f"{self.rules}:{line}:{col}: "

    def test_live_findings_name_file_line_column_and_rule(self):
        code, out, err = run_cli("check-config", self.config, "--lint-live", self.url,
                                 "--token", READER)
        text = out + err
        self.assertEqual(code, 1, text)  # rate over a gauge is an error
        self.assertIn(self.at(5, 15) + 'warning: rule "ApiDown": no series match '
                      'up{service="api"} (up has series, but none where service="api"', text)
        self.assertIn(self.at(10, 15) + 'warning: rule "ErrorsOverTarget": '
                      "rate(http_errors_total[5m]) > slo_target: the two sides never match on "
                      "(instance, service)", text)
        self.assertIn("(suggestion: rate(http_errors_total[5m]) > on (service) slo_target)", text)
        self.assertIn(self.at(13, 15) + 'error: rule "queue:depth:rate5m": rate over queue_depth, '
                      "which the server's metadata says is a gauge", text)
        self.assertIn("(suggestion: deriv(queue_depth[5m]))", text)
        self.assertIn(self.at(14, 9) + 'warning: rule "PageNow": paging alert without "for"', text)
        # Correct rules, and a counter the metadata vouches for despite its name.
        for clean in ("jobs:rate5m", "ErrorsOverTargetFixed"):
            self.assertNotIn(f'rule "{clean}"', text)
        self.assertIn(f"{self.config}: invalid (1 lint error, 3 warnings)", text)

    def test_static_lint_warns_but_passes(self):
        code, out, err = run_cli("check-config", self.config)
        text = out + err
        self.assertEqual(code, 0, text)
        self.assertIn(self.at(13, 15) + 'warning: rule "queue:depth:rate5m": rate over queue_depth, '
                      "whose name does not look like a counter", text)
        self.assertIn(self.at(19, 29) + 'warning: rule "jobs:rate5m": rate over jobs_processed', text)
        self.assertIn(self.at(14, 9) + 'warning: rule "PageNow"', text)
        self.assertNotIn("no series match", text)
        self.assertIn(f"{self.config}: valid", out)
        code, out, err = run_cli("check-config", "--strict", self.config)
        self.assertEqual(code, 1, out + err)

    def test_live_needs_a_token_the_server_accepts(self):
        code, out, err = run_cli("check-config", self.config, "--lint-live", self.url)
        self.assertEqual(code, 1, out + err)
        self.assertIn("--lint-live: cannot GET " + self.url + "/api/v1/metadata: HTTP 401", err)


if __name__ == "__main__":
    unittest.main()
