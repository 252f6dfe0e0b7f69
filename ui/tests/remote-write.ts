// Prometheus remote write 1.0 from Node's standard library: a WriteRequest protobuf
// in a snappy block of literals (valid input for any snappy decoder), as
// tests/e2e/harness.py writes it.

export type Series = { labels: Record<string, string>; samples: [number, number][] }; // [t ms, value]

function varint(n: bigint | number): number[] {
  let x = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return out;
}

function field(num: number, wire: 0 | 1 | 2, payload: number[] | Uint8Array): number[] {
  const key = varint((num << 3) | wire);
  return wire === 2 ? [...key, ...varint(payload.length), ...payload] : [...key, ...payload];
}

const utf8 = (s: string) => Array.from(Buffer.from(s, "utf8"));

export function encodeWriteRequest(series: Series[]): Uint8Array {
  const out: number[] = [];
  for (const s of series) {
    const ts: number[] = [];
    for (const name of Object.keys(s.labels).sort()) {
      ts.push(...field(1, 2, [...field(1, 2, utf8(name)), ...field(2, 2, utf8(s.labels[name]))]));
    }
    for (const [t, v] of s.samples) {
      const d = Buffer.alloc(8);
      d.writeDoubleLE(v);
      ts.push(...field(2, 2, [...field(1, 1, d), ...field(2, 0, varint(t))]));
    }
    out.push(...field(1, 2, ts));
  }
  return Uint8Array.from(out);
}

export function snappyBlock(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = varint(data.length);
  for (let i = 0; i < data.length; i += 65536) {
    const chunk = data.subarray(i, i + 65536);
    const n = chunk.length - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 256) out.push(60 << 2, n);
    else out.push(61 << 2, n & 0xff, n >> 8);
    for (const b of chunk) out.push(b);
  }
  return Uint8Array.from(out);
}

export async function remoteWrite(baseUrl: string, series: Series[], token: string): Promise<void> {
  const resp = await fetch(`${baseUrl}/api/v1/write`, {
    method: "POST",
    body: snappyBlock(encodeWriteRequest(series)),
    headers: {
      "Content-Type": "application/x-protobuf",
      "Content-Encoding": "snappy",
      "X-Prometheus-Remote-Write-Version": "0.1.0",
      Authorization: `Bearer ${token}`,
    },
  });
  if (!resp.ok) throw new Error(`remote write: ${resp.status} ${await resp.text()}`);
}
