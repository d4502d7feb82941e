#!/usr/bin/env bash
# All the benchmarks in turn, with the same arguments (e.g. --smoke, --containers tomcat); jmh.sh and adaptive-delay.sh
# (Tomcat only) get --smoke only.
# Each one stops by itself within its own bound; this script takes at most their sum.
set -uo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
status=0
smoke=()
for arg in "$@"; do
	if [ "$arg" = "--smoke" ]; then smoke=(--smoke); fi
done
for script in overhead jmh drain-latency zero-loss behind-nginx new-connections rolling-restart adaptive-delay; do
	if [ "$script" = "jmh" ] || [ "$script" = "adaptive-delay" ]; then args=("${smoke[@]}"); else args=("$@"); fi
	echo "=== $script ${args[*]}" >&2
	"$dir/$script.sh" "${args[@]}" || { echo "=== $script failed with $?" >&2; status=1; }
done
exit $status
