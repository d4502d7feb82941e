"""Drain latency at scale: N idle keep-alive connections, SIGTERM, time until the client sees every one closed.

Two scenarios. *idle*: for each container, each mode (terminator with terminator.quiet-period=0s, terminator with its
default quiet period once every connection has been quiet longer than that, and optionally Spring Boot's built-in
graceful shutdown with terminator.enabled=false) and each N, a fresh application is started, N connections each send one GET /hello and
keep the connection open, the live heap is read before and after opening them (jcmd GC.class_histogram, which runs
a full GC first), and the client sends SIGTERM to the JVM and waits on all N sockets with epoll.

Reported: SIGTERM -> last connection closed (client clock), first -> last close (the spread of the drain as the
client sees it), terminator's own "Drained ... in N ms" (server clock, from the drain's start), SIGTERM -> JVM exit,
and live heap per open connection. The floor, measured in the same run, is a bare Python process that closes the same
sockets in one loop; the target is terminator's drain time at most 1.2x the floor's loop time at 10,000 connections.
At the largest size each mode and the floor run --repeat times (3), and the table shows the median run. SIGTERM is
sent once the JVM's JIT compilers have been quiet for a second, as on a server that has finished warming up. The CPU
columns show what the server process (all threads, SIGTERM to exit) and this client spent: on 2 cores they share.

*slow*: the same N idle connections while one request (GET /slow?millis=20000) is in flight, terminator vs Spring
Boot's built-in graceful shutdown: SIGTERM -> last idle connection closed, and SIGTERM -> the slow response's end.
"""

import argparse
import errno
import os
import re
import selectors
import socket
import sys
import time

import benchlib as b

