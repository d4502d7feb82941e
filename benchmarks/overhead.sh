#!/usr/bin/env bash
# Overhead as CPU per request: the server's CPU time on a fixed number of keep-alive requests (h2load --h1),
# terminator on vs off, with the A/A control (on vs on), alternating rounds, per container.
# Servers: tomcat, jetty, undertow (the servlet sample) and netty (the reactive sample on Reactor Netty); default all four.
# Usage: benchmarks/overhead.sh [--smoke] [--containers tomcat,jetty,undertow,netty] [--rounds N] [--requests N] ...
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "Load average at the start: $(cat /proc/loadavg)" >&2
bench_require h2load taskset gnuplot jcmd timeout python3
bench_sample_jar
export BENCH_SCRIPT="benchmarks/overhead.sh"
bench_run "$(python3 "$BENCH_DIR/overhead.py" --bound-only "$@")" "$BENCH_DIR/overhead.py" "$@"
