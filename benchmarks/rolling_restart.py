"""Rolling restart behind HAProxy: three instances, active health checks on readiness, each restarted in turn
under POST load, as a Kubernetes rolling deploy does to a Service.

HAProxy (one process) listens on a free loopback port and balances round-robin over instances A, B and C on fixed
ports (a restarted instance comes back on the same port, as a pod's replacement comes back under the same Service):

- active health checks: `GET /actuator/health/readiness`, `http-check expect status 200`, every --inter seconds,
  DOWN after --fall failed checks and UP again after --rise good ones (a Kubernetes readiness probe with
  periodSeconds=1, failureThreshold=2, successThreshold=2 by default);
- HTTP keep-alive to the servers (`http-reuse safe`, HAProxy's default; no `option http-server-close`);
- `retries 3` with `option redispatch 1`, `retry-on conn-failure` (HAProxy's default): a connection the server
  refused is tried again, on another server, as any real deployment would do, since nothing was sent. A request
  HAProxy has already sent is never retried (no `retry-on` for responses: a POST is not idempotent), so each such
  failure reaches the client as a 502/503/504 or as a connection closed without a response.

Load: --keep-alive-clients clients that keep their connection to HAProxy, and --new-connection-clients that open one
connection per request, all POST /echo with a unique body that must come back.

Timeline of one run (one row): the three instances ready and UP in HAProxy; --before seconds of load; then --rounds
rolling restarts (--other-rounds in the rows without shutdown-delay), each restarting A, B and C in turn: SIGTERM, wait for the JVM to exit, start it again on the same port,
wait until its readiness answers 200 and HAProxy has it UP, then the next instance; --after seconds of load.

Modes: terminator without shutdown-delay, terminator with shutdown-delay (default fall x inter + 1 s: long enough
for HAProxy to see readiness fail and mark the instance DOWN before the listen socket closes), and Spring Boot's
built-in graceful shutdown (`--terminator.enabled=false`, which also flips readiness to REFUSING_TRAFFIC at
shutdown).
"""

import argparse
import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import benchlib as b
from loadgen import Loader

