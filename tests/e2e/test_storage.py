"""End-to-end: the store keeps what it acknowledged (issue "Time-series storage").

A writer pushes remote_write batches while the server is killed with SIGKILL; after a
restart every sample of every batch that got a 2xx must be there, exactly once.
"""
import os
import signal
import threading
import time
import unittest

from harness import Hastewatch, dump, remote_write, wait_for

WRITER = "e2e-write-token-0123456789"
ADMIN = "e2e-admin-token-0123456789"
CONFIG = f"""
server:
  auth:
    tokens:
      - {{name: writer, role: write, token: {WRITER}}}
      - {{name: ops, role: admin, token: {ADMIN}}}
"""
SERIES = 50


def batch(i):
    """Batch i: one sample for each of SERIES series at t = 1e12 + i s, value i."""
    t = 1_000_000_000_000 + i * 1000
    return [({"__name__": "crash_test", "series": str(s), "job": "e2e"}, [(t, float(i))])
            for s in range(SERIES)]


class CrashTest(unittest.TestCase):
    def test_acknowledged_samples_survive_sigkill(self):
        hw = Hastewatch(CONFIG).start()
        acked, stop = [], threading.Event()

        def writer():
            i = 0
            while not stop.is_set():
                try:
                    status, _, _ = remote_write(hw, batch(i), token=WRITER, timeout=5)
                except OSError:
                    return  # the server died mid-request: this batch was never acknowledged
                if status == 204:
                    acked.append(i)
                i += 1

        threads = [threading.Thread(target=writer)]
        threads[0].start()
        # Killed mid-stream, once a fair number of batches were acknowledged.
        wait_for(lambda: len(acked) > 40, timeout=30)
        hw.proc.send_signal(signal.SIGKILL)
        hw.proc.wait(10)
        stop.set()
        threads[0].join(10)
        self.assertGreater(len(acked), 20, "the writer barely wrote anything")
        print(f"\n  {len(acked)} batches acknowledged before SIGKILL", flush=True)

        # Restart on the same data directory: it must come up and serve.
        again = Hastewatch(CONFIG, data_dir=hw.data).start()
        status, _, body = again.get_json("/health/ready")
        self.assertEqual(status, 200, body)
        status, _, _ = remote_write(again, batch(10**6), token=WRITER)
        self.assertEqual(status, 204, "cannot write after the restart")
        self.assertEqual(again.stop(), 0)

        got = dump(hw.data, match='crash_test{job="e2e"}')
        self.assertEqual(len(got), SERIES)
        for labels, samples in got.items():
            times = [t for t, _ in samples]
            self.assertEqual(len(times), len(set(times)), f"duplicate samples in {labels}")
            have = {t: v for t, v in samples}
            for i in acked:
                t = 1_000_000_000_000 + i * 1000
                self.assertIn(t, have, f"acknowledged batch {i} lost from {labels}")
                self.assertEqual(have[t], float(i))


class RemoteWriteTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hw = Hastewatch(CONFIG).start()

    @classmethod
    def tearDownClass(cls):
        cls.hw.stop()

    def test_write_needs_the_write_role(self):
        self.assertEqual(remote_write(self.hw, batch(1))[0], 401)
        status, _, body = remote_write(self.hw, batch(1), token="wrong-token-0123456789")
        self.assertEqual(status, 401)

    def test_out_of_order_is_400_and_keeps_the_rest(self):
        lbl = {"__name__": "ooo_test", "job": "e2e"}
        self.assertEqual(remote_write(self.hw, [(lbl, [(2000, 2.0)])], token=WRITER)[0], 204)
        other = {"__name__": "ooo_other", "job": "e2e"}
        status, _, body = remote_write(self.hw, [(lbl, [(1000, 1.0)]), (other, [(1000, 7.0)])],
                                       token=WRITER)
        self.assertEqual(status, 400)
        self.assertIn(b"out of order sample", body)
        self.assertIn(b"1 of 2 samples refused", body)

    def test_malformed_body_is_400(self):
        status, _, body = self.hw.request("POST", "/api/v1/write", body=b"\xff\xfe not snappy",
                                          headers={"Authorization": "Bearer " + WRITER,
                                                   "Content-Encoding": "snappy"})
        self.assertEqual(status, 400)
        self.assertIn(b"snappy", body)

    def test_delete_series_needs_admin_and_deletes(self):
        keep = {"__name__": "del_test", "job": "e2e", "k": "keep"}
        gone = {"__name__": "del_test", "job": "e2e", "k": "gone"}
        self.assertEqual(remote_write(self.hw, [(keep, [(1000, 1.0)]), (gone, [(1000, 1.0)])],
                                      token=WRITER)[0], 204)
        path = '/api/v1/admin/tsdb/delete_series?match[]=del_test%7Bk%3D%22gone%22%7D'
        self.assertEqual(self.hw.request("POST", path, headers={"Authorization": "Bearer " + WRITER})[0], 403)
        status, _, body = self.hw.request("POST", "/api/v1/admin/tsdb/delete_series",
                                          headers={"Authorization": "Bearer " + ADMIN})
        self.assertEqual(status, 400, body)
        self.assertIn(b"no match[] parameter provided", body)
        status, _, body = self.hw.request("POST", path, headers={"Authorization": "Bearer " + ADMIN})
        self.assertEqual(status, 204, body)
        self.hw.stop()
        try:
            got = dump(self.hw.data, match="del_test")
        finally:
            type(self).hw = Hastewatch(CONFIG, data_dir=self.hw.data).start()
        self.assertEqual(list(got), ['{__name__="del_test", job="e2e", k="keep"}'])

    def test_remote_write_v2_is_415(self):
        status, _, _ = self.hw.request(
            "POST", "/api/v1/write", body=b"",
            headers={"Authorization": "Bearer " + WRITER,
                     "Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request"})
        self.assertEqual(status, 415)


if __name__ == "__main__":
    unittest.main()
