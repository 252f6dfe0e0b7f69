"""End-to-end: dashboards from files against a running server.

Without `dashboards:` the server offers the pack's two dashboards, compiled in. With
it, GET /api/v1/dashboards lists the files' dashboards; a file edited into an invalid
dashboard fails the reload (the previous ones stay served) and check-config, naming
the file and the JSON path; a query that does not parse is reported with its panel
(a lint error for check-config, a warning for the server, which still serves it).
"""
import json
import os
import unittest

from harness import Hastewatch, run_cli

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACK = os.path.join(ROOT, "examples", "hastecrm", "dashboards")
ADMIN = "e2e-dashboards-admin-token"
AUTH = {"Authorization": "Bearer " + ADMIN}

CONFIG = f"""
server:
  auth:
    tokens:
      - {{name: admin, role: admin, token: {ADMIN}}}
"""


class BuiltIn(unittest.TestCase):
    def test_without_the_section_the_packs_dashboards_are_served(self):
        hw = Hastewatch(CONFIG).start()
        self.addCleanup(hw.stop)
        status, _, body = hw.get_json("/api/v1/dashboards")
        self.assertEqual(status, 200)
        listed = [(d["id"], d["title"], d["panels"]) for d in body["data"]["dashboards"]]
        with open(os.path.join(PACK, "system-overview.json")) as f:
            overview = json.load(f)
        with open(os.path.join(PACK, "api-performance.json")) as f:
            api = json.load(f)
        self.assertEqual(listed, [("system-overview", overview["title"], len(overview["panels"])),
                                  ("api-performance", api["title"], len(api["panels"]))])
        self.assertNotIn("warnings", body)
        # The served JSON is the pack's file (embedded at build time, not a copy by hand).
        status, _, body = hw.get_json("/api/v1/dashboards/api-performance")
        self.assertEqual(body["data"], api)
        status, _, body = hw.get_json("/api/v1/dashboards/nope")
        self.assertEqual((status, body["errorType"]), (404, "not_found"))


class FromFiles(unittest.TestCase):
    def setUp(self):
        self.hw = Hastewatch(CONFIG + "dashboards: [boards/*.json]\n")
        os.mkdir(os.path.join(self.hw.tmp, "boards"))
        self.file = os.path.join(self.hw.tmp, "boards", "team.json")
        self.write({"title": "Team", "panels": [{"title": "Up", "query": "up"}]})
        self.hw.start()
        self.addCleanup(self.hw.stop)

    def write(self, doc):
        with open(self.file, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))

    def reload(self):
        status, _, body = self.hw.request("POST", "/-/reload", headers=AUTH)
        return status, json.loads(body).get("error", "") if body else ""

    def titles(self):
        _, _, body = self.hw.get_json("/api/v1/dashboards")
        return [d["title"] for d in body["data"]["dashboards"]], body.get("warnings", [])

    def test_an_invalid_file_fails_the_reload_and_check_config(self):
        self.assertEqual(self.titles(), (["Team"], []))
        self.write({"title": "Team 2", "panels": [{"title": "Up", "query": "up"}, {"title": "Pie", "query": "up", "type": "pie"}]})
        status, body = self.reload()
        self.assertNotEqual(status, 200, body)
        self.assertIn(self.file + ': panels[1].type: unknown panel type "pie"', body)
        self.assertEqual(self.titles(), (["Team"], []))  # the previous dashboards stay
        code, out, err = run_cli("check-config", self.hw.config)
        self.assertEqual(code, 1)
        self.assertIn(self.file + ': panels[1].type: unknown panel type "pie": expected one of', err)

        self.write('{"title": "Team",\n  "panels": [,]}')
        code, out, err = run_cli("check-config", self.hw.config)
        self.assertEqual(code, 1)
        self.assertIn(self.file + ":2:14: invalid JSON", err)

    def test_a_query_that_does_not_parse_is_reported_with_its_panel_and_still_served(self):
        self.write({"title": "Team 3", "owner": "sre", "panels": [{"title": "Broken", "query": "sum(up"}]})
        status, body = self.reload()
        self.assertEqual(status, 200, body)
        titles, warnings = self.titles()
        self.assertEqual(titles, ["Team 3"])
        self.assertIn(self.file + ": owner: unknown field (ignored)", warnings)
        self.assertTrue(any(w.startswith(self.file + ': panels[0] "Broken": query: 1:7: parse error') for w in warnings), warnings)
        code, out, err = run_cli("check-config", self.hw.config)
        self.assertEqual(code, 1)
        self.assertIn(self.file + ': error: panels[0] "Broken": query: 1:7: parse error', err)
        self.assertIn(self.file + ": warning: owner: unknown field (ignored)", err)
        self.assertIn("(1 lint error, 1 warning)", err)


if __name__ == "__main__":
    unittest.main()