INSTANCES = ("a", "b", "c")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--containers", default=",".join(b.CONTAINERS))
    parser.add_argument("--keep-alive-clients", type=int, default=4, help="clients that keep their connection")
    parser.add_argument("--new-connection-clients", type=int, default=4, help="clients with one connection per "
                        "request")
    parser.add_argument("--before", type=float, default=3.0, help="seconds of load before the first restart")
    parser.add_argument("--after", type=float, default=2.0, help="seconds of load after the last restart")
    parser.add_argument("--rounds", type=int, default=3, help="rolling restarts per row (each restarts A, B, C)")
    parser.add_argument("--other-rounds", type=int, default=None,
                        help="rolling restarts for the rows without shutdown-delay (default: --rounds)")
    parser.add_argument("--section", default=None, help="the section of docs/benchmarks.md to write (default "
                        "rolling-restart, rolling-restart-boot3 with BENCH_BOOT_LINE=3)")
    parser.add_argument("--inter", type=float, default=1.0, help="HAProxy health-check interval in seconds")
    parser.add_argument("--fall", type=int, default=2, help="failed checks before HAProxy marks a server DOWN")
    parser.add_argument("--rise", type=int, default=2, help="good checks before HAProxy marks a server UP")
    parser.add_argument("--shutdown-delay", type=float, default=None,
                        help="terminator.shutdown-delay in seconds (default: fall x inter + 1)")
    parser.add_argument("--smoke", action="store_true", help="one rolling restart per row")
    parser.add_argument("--bound-only", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.rounds = 1
        args.other_rounds = 1
    if args.other_rounds is None:
        args.other_rounds = args.rounds
    if args.shutdown_delay is None:
        args.shutdown_delay = args.fall * args.inter + 1.0
    args.container_list = b.parse_containers(args.containers)
    return args


UP_TIMEOUT = 60.0


def modes(args):
    return [("terminator, no delay", ["--terminator.enabled=true", "--terminator.shutdown-delay=0s"], args.other_rounds),
            (f"terminator, shutdown-delay {args.shutdown_delay:g}s",
             ["--terminator.enabled=true", f"--terminator.shutdown-delay={int(args.shutdown_delay * 1000)}ms"],
             args.rounds),
            ("built-in graceful", ["--terminator.enabled=false"], args.other_rounds)]


def bound(args):
    per_restart = args.shutdown_delay + b.STOP_TIMEOUT + b.START_TIMEOUT + UP_TIMEOUT
    per_row = sum(b.START_TIMEOUT + UP_TIMEOUT + args.before + rounds * len(INSTANCES) * per_restart + args.after + 60
                  for _, _, rounds in modes(args))
    return int(len(args.container_list) * per_row) + 60


class HAProxy:
    """HAProxy in the foreground (`-db`), its configuration, stats socket and error log in a temporary directory.
    With check_ports, the health check of each server goes to that port (`check port N`: a management port) instead
    of the server's own."""

    def __init__(self, server_ports, args, names=INSTANCES, check_ports=None):
        self.names = tuple(names)
        self.dir = b.tmp_dir("haproxy")
        self.port = b.free_port()
        self.socket_path = self.dir / "admin.sock"
        self.conf = self.dir / "haproxy.cfg"
        checks = check_ports or [None] * len(self.names)
        servers = "\n".join(f"    server {name} {b.LOOPBACK}:{port} check inter {int(args.inter * 1000)}ms "
                            f"fall {args.fall} rise {args.rise}" + (f" port {check}" if check else "")
                            for name, port, check in zip(self.names, server_ports, checks))
        # Only abnormal requests are logged (dontlog-normal), to stderr, with HAProxy's termination state.
        self.conf.write_text(f"""global
    stats socket {self.socket_path} mode 600 level admin
    log stderr format raw local0 info
    maxconn 4096

defaults
    mode http
    log global
    option httplog
    option dontlog-normal
    option dontlognull
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout check 1s
    retries 3
    option redispatch 1
    retry-on conn-failure
    http-reuse safe

frontend web
    bind {b.LOOPBACK}:{self.port}
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /actuator/health/readiness ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
{servers}
""")
        check = subprocess.run(["haproxy", "-c", "-q", "-f", str(self.conf)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError("haproxy rejected its configuration:\n" + check.stdout + check.stderr)
        self.log_path = self.dir / "haproxy.log"
        self.process = b.track(subprocess.Popen(["haproxy", "-db", "-f", str(self.conf)], stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w")))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("haproxy did not start: " + self.log_path.read_text())
            try:
                socket.create_connection((b.LOOPBACK, self.port), timeout=1).close()
                if self.socket_path.exists():
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("haproxy not listening")
        self.transitions = []
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def command(self, text):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket_path))
            sock.sendall(text.encode() + b"\n")
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def stats(self):
        """The backend's rows of `show stat`, by server name ('BACKEND' for the backend's totals)."""
        text = self.command("show stat").lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {row["svname"]: row for row in rows if row.get("pxname") == "app"}

    def status(self, server):
        return self.stats()[server]["status"]

    def _watch(self):
        """Every 50 ms, note each server's state change (UP, DOWN, 'UP 1/2', ...) with its time."""
        last = {}
        while not self._stop.is_set():
            try:
                for name, row in self.stats().items():
                    if name in self.names and last.get(name) != row["status"]:
                        last[name] = row["status"]
                        self.transitions.append((time.monotonic(), name, row["status"]))
            except OSError:
                pass
            self._stop.wait(0.05)

    def first_after(self, server, since, status):
        for at, name, state in list(self.transitions):
            if name == server and at >= since and state == status:
                return at
        return None

    def wait_up(self, server, timeout=UP_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status(server) == "UP":
                return True
            time.sleep(0.05)
        raise RuntimeError(f"haproxy did not mark {server} UP within {timeout}s: {self.status(server)}")

    def counters(self):
        """The backend's totals: retries, redispatches, connection and response errors, 5xx it answered."""
        row = self.stats()["BACKEND"]
        return {key: int(row.get(key) or 0) for key in ("wretr", "wredis", "econ", "eresp", "hrsp_5xx")}

    def abnormal(self):
        """HAProxy's log of abnormal requests, by termination state and status (e.g. 'SH-- 502')."""
        kinds = {}
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        # httplog: ... status bytes_read - - TERM ... ; the termination state is four characters among
        # letters and dashes, after the two cookie fields.
        for match in re.finditer(r" (-?\d+) -?\d+ \S+ \S+ ([A-Za-z-]{4}) ", text):
            key = f"{match.group(2)} {match.group(1)}"
            kinds[key] = kinds.get(key, 0) + 1
        return kinds

    def stop(self):
        self._stop.set()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGUSR1)  # soft stop: finish what is open, then exit
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def restart(instance, apps, ports, container, props, haproxy, restarts, round_number):
    old = apps[instance]
    old.sigterm()
    exited = old.wait_exit(b.STOP_TIMEOUT + 10)
    exit_ms = old.exit_seconds * 1000 if exited and old.exit_seconds is not None else None
    new = b.App(container, props, name=f"rolling-{container}-{instance}{round_number}", port=ports[instance])
    apps[instance] = new
    started = time.monotonic()
    new.wait_ready()
    deadline = time.monotonic() + UP_TIMEOUT
    while not new.get_ok("/actuator/health/readiness"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{new.name}: readiness not 200 within {UP_TIMEOUT}s")
        time.sleep(0.1)
    haproxy.wait_up(instance)
    down = haproxy.first_after(instance, old.sigterm_at, "DOWN")
    record = {"instance": instance, "exit_ms": exit_ms, "summary": old.drain_summary(),
              "down_ms": (down - old.sigterm_at) * 1000 if down else None,
              "back_s": time.monotonic() - started}
    restarts.append(record)
    b.log(f"  restarted {instance}: exit {exit_ms and round(exit_ms)} ms, DOWN in haproxy "
          f"{record['down_ms'] and round(record['down_ms'])} ms after SIGTERM, UP again {record['back_s']:.1f} s "
          f"after the start; drain {record['summary']}")


def run_row(container, mode, props, rounds, args):
    ports = {name: b.free_port() for name in INSTANCES}
    apps = {name: b.App(container, props, name=f"rolling-{container}-{name}", port=ports[name]) for name in INSTANCES}
    haproxy = None
    loaders = []
    restarts = []
    try:
        b.start_apps(list(apps.values()))
        haproxy = HAProxy([ports[name] for name in INSTANCES], args)
        for name in INSTANCES:
            haproxy.wait_up(name)
        loaders = [Loader(haproxy.port, args.keep_alive_clients, keep_alive=True),
                   Loader(haproxy.port, args.new_connection_clients, keep_alive=False)]
        for loader in loaders:
            loader.start()
        time.sleep(args.before)
        began = time.monotonic()
        for round_number in range(1, rounds + 1):
            b.log(f"{container} {mode}: rolling restart {round_number}/{rounds}")
            for instance in INSTANCES:
                restart(instance, apps, ports, container, props, haproxy, restarts, round_number)
        restart_seconds = time.monotonic() - began
        time.sleep(args.after)
        kept, fresh = (loader.stop() for loader in loaders)
        result = {"container": container, "mode": mode, "keep_alive": kept, "new_connection": fresh,
                  "haproxy": haproxy.counters(), "abnormal": haproxy.abnormal(), "restarts": restarts,
                  "seconds": restart_seconds}
        b.log(f"{container} {mode}: keep-alive {kept}\n  new-connection {fresh}\n  haproxy {result['haproxy']} "
              f"abnormal {result['abnormal']}")
        return result
    finally:
        for loader in loaders:
            loader.stop(5)
        if haproxy is not None:
            haproxy.stop()
        for app in apps.values():
            app.kill()


def summarise(results, args):
    rows, data = [], []
    for r in results:
        counts = [r["keep_alive"], r["new_connection"]]

        def total(key):
            return sum(c.get(key, 0) for c in counts)

        def status(code):
            return sum(c["statuses"].get(code, 0) for c in counts)

        bad_5xx = total("5xx")
        lost = total("lost")
        errors = bad_5xx + lost + total("connect_errors") + total("refused") + total("mismatched")
        exits = [x["exit_ms"] for x in r["restarts"]]
        downs = [x["down_ms"] for x in r["restarts"] if x["down_ms"] is not None]
        target = ("met" if errors == 0 else "missed") if r["mode"].startswith("terminator, shutdown-delay") else ""
        rows.append([r["container"], r["mode"], f"{len(r['restarts']) // len(INSTANCES)} x {len(INSTANCES)}",
                     f"{total('sent'):,}", f"{total('ok'):,}", f"**{status(502)}**", f"**{status(503)}**",
                     f"**{status(504)}**", bad_5xx - status(502) - status(503) - status(504),
                     f"**{r['keep_alive']['lost']}**", f"**{r['new_connection']['lost']}**",
                     total("connect_errors") + total("refused"),
                     f"{r['haproxy']['wretr']} / {r['haproxy']['wredis']}",
                     ", ".join(f"{k} x{v}" for k, v in sorted(r["abnormal"].items())) or "none",
                     f"{min(exits):.0f}..{max(exits):.0f}" if exits and None not in exits else "killed",
                     f"{min(downs):.0f}..{max(downs):.0f}" if downs else "-", target])
        data.append((r["container"], r["mode"], errors))
    headers = ["container", "mode", "restarts", "requests", "ok", "502", "503", "504", "other 5xx",
               "lost, keep-alive clients", "lost, new-connection clients", "refused/connect errors at HAProxy",
               "HAProxy retries / redispatches", "HAProxy abnormal log (state status)", "SIGTERM->exit ms",
               "SIGTERM->DOWN in HAProxy ms", "target 0 errors"]
    return headers, rows, data


def report(results, skipped, args, rows_planned):
    """Print the table and write the section of docs/benchmarks.md; called after every row, so that a run cut short
    by its bound still leaves the rows it measured (marked partial)."""
    headers, rows, data = summarise(results, args)
    text = b.table(headers, rows)
    complete = len(results) + len(skipped) * len(modes(args)) >= rows_planned
    if complete:
        print(text)
        met = [row[-1] for row in rows if row[-1]]
        print(f"Target: 0 errors at the clients with terminator and shutdown-delay, every container: "
              f"{'met' if met and all(v == 'met' for v in met) else 'missed'}")
    chart = None
    if data and complete:
        mode_names = [name for name, _, _ in modes(args)]
        lines = ["container " + " ".join(f'"{name}"' for name in mode_names)]
        for container in dict.fromkeys(c for c, _, _ in data):
            values = {mode: errors for c, mode, errors in data if c == container}
            lines.append(container + " " + " ".join(str(values.get(name, "-")) for name in mode_names))
        chart = b.gnuplot(section_name(args), f"""
set title 'Errors at the clients (5xx + no answer) in rolling restarts of 3 instances behind HAProxy'
set datafile missing '-'
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set ylabel 'errors seen by clients'
set yrange [0:*]
set key top left
plot for [i=2:{len(mode_names) + 1}] '$DATA' using i:xtic(1) title columnheader(i)
""", "\n".join(lines) + "\n")
    boot_line = "Boot 3.5 sample for every container" if os.environ.get("BENCH_BOOT_LINE") == "3" \
        else "Tomcat and Jetty on the Boot 4 sample, Undertow on the Boot 3.5 one"
    markdown = b.run_header(b.command_line(), args.smoke)
    if not complete:
        markdown += f"\n**Partial**: {len(results)} of {rows_planned} rows measured so far.\n"
    markdown += (f"\n{boot_line}. {args.keep_alive_clients} keep-alive clients and {args.new_connection_clients} "
                 f"new-connection clients through HAProxy; health check every {args.inter:g} s, fall {args.fall}, "
                 f"rise {args.rise}; {args.before:g} s of load, then rolling restarts of A, B, C ({args.rounds} with "
                 f"shutdown-delay, {args.other_rounds} in the other rows), then {args.after:g} s of load; one run per "
                 f"row, one HAProxy and one load per row.\n\n" + text + "\n")
    for container, reason in skipped.items():
        markdown += f"\n- {container}: not measured ({reason}).\n"
    if chart:
        markdown += f"\n![rolling restart behind HAProxy]({chart})\n"
    b.update_doc(section_name(args), markdown)


def section_name(args):
    if args.section:
        return args.section
    return "rolling-restart-boot3" if os.environ.get("BENCH_BOOT_LINE") == "3" else "rolling-restart"


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    b.log(f"Load average at the start: {b.LOAD_AT_START}")
    results, skipped = [], {}
    rows_planned = len(args.container_list) * len(modes(args))
    for container in args.container_list:
        try:
            for mode, props, rounds in modes(args):
                results.append(run_row(container, mode, props, rounds, args))
                report(results, skipped, args, rows_planned)
        except b.ContainerUnavailable as ex:
            skipped[container] = str(ex)
            b.log(f"Skipping {container}: {ex}")
            report(results, skipped, args, rows_planned)


if __name__ == "__main__":
    sys.exit(main())
