#!/usr/bin/env bash
# New connections at shutdown: clients open a new connection per POST /echo, SIGTERM mid-load; lost on a new
# connection (connect() succeeded, request written, then reset/EOF/timeout), refused (clean), served, 5xx; per Boot
# line, container, plain and TLS, terminator vs Spring Boot's built-in graceful shutdown.
# Usage: benchmarks/new-connections.sh [--smoke] [--lines 4,3] [--containers tomcat,jetty,undertow]
#        [--transports plain,tls] [--modes terminator,builtin] [--repeat N] [--clients N] [--processes N]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require openssl timeout python3
bench_sample_jar
bench_raise_fd_limit 65536
export BENCH_SCRIPT="benchmarks/new-connections.sh"
bench_run "$(python3 "$BENCH_DIR/new_connections.py" --bound-only "$@")" "$BENCH_DIR/new_connections.py" "$@"