REQUEST = b"GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--containers", default=",".join(b.SERVERS),
                        help="servers, from tomcat,jetty,undertow,netty (netty: the reactive sample on Reactor Netty)")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--scenarios", default="idle,slow", help="idle, slow, or both")
    parser.add_argument("--modes", default="terminator-q0,terminator",
                        help="modes of the idle scenario: terminator-q0, terminator, builtin")
    parser.add_argument("--slow-modes", default="terminator,builtin", help="modes of the slow scenario")
    parser.add_argument("--slow-millis", type=int, default=20000, help="the in-flight request's duration")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the floor: a bare Python server that closes its sockets in a loop")
    parser.add_argument("--repeat", type=int, default=3,
                        help="idle runs per mode (and floor runs) at the largest size, the target's: the table shows "
                             "the median run and the range of all")
    parser.add_argument("--smoke", action="store_true",
                        help="sizes 100 and 1000 only, one run each, slow request of 5 s")
    parser.add_argument("--bound-only", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.sizes = "100,1000"
        args.slow_millis = 5000
        args.repeat = 1
    args.container_list = b.parse_containers(args.containers, b.SERVERS)
    args.size_list = [int(size) for size in args.sizes.split(",")]
    args.scenario_list = [scenario for scenario in args.scenarios.split(",") if scenario]
    args.mode_list = [mode for mode in args.modes.split(",") if mode] if "idle" in args.scenario_list else []
    args.slow_mode_list = ([mode for mode in args.slow_modes.split(",") if mode]
                           if "slow" in args.scenario_list else [])
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    for mode in args.mode_list + args.slow_mode_list:
        if mode not in MODES:
            raise SystemExit(f"unknown mode {mode}; pick from {','.join(MODES)}")
    return args


# What each mode passes to the sample app.
MODES = {
    "terminator-q0": ["--terminator.enabled=true", "--terminator.quiet-period=0s"],
    # terminator's defaults: the quiet period is not set, so that the run follows the default.
    "terminator": ["--terminator.enabled=true"],
    "builtin": ["--terminator.enabled=false"],
}

TARGET_FLOOR_RATIO = 1.2


OPEN_TIMEOUT = 300.0

# terminator's default quiet period (2 s): with it, the client waits longer than this after the last connection turned
# idle before it sends SIGTERM, so that the run measures the drain and not the quiet period.
QUIET_PERIOD = 2.0

# terminator's own objects per connection (TrackedConnection, the adapter's control object, ...).
TERMINATOR_CLASSES = ("dev.terminator.",)

# What tracking a connection costs beyond terminator's own classes: the entries of the registry's and the adapter's
# hash maps and the atomic state. Compared with the built-in rows, the difference is terminator's share.
TRACKING_CLASSES = ("dev.terminator.", "java.util.concurrent.ConcurrentHashMap$Node",
                    "[Ljava.util.concurrent.ConcurrentHashMap$Node;", "java.util.concurrent.atomic.AtomicInteger")


def class_bytes(by_class, prefixes):
    return sum(size for name, size in by_class.items() if name.startswith(prefixes))

CLOSE_TIMEOUT = 60.0

# How long a run waits, at most, for the JIT compilers to go quiet before SIGTERM (benchlib.App.wait_jit_quiet).
JIT_QUIET_TIMEOUT = 90.0


def bound(args):
    per_run = b.START_TIMEOUT + OPEN_TIMEOUT + 2 * 60 + JIT_QUIET_TIMEOUT + CLOSE_TIMEOUT + b.STOP_TIMEOUT
    per_slow_run = per_run + args.slow_millis / 1000
    floor = 0 if args.no_floor or not args.mode_list else len(args.size_list) * (OPEN_TIMEOUT + CLOSE_TIMEOUT + 30)
    runs = len(args.container_list) * len(args.size_list)
    idle_runs = len(args.container_list) * (len(args.size_list) - 1 + args.repeat) * len(args.mode_list)
    floor *= (len(args.size_list) - 1 + args.repeat) / max(1, len(args.size_list))
    return int(idle_runs * per_run + runs * len(args.slow_mode_list) * per_slow_run + floor) + 60


def _response_complete(buffer):
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        return False
    head = buffer[:head_end].decode("latin-1").lower()
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            return len(buffer) - head_end - 4 >= int(line.split(":", 1)[1])
    return True


def open_idle_connections(port, count, window=256):
    """Open count connections, each served one GET /hello, and leave them open: non-blocking, window at a time."""
    selector = selectors.DefaultSelector()
    done = []
    started = 0
    in_flight = 0
    deadline = time.monotonic() + OPEN_TIMEOUT
    while len(done) < count:
        while started < count and in_flight < window:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            code = sock.connect_ex((b.LOOPBACK, port))
            if code not in (0, errno.EINPROGRESS):
                raise OSError(code, f"connect failed after {len(done)} connections: {errno.errorcode.get(code)}")
            selector.register(sock, selectors.EVENT_WRITE, {"buffer": b""})
            started += 1
            in_flight += 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(done)} of {count} connections opened in {OPEN_TIMEOUT}s")
        for key, events in selector.select(timeout=1.0):
            sock, state = key.fileobj, key.data
            if events & selectors.EVENT_WRITE:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    raise OSError(error, f"connect failed after {len(done)} connections")
                sock.send(REQUEST)
                selector.modify(sock, selectors.EVENT_READ, state)
                continue
            chunk = sock.recv(4096)
            if not chunk:
                raise ConnectionError(f"server closed a connection while opening ({len(done)} open)")
            state["buffer"] += chunk
            if _response_complete(state["buffer"]):
                selector.unregister(sock)
                done.append(sock)
                in_flight -= 1
    selector.close()
    return done


