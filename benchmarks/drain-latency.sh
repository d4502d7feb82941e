#!/usr/bin/env bash
# Drain latency at scale: 100, 1,000 and 10,000 idle keep-alive connections, terminator vs Spring Boot's built-in
# graceful shutdown, per container; also heap per tracked connection.
# Servers: tomcat, jetty, undertow (the servlet sample) and netty (the reactive sample on Reactor Netty); default all four.
# Usage: benchmarks/drain-latency.sh [--smoke] [--containers tomcat,jetty,undertow,netty] [--sizes 100,1000,10000]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require gnuplot jcmd timeout python3
bench_sample_jar
bench_raise_fd_limit 65536
echo "Open-file limit: $(ulimit -n)" >&2
export BENCH_SCRIPT="benchmarks/drain-latency.sh"
bench_run "$(python3 "$BENCH_DIR/drain_latency.py" --bound-only "$@")" "$BENCH_DIR/drain_latency.py" "$@"
