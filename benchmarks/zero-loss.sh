#!/usr/bin/env bash
# Zero loss under load: keep-alive POST /echo load, SIGTERM mid-load; lost requests, 5xx and resets, per container,
# plain and TLS, terminator vs Spring Boot's built-in graceful shutdown.
# Servers: tomcat, jetty, undertow (the servlet sample) and netty (the reactive sample on Reactor Netty); default all four.
# Usage: benchmarks/zero-loss.sh [--smoke] [--containers tomcat,jetty,undertow,netty] [--transports plain,tls] [--repeat N]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_require gnuplot openssl jcmd timeout python3
bench_sample_jar
bench_raise_fd_limit 65536
export BENCH_SCRIPT="benchmarks/zero-loss.sh"
bench_run "$(python3 "$BENCH_DIR/zero_loss.py" --bound-only "$@")" "$BENCH_DIR/zero_loss.py" "$@"
