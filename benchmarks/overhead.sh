#!/usr/bin/env bash
# Overhead of terminator under keep-alive load: wrk on /hello, terminator on vs off, per container.
# Usage: benchmarks/overhead.sh [--smoke] [--containers tomcat,jetty,undertow] [--rounds N] [--duration S] ...
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require wrk gnuplot openssl jcmd timeout python3
bench_sample_jar
export BENCH_SCRIPT="benchmarks/overhead.sh"
bench_run "$(python3 "$BENCH_DIR/overhead.py" --bound-only "$@")" "$BENCH_DIR/overhead.py" "$@"
