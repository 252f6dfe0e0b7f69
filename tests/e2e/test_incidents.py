"""End-to-end: a paging alert opens a P1 incident that escalates until acknowledged.

hastewatch with notifications (a webhook receiver: a sink in this test) and an
`incidents` section whose P1 policy pages alice (level 1, 2 s timeout) then alice
again (level 2). A critical action=page alert posted to the API v2 opens the
incident; level 1 and, unacknowledged, level 2 pages reach the sink; after an
acknowledgement by API no further level is paged.
"""
import json
import time
import unittest
import urllib.parse

from harness import Hastewatch, WebhookSink, wait_for

WRITER = "e2e-write-token-0123456789"


def config(sink_url):
    return f"""
server:
  auth:
    anonymous: read
    tokens:
      - {{name: oncall-bot, role: write, token: {WRITER}}}
notifications:
  route:
    receiver: hook
    group_by: [alertname, service]
    group_wait: 1s
    group_interval: 2s
  receivers:
    - name: hook
      webhook_configs:
        - url: {sink_url}
incidents:
  severities:
    P1: {{policy: primary}}
  users:
    - {{name: alice, receivers: [hook]}}
    - {{name: bob, receivers: [hook]}}
  schedules:
    - name: primary
      time_zone: Europe/Berlin
      layers:
        - {{rotation: weekly, handoff: "Mon 09:00", start: 2024-01-01, users: [alice, bob]}}
  escalation_policies:
    - name: primary
      levels:
        - {{notify: [alice], timeout: 2s}}
        - {{notify: [alice], timeout: 1h}}
"""


class IncidentsTest(unittest.TestCase):
    def setUp(self):
        self.sink = WebhookSink()
        self.hw = Hastewatch(config(self.sink.url))
        self.hw.start()
        self.addCleanup(self.sink.close)
        self.addCleanup(self.hw.stop)

    def incidents(self):
        status, _, body = self.hw.get_json("/api/v1/incidents")
        self.assertEqual(status, 200, body)
        return body["data"]

    def pages(self):
        return [b for b in self.sink.received() if b["groupKey"].startswith("incident/")]

    def test_paging_alert_opens_an_incident_that_escalates_until_acknowledged(self):
        alert = [{"labels": {"alertname": "APIDown", "severity": "critical", "action": "page",
                             "service": "api"},
                  "annotations": {"summary": "API down"}}]
        status, _, body = self.hw.request("POST", "/api/v2/alerts", body=json.dumps(alert),
                                          headers={"Authorization": f"Bearer {WRITER}"})
        self.assertEqual(status, 200, body)

        opened = wait_for(lambda: self.incidents())
        self.assertEqual(len(opened), 1, opened)
        inc = opened[0]
        self.assertEqual(inc["severity"], 1)
        self.assertEqual(inc["state"], "triggered")
        self.assertEqual(inc["group_key"], '{}:{alertname="APIDown", service="api"}')

        first = wait_for(lambda: self.pages())
        self.assertTrue(first, "level 1 was not paged")
        self.assertIn("Escalation level 1", first[0]["alerts"][0]["annotations"]["description"])
        second = wait_for(lambda: [p for p in self.pages() if "Escalation level 2" in
                                   p["alerts"][0]["annotations"]["description"]], timeout=15)
        self.assertTrue(second, "unacknowledged, level 2 was not paged")

        status, _, body = self.hw.request("POST", f"/api/v1/incidents/{inc['id']}/acknowledge",
                                          headers={"Authorization": f"Bearer {WRITER}"})
        self.assertEqual(status, 200, body)
        acked = json.loads(body)["data"]
        self.assertEqual(acked["state"], "acknowledged")
        self.assertTrue(any(e.get("actor") == "oncall-bot" for e in acked["timeline"]), acked["timeline"])
        count = len(self.pages())
        time.sleep(4)
        self.assertEqual(len(self.pages()), count, "paged again after the acknowledgement")

        status, _, body = self.hw.request("POST", f"/api/v1/incidents/{inc['id']}/resolve",
                                          headers={"Authorization": f"Bearer {WRITER}"})
        self.assertEqual(status, 200, body)
        resolved = json.loads(body)["data"]
        self.assertEqual(resolved["state"], "resolved")
        self.assertIn("Root cause", resolved["postmortem"])

        # The post-mortem: edited, an action item added and done, then closed.
        iid = inc["id"]
        data = self.post(f"/api/v1/incidents/{iid}/postmortem",
                         {"markdown": "# APIDown\n\n## Root cause\nA bad deploy.\n"})
        self.assertIn("A bad deploy.", data["postmortem"])
        data = self.post(f"/api/v1/incidents/{iid}/action_items",
                         {"text": "alert on deploy errors", "owner": "bob"})
        self.assertEqual(len(data["action_items"]), 1, data["action_items"])
        item = data["action_items"][0]["id"]
        data = self.post(f"/api/v1/incidents/{iid}/action_items/{item}", {"done": "true"})
        self.assertTrue(data["action_items"][0]["done"])
        data = self.post(f"/api/v1/incidents/{iid}/state", {"state": "postmortem_done"})
        self.assertEqual(data["state"], "postmortem_done")

    def post(self, path, form, expect=200):
        status, _, body = self.hw.request(
            "POST", path, body=urllib.parse.urlencode(form),
            headers={"Authorization": f"Bearer {WRITER}",
                     "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, expect, body)
        return json.loads(body)["data"] if expect == 200 else json.loads(body)

    def test_by_hand_notes_severity_and_on_call(self):
        inc = self.post("/api/v1/incidents", {"title": "Email sync delayed", "severity": "P3"})
        self.assertEqual(inc["severity"], 3)
        self.assertEqual(inc["opened_by"], "oncall-bot")
        inc = self.post(f"/api/v1/incidents/{inc['id']}/notes", {"text": "IMAP provider slow"})
        self.assertTrue(any(e.get("text") == "IMAP provider slow" for e in inc["timeline"]))
        inc = self.post(f"/api/v1/incidents/{inc['id']}/severity", {"severity": "P2"})
        self.assertEqual(inc["severity"], 2)
        err = self.post(f"/api/v1/incidents/{inc['id']}/state", {"state": "postmortem_done"},
                        expect=400)
        self.assertIn("cannot move incident", err["error"])
        err = self.post("/api/v1/incidents", {"title": "x", "severity": "P9"}, expect=400)
        self.assertIn("invalid severity", err["error"])
        # Week 10 of 2024 (from Monday 4 March, 09:00 Berlin) is bob's.
        status, _, body = self.hw.get_json("/api/v1/oncall/primary?time=2024-03-05T10:00:00Z")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["data"]["user"], "bob")
        status, _, body = self.hw.get_json("/api/v1/oncall/nosuch")
        self.assertEqual(status, 404, body)


if __name__ == "__main__":
    unittest.main()
