"""Starts a real hastewatch process for end-to-end tests and talks HTTP to it.

Stdlib only, so the tests run wherever the binary builds.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

BIN = os.environ.get("HASTEWATCH_BIN", os.path.join(os.path.dirname(__file__), "../../build/hastewatch"))


class Hastewatch:
    """A hastewatch serve process on a free loopback port with its own data dir."""

    def __init__(self, config_text, extra_args=(), data_dir=None):
        self.tmp = tempfile.mkdtemp(prefix="hw-e2e-")
        self.config = os.path.join(self.tmp, "hastewatch.yml")
        with open(self.config, "w") as f:
            f.write(config_text)
        self.data = data_dir or os.path.join(self.tmp, "data")
        self.stdout_path = os.path.join(self.tmp, "stdout.log")
        self.stderr_path = os.path.join(self.tmp, "stderr.log")
        self.args = [BIN, "serve", "--config", self.config, "--data", self.data,
                     "--listen", "127.0.0.1:0", *extra_args]
        self.proc = None
        self.address = None

    def start(self, expect_ok=True, timeout=10):
        self.proc = subprocess.Popen(self.args, stdout=open(self.stdout_path, "wb"),
                                     stderr=open(self.stderr_path, "wb"))
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(r"listening on http://(\S+)", self.stderr())
            if m:
                self.address = m.group(1)
                return self
            if self.proc.poll() is not None:
                if expect_ok:
                    raise AssertionError(f"hastewatch exited {self.proc.returncode}: {self.stderr()}")
                return self
            time.sleep(0.02)
        raise AssertionError("hastewatch did not start: " + self.stderr())

    def stderr(self):
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    def log_lines(self):
        with open(self.stdout_path, errors="replace") as f:
            return [line for line in f.read().splitlines() if line]

    def logs(self):
        return [json.loads(line) for line in self.log_lines()]

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def request(self, method, path, body=None, headers=None, timeout=10):
        """Returns (status, headers dict lower-cased, body bytes)."""
        host, port = self.address.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def get_json(self, path, headers=None):
        status, hdrs, body = self.request("GET", path, headers=headers)
        return status, hdrs, json.loads(body)

    def raw(self, data, timeout=5):
        """Sends raw bytes on a new connection; returns what comes back until close."""
        host, port = self.address.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=timeout) as s:
            s.sendall(data)
            out = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    out += chunk
            except socket.timeout:
                pass
            return out


def run_cli(*args, timeout=30):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def parse_metrics(text):
    """Parses the text exposition format into {(name, frozenset(labels)): value} and TYPE map."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ", 3)
            types[name] = typ
            continue
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$', line)
        assert m, f"unparseable metrics line: {line!r}"
        labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        samples[(m.group(1), frozenset(labels.items()))] = float(m.group(4))
    return samples, types
