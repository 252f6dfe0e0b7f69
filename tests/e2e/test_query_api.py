"""End-to-end: the Prometheus HTTP query API (issue "PromQL engine and the Prometheus
HTTP query API").

Starts the real binary, remote-writes a small data set, and checks every query and
status endpoint's JSON shape and values exactly, Prometheus' error types, messages
and status codes, the GET and form-POST variants, Grafana's data-source flow and the
corrected-expression hints for the guide's loose expressions.
"""
import json
import math
import unittest
import urllib.parse

from harness import Hastewatch, remote_write

WRITER = "e2e-write-token-0123456789"
ADMIN = "e2e-admin-token-0123456789"
CONFIG = f"""
server:
  auth:
    anonymous: read
    tokens:
      - {{name: writer, role: write, token: {WRITER}}}
      - {{name: ops, role: admin, token: {ADMIN}}}
storage:
  tsdb:
    retention_time: 15d
"""

T0 = 1_700_000_000          # seconds; samples every 15 s for 10 minutes
STEPS = 41                  # t = T0, T0+15, ..., T0+600
END = T0 + 15 * (STEPS - 1)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def series():
    """[(labels, [(t_ms, v)])] of the data set."""
    times = [(T0 + 15 * i) * 1000 for i in range(STEPS)]
    out = []
    for code, per_step in (("200", 10), ("500", 1)):
        out.append(({"__name__": "http_requests_total", "job": "api", "instance": "a:1",
                     "code": code, "endpoint": "/users"},
                    [(t, float(per_step * i)) for i, t in enumerate(times)]))
    out.append(({"__name__": "up", "job": "api", "instance": "a:1"}, [(t, 1.0) for t in times]))
    out.append(({"__name__": "up", "job": "db", "instance": "b:2"}, [(t, 0.0) for t in times]))
    for le, per_step in (("0.1", 5), ("0.5", 9), ("+Inf", 10)):
        out.append(({"__name__": "http_request_duration_seconds_bucket", "job": "api", "le": le},
                    [(t, float(per_step * i)) for i, t in enumerate(times)]))
    for case, v in (("big", 123456789012345678.0), ("tiny", 1e-7), ("tenth", 0.1),
                    ("inf", math.inf), ("huge", 1e21)):
        out.append(({"__name__": "format_check", "case": case}, [(t, v) for t in times]))
    return out


def qs(params):
    return urllib.parse.urlencode(params)


class QueryApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hw = Hastewatch(CONFIG).start()
        status, _, body = remote_write(cls.hw, series(), token=WRITER)
        assert status == 204, body

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()

    # --- helpers ------------------------------------------------------------------
    def get(self, path, params=None, headers=None):
        url = path + ("?" + qs(params) if params else "")
        status, hdrs, body = self.hw.request("GET", url, headers=headers)
        return status, json.loads(body), body

    def post(self, path, params):
        status, _, body = self.hw.request("POST", path, body=qs(params).encode(), headers=FORM)
        return status, json.loads(body), body

    def ok(self, path, params=None):
        status, doc, body = self.get(path, params)
        self.assertEqual(status, 200, body)
        self.assertEqual(doc["status"], "success", body)
        return doc

    def error(self, status, path, params=None, want_type="bad_data", method="GET"):
        if method == "GET":
            got, doc, body = self.get(path, params)
        else:
            got, doc, body = self.post(path, params)
        self.assertEqual(got, status, body)
        self.assertEqual(set(doc), {"status", "errorType", "error"}, body)
        self.assertEqual(doc["status"], "error")
        self.assertEqual(doc["errorType"], want_type, body)
        return doc["error"]

    # --- /api/v1/query ----------------------------------------------------------------
    def test_instant_vector(self):
        doc = self.ok("/api/v1/query", {"query": "up", "time": str(END)})
        self.assertEqual(set(doc), {"status", "data"})
        self.assertEqual(doc["data"]["resultType"], "vector")
        result = sorted(doc["data"]["result"], key=lambda r: r["metric"]["job"])
        self.assertEqual(result, [
            {"metric": {"__name__": "up", "instance": "a:1", "job": "api"}, "value": [END, "1"]},
            {"metric": {"__name__": "up", "instance": "b:2", "job": "db"}, "value": [END, "0"]},
        ])

    def test_scalar_string_and_fractional_time(self):
        doc = self.ok("/api/v1/query", {"query": "1+1", "time": f"{T0}.5"})
        self.assertEqual(doc["data"], {"resultType": "scalar", "result": [T0 + 0.5, "2"]})
        _, _, raw = self.get("/api/v1/query", {"query": "0.1", "time": f"{T0}.5"})
        self.assertEqual(raw, b'{"status":"success","data":{"resultType":"scalar",'
                              b'"result":[1700000000.500,"0.1"]}}')
        doc = self.ok("/api/v1/query", {"query": '"hello"', "time": str(T0)})
        self.assertEqual(doc["data"], {"resultType": "string", "result": [T0, "hello"]})
        # RFC 3339 time.
        doc = self.ok("/api/v1/query", {"query": "time()", "time": "2023-11-14T22:13:20.250Z"})
        self.assertEqual(doc["data"]["result"], [T0 + 0.25, "1700000000.25"])

    def test_float_formatting(self):
        doc = self.ok("/api/v1/query", {"query": "format_check", "time": str(END)})
        got = {r["metric"]["case"]: r["value"][1] for r in doc["data"]["result"]}
        self.assertEqual(got, {"big": "123456789012345680", "tiny": "1e-07", "tenth": "0.1",
                               "inf": "+Inf", "huge": "1e+21"})
        doc = self.ok("/api/v1/query", {"query": "-format_check{case=\"inf\"}", "time": str(END)})
        self.assertEqual(doc["data"]["result"][0]["value"][1], "-Inf")
        doc = self.ok("/api/v1/query", {"query": "0/0", "time": str(END)})
        self.assertEqual(doc["data"]["result"][1], "NaN")

    def test_limit_truncates_with_a_warning(self):
        doc = self.ok("/api/v1/query", {"query": "up", "time": str(END), "limit": "1"})
        self.assertEqual(len(doc["data"]["result"]), 1)
        self.assertEqual(doc["warnings"], ["results truncated due to limit"])

    def test_stats_only_when_asked(self):
        doc = self.ok("/api/v1/query", {"query": "up", "time": str(END), "stats": "all"})
        self.assertIn("timings", doc["data"]["stats"])
        self.assertGreater(doc["data"]["stats"]["samples"]["totalQueryableSamples"], 0)
        self.assertNotIn("stats", self.ok("/api/v1/query", {"query": "up", "time": str(END)})["data"])

    # --- /api/v1/query_range ----------------------------------------------------------
    def test_range_matrix(self):
        params = {"query": "sum by (job) (http_requests_total)", "start": str(T0),
                  "end": str(T0 + 60), "step": "15s"}
        want = {"resultType": "matrix", "result": [
            {"metric": {"job": "api"},
             "values": [[T0 + 15 * i, str(11 * i)] for i in range(5)]}]}
        self.assertEqual(self.ok("/api/v1/query_range", params)["data"], want)
        # Float seconds as step, and the POST form.
        params["step"] = "15"
        status, doc, body = self.post("/api/v1/query_range", params)
        self.assertEqual(status, 200, body)
        self.assertEqual(doc["data"], want)

    def test_range_rate(self):
        doc = self.ok("/api/v1/query_range", {
            "query": 'rate(http_requests_total{code="500"}[1m])', "start": str(T0 + 60),
            "end": str(T0 + 120), "step": "30"})
        [row] = doc["data"]["result"]
        self.assertEqual(row["metric"], {"code": "500", "endpoint": "/users", "instance": "a:1",
                                         "job": "api"})
        self.assertEqual([t for t, _ in row["values"]], [T0 + 60, T0 + 90, T0 + 120])
        for _, v in row["values"]:
            self.assertAlmostEqual(float(v), 1 / 15)

    def test_range_errors(self):
        base = {"query": "up", "start": str(T0), "end": str(T0 + 60), "step": "15"}
        self.assertEqual(
            self.error(400, "/api/v1/query_range", {**base, "start": "", "end": str(T0)}),
            'invalid parameter "start": cannot parse "" to a valid timestamp')
        self.assertEqual(
            self.error(400, "/api/v1/query_range", {**base, "end": str(T0 - 1)}),
            'invalid parameter "end": end timestamp must not be before start time')
        self.assertEqual(
            self.error(400, "/api/v1/query_range", {**base, "step": "fast"}),
            'invalid parameter "step": cannot parse "fast" to a valid duration')
        self.assertEqual(
            self.error(400, "/api/v1/query_range", {**base, "step": "-1"}),
            'invalid parameter "step": zero or negative query resolution step widths are not '
            'accepted. Try a positive integer')
        self.assertEqual(
            self.error(400, "/api/v1/query_range",
                       {**base, "start": "0", "end": "100000", "step": "1"}),
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
            "query resolution (?step=XX)")
        self.ok("/api/v1/query_range", {**base, "start": "0", "end": "11000", "step": "1"})
        self.assertEqual(
            self.error(400, "/api/v1/query_range", {**base, "query": "up[5m]"}),
            'invalid parameter "query": invalid expression type "range vector" for range '
            'query, must be Scalar or instant Vector')

    # --- errors -----------------------------------------------------------------------
    def test_query_errors(self):
        err = self.error(400, "/api/v1/query", {"query": "sum(up"})
        self.assertRegex(err, r'^invalid parameter "query": 1:\d+: parse error: ')
        err = self.error(400, "/api/v1/query", {"query": "sum(up", "time": str(T0)}, method="POST")
        self.assertRegex(err, r'^invalid parameter "query": 1:\d+: parse error: ')
        self.assertEqual(self.error(400, "/api/v1/query", {"query": "up", "time": "yesterday"}),
                         'invalid parameter "time": cannot parse "yesterday" to a valid timestamp')
        self.assertEqual(self.error(400, "/api/v1/query", {"query": "up", "timeout": "soon"}),
                         'invalid parameter "timeout": cannot parse "soon" to a valid duration')
        self.assertEqual(self.error(400, "/api/v1/query", {"query": "up", "limit": "x"}),
                         'invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax')
        err = self.error(422, "/api/v1/query",
                         {"query": "http_requests_total + on(job) group_left http_requests_total",
                          "time": str(END)}, want_type="execution")
        self.assertIn("many-to-many matching not allowed", err)
        err = self.error(422, "/api/v1/query", {"query": "http_requests_total + on(job) up",
                                                "time": str(END)}, want_type="execution")
        self.assertIn("multiple matches for labels", err)
        self.error(404, "/api/v1/no_such_endpoint", want_type="not_found")
        self.error(404, "/api/v1/status/nothing", want_type="not_found")

    def test_guide_hints(self):
        doc = self.ok("/api/v1/query", {"query": "histogram_quantile(0.95, http_request_duration_seconds)",
                                        "time": str(END)})
        self.assertEqual(doc["data"], {"resultType": "vector", "result": []})
        self.assertIn(
            "histogram_quantile over http_request_duration_seconds, which is not a _bucket "
            "series: did you mean histogram_quantile(0.95, sum by (le) "
            "(rate(http_request_duration_seconds_bucket[5m])))?", doc["warnings"])
        doc = self.ok("/api/v1/query", {"query": "histogram_quantile(0.95, sum by (le) "
                                                 "(rate(http_request_duration_seconds_bucket[5m])))",
                                        "time": str(END)})
        self.assertNotIn("warnings", doc)
        self.assertEqual(len(doc["data"]["result"]), 1)
        err = self.error(400, "/api/v1/query",
                         {"query": "histogram_quantile(0.95, x) by (endpoint)"})
        self.assertTrue(err.startswith('invalid parameter "query": 1:'), err)
        self.assertIn("parse error", err)
        self.assertIn("by (endpoint) can only follow an aggregation; did you mean "
                      "histogram_quantile(0.95, sum by (endpoint, le) (rate(x_bucket[5m])))?", err)

    # --- series, labels, values, metadata, exemplars, format --------------------------
    def test_series(self):
        self.assertEqual(self.error(400, "/api/v1/series"), "no match[] parameter provided")
        want = [{"__name__": "up", "instance": "a:1", "job": "api"},
                {"__name__": "up", "instance": "b:2", "job": "db"}]
        self.assertEqual(self.ok("/api/v1/series", {"match[]": "up"})["data"], want)
        status, doc, body = self.post("/api/v1/series", [("match[]", 'up{job="api"}'),
                                                         ("match[]", 'up{job="db"}'),
                                                         ("start", str(T0)), ("end", str(END))])
        self.assertEqual((status, doc), (200, {"status": "success", "data": want}), body)
        doc = self.ok("/api/v1/series", {"match[]": "up", "limit": "1"})
        self.assertEqual(doc["data"], want[:1])
        self.assertEqual(doc["warnings"], ["results truncated due to limit"])
        err = self.error(400, "/api/v1/series", {"match[]": "up{"})
        self.assertTrue(err.startswith('invalid parameter "match[]": '), err)
        self.assertEqual(self.ok("/api/v1/series", {"match[]": "nothing_here"})["data"], [])

    def test_labels_and_values(self):
        names = ["__name__", "case", "code", "endpoint", "instance", "job", "le"]
        self.assertEqual(self.ok("/api/v1/labels")["data"], names)
        status, doc, _ = self.post("/api/v1/labels", {"match[]": "up"})
        self.assertEqual(doc["data"], ["__name__", "instance", "job"])
        self.assertEqual(self.ok("/api/v1/label/__name__/values")["data"],
                         ["format_check", "http_request_duration_seconds_bucket",
                          "http_requests_total", "up"])
        self.assertEqual(self.ok("/api/v1/label/job/values", {"match[]": "up"})["data"], ["api", "db"])
        self.assertEqual(self.ok("/api/v1/label/U__job/values")["data"], ["api", "db"])
        doc = self.ok("/api/v1/label/le/values", {"limit": "2"})
        self.assertEqual(doc["data"], ["+Inf", "0.1"])
        self.assertEqual(doc["warnings"], ["results truncated due to limit"])
        self.assertEqual(self.ok("/api/v1/label/no_such/values")["data"], [])
        self.assertEqual(self.error(400, "/api/v1/label/%FF/values"),
                         'invalid label name: "\\xff"')

    def test_metadata_exemplars_format(self):
        self.assertEqual(self.ok("/api/v1/metadata")["data"], {})
        self.assertEqual(self.ok("/api/v1/metadata", {"metric": "up", "limit": "5"})["data"], {})
        self.assertEqual(self.error(400, "/api/v1/metadata", {"limit": "x"}), "limit must be a number")
        doc = self.ok("/api/v1/query_exemplars", {"query": "up", "start": str(T0), "end": str(END)})
        self.assertEqual(doc, {"status": "success", "data": []})
        self.error(400, "/api/v1/query_exemplars", {"query": "up", "start": "x"})
        doc = self.ok("/api/v1/format_query", {"query": "sum(rate(x[5m]))by(job)"})
        self.assertEqual(doc, {"status": "success", "data": "sum by (job) (rate(x[5m]))"})
        status, doc, _ = self.post("/api/v1/format_query", {"query": "up  ==bool 1"})
        self.assertEqual((status, doc["data"]), (200, "up == bool 1"))
        err = self.error(400, "/api/v1/format_query", {"query": "sum("})
        self.assertTrue(err.startswith('invalid parameter "query": 1:5: parse error'), err)

    # --- Grafana's Prometheus data source ---------------------------------------------
    def test_grafana_flow(self):
        # "Save & test": POST /api/v1/query with query=1+1, form-encoded.
        status, doc, body = self.post("/api/v1/query", {"query": "1+1", "time": str(END)})
        self.assertEqual(status, 200, body)
        self.assertEqual(doc, {"status": "success",
                               "data": {"resultType": "scalar", "result": [END, "2"]}})
        # Exemplar probe, then the query builder's metric, label and metadata lookups.
        self.assertEqual(self.ok("/api/v1/query_exemplars",
                                 {"query": "up", "start": str(T0), "end": str(END)})["data"], [])
        self.assertIn("job", self.ok("/api/v1/labels", {"start": str(T0), "end": str(END)})["data"])
        self.assertIn("up", self.ok("/api/v1/label/__name__/values",
                                    {"start": str(T0), "end": str(END)})["data"])
        self.assertEqual(len(self.ok("/api/v1/series", {"match[]": '{__name__="up"}',
                                                        "start": str(T0), "end": str(END)})["data"]), 2)
        self.assertEqual(self.ok("/api/v1/metadata")["data"], {})
        self.ok("/api/v1/status/buildinfo")

    # --- status -----------------------------------------------------------------------
    def test_status_buildinfo_flags_runtimeinfo(self):
        info = self.ok("/api/v1/status/buildinfo")["data"]
        self.assertEqual(set(info), {"version", "revision", "branch", "buildUser", "buildDate",
                                     "goVersion"})
        self.assertRegex(info["version"], r"^\d+\.\d+\.\d+")
        self.assertRegex(info["buildDate"], r"^\d{8}-\d\d:\d\d:\d\d$")
        self.assertTrue(info["goVersion"])
        flags = self.ok("/api/v1/status/flags")["data"]
        self.assertEqual(flags["config"], self.hw.config)
        self.assertEqual(flags["data"], self.hw.data)
        self.assertEqual(flags["log-level"], "info")
        for v in flags.values():
            self.assertIsInstance(v, str)
        rt = self.ok("/api/v1/status/runtimeinfo")["data"]
        self.assertEqual(set(rt), {"startTime", "CWD", "reloadConfigSuccess", "lastConfigTime",
                                   "corruptionCount", "goroutineCount", "GOMAXPROCS",
                                   "GOMEMLIMIT", "GOGC", "GODEBUG", "storageRetention"})
        self.assertRegex(rt["startTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        self.assertIs(rt["reloadConfigSuccess"], True)
        self.assertEqual(rt["corruptionCount"], 0)
        self.assertGreater(rt["goroutineCount"], 1)
        self.assertGreaterEqual(rt["GOMAXPROCS"], 1)
        self.assertEqual(rt["storageRetention"], "15d")

    def test_status_config_needs_admin_and_redacts(self):
        self.error(401, "/api/v1/status/config", want_type="unauthorized")
        status, _, body = self.hw.request("GET", "/api/v1/status/config",
                                          headers={"Authorization": "Bearer " + WRITER})
        self.assertEqual(status, 403, body)
        self.assertEqual(json.loads(body)["errorType"], "forbidden")
        status, doc, body = self.get("/api/v1/status/config",
                                     headers={"Authorization": "Bearer " + ADMIN})
        self.assertEqual(status, 200, body)
        yaml = doc["data"]["yaml"]
        self.assertNotIn(ADMIN, yaml)
        self.assertNotIn(WRITER, yaml)
        self.assertEqual(yaml, CONFIG.replace(WRITER, "<secret>").replace(ADMIN, "<secret>"))

    def test_status_tsdb(self):
        data = self.ok("/api/v1/status/tsdb")["data"]
        head = data["headStats"]
        self.assertEqual(head["numSeries"], 12)
        self.assertEqual(head["minTime"], T0 * 1000)
        self.assertEqual(head["maxTime"], END * 1000)
        self.assertGreaterEqual(head["chunkCount"], 12)
        # __name__ 4, job 2, instance 2, code 2, endpoint 1, le 3, case 5.
        self.assertEqual(head["numLabelPairs"], 19)
        self.assertEqual(data["seriesCountByMetricName"], [
            {"name": "format_check", "value": 5},
            {"name": "http_request_duration_seconds_bucket", "value": 3},
            {"name": "http_requests_total", "value": 2},
            {"name": "up", "value": 2}])
        self.assertEqual(data["labelValueCountByLabelName"][:3], [
            {"name": "case", "value": 5}, {"name": "__name__", "value": 4},
            {"name": "le", "value": 3}])
        self.assertEqual(data["seriesCountByLabelValuePair"][0], {"name": "job=api", "value": 6})
        self.assertEqual(set(data), {"headStats", "seriesCountByMetricName",
                                     "labelValueCountByLabelName", "memoryInBytesByLabelName",
                                     "seriesCountByLabelValuePair"})
        small = self.ok("/api/v1/status/tsdb", {"limit": "1"})["data"]
        self.assertEqual(len(small["seriesCountByMetricName"]), 1)
        self.assertEqual(self.error(400, "/api/v1/status/tsdb", {"limit": "0"}),
                         "limit must be a positive number")


if __name__ == "__main__":
    unittest.main()