def wait_all_closed(sockets, sigterm, timeout, slow=None):
    """Send SIGTERM (through the callable), then the time of each close as seen by the client, relative to it.

    With slow, a socket whose request is in flight: it is watched too, and the time its response ended (the
    connection closed after it, or the whole response read) is returned with the response's status line."""
    selector = selectors.DefaultSelector()
    for sock in sockets:
        selector.register(sock, selectors.EVENT_READ)
    slow_state = {"buffer": b"", "end": None}
    if slow is not None:
        selector.register(slow, selectors.EVENT_READ, slow_state)
    closes = []
    unexpected_data = 0
    start = time.monotonic()
    sigterm()
    deadline = start + timeout
    while (len(closes) < len(sockets) or (slow is not None and slow_state["end"] is None)) \
            and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            now = time.monotonic()
            try:
                data = key.fileobj.recv(65536)
            except OSError:
                data = b""
            if key.data is slow_state:
                slow_state["buffer"] += data
                if not data or _response_complete(slow_state["buffer"]):
                    slow_state["end"] = now - start
                    selector.unregister(key.fileobj)
                continue
            if data:
                unexpected_data += 1
                continue
            closes.append(now - start)
            selector.unregister(key.fileobj)
    selector.close()
    for sock in sockets:
        sock.close()
    if slow is None:
        return closes, unexpected_data
    slow.close()
    status = slow_state["buffer"].split(b"\r\n", 1)[0].decode("latin-1") or "no response"
    return closes, unexpected_data, slow_state["end"], status


FLOOR_SERVER = r"""
import resource, selectors, signal, socket, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(4096)
server.setblocking(False)
selector = selectors.DefaultSelector()
selector.register(server, selectors.EVENT_READ)
accepted = []
print("ready", flush=True)
while not signal.sigtimedwait({signal.SIGTERM}, 0):
    for key, _ in selector.select(0.05):
        if key.fileobj is server:
            try:
                connection, _ = server.accept()
            except BlockingIOError:
                continue
            connection.setblocking(False)
            accepted.append(connection)
            selector.register(connection, selectors.EVENT_READ)
        elif b"\r\n\r\n" in key.fileobj.recv(4096):
            key.fileobj.send(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
start = time.monotonic()
server.close()
for connection in accepted:
    connection.close()
print("closed %d in %.1f ms" % (len(accepted), (time.monotonic() - start) * 1000), flush=True)
"""


class FloorServer:
    """The least any server can do: a bare Python process that, on SIGTERM, closes every socket in one loop."""

    def __init__(self):
        import subprocess
        self.port = b.free_port()
        self.process = b.track(subprocess.Popen([sys.executable, "-c", FLOOR_SERVER, str(self.port)],
                                                stdout=subprocess.PIPE, text=True))
        self.pid = self.process.pid
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("floor server did not start")
        self.exit_seconds = None

    def sigterm(self):
        import os
        import signal
        self.sigterm_at = time.monotonic()
        os.kill(self.pid, signal.SIGTERM)

    def finish(self):
        line = self.process.stdout.readline()
        self.process.wait(timeout=30)
        self.exit_seconds = time.monotonic() - self.sigterm_at
        match = re.search(r"closed (\d+) in ([\d.]+) ms", line)
        return float(match.group(2)) if match else None


def run_floor(size):
    server = FloorServer()
    try:
        sockets = open_idle_connections(server.port, size)
        time.sleep(0.5)
        server_cpu = b.watch_cpu(server.process)
        client_before = client_cpu()
        closes, unexpected = wait_all_closed(sockets, server.sigterm, CLOSE_TIMEOUT)
        client_cpu_ms = client_cpu() - client_before
        loop_ms = server.finish()
        result = {"container": "-", "mode": "floor", "size": size, "closed": len(closes), "unexpected": unexpected,
                  "last_ms": max(closes) * 1000 if closes else None,
                  "spread_ms": (max(closes) - min(closes)) * 1000 if closes else None,
                  "first_ms": min(closes) * 1000 if closes else None,
                  "summary": {"ms": round(loop_ms), "idle": len(closes), "completed": 0, "forced": 0}
                  if loop_ms is not None else None,
                  "exit_ms": server.exit_seconds * 1000, "open_s": 0, "heap_per_conn": None,
                  "terminator_per_conn": None, "tracking_per_conn": None,
                  "server_cpu_ms": server_cpu(), "client_cpu_ms": client_cpu_ms}
        b.log(f"floor {size}: {result}")
        return result
    finally:
        if server.process.poll() is None:
            server.process.kill()


