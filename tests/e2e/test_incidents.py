"""End-to-end: a paging alert opens a P1 incident that escalates until acknowledged.

hastewatch with notifications (a webhook receiver: a sink in this test) and an
`incidents` section whose P1 policy pages alice (level 1, 2 s timeout) then alice
again (level 2). A critical action=page alert posted to the API v2 opens the
incident; level 1 and, unacknowledged, level 2 pages reach the sink; after an
acknowledgement by API no further level is paged.

Pages carry signed one-click acknowledge/resolve links (incidents.token_file):
following one (GET shows a page, POST acts) acknowledges with the recipient as the
actor; a tampered or expired link gets a 403 page. `hastewatch test-escalation P1
--live` runs a drill against the server and leaves nothing open; `hastewatch incident`
lists, opens, acknowledges and resolves.
"""
import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import time
import unittest
import urllib.parse

from harness import BIN, Hastewatch, WebhookSink, free_port, parse_metrics, run_cli, wait_for

WRITER = "e2e-write-token-0123456789"
# As `openssl rand -hex 32` writes it: 64 hex digits (the server requires >= 32 bytes).
LINK_SECRET = "5f3a9c0e" * 8
ADMIN = "e2e-admin-token-0123456789"


def config(sink_url, dead_url="http://127.0.0.1:9/"):
    # `dead` is a webhook nobody listens on: P2's level 2 pages carol through it.
    return f"""
server:
  auth:
    anonymous: read
    tokens:
      - {{name: oncall-bot, role: write, token: {WRITER}}}
      - {{name: admin, role: admin, token: {ADMIN}}}
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
    - name: dead
      webhook_configs:
        - url: {dead_url}
incidents:
  token_file: links.key
  link_ttl: 1h
  severities:
    P1: {{policy: primary}}
    P2: {{policy: shaky}}
    P3: {{policy: slow}}
  users:
    - {{name: alice, receivers: [hook]}}
    - {{name: bob, receivers: [hook]}}
    - {{name: carol, receivers: [dead]}}
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
    - name: shaky
      levels:
        - {{notify: [alice], timeout: 2s}}
        - {{notify: [carol], timeout: 2s}}
        - {{notify: ["schedule:primary"]}}
    - name: slow
      levels:
        - {{notify: [alice], timeout: 1h}}
        - {{notify: [bob]}}
"""


