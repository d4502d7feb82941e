#!/usr/bin/env bash
# Spring Cloud Gateway at shutdown: (a) SIGTERM to the gateway under keep-alive POST load, lost requests; (b) SIGTERM to
# the backend (the Boot 4 sample, reactive and servlet) behind it: Connection: close seen by the gateway's pool,
# PrematureCloseException and 5xx reaching the clients; terminator vs Spring Boot's built-in graceful shutdown.
# Usage: benchmarks/gateway.sh [--smoke] [--scenarios gateway,backend] [--backends reactive,servlet]
#        [--modes terminator,builtin] [--repeat N] [--clients N] [--before S]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require timeout python3
bench_sample_jar
bench_gateway_jar
bench_raise_fd_limit 65536
export BENCH_SCRIPT="benchmarks/gateway.sh"
bench_run "$(python3 "$BENCH_DIR/gateway.py" --bound-only "$@")" "$BENCH_DIR/gateway.py" "$@"
