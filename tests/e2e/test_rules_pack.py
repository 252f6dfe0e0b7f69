"""End-to-end: the hasteCRM config pack's rules (examples/hastecrm/) against both
`hastewatch test-rules` and Debian's `promtool test rules` (Prometheus 2.42).

* every pack test file passes in hastewatch, and promtool gives the same verdict;
* deliberately broken copies of the pack (wrong expected labels, an alert still
  pending at the checked time, a wrong annotation, a changed threshold or `for`, the
  guide's literal expressions) FAIL in both tools, and both name the same checks;
* the rule files pass `promtool check rules`; the runbooks' PromQL parses in both;
  every critical alert links an existing runbook;
* `hastewatch check-config examples/hastecrm/hastewatch.yml` is valid, and a broken
  rule file named by its `rule_files` makes it invalid.

promtool is /usr/bin/promtool (Debian package `prometheus`); when missing it is
installed with apt-get if running as root, otherwise the promtool checks are skipped.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, run_cli

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACK = os.path.join(ROOT, "examples", "hastecrm")
TESTS = sorted(glob.glob(os.path.join(PACK, "tests", "*.yml")))
RULES = sorted(glob.glob(os.path.join(PACK, "rules", "*.yml")))

# The guide's eight alerts: name -> (severity, action, for, runbook or None).
GUIDE_ALERTS = {
    "APIDown": ("critical", "page", "1m", "api-down.md"),
    "DatabaseDown": ("critical", "page", "30s", "database-down.md"),
    "HighErrorRate": ("critical", "page", "5m", "high-error-rate.md"),
    "P95LatencyHigh": ("critical", "page", "5m", "high-latency.md"),
    "DiskSpaceLow": ("warning", "notify", "10m", None),
    "CPUHighUsage": ("warning", "notify", "15m", None),
    "QueueBacklog": ("warning", "notify", "10m", None),
    "CacheHitRateLow": ("warning", "notify", "30m", None),
}

_promtool = None


def promtool():
    """Path of promtool, installing Debian's package when root; None if unavailable."""
    global _promtool
    if _promtool is not None:
        return _promtool or None
    path = shutil.which("promtool") or ("/usr/bin/promtool" if os.path.exists("/usr/bin/promtool") else None)
    if path is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        cmd = ["apt-get", "install", "-y", "--no-install-recommends", "prometheus"]
        if subprocess.run(cmd, env=env, capture_output=True, timeout=400).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=300)
            subprocess.run(cmd, env=env, capture_output=True, timeout=400)
        path = "/usr/bin/promtool" if os.path.exists("/usr/bin/promtool") else None
    _promtool = path or ""
    return path


def need_promtool(test):
    path = promtool()
    if not path:
        test.skipTest("promtool not found at /usr/bin/promtool and not running as root to "
                      "`apt-get install -y prometheus`: install Debian's prometheus package "
                      "to compare hastewatch with promtool")
    return path


def read(path):
    with open(path) as f:
        return f.read()


def run(args, timeout=120):
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def hw_test(path):
    return run([BIN, "test-rules", path])


def promtool_test(path):
    return run([promtool(), "test", "rules", path])


def failed_checks(output):
    """The failed alert checks a report names: {(alertname, time)}.

    Both tools print "alertname: NAME, time: T," for each failed alert_rule_test."""
    return set(re.findall(r"alertname: (\w+), time: (\w+),", output))


def failed_exprs(output):
    """The failed promql_expr_test times a report names (promtool quotes the expr)."""
    return sorted(re.findall(r"expr: .*, time: (\w+),", output))


