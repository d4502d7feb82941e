#!/usr/bin/env bash
# Watch terminator drain a running sample app, from the clients' side.
#
#   terminal 1:  java -jar sample-app/target/sample-app.jar --terminator.shutdown-delay=5s
#   terminal 2:  scripts/watch-drain.sh
#   then stop the app: Ctrl-C in terminal 1, or kill -TERM <pid> (or let this script do it: -k <pid>).
#
# The script opens a few idle keep-alive connections and one slow request, then polls with new connections and
# prints, with timestamps, what clients see: readiness turning 503 while /hello is still served with
# "Connection: close" (the lame-duck delay), new connections refused and idle connections closed by the server
# (the drain), the slow request finishing with "Connection: close". The app's own log ends with one line such as
#   Drained tomcat in 4012 ms: 3 idle closed, 1 completed, 0 forced
# Loopback only. Needs bash 4.2+ and curl.
set -euo pipefail

usage() {
	cat <<EOF
usage: $0 [-p port] [-m management-port] [-n idle-connections] [-s slow-millis] [-k pid]
  -p  the app's port (default 8080)
  -m  the management port, if the app has a separate one (default: the app's port)
  -n  how many idle keep-alive connections to open (default 3)
  -s  how long the slow request takes, in ms (default 20000): stop the app before it ends
  -k  send SIGTERM to this pid once everything is open, instead of waiting for you to stop the app
EOF
	exit 2
}

HOST=127.0.0.1
PORT=8080
MANAGEMENT_PORT=
IDLE=3
SLOW_MILLIS=20000
KILL_PID=
while getopts "p:m:n:s:k:h" option; do
	case $option in
		p) PORT=$OPTARG ;;
		m) MANAGEMENT_PORT=$OPTARG ;;
		n) IDLE=$OPTARG ;;
		s) SLOW_MILLIS=$OPTARG ;;
		k) KILL_PID=$OPTARG ;;
		*) usage ;;
	esac
done
MANAGEMENT_PORT=${MANAGEMENT_PORT:-$PORT}

if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 2))); then
	echo "needs bash 4.2 or later (this is $BASH_VERSION)" >&2
	exit 2
fi
command -v curl >/dev/null || { echo "needs curl" >&2; exit 2; }

now() {
	if [[ -n ${EPOCHREALTIME:-} ]]; then
		local micros=${EPOCHREALTIME#*.}
		printf '%(%H:%M:%S)T.%s' "${EPOCHREALTIME%.*}" "${micros:0:3}"
	else
		printf '%(%H:%M:%S)T' -1
	fi
}

say() {
	printf '%s  %s\n' "$(now)" "$*"
}

# Status and Connection header of a GET on a new connection, or "refused".
probe() {
	local headers code=0
	headers=$(curl -sS -o /dev/null -D - --max-time 30 "http://$HOST:$1$2" 2>/dev/null) || code=$?
	if ((code == 7)); then
		echo "refused"
		return
	elif ((code != 0)); then
		echo "failed (curl exit $code)"
		return
	fi
	headers=${headers//$'\r'/}
	local status connection
	status=$(head -n 1 <<<"$headers" | cut -d ' ' -f 2)
	connection=$(grep -i '^connection:' <<<"$headers" | cut -d ' ' -f 2- || true)
	echo "$status${connection:+ Connection: $connection}"
}

if [[ $(probe "$PORT" /hello) == refused ]]; then
	echo "Nothing answers on http://$HOST:$PORT/hello. Start the sample app first:" >&2
	echo "  java -jar sample-app/target/sample-app.jar --terminator.shutdown-delay=5s" >&2
	exit 1
fi

# Idle keep-alive connections: one request each, then silence. A watcher per connection reports when the server
# closes it.
for ((i = 1; i <= IDLE; i++)); do
	exec {fd}<>"/dev/tcp/$HOST/$PORT"
	printf 'GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n' >&"$fd"
	IFS=$' \r' read -r -t 5 _ status _ <&"$fd"
	length=0
	while IFS=$'\r' read -r -t 5 line <&"$fd" && [[ -n $line ]]; do
		if [[ ${line,,} == content-length:* ]]; then
			length=${line#*: }
		fi
	done
	read -r -t 5 -N "$length" _ <&"$fd" || true
	say "idle connection $i: GET /hello answered $status, kept alive"
	(
		while read -r _ <&"$fd"; do :; done
		say "idle connection $i: closed by the server"
	) &
done

(
	slow=$(probe "$PORT" "/slow?millis=$SLOW_MILLIS")
	say "slow request: finished: $slow"
) &
say "slow request: GET /slow?millis=$SLOW_MILLIS sent"

# New connections, polled from here on: print only what changes.
last=
poll() {
	local hello readiness current
	hello=$(probe "$PORT" /hello)
	readiness=$(probe "$MANAGEMENT_PORT" /actuator/health/readiness)
	current="new connection: GET /hello $hello | readiness $readiness"
	if [[ $current != "$last" ]]; then
		say "$current"
		last=$current
	fi
	[[ $hello != refused ]]
}
poll || true

if [[ -n $KILL_PID ]]; then
	kill -TERM "$KILL_PID"
	say "sent SIGTERM to $KILL_PID"
else
	say "now stop the app: Ctrl-C in its terminal, or kill -TERM <its pid>"
fi

while poll; do
	sleep 0.2
done

wait
say "done: the app's last log lines hold the one-line summary (Drained ... idle closed, ... completed, ... forced)"
