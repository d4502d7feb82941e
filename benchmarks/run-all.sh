#!/usr/bin/env bash
# All four benchmarks in turn, with the same arguments (e.g. --smoke, --containers tomcat).
# Each one stops by itself within its own bound; this script takes at most their sum.
set -uo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
status=0
for script in overhead drain-latency zero-loss behind-nginx; do
	echo "=== $script $*" >&2
	"$dir/$script.sh" "$@" || { echo "=== $script failed with $?" >&2; status=1; }
done
exit $status