# Deliberately wrong copies: (name, file to edit, old text, new text, why it must fail).
# Files are relative to the pack; each edit must apply exactly once.
BROKEN = [
    ("exp_labels_mismatch", "tests/api_down_test.yml",
     "              instance: api-1:3000\n              service: api\n            exp_annotations:\n"
     "              summary: 'hasteCRM API target api-1:3000 is down'\n"
     "              description: 'api/api-1:3000 has failed every scrape (up == 0) for more than 1 minute.'\n"
     "              runbook_url: 'https://hastewatch.hastecrm.example/runbooks/api-down.md'\n"
     "      - eval_time: 2m45s",
     "              instance: api-2:3000\n              service: api\n            exp_annotations:\n"
     "              summary: 'hasteCRM API target api-1:3000 is down'\n"
     "              description: 'api/api-1:3000 has failed every scrape (up == 0) for more than 1 minute.'\n"
     "              runbook_url: 'https://hastewatch.hastecrm.example/runbooks/api-down.md'\n"
     "      - eval_time: 2m45s",
     "the firing alert is on api-1, not api-2"),
    ("still_pending", "tests/database_down_test.yml",
     "      - eval_time: 1m30s\n", "      - eval_time: 1m15s\n",
     "at 1m15s DatabaseDown has been true for 15s < 30s: pending, not firing"),
    ("wrong_annotation", "tests/high_error_rate_test.yml",
     "description: '10% of api requests failed over the last 5 minutes (threshold 5%).'\n"
     "              runbook_url: 'https://hastewatch.hastecrm.example/runbooks/high-error-rate.md'\n"
     "      - eval_time: 20m",
     "description: '12% of api requests failed over the last 5 minutes (threshold 5%).'\n"
     "              runbook_url: 'https://hastewatch.hastecrm.example/runbooks/high-error-rate.md'\n"
     "      - eval_time: 20m",
     "the error ratio at 18m is 10%, rendered by humanizePercentage"),
    ("wrong_runbook_url", "tests/high_latency_test.yml",
     "runbook_url: 'https://hastewatch.hastecrm.example/runbooks/high-latency.md'\n"
     "      - eval_time: 20m",
     "runbook_url: '/runbooks/high-latency.md'\n      - eval_time: 20m",
     "the test sets external_url, so $externalURL is not empty"),
    ("pending_is_not_firing", "tests/cache_hit_rate_low_test.yml",
     'alertstate="pending"', 'alertstate="firing"',
     "ALERTS at 34m is the pending series"),
    ("fires_after_resolve", "tests/cpu_high_usage_test.yml",
     "      - eval_time: 24m\n        alertname: CPUHighUsage\n",
     "      - eval_time: 24m\n        alertname: CPUHighUsage\n        exp_alerts:\n"
     "          - exp_labels: {severity: warning, action: notify, job: node, instance: app-1:9100}\n",
     "CPU is back to 60% at 24m: the alert has resolved"),
    ("threshold_inclusive", "rules/alerts.yml",
     "expr: queue_depth > 1000", "expr: queue_depth >= 1000",
     "the enrichment queue at exactly 1000 would fire"),
    ("shorter_for", "rules/alerts.yml",
     "        expr: disk_free_percent < 20\n        for: 10m",
     "        expr: disk_free_percent < 20\n        for: 5m",
     "with for: 5m the 14m check would see a firing alert"),
    ("guide_error_rate_unaggregated", "rules/alerts.yml",
     "          sum by (service) (rate(http_errors_total[5m]))\n            /\n"
     "          sum by (service) (rate(http_requests_total[5m]))\n            > 0.05",
     "          rate(http_errors_total[5m]) / rate(http_requests_total[5m]) > 0.05",
     "the guide's literal expression matches no series pair (different label sets)"),
    ("guide_latency_no_buckets", "rules/alerts.yml",
     "histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))",
     "histogram_quantile(0.95, http_request_duration_seconds)",
     "the guide's literal expression selects no series"),
    ("readonly_filesystems_kept", "rules/recording.yml",
     "          unless on (job, instance, device, mountpoint) node_filesystem_readonly == 1\n", "",
     "a read-only mount records 0% free"),
]


