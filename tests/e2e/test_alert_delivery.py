"""End-to-end: alerts leave hastewatch, survive restarts, and link to served runbooks.

- Delivery to a real Alertmanager (Debian's prometheus-alertmanager, started here on
  loopback with a webhook receiver pointing at a sink in this test): a firing alert
  reaches Alertmanager's API v2 and its webhook with the templated runbook link
  built from $externalURL; when the condition clears the resolved alert follows.
- Restarts: an alert pending half-way through its `for` keeps its activeAt across a
  kill -9 and fires on the original schedule; a firing alert is firing again at the
  first evaluation after a restart.
- /runbooks/<name>.md rendered, raw with ?format=md, the index, and 404s.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.request

from harness import Hastewatch, WebhookSink, free_port, parse_metrics, remote_write, wait_for

WRITER = "e2e-write-token-0123456789"
AM_BIN = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")


def config(alertmanager=None, external_url=None):
    text = f"""
rule_files: [rules/*.yml]
runbooks:
  directory: runbooks
server:
  auth:
    anonymous: read
    tokens:
      - {{name: writer, role: write, token: {WRITER}}}
"""
    if external_url:
        text += f"  external_url: {external_url}\n"
    if alertmanager:
        text += f"""
alerting:
  alert_relabel_configs:
    - {{action: labeldrop, regex: drop_me}}
  alertmanagers:
    - static_configs:
        - targets: ["{alertmanager}"]
      timeout: 2s
"""
    return text


RULES = """
groups:
  - name: delivery
    interval: 1s
    rules:
      - alert: APIDown
        expr: e2e_api_up == 0
        for: 0s
        labels: {severity: critical, action: page, drop_me: x}
        annotations:
          summary: "API {{ $labels.instance }} is down"
          runbook_url: "{{ $externalURL }}/runbooks/api-down.md"
      - alert: SlowBurn
        expr: e2e_burn > 0
        for: 15s
"""

RUNBOOK = """# API down

The hasteCRM API answers no requests.

## Check
- `up{service="api"}`

<script>alert(1)</script>
"""


def prepare(hw):
    os.makedirs(os.path.join(hw.tmp, "rules"), exist_ok=True)
    with open(os.path.join(hw.tmp, "rules", "delivery.yml"), "w") as f:
        f.write(RULES)
    os.makedirs(os.path.join(hw.tmp, "runbooks"), exist_ok=True)
    with open(os.path.join(hw.tmp, "runbooks", "api-down.md"), "w") as f:
        f.write(RUNBOOK)
    return hw


def alerts(hw):
    status, _, body = hw.get_json("/api/v1/alerts")
    assert status == 200, body
    return body["data"]["alerts"]


def write(hw, name, value, instance="api-1:3000"):
    status, _, body = remote_write(
        hw, [({"__name__": name, "service": "api", "instance": instance},
              [(int(time.time() * 1000), value)])], token=WRITER)
    assert status == 204, body


@unittest.skipUnless(AM_BIN, "prometheus-alertmanager is not installed (scripts/setup.sh --test)")
class AlertmanagerDeliveryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = WebhookSink()
        cls.am_tmp = tempfile.mkdtemp(prefix="hw-am-")
        cls.am_port = free_port()
        with open(os.path.join(cls.am_tmp, "am.yml"), "w") as f:
            f.write(f"""
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: {cls.sink.url}
        send_resolved: true
""")
        cls.am_log = open(os.path.join(cls.am_tmp, "am.log"), "wb")
        cls.am = subprocess.Popen(
            [AM_BIN, f"--config.file={cls.am_tmp}/am.yml", f"--storage.path={cls.am_tmp}/data",
             f"--web.listen-address=127.0.0.1:{cls.am_port}", "--cluster.listen-address="],
            stdout=subprocess.DEVNULL, stderr=cls.am_log)
        ready = wait_for(lambda: cls._am_ready(), timeout=20)
        assert ready, open(os.path.join(cls.am_tmp, "am.log")).read()
        cls.hw = prepare(Hastewatch(config(f"127.0.0.1:{cls.am_port}",
                                           external_url="https://monitor.example.com/hw/")))
        cls.hw.start()

    @classmethod
    def _am_ready(cls):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{cls.am_port}/-/ready", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()
        cls.am.terminate()
        cls.am.wait(10)
        cls.am_log.close()
        cls.sink.close()
        shutil.rmtree(cls.am_tmp, ignore_errors=True)

    def am_alerts(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.am_port}/api/v2/alerts", timeout=5) as r:
            return json.loads(r.read())

    def test_firing_then_resolved_through_alertmanager(self):
        status, _, body = self.hw.get_json("/api/v1/alertmanagers")
        self.assertEqual(status, 200)
        self.assertEqual(body["data"]["activeAlertmanagers"],
                         [{"url": f"http://127.0.0.1:{self.am_port}/api/v2/alerts"}])
        self.assertEqual(body["data"]["droppedAlertmanagers"], [])

        write(self.hw, "e2e_api_up", 0)
        got = wait_for(lambda: [a for a in self.am_alerts() if a["labels"]["alertname"] == "APIDown"])
        self.assertTrue(got, "APIDown never reached Alertmanager")
        a = got[0]
        self.assertEqual(a["labels"], {"alertname": "APIDown", "severity": "critical",
                                       "action": "page", "service": "api",
                                       "instance": "api-1:3000"})  # drop_me relabeled away
        self.assertEqual(a["annotations"]["runbook_url"],
                         "https://monitor.example.com/hw/runbooks/api-down.md")
        self.assertEqual(a["annotations"]["summary"], "API api-1:3000 is down")
        self.assertTrue(a["generatorURL"].startswith(
            "https://monitor.example.com/hw/graph?g0.expr=e2e_api_up+%3D%3D+0"), a["generatorURL"])
        self.assertEqual(a["status"]["state"], "active")

        firing = wait_for(lambda: [b for b in self.sink.received() if b["status"] == "firing"])
        self.assertTrue(firing, "the webhook never received the firing alert")
        self.assertEqual(firing[0]["alerts"][0]["labels"]["alertname"], "APIDown")

        write(self.hw, "e2e_api_up", 1)
        resolved = wait_for(lambda: [b for b in self.sink.received() if b["status"] == "resolved"])
        self.assertTrue(resolved, "the webhook never received the resolved alert")
        self.assertEqual(resolved[0]["alerts"][0]["labels"]["alertname"], "APIDown")

        status, _, text = self.hw.request("GET", "/metrics")
        samples, _ = parse_metrics(text.decode())
        sent = [v for (name, labels), v in samples.items()
                if name == "hastewatch_notifications_sent_total"]
        self.assertTrue(sent and sent[0] >= 2, sent)


class RestartTest(unittest.TestCase):
    def test_pending_and_firing_alerts_survive_restarts(self):
        first = prepare(Hastewatch(config()))
        first.start()
        try:
            write(first, "e2e_burn", 1)
            pending = wait_for(lambda: [a for a in alerts(first)
                                        if a["labels"]["alertname"] == "SlowBurn"])
            self.assertTrue(pending)
            self.assertEqual(pending[0]["state"], "pending")
            active_at = pending[0]["activeAt"]
            time.sleep(8)  # half of `for: 15s`: the wrong schedule would fire 15 s after the restart
        finally:
            first.stop(signal.SIGKILL)

        second = prepare(Hastewatch(config(), data_dir=first.data))
        restarted = time.time()
        second.start()
        try:
            seen = wait_for(lambda: [a for a in alerts(second)
                                     if a["labels"]["alertname"] == "SlowBurn"])
            self.assertTrue(seen)
            self.assertEqual(seen[0]["state"], "pending")
            self.assertEqual(seen[0]["activeAt"], active_at, "pending lost its active-since")
            fired = wait_for(lambda: [a for a in alerts(second)
                                      if a["state"] == "firing"], timeout=20)
            self.assertTrue(fired)
            # On the original schedule (about 7 s after the restart), not 15 s after it.
            self.assertLess(time.time() - restarted, 14.5)
            self.assertEqual(fired[0]["activeAt"], active_at)
            # The next server's groups sit on other slots (a group's slot depends on its
            # file's path): let every slot pass the firing time, so its first evaluation
            # is after activeAt + for.
            time.sleep(1.5)
        finally:
            second.stop()

        third = prepare(Hastewatch(config(), data_dir=first.data))
        third.start()
        try:
            seen = wait_for(lambda: [a for a in alerts(third)
                                     if a["labels"]["alertname"] == "SlowBurn"])
            self.assertTrue(seen)
            self.assertEqual(seen[0]["state"], "firing", "a firing alert must stay firing")
            self.assertEqual(seen[0]["activeAt"], active_at)
        finally:
            third.stop()


class RunbooksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hw = prepare(Hastewatch(config()))
        cls.hw.start()

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()

    def test_rendered_raw_index_and_not_found(self):
        status, headers, body = self.hw.request("GET", "/runbooks/api-down.md")
        self.assertEqual(status, 200)
        page = body.decode()
        self.assertIn("text/html", headers.get("content-type", ""))
        self.assertIn("<title>API down · hastewatch runbooks</title>", page)
        self.assertIn("<h1>API down</h1>", page)
        self.assertIn("<code>up{service=&quot;api&quot;}</code>", page)
        self.assertNotIn("<script>alert(1)</script>", page)  # raw HTML is not passed through

        status, headers, body = self.hw.request("GET", "/runbooks/api-down.md?format=md")
        self.assertEqual(status, 200)
        self.assertEqual(body.decode(), RUNBOOK)

        status, _, body = self.hw.request("GET", "/runbooks/")
        self.assertEqual(status, 200)
        self.assertIn('<a href="/runbooks/api-down.md">API down</a>', body.decode())

        for path in ("/runbooks/missing.md", "/runbooks/..%2Fhastewatch.yml",
                     "/runbooks/../hastewatch.yml", "/runbooks/notes.txt"):
            status, _, _ = self.hw.request("GET", path)
            self.assertEqual(status, 404, path)


if __name__ == "__main__":
    unittest.main()