def run_one(container, mode, size):
    app = b.App(container, list(b.MANY_CONNECTIONS) + MODES[mode], name=f"drain-{container}-{mode}-{size}")
    # The heap per connection is read in the default modes only: the full GCs it takes cost time.
    heap = mode != "terminator-q0"
    try:
        app.wait_ready()
        for _ in range(20):
            app.get_ok("/hello")
        heap_before, classes_before = app.heap_histogram_total() if heap else (0, {})
        opened_at = time.monotonic()
        sockets = open_idle_connections(app.port, size)
        open_seconds = time.monotonic() - opened_at
        opened = time.monotonic()
        heap_after, classes_after = app.heap_histogram_total() if heap else (0, {})
        jit_wait = app.wait_jit_quiet(timeout=JIT_QUIET_TIMEOUT)
        # With the default quiet period, terminator closes a connection once it has been idle that long: make sure
        # every one has been, so that this measures the drain and not the quiet period.
        wait = QUIET_PERIOD + 0.5 if mode == "terminator" else 0.5
        time.sleep(max(0.0, wait - (time.monotonic() - opened)))
        server_cpu = b.watch_cpu(app.process)
        client_before = client_cpu()
        closes, unexpected = wait_all_closed(sockets, app.sigterm, CLOSE_TIMEOUT)
        client_cpu_ms = client_cpu() - client_before
        exited = app.wait_exit()
        exit_seconds = app.exit_seconds
        terminator_bytes = class_bytes(classes_after, TERMINATOR_CLASSES) - class_bytes(classes_before,
                                                                                     TERMINATOR_CLASSES)
        tracking_bytes = class_bytes(classes_after, TRACKING_CLASSES) - class_bytes(classes_before, TRACKING_CLASSES)
        result = {
            "container": container, "mode": mode, "size": size,
            "closed": len(closes), "unexpected": unexpected,
            "last_ms": max(closes) * 1000 if closes else None,
            "spread_ms": (max(closes) - min(closes)) * 1000 if closes else None,
            "first_ms": min(closes) * 1000 if closes else None,
            "summary": app.drain_summary(),
            "exit_ms": exit_seconds * 1000 if exited else None,
            "open_s": open_seconds,
            "heap_per_conn": (heap_after - heap_before) / size if heap else None,
            "terminator_per_conn": terminator_bytes / size if heap else None,
            "tracking_per_conn": tracking_bytes / size if heap else None,
            "jit_wait_s": jit_wait, "server_cpu_ms": server_cpu(), "client_cpu_ms": client_cpu_ms,
        }
        b.log(f"{container} {mode} {size}: {result}")
        return result
    finally:
        app.kill()


