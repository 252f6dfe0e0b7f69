"""End-to-end: SLOs and error budgets against a running server.

February 2024 is backfilled with `hastewatch import openmetrics` (samples every 5
minutes, from 2024-01-31T23:00Z to 2024-03-01T01:00Z) for the api service of the
hasteCRM pack, whose slos.yml the server loads:

  requests   100 every 5 minutes: 28,800 a day, 835,200 in the month
  errors     Feb 10: 1 every 5 minutes (288, 1% of the day)
             Feb 20: 0.2 every 5 minutes (57.6, 0.2% of the day); none otherwise
  latency    97 of every 100 requests within 200 ms, except Feb 15: 90

Hand-computed figures the report must show:

  api-availability (99.9%): bad 345.6 of 835,200, achieved 1 - 345.6/835,200 =
      99.95862%; budget 0.1% x 835,200 = 835.2 bad, used 345.6/835.2 = 41.379%;
      breaches Feb 10 (99%) and Feb 20 (99.8%); worst day Feb 10 (99%).
  api-latency (95% within 200 ms): good 28 x 27,936 + 25,920 = 808,128 events, but
      increase() over the month sees the samples after the month's first (808,128 - 97)
      and extrapolates them over the whole month at their average rate (x 8352/8351,
      the month's 5-minute steps over those sampled): 808,127.7586. (The counters with
      a constant rate, or starting at zero, come out exact.) Achieved 808,127.7586 /
      835,200 = 96.7586%; budget 41,760 slow, used 27,072.24/41,760 = 64.828%; one
      breach, the worst day Feb 15 (90%).
  the four SLOs without data: "no data".

History (GET /api/v1/slos/<service>/<name>/history), by hand from the same data:

  api-availability, month=2024-02: 29 daily points; Feb 10 at 99%, Feb 20 at 99.8%,
      every other day 100%. Budget remaining from Feb 1: 100% through Feb 9; at the
      end of Feb 10 exactly 0% (288 failed of 288,000 x 0.1% allowed); at the end of
      Feb 20 40% (345.6 of 576); at the month's end 1 - 345.6/835.2 = 58.621%.
  api-latency from Feb 14 18:00 to Feb 15 12:00 by 1d: a 6h step to midnight at 97%
      and a 12h step at 90%; by 6h over Feb 15: four steps at 90%.

Also: check-config accepts the config, /api/v1/rules holds the generated groups,
/api/v1/slos and /api/v1/slos/report answer, and a broken SLO file is rejected with
its position by check-config and at start-up.

SLO history past retention (SloHistoryTest): the same February under
storage.tsdb.retention_time 2d. At start-up the server records the days the TSDB's
first retention run could drop into state.db (here every day the TSDB holds: the
data is two years older than now minus 2d); its first maintenance run (a minute later) drops the 2h blocks
ending 2 days or more before the newest block's end (Mar 1 02:00), so Feb 1-27 leave
the TSDB and Feb 28 keeps only 02:00-24:00. The review of February still has every
day: Feb 1-28 "stored" (Feb 28's stored count has more events than the TSDB's
remains), Feb 29 "tsdb", and the hand-computed figures: api-availability exactly as above; api-latency
now the sum of its days, 28 x 27,936 + 25,920 = 808,128 good (each day's increase()
is exact, the month's single increase() is not), 96.7586...% = 808,128 / 835,200.
After a restart on the same data directory the figures are the same and the
retention note is logged again only for the four SLOs without events (the two api
SLOs have their history now).
"""
import calendar
import http.server
import json
import os
import signal
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from harness import Hastewatch, run_cli, wait_for

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACK_SLOS = os.path.join(ROOT, "examples", "hastecrm", "slos.yml")
DAY = 86400
FEB = calendar.timegm((2024, 2, 1, 0, 0, 0))
MAR = calendar.timegm((2024, 3, 1, 0, 0, 0))
STEP = 300

CONFIG = f"""
global:
  evaluation_interval: 10s
storage:
  tsdb:
    retention_time: 100y
slos: ["{PACK_SLOS}"]
"""


def day_of(t):
    """1-based February day of the 5 minutes ending at t (0 outside February)."""
    start = t - STEP
    return (start - FEB) // DAY + 1 if FEB <= start < MAR else 0


