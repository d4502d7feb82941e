#!/usr/bin/env bash
# Behind nginx: two instances in an upstream keep-alive pool, one taken out (nginx reload + SIGTERM) under POST
# load, with and without terminator.shutdown-delay, and with Spring Boot's built-in graceful shutdown.
# Usage: benchmarks/behind-nginx.sh [--smoke] [--containers tomcat,jetty,undertow] [--propagation S] [--repeat N]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require nginx gnuplot jcmd timeout python3
bench_sample_jar
bench_raise_fd_limit 65536
export BENCH_SCRIPT="benchmarks/behind-nginx.sh"
bench_run "$(python3 "$BENCH_DIR/behind_nginx.py" --bound-only "$@")" "$BENCH_DIR/behind_nginx.py" "$@"
