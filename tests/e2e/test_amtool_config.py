"""End-to-end: `hastewatch check-config` and `amtool check-config` agree on alertmanager.yml.

Each file under src/config/testdata/alertmanager/ (named valid_* or invalid_*), the
example pack's alertmanager.yml and the examples Debian ships with Alertmanager are
checked by amtool (the reference) and by hastewatch, with the file named by path from
a hastewatch.yml (`notifications: FILE`) and pasted inline under `notifications:`.
The verdicts must agree, and match the file's name. hastewatch's errors must name the
file, line and column. Skipped when amtool is not installed.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import run_cli

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
TESTDATA = os.path.join(ROOT, "src/config/testdata/alertmanager")
PACK = os.path.join(ROOT, "examples/hastecrm/alertmanager.yml")
DEBIAN_EXAMPLES = "/usr/share/doc/prometheus-alertmanager/examples"
AMTOOL = shutil.which("amtool")


def amtool_valid(path):
    p = subprocess.run([AMTOOL, "check-config", path], capture_output=True, text=True, timeout=30)
    return p.returncode == 0, p.stdout + p.stderr


def cases():
    files = sorted(glob.glob(os.path.join(TESTDATA, "*.yml")))
    files.append(PACK)
    files += [os.path.join(DEBIAN_EXAMPLES, name) for name in ("simple.yml", "ha/alertmanager.yml")
              if os.path.exists(os.path.join(DEBIAN_EXAMPLES, name))]
    return files


@unittest.skipIf(AMTOOL is None, "amtool is not installed (Debian: prometheus-alertmanager)")
class AmtoolAgreementTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hw-amtool-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def hastewatch_valid(self, hastewatch_yml_text):
        path = os.path.join(self.tmp, "hastewatch.yml")
        with open(path, "w") as f:
            f.write(hastewatch_yml_text)
        code, out, err = run_cli("check-config", path)
        return code == 0, out + err

    def test_verdicts_agree(self):
        self.assertGreaterEqual(len(glob.glob(os.path.join(TESTDATA, "*.yml"))), 4)
        for path in cases():
            name = os.path.basename(path)
            with self.subTest(file=path):
                am_ok, am_out = amtool_valid(path)
                # The path form: the file read unchanged.
                hw_ok, hw_out = self.hastewatch_valid(f"notifications: {path}\n")
                self.assertEqual(hw_ok, am_ok, f"amtool: {am_out}\nhastewatch: {hw_out}")
                if name.startswith("valid_") or name.startswith("invalid_"):
                    self.assertEqual(am_ok, name.startswith("valid_"), am_out)
                if not hw_ok:
                    # Errors carry the alertmanager.yml's own positions.
                    self.assertRegex(hw_out, re.escape(path) + r":\d+:\d+: ")
                # The inline form: the same text under `notifications:`.
                with open(path) as f:
                    body = "".join("  " + line if line.strip() else line for line in f)
                hw_inline_ok, hw_inline_out = self.hastewatch_valid("notifications:\n" + body)
                self.assertEqual(hw_inline_ok, am_ok, f"amtool: {am_out}\ninline: {hw_inline_out}")
                if not hw_inline_ok:
                    self.assertRegex(hw_inline_out, r"hastewatch\.yml:\d+:\d+: notifications\.")

    def test_same_problem_reported(self):
        # The invalid files fail for the reason amtool gives, not some other one.
        expected = {
            "invalid_undefined_receiver.yml": ('undefined receiver "team-pager" used in route',
                                               ":6:17: route.routes[0].receiver: "),
            "invalid_time_interval.yml": ("couldn't parse timestamp 9:00, invalid format",
                                          ":17:25: time_intervals[0].time_intervals[0].times[0].start_time: "),
        }
        for name, (problem, where) in expected.items():
            path = os.path.join(TESTDATA, name)
            with self.subTest(file=name):
                am_ok, am_out = amtool_valid(path)
                self.assertFalse(am_ok)
                self.assertIn(problem, am_out)
                hw_ok, hw_out = self.hastewatch_valid(f"notifications: {path}\n")
                self.assertFalse(hw_ok)
                self.assertIn(path + where + problem, hw_out)

    def test_example_pack_with_hastewatch_yml(self):
        # The pack's hastewatch.yml names alertmanager.yml; both load.
        pack = os.path.join(ROOT, "examples/hastecrm")
        with open(os.path.join(pack, "hastewatch.yml")) as f:
            self.assertIn("\nnotifications: alertmanager.yml\n", f.read())
        am_ok, am_out = amtool_valid(os.path.join(pack, "alertmanager.yml"))
        self.assertTrue(am_ok, am_out)
        code, out, err = run_cli("check-config", os.path.join(pack, "hastewatch.yml"))
        self.assertEqual(code, 0, err)
        self.assertIn("valid", out)
        for secret in ("secrets/pagerduty.key", "secrets/slack-webhook.url"):
            self.assertTrue(os.path.isfile(os.path.join(pack, secret)), secret)


if __name__ == "__main__":
    unittest.main()
