# Shared set-up for the benchmark scripts: sourced, not run.
#
# Installs the Debian packages a benchmark needs when they are missing, builds the sample jars when they are missing,
# raises the open-file limit, then runs the benchmark's Python driver under a hard time bound.

set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
# Spring Boot 4 for Tomcat and Jetty, Boot 3.5 for Undertow (see sample_jar in benchlib.py)
SAMPLE_JARS=("$REPO_DIR/sample-app/target/sample-app.jar" "$REPO_DIR/sample-app-boot3/target/sample-app-boot3.jar")

# command -> Debian package that provides it
declare -A BENCH_PACKAGES=(
	[wrk]=wrk
	[h2load]=nghttp2-client
	[taskset]=util-linux
	[nginx]=nginx-light
	[haproxy]=haproxy
	[gnuplot]=gnuplot-nox
	[openssl]=openssl
	[curl]=curl
	[jcmd]=openjdk-17-jdk-headless
	[python3]=python3
	[timeout]=coreutils
)

# Install the packages behind the given commands, if any is missing.
bench_require() {
	local missing=()
	local command
	for command in "$@"; do
		if ! command -v "$command" >/dev/null 2>&1; then
			missing+=("${BENCH_PACKAGES[$command]:-$command}")
		fi
	done
	if [ "${#missing[@]}" -eq 0 ]; then
		return 0
	fi
	echo "Installing ${missing[*]} ..." >&2
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		sudo="sudo"
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	# The Debian nginx and haproxy packages may start a system-wide service: the benchmarks run their own.
	if command -v service >/dev/null 2>&1; then
		local package
		for package in nginx haproxy; do
			if [[ " ${missing[*]} " == *" $package"* ]]; then
				$sudo service "$package" stop >/dev/null 2>&1 || true
			fi
		done
	fi
}

# Build the sample applications' jars if they are not there yet (offline first, then with downloads).
bench_sample_jar() {
	if [ -f "${SAMPLE_JARS[0]}" ] && [ -f "${SAMPLE_JARS[1]}" ] && [ "${BENCH_REBUILD:-0}" != "1" ]; then
		return 0
	fi
	echo "Building ${SAMPLE_JARS[*]} ..." >&2
	(cd "$REPO_DIR" && { mvn -B -q -o package -pl sample-app,sample-app-boot3 -am -DskipTests 2>/dev/null \
		|| mvn -B -q package -pl sample-app,sample-app-boot3 -am -DskipTests; })
}

# Build the Spring Cloud Gateway of gateway.sh if it is not there yet: benchmarks/gateway/pom.xml is a reactor of its own
# (terminator's modules and the gateway), so the gateway takes the starter from it and nothing is installed into a
# local repository. Offline first; the first build downloads Spring Cloud's artifacts.
bench_gateway_jar() {
	local jar="$BENCH_DIR/gateway/app/target/gateway.jar"
	if [ -f "$jar" ] && [ "${BENCH_REBUILD:-0}" != "1" ]; then
		return 0
	fi
	echo "Building $jar ..." >&2
	(cd "$REPO_DIR" && { mvn -B -q -o package -DskipTests -f benchmarks/gateway/pom.xml 2>/dev/null \
		|| mvn -B -q package -DskipTests -f benchmarks/gateway/pom.xml; })
}

# Raise the soft open-file limit as far as the hard limit allows (and the hard one too, where permitted).
bench_raise_fd_limit() {
	local wanted="${1:-65536}"
	ulimit -Hn "$wanted" 2>/dev/null || true
	local hard
	hard="$(ulimit -Hn)"
	if [ "$hard" = "unlimited" ] || [ "$hard" -ge "$wanted" ]; then
		ulimit -Sn "$wanted"
	else
		ulimit -Sn "$hard"
	fi
}

# Run a Python driver with a hard bound: SIGTERM at the bound, SIGKILL 30 s later. The driver stops the processes
# it started when it is terminated.
bench_run() {
	local bound="$1"
	shift
	if ! [[ "$bound" =~ ^[0-9]+$ ]]; then
		# --help (or a usage error): the driver printed its text instead of a bound.
		echo "$bound"
		exit 0
	fi
	echo "Bound: this run stops by itself within ${bound}s." >&2
	exec timeout --kill-after=30 "$bound" python3 "$@"
}