class IncidentsTest(unittest.TestCase):
    def setUp(self):
        self.sink = WebhookSink()
        self.hw = Hastewatch(config(self.sink.url, f"http://127.0.0.1:{free_port()}/"))
        with open(os.path.join(self.hw.tmp, "links.key"), "w") as f:
            f.write(LINK_SECRET + "\n")
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

        # The route's own notification of the group carries the incident's links too.
        routed = wait_for(lambda: [b for b in self.sink.received()
                                   if b["groupKey"] == inc["group_key"]])
        self.assertTrue(routed, "the alert group was not notified")
        annotations = routed[0]["alerts"][0]["annotations"]
        self.assertEqual(annotations["summary"], "API down")
        self.assertTrue(annotations["incident_url"].endswith(f"/ui/incidents/{inc['id']}"), annotations)
        self.assertRegex(annotations["acknowledge_url"],
                         rf"/incident-link/{inc['id']}/acknowledge\?to=hook%20%28alert%20notification%29&exp=\d+&sig=[0-9a-f]{{64}}$")

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

    def test_reload_changes_who_is_on_call(self):
        """An edited rotation takes effect on POST /-/reload, without a restart; a
        rotation naming an unknown user fails the reload and changes nothing."""
        at = "/api/v1/oncall/primary?time=2024-03-05T10:00:00Z"
        self.assertEqual(self.hw.get_json(at)[2]["data"]["user"], "bob")
        with open(self.hw.config) as f:
            original = f.read()
        rotation = "users: [alice, bob]}"
        self.assertIn(rotation, original)
        auth = {"Authorization": f"Bearer {ADMIN}"}

        with open(self.hw.config, "w") as f:
            f.write(original.replace(rotation, "users: [alice, zed]}"))
        status, _, body = self.hw.request("POST", "/-/reload", headers=auth)
        self.assertEqual(status, 500, body)
        self.assertIn('unknown user \\"zed\\"', body.decode())
        self.assertEqual(self.hw.get_json(at)[2]["data"]["user"], "bob")

        with open(self.hw.config, "w") as f:
            f.write(original.replace(rotation, "users: [alice]}"))
        status, _, body = self.hw.request("POST", "/-/reload", headers=auth)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.hw.get_json(at)[2]["data"]["user"], "alice")

    def open_and_wait_for_page(self, title="Checkout failing", severity="P1"):
        inc = self.post("/api/v1/incidents", {"title": title, "severity": severity})
        pages = wait_for(lambda: [p for p in self.pages() if p["groupKey"] == f"incident/{inc['id']}"])
        self.assertTrue(pages, "level 1 was not paged")
        return inc, pages[0]

    def link_path(self, url):
        """The path and query of a link, checked to point at this server."""
        parts = urllib.parse.urlsplit(url)
        self.assertEqual(parts.netloc, self.hw.address, url)
        return parts.path + "?" + parts.query

    def test_pages_carry_signed_links_that_acknowledge_on_post(self):
        inc, page = self.open_and_wait_for_page()
        self.assertEqual(page["version"], "4")
        annotations = page["alerts"][0]["annotations"]
        for key in ("acknowledge_url", "resolve_url", "incident_url"):
            self.assertIn(key, annotations, annotations)
        self.assertTrue(annotations["incident_url"].endswith(f"/ui/incidents/{inc['id']}"))
        ack = self.link_path(annotations["acknowledge_url"])
        self.assertRegex(ack, rf"^/incident-link/{inc['id']}/acknowledge\?to=alice%20via%20hook&exp=\d+&sig=[0-9a-f]{{64}}$")

        # GET (what a mail scanner does) shows the incident and changes nothing.
        status, headers, body = self.hw.request("GET", ack)
        self.assertEqual(status, 200, body)
        self.assertIn("text/html", headers["content-type"])
        # No other site may frame the page and overlay its button (clickjacking).
        self.assertEqual(headers.get("x-frame-options"), "DENY")
        self.assertEqual(headers.get("content-security-policy"), "frame-ancestors 'none'")
        self.assertEqual(headers.get("x-content-type-options"), "nosniff")
        html = body.decode()
        self.assertIn("Checkout failing", html)
        self.assertIn(">P1<", html)
        self.assertIn(">triggered<", html)
        self.assertIn("<form method=\"post\"", html)
        self.assertEqual(self.get(inc["id"])["state"], "triggered")

        # The button's POST (no token: the signature is the authorisation) acts.
        status, _, body = self.hw.request("POST", ack)
        self.assertEqual(status, 200, body)
        self.assertIn("acknowledged", body.decode())
        after = self.get(inc["id"])
        self.assertEqual(after["state"], "acknowledged")
        change = [e for e in after["timeline"] if e["kind"] == "state_change"][-1]
        self.assertEqual(change["actor"], "alice via hook via signed link")
        self.assertEqual(change["text"], "triggered → acknowledged")

        # Used again, the link says the incident is already acknowledged.
        for method in ("GET", "POST"):
            status, _, body = self.hw.request(method, ack)
            self.assertEqual(status, 200, body)
            self.assertIn("already acknowledged", body.decode())

        # The resolve link from the same page resolves.
        status, _, body = self.hw.request("POST", self.link_path(annotations["resolve_url"]))
        self.assertEqual(status, 200, body)
        self.assertEqual(self.get(inc["id"])["state"], "resolved")

    def test_reload_rotates_the_link_secret(self):
        """A new secret in incidents.token_file (and a new link_ttl) applies on reload:
        links sent before stop working, new pages are signed with it; a secret too short
        refuses the reload and the links in force keep working."""
        old_inc, old_page = self.open_and_wait_for_page("Before rotation")
        old_ack = self.link_path(old_page["alerts"][0]["annotations"]["acknowledge_url"])
        rotated = "a1b2c3d4" * 8
        with open(os.path.join(self.hw.tmp, "links.key"), "w") as f:
            f.write(rotated + "\n")
        with open(self.hw.config) as f:
            original = f.read()
        with open(self.hw.config, "w") as f:
            f.write(original.replace("link_ttl: 1h", "link_ttl: 10m"))
        auth = {"Authorization": f"Bearer {ADMIN}"}
        status, _, body = self.hw.request("POST", "/-/reload", headers=auth)
        self.assertEqual(status, 200, body)
        self.assertTrue(any(e["message"].startswith("config reloaded: new incident link secret")
                            for e in self.hw.logs()), self.hw.log_lines())

        status, _, body = self.hw.request("POST", old_ack)
        self.assertEqual(status, 403, body)
        self.assertIn("link signature invalid", body.decode())
        self.assertEqual(self.get(old_inc["id"])["state"], "triggered")

        inc, page = self.open_and_wait_for_page("After rotation")
        ack = self.link_path(page["alerts"][0]["annotations"]["acknowledge_url"])
        exp = int(re.search(r"exp=(\d+)", ack).group(1))
        self.assertAlmostEqual(exp - time.time(), 600, delta=30)
        msg = f"{inc['id']}\nacknowledge\nalice via hook\n{exp}".encode()
        self.assertIn("sig=" + hmac.new(rotated.encode(), msg, hashlib.sha256).hexdigest(), ack)

        # A secret too short: the reload fails naming the file, the rotated key stays.
        with open(os.path.join(self.hw.tmp, "links.key"), "w") as f:
            f.write("short\n")
        status, _, body = self.hw.request("POST", "/-/reload", headers=auth)
        self.assertEqual(status, 500, body)
        self.assertIn("incidents.token_file", body.decode())
        status, _, body = self.hw.request("POST", ack)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.get(inc["id"])["state"], "acknowledged")

    def test_tampered_and_expired_links_get_403(self):
        inc, page = self.open_and_wait_for_page()
        ack = self.link_path(page["alerts"][0]["annotations"]["acknowledge_url"])
        sig = re.search(r"sig=([0-9a-f]+)", ack).group(1)
        exp = int(re.search(r"exp=(\d+)", ack).group(1))
        tampered = {
            "signature": ack.replace(sig, ("0" if sig[0] != "0" else "1") + sig[1:]),
            "action": ack.replace("/acknowledge?", "/resolve?"),
            "recipient": ack.replace("to=alice", "to=mallory"),
            "expiry": ack.replace(f"exp={exp}", f"exp={exp + 86400}"),
            "incident": ack.replace(f"/incident-link/{inc['id']}/", f"/incident-link/{inc['id'] + 1}/"),
        }
        for what, path in tampered.items():
            for method in ("GET", "POST"):
                status, headers, body = self.hw.request(method, path)
                self.assertEqual(status, 403, f"{what} {method}: {body}")
                self.assertIn("text/html", headers["content-type"])
                self.assertIn("link signature invalid", body.decode(), what)
        # Correctly signed but past its expiry (signed here with the server's secret).
        past = int(time.time()) - 60
        recipient = "alice via hook"
        msg = f"{inc['id']}\nacknowledge\n{recipient}\n{past}".encode()
        good_sig = hmac.new(LINK_SECRET.encode(), msg, hashlib.sha256).hexdigest()
        expired = (f"/incident-link/{inc['id']}/acknowledge?to=" + urllib.parse.quote(recipient) +
                   f"&exp={past}&sig={good_sig}")
        for method in ("GET", "POST"):
            status, _, body = self.hw.request(method, expired)
            self.assertEqual(status, 403, body)
            self.assertIn("link expired", body.decode())
        self.assertEqual(self.get(inc["id"])["state"], "triggered", "a bad link changed the incident")

    def test_live_test_escalation_pages_each_level_and_leaves_nothing_open(self):
        url = f"http://{self.hw.address}"
        t0 = time.time()
        code, out, err = run_cli("test-escalation", "P1", "--live", "--url", url, "--token", WRITER,
                                 timeout=60)
        elapsed = time.time() - t0
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"TEST incident #\d+ opened on .*escalation policy primary \(2 levels")
        self.assertRegex(out, r"t\+0 +level 1 paged alice via hook \(opened\)")
        self.assertRegex(out, r"t\+[2-4]s +level 2 paged alice via hook \(unacknowledged after 2s\)")
        self.assertIn("every level has been paged once", out)
        self.assertRegex(out, r"TEST incident #\d+ resolved")
        self.assertLess(elapsed, 20, out)
        print(f"\ntest-escalation --live took {elapsed:.1f} s:\n{out}")

        status, _, body = self.hw.get_json("/api/v1/incidents?open=true")
        self.assertEqual(body["data"], [], "the drill left an incident open")
        drill = self.incidents()[0]
        self.assertTrue(drill["test"])
        self.assertTrue(drill["title"].startswith("[TEST] "), drill["title"])
        self.assertEqual([p["level"] for p in drill["pages"]], [1, 2])
        pages = wait_for(lambda: len(self.pages()) >= 2 and self.pages())
        for p in pages:
            alert = p["alerts"][0]
            self.assertEqual(alert["labels"].get("test"), "true", alert)
            self.assertEqual(alert["annotations"].get("test"), "true", alert)
            self.assertIn("TEST", alert["annotations"]["summary"])
        # Drills are not in MTTA/MTTR.
        status, _, text = self.hw.request("GET", "/metrics")
        samples, _ = parse_metrics(text.decode())
        self.assertEqual(samples[("hastewatch_incidents_mttr_seconds", frozenset({("severity", "P1")}))], 0)
        self.assertEqual(samples[("hastewatch_incidents_open", frozenset({("severity", "P1")}))], 0)

    def test_live_drill_stops_on_for_or_ctrl_c_and_still_resolves(self):
        url = f"http://{self.hw.address}"
        # P3's level 1 waits an hour here: only --for or Ctrl-C can end these drills.
        code, out, err = run_cli("test-escalation", "P3", "--live", "--url", url, "--token", WRITER,
                                 "--for", "3s", timeout=30)
        self.assertEqual(code, 0, out + err)
        self.assertIn("level 1 paged", out)
        self.assertNotIn("level 2", out)
        self.assertIn("stopped: --for elapsed", out)

        proc = subprocess.Popen([BIN, "test-escalation", "P3", "--live", "--url", url, "--token", WRITER],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = proc.stdout.readline()  # the "opened" line
        self.assertIn("TEST incident", first)
        self.assertIn("level 1 paged", proc.stdout.readline())
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 0, rest + err)
        self.assertIn("stopped: interrupted", rest)
        self.assertNotIn("level 2", rest)
        self.assertRegex(rest, r"TEST incident #\d+ resolved")
        status, _, body = self.hw.get_json("/api/v1/incidents?open=true")
        self.assertEqual(body["data"], [], "a stopped drill left an incident open")

        # Without a write token the drill cannot start, and says why.
        code, out, err = run_cli("test-escalation", "P1", "--live", "--url", url, timeout=30)
        self.assertEqual(code, 1, out)
        self.assertIn("HTTP 401", err)

    def test_live_drill_prints_failed_for_a_page_that_cannot_be_delivered(self):
        """P2's level 2 pages carol through a webhook on a closed port: the drill says
        FAILED for that level (and exits 1), the other levels are not, and the
        incident's page record and timeline say so too."""
        url = f"http://{self.hw.address}"
        code, out, err = run_cli("test-escalation", "P2", "--live", "--url", url, "--token", WRITER,
                                 timeout=60)
        print(f"\ntest-escalation P2 --live:\n{out}{err}")
        self.assertEqual(code, 1, out + err)
        level1 = re.search(r"^.*level 1 paged alice via hook.*$", out, re.M)
        self.assertTrue(level1, out)
        self.assertNotIn("FAILED", level1.group(0))
        self.assertRegex(out, r"level 2 paged carol via dead \(unacknowledged after 2s\) FAILED: dead: ")
        self.assertIn("some pages FAILED", err)
        self.assertRegex(out, r"TEST incident #\d+ resolved")
        drill = self.incidents()[0]
        self.assertEqual(drill["pages"][0]["error"], "")
        self.assertTrue(drill["pages"][1]["error"].startswith("dead: "), drill["pages"][1])
        self.assertEqual([p["pending"] for p in drill["pages"]], [0] * len(drill["pages"]))
        failed = [e["text"] for e in drill["timeline"] if "failed" in e["text"]]
        self.assertTrue(failed and failed[0].startswith("page to carol via dead failed: "), failed)

    def test_live_drill_rejects_offline_only_options(self):
        url = f"http://{self.hw.address}"
        code, out, err = run_cli("test-escalation", "P1", "--live", "--url", url, "--token", WRITER,
                                 "--policy", "primary", "--at", "2024-03-05T10:00:00Z")
        self.assertEqual(code, 2, out + err)
        self.assertIn("--policy, --at cannot be used with --live", err)
        # --config is refused even when it names the default file: given is given.
        code, out, err = run_cli("test-escalation", "P1", "--live", "--url", url, "--token", WRITER,
                                 "--config", "examples/hastecrm/hastewatch.yml")
        self.assertEqual(code, 2, out + err)
        self.assertIn("--config cannot be used with --live", err)
        self.assertEqual(self.incidents(), [], "a rejected drill opened an incident")

    def test_reload_refuses_to_drop_a_schedule_an_open_incident_pages(self):
        """Renaming schedule `primary` while a P2 (whose policy's level 3 names it) is
        open fails the reload, naming the incident, policy, level and schedule; nothing
        changes. Resolved, the same rename goes through."""
        inc = self.post("/api/v1/incidents", {"title": "Checkout failing", "severity": "P2"})
        with open(self.hw.config) as f:
            original = f.read()
        renamed = original.replace("- name: primary\n      time_zone", "- name: main\n      time_zone")
        renamed = renamed.replace('"schedule:primary"', '"schedule:main"')
        self.assertNotEqual(renamed, original)
        auth = {"Authorization": f"Bearer {ADMIN}"}
        with open(self.hw.config, "w") as f:
            f.write(renamed)
        status, _, body = self.hw.request("POST", "/-/reload", headers=auth)
        self.assertEqual(status, 500, body)
        self.assertIn(f"open incident {inc['id']} (escalation policy shaky) level 3 names "
                      'schedule \\"primary\\"', body.decode())
        self.assertEqual(self.hw.get_json("/api/v1/oncall/primary")[0], 200)
        self.assertEqual(self.hw.get_json("/api/v1/oncall/main")[0], 404)
        self.post(f"/api/v1/incidents/{inc['id']}/resolve", {})
        status, _, body = self.hw.request("POST", "/-/reload", headers=auth)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.hw.get_json("/api/v1/oncall/main")[0], 200)

    def test_bad_numbers_are_400s_naming_the_parameter(self):
        inc = self.post("/api/v1/incidents", {"title": "Search stale", "severity": "P3"})
        err = self.post(f"/api/v1/incidents/{inc['id']}/action_items/99999999999", {"done": "true"},
                        expect=400)
        self.assertIn('invalid item "99999999999"', err["error"])
        status, _, body = self.hw.get_json("/api/v1/oncall?time=x")
        self.assertEqual(status, 400, body)
        self.assertIn('invalid parameter "time"', body["error"])

    def test_incident_command_lists_opens_acknowledges_and_resolves(self):
        url = f"http://{self.hw.address}"
        code, out, err = run_cli("incident", "--url", url, "--token", WRITER, "open",
                                 "Search index stale", "--severity", "P3")
        self.assertEqual(code, 0, err)
        m = re.match(r"#(\d+) P3 triggered +open", out)
        self.assertTrue(m, out)
        iid = m.group(1)
        code, out, err = run_cli("incident", "list", "--url", url)  # options after the action too
        self.assertEqual(code, 0, err)
        self.assertIn("Search index stale", out)
        code, out, err = run_cli("incident", "--url", url, "--token", WRITER, "ack", iid)
        self.assertEqual(code, 0, err)
        self.assertIn("acknowledged", out)
        code, out, err = run_cli("incident", "--url", url, "--token", WRITER, "ack", iid)
        self.assertEqual(code, 1, out)
        self.assertIn("cannot move incident", err)
        code, out, err = run_cli("incident", "--url", url, "resolve", iid)
        self.assertEqual(code, 1, out)
        self.assertIn("HTTP 401", err)
        code, out, err = run_cli("incident", "--url", url, "--token", WRITER, "resolve", iid)
        self.assertEqual(code, 0, err)
        self.assertIn("resolved", out)
        code, out, err = run_cli("incident", "--url", url, "list")
        self.assertEqual(out.strip(), "no open incidents")

    def get(self, iid):
        status, _, body = self.hw.get_json(f"/api/v1/incidents/{iid}")
        self.assertEqual(status, 200, body)
        return body["data"]


if __name__ == "__main__":
    unittest.main()