def openmetrics():
    req = err = fast = slow = 0.0
    lines = []
    t = FEB - 3600
    while t <= MAR + 3600:
        d = day_of(t)
        if t > FEB - 3600:
            req += 100
            err += {10: 1, 20: 0.2}.get(d, 0)
            good = 90 if d == 15 else 97
            fast += good
            slow += 100 - good
        svc = 'service="api"'
        lines.append(f'http_requests_total{{{svc}}} {req:g} {t}')
        lines.append(f'http_errors_total{{{svc}}} {err:.1f} {t}')
        lines.append(f'http_request_duration_seconds_bucket{{{svc},le="0.2"}} {fast:g} {t}')
        lines.append(f'http_request_duration_seconds_bucket{{{svc},le="0.5"}} {fast + slow:g} {t}')
        lines.append(f'http_request_duration_seconds_bucket{{{svc},le="+Inf"}} {req:g} {t}')
        lines.append(f'http_request_duration_seconds_count{{{svc}}} {req:g} {t}')
        t += STEP
    # The importer groups by series; order within a series is by time.
    lines.sort(key=lambda l: (l.split(" ")[0], int(l.rsplit(" ", 1)[1])))
    return "\n".join(lines) + "\n# EOF\n"


class SloTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hw = Hastewatch(CONFIG)
        om = os.path.join(cls.hw.tmp, "feb.om")
        with open(om, "w") as f:
            f.write(openmetrics())
        rc, out, err = run_cli("import", "openmetrics", om, "--data", cls.hw.data, timeout=300)
        assert rc == 0, out + err
        cls.hw.start()
        cls.url = "http://" + cls.hw.address

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()

    def get(self, path, params=None):
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        status, _, body = self.hw.get_json(url)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "success")
        return body["data"]

    def report(self, *args):
        rc, out, err = run_cli("slo", "report", "--month", "2024-02", "--url", self.url,
                               "--config", self.hw.config, *args, timeout=300)
        self.assertEqual(rc, 0, err)
        return out

    def check_figures(self, data):
        self.assertEqual(data["month"], "2024-02")
        self.assertTrue(data["complete"])
        slos = {s["slo"]: s for s in data["slos"]}
        self.assertEqual(len(slos), 6)

        a = slos["api-availability"]
        self.assertAlmostEqual(a["totalEvents"], 835200, delta=0.01)
        self.assertAlmostEqual(a["goodEvents"], 835200 - 345.6, delta=0.01)
        self.assertAlmostEqual(a["achieved"], 1 - 345.6 / 835200, places=9)
        self.assertAlmostEqual(a["budgetUsed"], 345.6 / 835.2, places=6)
        self.assertTrue(a["met"])
        self.assertFalse(a["criticalBreached"])
        self.assertEqual(a["breaches"], 2)
        self.assertEqual(a["breachDays"], ["2024-02-10", "2024-02-20"])
        self.assertEqual(a["worstDay"]["date"], "2024-02-10")
        self.assertAlmostEqual(a["worstDay"]["achieved"], 0.99, places=9)
        self.assertAlmostEqual(a["worstDay"]["totalEvents"], 28800, delta=0.01)
        self.assertEqual(len(a["days"]), 29)

        l = slos["api-latency"]
        self.assertAlmostEqual(l["totalEvents"], 835200, delta=0.01)
        good = (808128 - 97) * 8352 / 8351
        self.assertAlmostEqual(l["goodEvents"], good, delta=0.001)
        self.assertAlmostEqual(l["achieved"], good / 835200, places=9)
        self.assertAlmostEqual(l["budgetUsed"], (835200 - good) / 41760, places=6)
        self.assertEqual(l["breachDays"], ["2024-02-15"])
        self.assertAlmostEqual(l["worstDay"]["achieved"], 0.9, places=9)

        for name in ("web-page-load", "database-query-time", "job-processing-time", "email-delivery"):
            self.assertEqual(slos[name]["status"], "no data", name)
            self.assertEqual(slos[name]["totalEvents"], 0)

    def test_report_json_by_hand(self):
        self.check_figures(json.loads(self.report("--format", "json")))

    def test_report_table_and_markdown(self):
        table = self.report()
        self.assertIn("SLO compliance for 2024-02 (2024-02-01 to 2024-03-01 UTC)", table)
        row = next(l for l in table.splitlines() if "api-availability" in l).split()
        self.assertEqual(row[:6], ["api", "api-availability", "good", "events", "99.9%", "99.959%"])
        self.assertEqual(row[6:], ["41.4%", "2", "2024-02-10", "(99.000%)", "met"])
        row = next(l for l in table.splitlines() if "api-latency" in l).split()
        self.assertEqual(row[2:], ["within", "200ms", "95%", "96.759%", "64.8%", "1", "2024-02-15",
                                   "(90.000%)", "met"])
        md = self.report("--format", "markdown")
        self.assertIn("| api | api-availability | good events | 99.9% | 99.959% | 41.4% | 2 |", md)
        self.assertIn("api / api-availability: below 99.9% on 2024-02-10 2024-02-20", md)

    def test_report_api_matches(self):
        self.check_figures(self.get("/api/v1/slos/report", {"month": "2024-02"}))
        status, _, body = self.hw.get_json("/api/v1/slos/report?month=2024-13")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["errorType"], "bad_data")

    def test_status_and_generated_rules(self):
        slos = self.get("/api/v1/slos")["slos"]
        self.assertEqual([s["slo"] for s in slos],
                         ["api-availability", "api-latency", "web-page-load", "database-query-time",
                          "job-processing-time", "email-delivery"])
        a = slos[0]
        self.assertEqual(a["objective"], 0.999)
        self.assertEqual(a["criticalObjective"], 0.995)
        self.assertEqual(a["window"], "30d")
        # February is long gone: no events in the rolling window now.
        self.assertEqual(a["totalEvents"], 0)
        self.assertIsNone(a["budgetRemaining"])
        self.assertIsNone(a["exhaustionTime"])
        self.assertIsNone(a["burnRateWindow"])
        self.assertEqual(a["ruleGroup"], "slo:api:api-availability")
        self.assertEqual(a["alerts"], [])
        groups = {g["name"]: g for g in self.get("/api/v1/rules")["groups"]}
        g = groups["slo:api:api-availability"]
        self.assertEqual(g["file"], PACK_SLOS)
        names = [r["name"] for r in g["rules"]]
        for w in ("5m", "30m", "1h", "2h", "6h", "1d", "3d"):
            self.assertIn("slo:sli_error:ratio_rate" + w, names)
        for alert in ("SLOBurnRate1h", "SLOBurnRate6h", "SLOBurnRate1d", "SLOBurnRate3d",
                      "SLOCriticalObjectiveBreached"):
            self.assertIn(alert, names)
        self.assertEqual(len([n for n in groups if n.startswith("slo:")]), 6)

    def history(self, slo, **params):
        return self.get(f"/api/v1/slos/api/{slo}/history", params)

    def test_history_of_a_month_by_hand(self):
        h = self.history("api-availability", month="2024-02")
        self.assertEqual((h["start"], h["end"], h["step"]),
                         ("2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", 86400))
        points = h["points"]
        self.assertEqual(len(points), 29)
        self.assertEqual(points[9]["start"], "2024-02-10T00:00:00Z")
        slis = [p["sli"] for p in points]
        for day, sli in enumerate(slis, start=1):
            want = {10: 0.99, 20: 0.998}.get(day, 1)
            self.assertAlmostEqual(sli, want, places=9, msg=f"Feb {day}")
            self.assertAlmostEqual(points[day - 1]["totalEvents"], 28800, delta=0.01)
        remaining = [p["budgetRemaining"] for p in points]
        self.assertAlmostEqual(remaining[8], 1, places=9)
        self.assertAlmostEqual(remaining[9], 0, places=9)
        self.assertAlmostEqual(remaining[19], 0.4, places=9)
        self.assertAlmostEqual(remaining[28], 1 - 345.6 / 835.2, places=9)
        self.assertAlmostEqual(h["span"]["budgetRemaining"], 1 - 345.6 / 835.2, places=9)
        self.assertAlmostEqual(h["span"]["burnRate"], 345.6 / 835.2, places=9)
        # The current state rides along: nothing in the rolling window now.
        self.assertEqual(h["current"]["totalEvents"], 0)
        self.assertEqual(h["current"]["ruleGroup"], "slo:api:api-availability")
        self.assertEqual(h["current"]["alerts"], [])

    def test_history_partial_and_hourly_steps(self):
        h = self.history("api-latency", start="2024-02-14T18:00:00Z", end="2024-02-15T12:00:00Z")
        self.assertEqual([(p["start"][:16], p["end"][:16]) for p in h["points"]],
                         [("2024-02-14T18:00", "2024-02-15T00:00"), ("2024-02-15T00:00", "2024-02-15T12:00")])
        self.assertAlmostEqual(h["points"][0]["sli"], 0.97, places=9)
        self.assertAlmostEqual(h["points"][1]["sli"], 0.9, places=9)
        self.assertAlmostEqual(h["points"][1]["totalEvents"], 14400, delta=0.01)
        h = self.history("api-latency", start="2024-02-15T00:00:00Z", end="2024-02-16T00:00:00Z", step="6h")
        self.assertEqual(len(h["points"]), 4)
        for p in h["points"]:
            self.assertAlmostEqual(p["sli"], 0.9, places=9)
        # 10% slow where 5% is allowed: twice the budget, at every step.
        self.assertAlmostEqual(h["points"][-1]["budgetRemaining"], -1, places=9)

    def test_history_errors(self):
        for path, status, text in [
            ("/api/v1/slos/api/nope/history", 404, 'no SLO "nope" of service "api"'),
            ("/api/v1/slos/api/api-availability/history?month=2024-13", 400, 'invalid parameter "month"'),
            ("/api/v1/slos/api/api-availability/history?month=2024-02&start=0", 400, "not both"),
            ("/api/v1/slos/api/api-availability/history?step=10s", 400, "at least 1m"),
            ("/api/v1/slos/api/api-availability/history?step=1m&start=2020-01-01T00:00:00Z", 400, "widen the step"),
        ]:
            got, _, body = self.hw.get_json(path)
            self.assertEqual(got, status, body)
            self.assertIn(text, body["error"], path)

    def test_check_config_and_broken_slo_file(self):
        rc, out, err = run_cli("check-config", "--strict", self.hw.config)
        self.assertEqual(rc, 0, out + err)
        bad_dir = os.path.join(self.hw.tmp, "bad")
        os.makedirs(bad_dir, exist_ok=True)
        with open(os.path.join(bad_dir, "slos.yml"), "w") as f:
            f.write("slos:\n  - service: api\n    name: x\n    sli: {events: {good: a_total}}\n"
                    "    objective: 99.9\n")
        cfg = os.path.join(bad_dir, "hastewatch.yml")
        with open(cfg, "w") as f:
            f.write("slos: [slos.yml]\n")
        rc, out, err = run_cli("check-config", cfg)
        self.assertEqual(rc, 1)
        self.assertIn("slos.yml:4:19: slos[0].sli.events.total: required", err)
        self.assertIn("slos.yml:5:16: slos[0].objective:", err)
        hw = Hastewatch("slos: [\"" + os.path.join(bad_dir, "slos.yml") + "\"]\n")
        hw.start(expect_ok=False)
        try:
            self.assertNotEqual(hw.proc.wait(10), 0)
            self.assertIn("slos[0].sli.events.total: required", hw.stderr() + "\n".join(hw.log_lines()))
        finally:
            hw.stop()


