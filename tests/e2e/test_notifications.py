"""End-to-end: hastewatch as the Alertmanager, with the real peers.

- Debian's `prometheus` sends its alerts to hastewatch's API v2 (alerting.alertmanagers
  with a bearer token); hastewatch routes them and its webhook receiver delivers
  Alertmanager's payload (version "4") to a sink in this test.
- Debian's `amtool` against hastewatch: alert add / alert query, silence add / query /
  expire, and a silenced alert shown as suppressed and not notified.
- A receiver that fails (503) then recovers, with hastewatch restarted while the
  notification is pending: delivered exactly once after recovery.
- `hastewatch test-alert critical "Test API Down Alert" --wait` reports the route, the
  receiver and the delivery.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import BIN, Hastewatch, WebhookSink, free_port, parse_metrics, wait_for

WRITER = "e2e-write-token-0123456789"
PROMETHEUS = shutil.which("prometheus")
AMTOOL = shutil.which("amtool")


RULES = """
groups:
  - name: local
    interval: 1s
    rules:
      - alert: FromRules
        expr: vector(1)
        labels: {severity: warning}
        annotations: {summary: "raised by hastewatch's own rules"}
"""


def config(sink_url):
    return f"""
rule_files: [rules.yml]
server:
  auth:
    anonymous: read
    tokens:
      - {{name: writer, role: write, token: {WRITER}}}
notifications:
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 1s
    group_interval: 2s
    repeat_interval: 1h
  receivers:
    - name: hook
      webhook_configs:
        - url: {sink_url}
          send_resolved: true
"""


def post_alerts(hw, alerts):
    status, _, body = hw.request("POST", "/api/v2/alerts", body=json.dumps(alerts),
                                 headers={"Authorization": f"Bearer {WRITER}",
                                          "Content-Type": "application/json"})
    assert status == 200, body
    return body


def bodies_for(sink, alertname):
    return [b for b in sink.received() if b["groupLabels"].get("alertname") == alertname]


class NotificationsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = WebhookSink()
        cls.hw = Hastewatch(config(cls.sink.url))
        with open(os.path.join(cls.hw.tmp, "rules.yml"), "w") as f:
            f.write(RULES)
        cls.hw.start()
        cls.url = f"http://{cls.hw.address}"

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()
        cls.sink.close()

    def amtool(self, *args):
        http_cfg = os.path.join(self.hw.tmp, "amtool-http.yml")
        with open(http_cfg, "w") as f:
            f.write(f"authorization:\n  credentials: {WRITER}\n")
        p = subprocess.run([AMTOOL, f"--alertmanager.url={self.url}",
                            f"--http.config.file={http_cfg}", *args],
                           capture_output=True, text=True, timeout=30)
        return p.returncode, p.stdout, p.stderr

    @unittest.skipUnless(PROMETHEUS, "prometheus is not installed (scripts/setup.sh --test)")
    def test_prometheus_sends_its_alerts_here(self):
        tmp = tempfile.mkdtemp(prefix="hw-prom-")
        try:
            with open(os.path.join(tmp, "rules.yml"), "w") as f:
                f.write("""groups:
  - name: e2e
    interval: 1s
    rules:
      - alert: FromPrometheus
        expr: vector(1)
        labels: {severity: critical, service: api}
        annotations: {summary: "sent by Prometheus", runbook_url: "/runbooks/api-down.md"}
""")
            with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
                f.write(f"""global:
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{{targets: ["{self.hw.address}"]}}]
      authorization: {{credentials: {WRITER}}}
