// A small service instrumented with prom-client, the metrics library most Node.js
// services use. hastewatch's end-to-end tests (tests/e2e/test_ingest_peers.py) start it
// on loopback and scrape it.
//
//   node server.js [PORT]      (0 or none: a free port; prints "listening on 127.0.0.1:PORT")
//
// GET /metrics                  Prometheus text format 0.0.4
// GET /metrics?format=openmetrics   OpenMetrics 1.0 (prom-client's own writer)
// GET /expected                 the values below as JSON, for the test to compare
// POST /bump                    one more request of each kind (changes every value)
'use strict';

const http = require('http');
const client = require('prom-client');

const registry = new client.Registry();
const omRegistry = new client.Registry();
omRegistry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
registry.setDefaultLabels({ service: 'shop' });
omRegistry.setDefaultLabels({ service: 'shop' });
client.collectDefaultMetrics({ register: registry });

function both(make, config) {
  return [make({ ...config, registers: [registry] }), make({ ...config, registers: [omRegistry] })];
}

// A counter with labels; one label value carries every character that needs escaping.
const TRICKY = 'caf\u00e9 "quoted" back\\slash\nnewline';
const orders = both((c) => new client.Counter(c), {
  name: 'shop_orders_total',
  help: 'Orders placed, by payment method and outcome.',
  labelNames: ['method', 'status', 'note'],
});
// A gauge: set, negative and fractional values.
const queue = both((c) => new client.Gauge(c), {
  name: 'shop_queue_depth',
  help: 'Jobs waiting, by queue.',
  labelNames: ['queue'],
});
// A histogram with custom buckets and labels.
const BUCKETS = [0.005, 0.05, 0.25, 1, 2.5];
const latency = both((c) => new client.Histogram(c), {
  name: 'shop_request_duration_seconds',
  help: 'Request latency, by route and method.',
  labelNames: ['route', 'method'],
  buckets: BUCKETS,
});
// A summary with quantiles (and no labels).
const payload = both((c) => new client.Summary(c), {
  name: 'shop_payload_bytes',
  help: 'Request payload size.',
  percentiles: [0.5, 0.9, 0.99],
});

// Deterministic traffic: each bump adds the same observations.
const LATENCIES = {
  'GET /orders': [0.001, 0.004, 0.02, 0.3, 0.7, 3.0],
  'POST /orders': [0.06, 0.2, 2.0],
};
const PAYLOADS = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
let bumps = 0;

function bump() {
  bumps += 1;
  for (const c of orders) {
    c.inc({ method: 'card', status: 'ok', note: 'plain' }, 3);
    c.inc({ method: 'card', status: 'declined', note: 'plain' });
    c.inc({ method: 'invoice', status: 'ok', note: TRICKY }, 0.1);
  }
  for (const g of queue) {
    g.set({ queue: 'email' }, 42.5 + bumps);
    g.set({ queue: 'refunds' }, -3.25 * bumps);
  }
  for (const h of latency) {
    for (const [key, values] of Object.entries(LATENCIES)) {
      const [method, route] = key.split(' ');
      for (const v of values) h.observe({ route, method }, v);
    }
  }
  for (const s of payload) for (const v of PAYLOADS) s.observe(v);
}
bump();

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (req.method === 'GET' && url.pathname === '/metrics') {
      const om = url.searchParams.get('format') === 'openmetrics';
      const reg = om ? omRegistry : registry;
      const body = await reg.metrics();
      res.writeHead(200, { 'Content-Type': reg.contentType });
      res.end(body);
    } else if (req.method === 'POST' && url.pathname === '/bump') {
      bump();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ bumps }));
    } else if (req.method === 'GET' && url.pathname === '/expected') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ bumps, tricky: TRICKY, buckets: BUCKETS }));
    } else {
      res.writeHead(404);
      res.end('not found\n');
    }
  } catch (err) {
    res.writeHead(500);
    res.end(String(err));
  }
});

server.listen(Number(process.argv[2] || process.env.PORT || 0), '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`listening on ${address}:${port}`);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
