#!/usr/bin/env bash
# Rolling restart behind HAProxy: three instances with active health checks on readiness, each restarted in turn
# (SIGTERM, exit, start, ready and UP) under keep-alive and new-connection POST load, with and without
# terminator.shutdown-delay, and with Spring Boot's built-in graceful shutdown.
# Usage: benchmarks/rolling-restart.sh [--smoke] [--containers tomcat,jetty,undertow] [--rounds N] [--other-rounds N]
#        [--inter S] [--fall N] [--rise N] [--shutdown-delay S] [--section NAME]; BENCH_BOOT_LINE=3 runs every container on the Boot 3.5 sample.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require haproxy gnuplot timeout python3
bench_sample_jar
bench_raise_fd_limit 65536
export BENCH_SCRIPT="benchmarks/rolling-restart.sh"
bench_run "$(python3 "$BENCH_DIR/rolling_restart.py" --bound-only "$@")" "$BENCH_DIR/rolling_restart.py" "$@"
