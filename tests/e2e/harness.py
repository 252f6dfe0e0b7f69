"""Starts a real hastewatch process for end-to-end tests and talks HTTP to it.

Stdlib only, so the tests run wherever the binary builds.
"""
import http.client
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
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
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.args, stdout=out, stderr=err)
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


# --- Prometheus remote write 1.0, spoken with the standard library only -------------

def _varint(n):
    n &= (1 << 64) - 1  # int64 two's complement, as protobuf encodes negatives
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(num, wire, payload):
    key = _varint((num << 3) | wire)
    if wire == 2:
        return key + _varint(len(payload)) + payload
    return key + payload


def encode_write_request(series):
    """series: [(labels dict, [(t_ms, value), ...]), ...] -> WriteRequest protobuf bytes."""
    import struct
    out = bytearray()
    for labels, samples in series:
        ts = bytearray()
        for name in sorted(labels):
            label = _field(1, 2, name.encode()) + _field(2, 2, str(labels[name]).encode())
            ts += _field(1, 2, label)
        for t, v in samples:
            sample = _field(1, 1, struct.pack("<d", v)) + _field(2, 0, _varint(t))
            ts += _field(2, 2, sample)
        out += _field(1, 2, bytes(ts))
    return bytes(out)


def snappy_block(data):
    """Snappy block format using literals only: valid input for any decoder."""
    out = bytearray(_varint(len(data)))
    for i in range(0, len(data), 65536):
        chunk = data[i:i + 65536]
        n = len(chunk) - 1
        if n < 60:
            out.append(n << 2)
        elif n < 256:
            out += bytes([60 << 2, n])
        else:
            out += bytes([61 << 2, n & 0xFF, n >> 8])
        out += chunk
    return bytes(out)


def remote_write(hw, series, token=None, timeout=10):
    body = snappy_block(encode_write_request(series))
    headers = {"Content-Type": "application/x-protobuf", "Content-Encoding": "snappy",
               "X-Prometheus-Remote-Write-Version": "0.1.0"}
    if token:
        headers["Authorization"] = "Bearer " + token
    return hw.request("POST", "/api/v1/write", body=body, headers=headers, timeout=timeout)


def dump(data_dir, match=None):
    """Runs `hastewatch tsdb dump`; returns {labels string: [(t, v), ...]}."""
    args = ["tsdb", "dump", "--data", data_dir]
    if match:
        args += ["--match", match]
    code, out, err = run_cli(*args, timeout=120)
    assert code == 0, err
    series = {}
    for line in out.splitlines():
        labels, value, t = line.rsplit(" ", 2)
        series.setdefault(labels, []).append((int(t), float(value)))
    return series


# --- peers and waiting ---------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebhookSink:
    """Records the JSON bodies POSTed to it (Alertmanager webhooks); answers `status`
    (set it to 503 to play a receiver that is down)."""

    def __init__(self):
        sink = self
        self.bodies = []
        self.status = 200
        self.requests = 0
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with sink.lock:
                    sink.requests += 1
                    status = sink.status
                    if status == 200:
                        sink.bodies.append(json.loads(body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self):
        with self.lock:
            return list(self.bodies)

    def close(self):
        self.server.shutdown()


def wait_for(cond, timeout=30, step=0.1):
    """Polls cond() until it returns something truthy or timeout passes; returns it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(step)
    return cond()