class RulesPackTest(unittest.TestCase):
    def test_pack_layout(self):
        # One file per guide alert plus the recording rules (the slo_* files test the
        # rules generated from slos.yml).
        names = sorted(os.path.basename(p) for p in TESTS if not os.path.basename(p).startswith("slo_"))
        self.assertEqual(len(names), 9, names)
        self.assertIn("recording_test.yml", names)
        text = read(os.path.join(PACK, "rules", "alerts.yml"))
        rules = re.split(r"\n      - alert: ", text)[1:]
        self.assertEqual(sorted(r.split("\n", 1)[0] for r in rules), sorted(GUIDE_ALERTS))
        for r in rules:
            name = r.split("\n", 1)[0]
            severity, action, for_, runbook = GUIDE_ALERTS[name]
            with self.subTest(alert=name):
                self.assertIn(f"\n        for: {for_}\n", r)
                self.assertIn(f"\n          severity: {severity}\n", r)
                self.assertIn(f"\n          action: {action}\n", r)
                self.assertIn("\n          summary: ", r)
                self.assertIn("\n          description: ", r)
                if runbook:
                    self.assertIn(f"runbook_url: '{{{{ $externalURL }}}}/runbooks/{runbook}'", r)
                    self.assertTrue(os.path.isfile(os.path.join(PACK, "runbooks", runbook)), runbook)
                else:
                    self.assertNotIn("runbook_url", r)

    def test_hastewatch_passes_every_pack_test(self):
        for path in TESTS:
            with self.subTest(file=os.path.basename(path)):
                code, out = hw_test(path)
                self.assertEqual(code, 0, out)
                self.assertIn("SUCCESS", out)
                self.assertNotIn("FAILED", out)

    def test_promtool_agrees_on_every_pack_test(self):
        need_promtool(self)
        for path in TESTS:
            with self.subTest(file=os.path.basename(path)):
                hw_code, hw_out = hw_test(path)
                pt_code, pt_out = promtool_test(path)
                self.assertEqual(pt_code, 0, pt_out)
                self.assertEqual(hw_code == 0, pt_code == 0,
                                 f"verdicts differ\nhastewatch:\n{hw_out}\npromtool:\n{pt_out}")

    def test_promtool_checks_the_rule_files(self):
        need_promtool(self)
        code, out = run([promtool(), "check", "rules", *RULES])
        self.assertEqual(code, 0, out)
        self.assertIn("SUCCESS: 8 rules found", out)
        self.assertIn("SUCCESS: 5 rules found", out)

    def test_broken_copies_fail_in_both(self):
        check_promtool = bool(promtool())
        for name, rel, old, new, why in BROKEN:
            with self.subTest(case=name):
                tmp = tempfile.mkdtemp(prefix="hw-pack-")
                try:
                    for sub in ("rules", "tests"):
                        shutil.copytree(os.path.join(PACK, sub), os.path.join(tmp, sub))
                    target = os.path.join(tmp, rel)
                    text = read(target)
                    self.assertEqual(text.count(old), 1, f"{name}: edit does not apply to {rel}")
                    with open(target, "w") as f:
                        f.write(text.replace(old, new))
                    if rel.startswith("tests/"):
                        files = [target]
                    else:
                        # The edits are to the guide's rule files: the SLO tests (their
                        # own generated rules) are not affected and are slow in promtool.
                        files = sorted(p for p in glob.glob(os.path.join(tmp, "tests", "*.yml"))
                                       if not os.path.basename(p).startswith("slo_"))
                    hw_verdicts, pt_verdicts = {}, {}
                    for path in files:
                        hw_code, hw_out = hw_test(path)
                        hw_verdicts[os.path.basename(path)] = hw_code == 0
                        if not check_promtool:
                            continue
                        pt_code, pt_out = promtool_test(path)
                        pt_verdicts[os.path.basename(path)] = pt_code == 0
                        self.assertEqual(hw_code == 0, pt_code == 0,
                                         f"{name} ({why}): verdicts differ on {path}\n"
                                         f"hastewatch:\n{hw_out}\npromtool:\n{pt_out}")
                        if hw_code != 0:
                            self.assertEqual(failed_checks(hw_out), failed_checks(pt_out),
                                             f"{name}: failed alert checks differ\n"
                                             f"hastewatch:\n{hw_out}\npromtool:\n{pt_out}")
                            self.assertEqual(failed_exprs(hw_out), failed_exprs(pt_out),
                                             f"{name}: failed expr checks differ\n"
                                             f"hastewatch:\n{hw_out}\npromtool:\n{pt_out}")
                    self.assertIn(False, hw_verdicts.values(),
                                  f"{name} ({why}): hastewatch passed every test file")
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
        if not check_promtool:
            self.skipTest("hastewatch checked; promtool missing, so no comparison")

    def runbook_queries(self):
        queries = []
        for path in sorted(glob.glob(os.path.join(PACK, "runbooks", "*.md"))):
            for q in re.findall(r"```promql\n(.*?)```", read(path), re.S):
                queries.append((os.path.basename(path), q.strip()))
        return queries

    def test_runbook_queries_parse(self):
        queries = self.runbook_queries()
        self.assertGreaterEqual(len(queries), 20)
        for book in ("api-down.md", "database-down.md", "high-error-rate.md", "high-latency.md"):
            self.assertIn(book, {b for b, _ in queries})
        tmp = tempfile.mkdtemp(prefix="hw-runbooks-")
        try:
            rules = "groups:\n  - name: runbook_queries\n    rules:\n"
            for i, (_, q) in enumerate(queries):
                quoted = q.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
                rules += f'      - record: runbook_query_{i}\n        expr: "{quoted}"\n'
            with open(os.path.join(tmp, "queries.yml"), "w") as f:
                f.write(rules)
            with open(os.path.join(tmp, "hastewatch.yml"), "w") as f:
                f.write("rule_files:\n  - queries.yml\n")
            code, out, err = run_cli("check-config", os.path.join(tmp, "hastewatch.yml"))
            self.assertEqual(code, 0, out + err)
            if promtool():
                code, out = run([promtool(), "check", "rules", os.path.join(tmp, "queries.yml")])
                self.assertEqual(code, 0, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_check_config(self):
        # Lints clean: --strict fails on any finding, warnings included.
        code, out, err = run_cli("check-config", "--strict", os.path.join(PACK, "hastewatch.yml"))
        self.assertEqual(code, 0, out + err)
        self.assertIn("valid", out + err)
        self.assertNotIn("warning", out + err)
        # The rule files are really loaded: break one in a copy of the pack.
        tmp = tempfile.mkdtemp(prefix="hw-pack-")
        try:
            copy = os.path.join(tmp, "hastecrm")
            shutil.copytree(PACK, copy)
            alerts = os.path.join(copy, "rules", "alerts.yml")
            text = read(alerts)
            with open(alerts, "w") as f:
                f.write(text.replace("expr: queue_depth > 1000", "expr: queue_depth > > 1000"))
            code, out, err = run_cli("check-config", os.path.join(copy, "hastewatch.yml"))
            self.assertNotEqual(code, 0, out + err)
            self.assertIn(alerts + ":", out + err)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
