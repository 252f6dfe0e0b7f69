"""End-to-end: rule files loaded from the config and evaluated by the running server.

A rule group with a 1s interval holds a recording rule and two alerts (`for: 0s` and
`for: 2s`) on a remote-written series. Checks /api/v1/rules (shape and `type`
filter), that the recorded series is queryable, that the alerts go pending then
firing in /api/v1/alerts, ALERTS{alertstate="firing"}, the self-metrics, and that
check-config and start-up reject a broken rule file with its position.
"""
import json
import os
import time
import unittest
import urllib.parse

from harness import Hastewatch, parse_metrics, remote_write, run_cli

WRITER = "e2e-write-token-0123456789"
CONFIG = f"""
global:
  evaluation_interval: 1m
rule_files:
  - rules/*.yml
server:
  auth:
    anonymous: read
    tokens:
      - {{name: writer, role: write, token: {WRITER}}}
"""
RULES = """
groups:
  - name: e2e
    interval: 1s
    rules:
      - record: job:e2e_load:sum
        expr: sum by (job) (e2e_load)
      - alert: LoadHighNow
        expr: e2e_load > 5
        for: 0s
        labels: {severity: page}
        annotations: {summary: "load is {{ $value }}"}
      - alert: LoadHighSlow
        expr: e2e_load > 5
        for: 2s
"""
BAD_RULES = """groups:
  - name: broken
    rules:
      - record: x
        expr: sum(
"""


def write_rules(hw, name, text):
    os.makedirs(os.path.join(hw.tmp, "rules"), exist_ok=True)
    with open(os.path.join(hw.tmp, "rules", name), "w") as f:
        f.write(text)


class RulesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hw = Hastewatch(CONFIG)
        write_rules(cls.hw, "e2e.yml", RULES)
        cls.hw.start()

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()

    def get(self, path, params=None):
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        status, _, body = self.hw.get_json(url)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "success")
        return body["data"]

    def query(self, expr):
        return self.get("/api/v1/query", {"query": expr})["result"]

    def test_rules_alerts_and_records(self):
        data = self.get("/api/v1/rules")
        self.assertEqual(len(data["groups"]), 1)
        g = data["groups"][0]
        self.assertEqual(g["name"], "e2e")
        self.assertTrue(g["file"].endswith("rules/e2e.yml"), g["file"])
        self.assertEqual(g["interval"], 1)
        self.assertEqual(g["limit"], 0)
        for key in ("evaluationTime", "lastEvaluation"):
            self.assertIn(key, g)
        self.assertEqual([r["type"] for r in g["rules"]], ["recording", "alerting", "alerting"])
        rec, now_rule, slow = g["rules"]
        self.assertEqual(rec["name"], "job:e2e_load:sum")
        self.assertEqual(rec["query"], "sum by (job) (e2e_load)")
        self.assertEqual(now_rule["duration"], 0)
        self.assertEqual(slow["duration"], 2)
        self.assertEqual(now_rule["labels"], {"severity": "page"})
        self.assertEqual(now_rule["annotations"], {"summary": "load is {{ $value }}"})
        for key in ("keepFiringFor", "alerts", "state", "health", "lastError",
                    "evaluationTime", "lastEvaluation"):
            self.assertIn(key, now_rule)
        only = self.get("/api/v1/rules", {"type": "record"})["groups"][0]["rules"]
        self.assertEqual([r["name"] for r in only], ["job:e2e_load:sum"])
        only = self.get("/api/v1/rules", {"type": "alert"})["groups"][0]["rules"]
        self.assertEqual([r["name"] for r in only], ["LoadHighNow", "LoadHighSlow"])

        now_ms = int(time.time() * 1000)
        status, _, body = remote_write(
            self.hw, [({"__name__": "e2e_load", "job": "api", "instance": "a:1"},
                       [(now_ms, 7.0)])], token=WRITER)
        self.assertEqual(status, 204, body)

        seen = {}  # alertname -> states in the order first seen
        deadline = time.time() + 20
        while time.time() < deadline:
            for a in self.get("/api/v1/alerts")["alerts"]:
                states = seen.setdefault(a["labels"]["alertname"], [])
                if a["state"] not in states:
                    states.append(a["state"])
                if a["labels"]["alertname"] == "LoadHighNow":
                    self.assertEqual(a["annotations"], {"summary": "load is 7"})
                    self.assertEqual(a["labels"]["severity"], "page")
                    self.assertEqual(a["value"], "7")
            if "firing" in seen.get("LoadHighSlow", []) and "firing" in seen.get("LoadHighNow", []):
                break
            time.sleep(0.1)
        self.assertEqual(seen.get("LoadHighSlow"), ["pending", "firing"], seen)
        self.assertEqual(seen.get("LoadHighNow"), ["firing"], seen)

        result = self.query("job:e2e_load:sum")
        self.assertEqual(len(result), 1, result)
        self.assertEqual(result[0]["metric"], {"__name__": "job:e2e_load:sum", "job": "api"})
        self.assertEqual(result[0]["value"][1], "7")
        firing = self.query('ALERTS{alertstate="firing"}')
        self.assertEqual(sorted(r["metric"]["alertname"] for r in firing),
                         ["LoadHighNow", "LoadHighSlow"])

        rules = self.get("/api/v1/rules", {"type": "alert"})["groups"][0]["rules"]
        self.assertEqual([r["state"] for r in rules], ["firing", "firing"])
        self.assertEqual(rules[0]["health"], "ok")
        self.assertEqual(len(rules[0]["alerts"]), 1)

        status, _, text = self.hw.request("GET", "/metrics")
        names = text.decode()
        for m in ("hastewatch_rule_group_last_duration_seconds",
                  "hastewatch_rule_evaluation_failures_total",
                  "hastewatch_rule_group_iterations_missed_total"):
            self.assertIn(m + "{rule_group=", names)

    def test_lint_findings_are_logged_at_load(self):
        # LoadHighNow pages (severity: page) without `for` and without a runbook.
        lint = [e for e in self.hw.logs() if e.get("message") == "rule lint"]
        findings = [e["metadata"]["finding"] for e in lint
                    if e.get("metadata", {}).get("rule") == "LoadHighNow"]
        self.assertTrue(any('paging alert without "for"' in f for f in findings), lint)
        self.assertTrue(all(e["level"] == "WARN" for e in lint), lint)

    def test_broken_rule_file_is_rejected(self):
        hw = Hastewatch(CONFIG)
        write_rules(hw, "bad.yml", BAD_RULES)
        code, out, err = run_cli("check-config", hw.config)
        self.assertEqual(code, 1, out + err)
        self.assertIn(os.path.join(hw.tmp, "rules", "bad.yml") + ":5:", err)
        self.assertIn("invalid", err)
        hw.start(expect_ok=False)
        self.assertNotEqual(hw.proc.wait(10), 0)


if __name__ == "__main__":
    unittest.main()