def run_slow(container, mode, size, slow_millis):
    """N idle connections and one request in flight: when are the idle ones closed, and when does the slow one end?"""
    app = b.App(container, list(b.MANY_CONNECTIONS) + MODES[mode], name=f"slow-{container}-{mode}-{size}")
    try:
        app.wait_ready()
        for _ in range(20):
            app.get_ok("/hello")
        sockets = open_idle_connections(app.port, size)
        slow = socket.create_connection((b.LOOPBACK, app.port), timeout=5)
        slow.sendall(f"GET /slow?millis={slow_millis} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        slow.setblocking(False)
        sent_at = time.monotonic()
        app.wait_jit_quiet(timeout=max(0.0, slow_millis / 1000 - QUIET_PERIOD - 5))
        # Every idle connection quiet longer than the default quiet period, and the slow request well inside its
        # handler, before SIGTERM.
        time.sleep(max(0.0, QUIET_PERIOD + 0.5 - (time.monotonic() - sent_at)))
        closes, unexpected, slow_end, status = wait_all_closed(sockets, app.sigterm,
                                                               CLOSE_TIMEOUT + slow_millis / 1000, slow)
        exited = app.wait_exit()
        sigterm_after = app.sigterm_at - sent_at
        result = {"container": container, "mode": mode, "size": size, "closed": len(closes),
                  "unexpected": unexpected, "last_ms": max(closes) * 1000 if closes else None,
                  "first_ms": min(closes) * 1000 if closes else None,
                  "slow_end_ms": slow_end * 1000 if slow_end is not None else None, "slow_status": status,
                  "slow_left_ms": slow_millis - sigterm_after * 1000,
                  "summary": app.drain_summary(), "exit_ms": app.exit_seconds * 1000 if exited else None}
        b.log(f"slow {container} {mode} {size}: {result}")
        return result
    finally:
        app.kill()


def client_cpu():
    """This process's CPU time so far, in ms: what the client spends watching N sockets close competes with the
    server for the same cores."""
    times = os.times()
    return (times.user + times.system) * 1000


def drain_ms_text(result):
    summary = result["summary"]
    if not summary:
        return "-"
    runs = result.get("runs_ms", [])
    if len(runs) > 1:
        return f"{summary['ms']} (median of {len(runs)}: {min(runs)}..{max(runs)})"
    return f"{summary['ms']}"


def repeated(run, times):
    """Run `times` times; the run whose server-side drain time is the median, with every run's time in "runs_ms"."""
    runs = [run() for _ in range(times)]
    timed = [r for r in runs if r["summary"]]
    if not timed:
        return runs[0]
    timed.sort(key=lambda r: r["summary"]["ms"])
    median = dict(timed[(len(timed) - 1) // 2])
    median["runs_ms"] = [r["summary"]["ms"] for r in runs if r["summary"]]
    return median


def fmt(value, pattern="{:.0f}"):
    return "-" if value is None else pattern.format(value)


def floor_ratio(result, floors):
    """terminator's drain time over the floor's loop time for the same number of connections."""
    floor = floors.get(result["size"])
    summary = result["summary"]
    if not floor or not summary or not floor["summary"] or result["mode"] in ("builtin", "floor"):
        return None
    return summary["ms"] / max(1, floor["summary"]["ms"])


def idle_section(args, results, floors):
    rows = []
    for r in results:
        summary = r["summary"]
        ratio = floor_ratio(r, floors)
        target = ""
        if ratio is not None and r["size"] == 10000:
            target = "met" if ratio <= TARGET_FLOOR_RATIO else f"missed by {ratio - TARGET_FLOOR_RATIO:.2f}x"
        rows.append([r["container"], r["mode"], f"{r['size']:,}", f"{r['closed']:,}",
                     fmt(r["first_ms"]), fmt(r["last_ms"]), fmt(r["spread_ms"]),
                     drain_ms_text(r), fmt(ratio, "{:.2f}x"),
                     f"{summary['idle']}/{summary['completed']}/{summary['forced']}" if summary else "-",
                     fmt(r["exit_ms"]), fmt(r["heap_per_conn"]),
                     fmt(r["terminator_per_conn"]) if r["mode"] != "builtin" else "-",
                     fmt(r["tracking_per_conn"]), fmt(r["server_cpu_ms"]), fmt(r["client_cpu_ms"]), target])
    headers = ["container", "mode", "idle conns", "seen closed", "SIGTERM->first close ms",
               "SIGTERM->last close ms", "first->last ms", "server's drain ms (log)", "drain / floor",
               "idle/completed/forced", "SIGTERM->exit ms", "heap B/conn", "dev.terminator.* B/conn",
               "maps+atomics+terminator B/conn", "server CPU SIGTERM->exit ms", "client CPU SIGTERM->last close ms", f"target 10k <= {TARGET_FLOOR_RATIO}x floor"]
    text = b.table(headers, rows)
    print(text)
    series = sorted({(r["container"], r["mode"]) for r in results})
    chart = None
    if series:
        lines = ["size " + " ".join("floor" if c == "-" else f"{c}-{m}" for c, m in series)]
        for size in args.size_list:
            values = []
            for container, mode in series:
                match = [r for r in results if (r["container"], r["mode"], r["size"]) == (container, mode, size)]
                summary = match[0]["summary"] if match else None
                values.append(f"{summary['ms']}" if summary else "-")
            lines.append(f"{size} " + " ".join(values))
        chart = b.gnuplot("drain-latency", f"""
set title 'Idle keep-alive connections: drain start until the last one closed (server clock), vs the floor'
set datafile missing '-'
set logscale x
set logscale y
set xlabel 'idle keep-alive connections'
set ylabel 'milliseconds'
set key top left
set grid
plot for [i=2:{len(series) + 1}] '$DATA' using 1:i with linespoints lw 2 title columnheader(i)
""", "\n".join(lines) + "\n")
    markdown = b.run_header(b.command_line(), args.smoke) + "\n" + text + "\n"
    if chart:
        markdown += f"\n![drain latency]({chart})\n"
    return markdown


def slow_section(args, results):
    rows = []
    for r in results:
        summary = r["summary"]
        rows.append([r["container"], r["mode"], f"{r['size']:,}", f"{r['closed']:,}", fmt(r["first_ms"]),
                     f"**{fmt(r['last_ms'])}**", fmt(r["slow_left_ms"]), fmt(r["slow_end_ms"]), r["slow_status"],
                     f"{summary['ms']} ({summary['idle']}/{summary['completed']}/{summary['forced']})"
                     if summary else "-", fmt(r["exit_ms"])])
    headers = ["container", "mode", "idle conns", "idle seen closed", "SIGTERM->first idle close ms",
               "SIGTERM->last idle close ms", "slow request's time left at SIGTERM ms", "SIGTERM->slow response end ms",
               "slow response", "server's drain ms (idle/completed/forced)", "SIGTERM->exit ms"]
    text = b.table(headers, rows)
    print(text)
    series = sorted({(r["container"], r["mode"]) for r in results})
    chart = None
    if series:
        lines = ["size " + " ".join(f"{c}-{m}" for c, m in series)]
        for size in args.size_list:
            values = []
            for container, mode in series:
                match = [r for r in results if (r["container"], r["mode"], r["size"]) == (container, mode, size)]
                values.append(fmt(match[0]["last_ms"], "{:.1f}") if match else "-")
            lines.append(f"{size} " + " ".join(values))
        chart = b.gnuplot("drain-latency-slow", f"""
set title 'Idle keep-alive connections while one request is in flight ({args.slow_millis // 1000} s): SIGTERM until the last idle one is closed'
set datafile missing '-'
set logscale x
set logscale y
set xlabel 'idle keep-alive connections'
set ylabel 'milliseconds (client clock)'
set key bottom right
set grid
plot for [i=2:{len(series) + 1}] '$DATA' using 1:i with linespoints lw 2 title columnheader(i)
""", "\n".join(lines) + "\n")
    markdown = (b.run_header(b.command_line(), args.smoke) + f"\nOne request in flight: `GET /slow?millis="
                f"{args.slow_millis}`, sent {QUIET_PERIOD + 0.5:.1f} s before SIGTERM.\n\n" + text + "\n")
    if chart:
        markdown += f"\n![idle connections while a request is in flight]({chart})\n"
    return markdown


def repeats(args, size):
    return args.repeat if size == max(args.size_list) else 1


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    b.log(f"Load average at the start: {b.LOAD_AT_START}")
    limit = b.raise_fd_limit()
    if max(args.size_list) + 200 > limit:
        raise SystemExit(f"open-file limit {limit} is too low for {max(args.size_list)} connections (ulimit -n)")
    results, slow_results, skipped = [], [], {}
    floors = {}
    if args.mode_list and not args.no_floor:
        for size in args.size_list:
            floors[size] = repeated(lambda: run_floor(size), repeats(args, size))
            results.append(floors[size])
    for container in args.container_list:
        try:
            for mode in args.mode_list:
                for size in args.size_list:
                    results.append(repeated(lambda: run_one(container, mode, size), repeats(args, size)))
            for mode in args.slow_mode_list:
                for size in args.size_list:
                    slow_results.append(run_slow(container, mode, size, args.slow_millis))
        except b.ContainerUnavailable as ex:
            skipped[container] = str(ex)
            b.log(f"Skipping {container}: {ex}")
    notes = "".join(f"\n- {container}: not measured ({reason}).\n" for container, reason in skipped.items())
    if args.mode_list:
        b.update_doc("drain-latency", idle_section(args, results, floors) + notes)
    if args.slow_mode_list:
        b.update_doc("drain-latency-slow", slow_section(args, slow_results) + notes)


if __name__ == "__main__":
    sys.exit(main())