SHORT_RETENTION = CONFIG.replace("retention_time: 100y", "retention_time: 2d")


class LoginProxy:
    """Forwards to `upstream`, but answers the SLO days endpoint with a proxy's HTML
    401 login page, as a gateway in front of the server might."""

    def __init__(self, upstream):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.split("?")[0].endswith("/days"):
                    self.answer(401, b"<html><body>Please log in</body></html>", "text/html")
                    return
                try:
                    with urllib.request.urlopen("http://" + upstream + self.path, timeout=300) as r:
                        self.answer(r.status, r.read(), r.headers.get("Content-Type", ""))
                except urllib.error.HTTPError as e:
                    self.answer(e.code, e.read(), e.headers.get("Content-Type", ""))

            def answer(self, status, body, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = "%s:%d" % self.server.server_address
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SloHistoryTest(unittest.TestCase):
    """The monthly review outlives the TSDB's retention through state.db."""

    @classmethod
    def setUpClass(cls):
        cls.hw = Hastewatch(SHORT_RETENTION)
        om = os.path.join(cls.hw.tmp, "feb.om")
        with open(om, "w") as f:
            f.write(openmetrics())
        rc, out, err = run_cli("import", "openmetrics", om, "--data", cls.hw.data, timeout=300)
        assert rc == 0, out + err

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()

    def get(self, path, params=None):
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        status, _, body = self.hw.get_json(url)
        self.assertEqual(status, 200, body)
        return body["data"]

    def notes(self):
        return [l for l in self.hw.log_lines() if "is longer than storage retention 2d" in l]

    def check_february(self):
        data = self.get("/api/v1/slos/report", {"month": "2024-02"})
        slos = {s["slo"]: s for s in data["slos"]}
        a = slos["api-availability"]
        self.assertEqual(a["storedDays"], 28)
        self.assertEqual(a["noDataDays"], [])
        self.assertEqual(len(a["days"]), 29)
        sources = [d["source"] for d in a["days"]]
        self.assertEqual(sources, ["stored"] * 28 + ["tsdb"])
        for d in a["days"]:
            self.assertAlmostEqual(d["totalEvents"], 28800, delta=0.01, msg=d["date"])
        self.assertAlmostEqual(a["totalEvents"], 835200, delta=0.01)
        self.assertAlmostEqual(a["goodEvents"], 835200 - 345.6, delta=0.01)
        self.assertAlmostEqual(a["budgetUsed"], 345.6 / 835.2, places=6)
        self.assertEqual(a["breachDays"], ["2024-02-10", "2024-02-20"])
        self.assertEqual(a["worstDay"]["date"], "2024-02-10")
        self.assertAlmostEqual(a["worstDay"]["achieved"], 0.99, places=9)
        l = slos["api-latency"]
        self.assertEqual(l["storedDays"], 28)
        self.assertAlmostEqual(l["goodEvents"], 28 * 27936 + 25920, delta=0.001)
        self.assertAlmostEqual(l["achieved"], 808128 / 835200, places=9)
        self.assertEqual(l["breachDays"], ["2024-02-15"])
        # No data anywhere stays no data, every day listed.
        self.assertEqual(slos["email-delivery"]["status"], "no data")
        self.assertEqual(len(slos["email-delivery"]["noDataDays"]), 29)
        # The history of the month says the same, point by point.
        h = self.get("/api/v1/slos/api/api-availability/history", {"month": "2024-02"})
        self.assertEqual(h["storedPoints"], 28)
        self.assertEqual(h["points"][9]["source"], "stored")
        self.assertAlmostEqual(h["points"][9]["sli"], 0.99, places=9)
        self.assertAlmostEqual(h["points"][28]["budgetRemaining"], 1 - 345.6 / 835.2, places=9)
        self.assertAlmostEqual(h["span"]["budgetRemaining"], 1 - 345.6 / 835.2, places=9)
        # The CLI's table carries the same figures.
        rc, out, err = run_cli("slo", "report", "--month", "2024-02", "--url", "http://" + self.hw.address,
                               "--config", self.hw.config, timeout=300)
        self.assertEqual(rc, 0, err)
        row = next(l for l in out.splitlines() if "api-availability" in l and "%" in l).split()
        self.assertEqual(row[4:], ["99.9%", "99.959%", "41.4%", "2", "2024-02-10", "(99.000%)", "met"])
        self.assertIn("api / api-availability: 28 days from the SLO history in state.db", out)

    def test_review_outlives_retention(self):
        rc, out, err = run_cli("check-config", "--strict", self.hw.config)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("note: slo api/api-availability: window 30d is longer than storage retention 2d: "
                      "days older than 2d come from the SLO history in state.db, recorded from now on", err)

        self.hw.start()
        self.assertEqual(len(self.notes()), 6, self.hw.log_lines())
        recorded = [l for l in self.hw.logs() if l.get("message") == "SLO history recorded"]
        self.assertTrue(recorded, self.hw.log_lines())
        # The first maintenance run (after a minute) applies the 2d retention.
        self.assertTrue(wait_for(lambda: any("block deleted by retention" in l for l in self.hw.log_lines()),
                                 timeout=150), "no block deleted by retention")
        time.sleep(0.5)
        gone = self.get("/api/v1/query", {"query": "http_requests_total", "time": str(FEB + 10 * DAY)})
        self.assertEqual(gone["result"], [], "Feb 10 should have left the TSDB")
        self.check_february()
        answer = self.get("/api/v1/slos/api/api-availability/days", {"start": str(FEB), "end": str(MAR)})
        # The TSDB's horizon: Feb 28 from 02:00 on is all it still holds.
        self.assertGreaterEqual(answer["tsdbMinTime"], FEB + 27 * DAY + 2 * 3600)
        self.assertLess(answer["tsdbMinTime"], FEB + 28 * DAY)
        days = answer["days"]
        self.assertEqual(len(days), 29)
        self.assertEqual(days[9]["date"], "2024-02-10")
        self.assertAlmostEqual(days[9]["goodEvents"], 28800 - 288, delta=0.01)

        # A proxy answering the days endpoint with an HTML login page: the CLI reports
        # from the TSDB alone, with one warning line per SLO, and does not fail.
        proxy = LoginProxy(self.hw.address)
        try:
            rc, out, err = run_cli("slo", "report", "--month", "2024-02", "--url", "http://" + proxy.address,
                                   "--config", self.hw.config, timeout=300)
        finally:
            proxy.close()
        self.assertEqual(rc, 0, err)
        warnings = [l for l in err.splitlines() if "no stored SLO history" in l]
        self.assertEqual(len(warnings), 6, err)
        self.assertIn("api/api-availability: no stored SLO history: GET http://" + proxy.address +
                      "/api/v1/slos/api/api-availability/days answered HTTP 401 without hastewatch's JSON", err)
        self.assertNotIn("days from the SLO history in state.db", out)

        # A restart on the same data directory: the history is still there.
        self.hw.stop()
        self.hw.start()
        self.check_february()
        # Noted again only for the SLOs without events (nothing to store for them).
        noted = self.notes()
        self.assertEqual(len(noted), 4, noted)
        self.assertFalse([l for l in noted if "api/api-" in l], noted)

        # An SLO added by a reload (SIGHUP) is backfilled at once, not at the next
        # 5-minute pass: what the TSDB still has of it (Feb 28 from 02:00, Feb 29, Mar 1).
        extra = os.path.join(self.hw.tmp, "extra-slos.yml")
        with open(extra, "w") as f:
            f.write("slos:\n  - service: api\n    name: added-later\n    objective: 99%\n"
                    "    sli: {events: {bad: 'http_errors_total{service=\"api\"}',"
                    " total: 'http_requests_total{service=\"api\"}'}}\n")
        with open(self.hw.config, "w") as f:
            f.write(SHORT_RETENTION.replace("slos: [", f'slos: ["{extra}", '))
        reloads = lambda: sum(1 for l in self.hw.logs() if l.get("message") == "config reloaded")
        before = reloads()
        self.hw.proc.send_signal(signal.SIGHUP)
        # SIGHUP is answered on the server's own time: until the reload lands the SLO
        # is unknown (404), so wait for the reload first.
        self.assertTrue(wait_for(lambda: reloads() > before, timeout=20), self.hw.log_lines())
        # Days are written one by one: wait for all three, not for the first.
        def added_days():
            days = self.get("/api/v1/slos/api/added-later/days")["days"]
            return days if len(days) >= 3 else None
        added = wait_for(added_days, timeout=20)
        self.assertIsNotNone(added, self.get("/api/v1/slos/api/added-later/days"))
        self.assertEqual([d["date"] for d in added], ["2024-02-28", "2024-02-29", "2024-03-01"])
        self.assertAlmostEqual(added[1]["totalEvents"], 28800, delta=0.01)


if __name__ == "__main__":
    unittest.main()