""")
            prom = subprocess.Popen(
                [PROMETHEUS, f"--config.file={tmp}/prometheus.yml", f"--storage.tsdb.path={tmp}/data",
                 f"--web.listen-address=127.0.0.1:{free_port()}",
                 # Its first send can precede Alertmanager discovery; re-send soon.
                 "--rules.alert.resend-delay=1s"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                got = wait_for(lambda: bodies_for(self.sink, "FromPrometheus"), timeout=60)
            finally:
                prom.terminate()
                prom.wait(20)
            self.assertTrue(got, "no notification for Prometheus' alert")
            b = got[0]
            self.assertEqual(b["version"], "4")
            self.assertEqual(b["receiver"], "hook")
            self.assertEqual(b["status"], "firing")
            self.assertEqual(b["groupKey"], '{}:{alertname="FromPrometheus"}')
            self.assertEqual(b["groupLabels"], {"alertname": "FromPrometheus"})
            self.assertEqual(b["externalURL"], self.url)
            a = b["alerts"][0]
            self.assertEqual(a["labels"], {"alertname": "FromPrometheus", "severity": "critical",
                                           "service": "api"})
            self.assertEqual(a["annotations"]["summary"], "sent by Prometheus")
            self.assertRegex(a["fingerprint"], "^[0-9a-f]{16}$")
            self.assertEqual(a["endsAt"], "0001-01-01T00:00:00Z")
            self.assertIn("/graph?g0.expr=vector%281%29", a["generatorURL"])
            self.assertEqual(list(b.keys()), ["receiver", "status", "alerts", "groupLabels",
                                              "commonLabels", "commonAnnotations", "externalURL",
                                              "version", "groupKey", "truncatedAlerts"])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @unittest.skipUnless(AMTOOL, "amtool is not installed (scripts/setup.sh --test)")
    def test_amtool_alerts_and_silences(self):
        code, out, err = self.amtool("alert", "add", "alertname=FromAmtool", "service=web",
                                     "--annotation=summary=added by amtool")
        self.assertEqual(code, 0, err)
        code, out, err = self.amtool("alert", "query", "alertname=FromAmtool")
        self.assertEqual(code, 0, err)
        self.assertIn("FromAmtool", out)
        self.assertIn("added by amtool", out)
        got = wait_for(lambda: bodies_for(self.sink, "FromAmtool"))
        self.assertTrue(got)

        code, out, err = self.amtool("silence", "add", "alertname=Silenced", "--comment=maintenance",
                                     "--author=e2e", "--duration=1h")
        self.assertEqual(code, 0, err)
        silence_id = out.strip()
        self.assertRegex(silence_id, "^[0-9a-f-]{36}$")
        code, out, err = self.amtool("silence", "query", "-o", "json")
        self.assertEqual(code, 0, err)
        silences = json.loads(out)
        mine = [s for s in silences if s["id"] == silence_id]
        self.assertEqual(len(mine), 1, silences)
        self.assertEqual(mine[0]["status"]["state"], "active")
        self.assertEqual(mine[0]["createdBy"], "e2e")
        self.assertEqual(mine[0]["matchers"], [{"name": "alertname", "value": "Silenced",
                                                "isRegex": False, "isEqual": True}])

        code, _, err = self.amtool("alert", "add", "alertname=Silenced", "service=web")
        self.assertEqual(code, 0, err)
        status, _, alerts = self.hw.get_json("/api/v2/alerts?" + urllib.parse.urlencode(
            {"filter": 'alertname="Silenced"'}))
        self.assertEqual(status, 200)
        self.assertEqual(alerts[0]["status"]["state"], "suppressed")
        self.assertEqual(alerts[0]["status"]["silencedBy"], [silence_id])
        time.sleep(4)  # two group intervals
        self.assertEqual(bodies_for(self.sink, "Silenced"), [])

        code, _, err = self.amtool("silence", "expire", silence_id)
        self.assertEqual(code, 0, err)
        code, out, err = self.amtool("silence", "query", "-o", "json", "--expired")
        self.assertEqual(code, 0, err)
        self.assertIn(silence_id, out)
        # Unsilenced: the alert is notified now.
        self.assertTrue(wait_for(lambda: bodies_for(self.sink, "Silenced")))

        status, _, receivers = self.hw.get_json("/api/v2/receivers")
        self.assertEqual(receivers, [{"name": "hook"}])
        status, _, st = self.hw.get_json("/api/v2/status")
        self.assertIn("receivers:", st["config"]["original"])
        status, _, groups = self.hw.get_json("/api/v2/alerts/groups")
        self.assertTrue(any(g["labels"] == {"alertname": "FromAmtool"} and
                            g["receiver"] == {"name": "hook"} for g in groups), groups)

    def test_own_rules_alerts_are_notified(self):
        got = wait_for(lambda: bodies_for(self.sink, "FromRules"))
        self.assertTrue(got, "the rules' alert never reached the receiver")
        a = got[0]["alerts"][0]
        self.assertEqual(a["annotations"]["summary"], "raised by hastewatch's own rules")
        self.assertTrue(a["generatorURL"].startswith(self.url + "/graph?g0.expr="), a["generatorURL"])
        status, _, alerts = self.hw.get_json("/api/v2/alerts?filter=alertname%3DFromRules")
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts[0]["receivers"], [{"name": "hook"}])

    def test_api_v2_rejects_bad_alerts_with_the_reason(self):
        status, _, body = self.hw.request("POST", "/api/v2/alerts", body=b'[{"labels":{}}]',
                                          headers={"Authorization": f"Bearer {WRITER}"})
        self.assertEqual(status, 400)
        self.assertIn("at least one label pair required", json.loads(body))
        status, _, _ = self.hw.request("POST", "/api/v2/alerts", body=b'[{"labels":{"a":"b"}}]')
        self.assertEqual(status, 401)  # writes need a token
        status, _, body = self.hw.request("GET", "/api/v2/silence/nope")
        self.assertEqual(status, 404)

    def test_test_alert_command(self):
        p = subprocess.run([BIN, "test-alert", "critical", "Test API Down Alert", "--url", self.url,
                            "--token", WRITER, "--wait", "20s"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('Sent {action="page", alertname="TestAlert", severity="critical", test="true"}',
                      p.stdout)
        self.assertIn("Route {} -> receiver hook", p.stdout)
        self.assertIn('group {}:{alertname="TestAlert"}', p.stdout)
        self.assertIn("Silenced by: none", p.stdout)
        self.assertIn("hook webhook[0]: delivered at", p.stdout)
        got = bodies_for(self.sink, "TestAlert")
        self.assertEqual(got[0]["alerts"][0]["annotations"]["summary"], "Test API Down Alert")


class DeliveryAcrossRestartTest(unittest.TestCase):
    def test_failing_receiver_restart_then_recovery_delivers_once(self):
        sink = WebhookSink()
        sink.status = 503
        first = Hastewatch(config(sink.url))
        first.start()
        try:
            post_alerts(first, [{"labels": {"alertname": "Pending", "service": "api"},
                                 "annotations": {"summary": "must not be lost"}}])
            pending = wait_for(lambda: sink.requests >= 2, timeout=20)  # failed and retried
            self.assertTrue(pending)
            _, _, text = first.request("GET", "/metrics")
            samples, _ = parse_metrics(text.decode())
            self.assertEqual(samples[("hastewatch_notification_queue_length", frozenset())], 1)
        finally:
            first.stop()
        sink.status = 200
        second = Hastewatch(config(sink.url), data_dir=first.data)
        second.start()
        try:
            self.assertTrue(wait_for(lambda: bodies_for(sink, "Pending"), timeout=90))
            time.sleep(5)  # retries and group intervals pass: nothing more
            got = bodies_for(sink, "Pending")
            self.assertEqual(len(got), 1, got)
            self.assertEqual(got[0]["alerts"][0]["annotations"]["summary"], "must not be lost")
        finally:
            second.stop()
            sink.close()


if __name__ == "__main__":
    unittest.main()
