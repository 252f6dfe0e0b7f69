#!/usr/bin/env bash
# make bench: every comparison benchmark, figures printed (never a pass/fail gate).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== Storage: hastewatch vs Prometheus vs VictoriaMetrics"
python3 bench/tsdb_compare.py "$@"
echo; echo "== remote_write ingestion: hastewatch vs Prometheus vs VictoriaMetrics"; python3 bench/ingest_compare.py
echo
echo "== PromQL: dashboard and alert queries vs Prometheus and VictoriaMetrics"
python3 bench/query_compare.py
echo
echo "== Rules: 1,000 recording and alerting rules, group evaluation time vs Prometheus"
python3 bench/rules_compare.py
echo
echo "== Scraping 1,000 targets x 500 series"
python3 bench/scrape_load.py
echo
echo "== Micro-benchmarks"
for b in build/src/tsdb/chunk_bench build/src/tsdb/codec_bench build/src/tsdb/wal_bench \
         build/src/scrape/parser_bench; do
  [ -x "$b" ] && "$b" --benchmark_min_time=0.2 2>/dev/null | tail -n +4
done
