#!/usr/bin/env bash
# JMH benchmarks of terminator's per-request path, in ns per request: the servlet line (registry transitions +
# ConnectionCloseFilter, PerRequestPathBenchmark) and Reactor Netty (NettyPerRequestPathBenchmark).
# Builds benchmarks/jmh (offline first) and runs it: 3 forks x 5 iterations of 1 s after 5 of warm-up, each
# benchmark (~3.5 min: 6 benchmarks, 4 of them the servlet line's);
# --smoke: 1 fork x 2 iterations. Prints each benchmark's ns/op, the target and whether it was met, and writes the
# table into docs/benchmarks.md (section jmh).
# Usage: benchmarks/jmh.sh [--smoke] [extra JMH options, e.g. -prof gc]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "Load average at the start: $(cat /proc/loadavg)" >&2
bench_require timeout python3
module="$REPO_DIR/benchmarks/jmh"
build=(-B -q -pl benchmarks/jmh -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
(cd "$REPO_DIR" && { mvn -o "${build[@]}" 2>/dev/null || mvn "${build[@]}"; })
export JMH_CLASSPATH="$module/target/classes:$(cat "$module/target/classpath.txt")"
export BENCH_SCRIPT="benchmarks/jmh.sh"
bench_run 600 "$BENCH_DIR/jmh_report.py" "$@"
