#!/usr/bin/env bash
# The adaptive lame-duck delay behind HAProxy: two instances, health checks on readiness on the management port,
# keep-alive and new-connection POST load; SIGTERM to A, and the times of HAProxy marking it DOWN, of its delay's
# end and of its exit, adaptive vs fixed delays, 3 runs per mode.
# Usage: benchmarks/adaptive-delay.sh [--smoke] [--runs N] [--inter S] [--fall N] [--rise N] [--shutdown-delay S]
#        [--quiet-time S] [--minimum S[,S...]]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require haproxy timeout python3
bench_sample_jar
bench_raise_fd_limit 65536
export BENCH_SCRIPT="benchmarks/adaptive-delay.sh"
bench_run "$(python3 "$BENCH_DIR/adaptive_delay.py" --bound-only "$@")" "$BENCH_DIR/adaptive_delay.py" "$@"
