"""New connections at shutdown: clients open a new connection for every request, SIGTERM mid-load, every outcome counted.

Clients without a connection pool (scripts, health checkers, a balancer whose endpoint removal has not arrived yet)
connect, POST /echo once, read the answer and close, again and again. When the server stops, connections the kernel
has completed but the server has not accepted yet sit in the listen socket's accept queue; closing the listen socket
resets them. This driver counts what such clients see, per Boot line, container, transport and mode (terminator with
its defaults, and Spring Boot's own graceful shutdown with terminator.enabled=false).

Each client, in a loop: connect() -> (TLS handshake) -> POST /echo with a unique 128-byte body, no Connection header
(HTTP/1.1 keep-alive by default, but only one request is sent: a `Connection: close` in the answer is then the server's
own doing, the drain's mark) -> read the whole response -> close. Outcomes:

- served: a whole response was read (5xx and `Connection: close` counted apart, the echo checked);
- refused (clean, the client may retry anywhere): connect() failed with ECONNREFUSED, was reset during connect(), or
  timed out (SYNs dropped);
- lost on a new connection: connect() succeeded and the client wrote (the request, or over TLS first its ClientHello),
  then a reset, an end of stream or no answer within the read timeout, and no response.

Once SIGTERM has been sent, a client whose connect() is refused stops (a real client would go to another instance);
every client also stops at the bound. The clients run as several processes of threads, so that the GIL does not cap
the new-connection rate.
"""

import argparse
import ctypes
import multiprocessing
import os
import re
import signal
import socket
import ssl
import sys
import time

import benchlib as b

FIELDS = ("connections", "served", "ok", "status_5xx", "status_other", "conn_close", "mismatched",
          "refused", "conn_reset", "connect_timeout", "connect_other",
          "lost", "lost_reset", "lost_eof", "lost_timeout", "lost_other", "lost_in_tls_handshake")
F = {name: index for index, name in enumerate(FIELDS)}
STOPPING, STOP_NOW = 0, 1
AFTER_SIGTERM = 45.0
WARM_UP_LIMIT = 60.0
BODY_SIZE = 128


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", default="4,3", help="Spring Boot lines: 4 (tomcat, jetty), 3 (tomcat, jetty, "
                        "undertow)")
    parser.add_argument("--containers", default=",".join(b.CONTAINERS),
                        help="containers to run, on each line that has them")
    parser.add_argument("--transports", default="plain,tls")
    parser.add_argument("--modes", default="terminator,builtin")
    parser.add_argument("--clients", type=int, default=32, help="client threads, in all")
    parser.add_argument("--processes", type=int, default=2, help="client processes the threads are spread over")
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before SIGTERM")
    parser.add_argument("--read-timeout", type=float, default=10.0,
                        help="seconds without an answer after which a written request counts as lost")
    parser.add_argument("--request-close", action="store_true",
                        help="send `Connection: close` with each request (default: no Connection header)")
    parser.add_argument("--tls-key", choices=("ec", "rsa"), default="ec",
                        help="the throw-away certificate's key: ECDSA P-256 (default; a handshake per request costs "
                        "the server far less than with RSA 2048) or RSA 2048")
    parser.add_argument("--repeat", type=int, default=5, help="shutdowns per row")
    parser.add_argument("--smoke", action="store_true", help="one shutdown per row, 3 s of load before SIGTERM")
    parser.add_argument("--bound-only", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.before = 1, 3.0
    args.line_list = b.parse_lines(args.lines)
    args.container_list = b.parse_containers(args.containers)
    args.transport_list = [t for t in args.transports.split(",") if t]
    args.mode_list = [m for m in args.modes.split(",") if m]
    args.processes = max(1, min(args.processes, args.clients))
    return args


def combinations(args):
    return [(line, container) for line in args.line_list for container in b.LINE_CONTAINERS[line]
            if container in args.container_list]


def bound(args):
    per_run = b.START_TIMEOUT + WARM_UP_LIMIT + args.before + AFTER_SIGTERM + args.read_timeout + b.STOP_TIMEOUT + 40
    runs = len(combinations(args)) * len(args.transport_list) * len(args.mode_list) * args.repeat
    return int(runs * per_run) + 60


# ---------------------------------------------------------------------------------------------------------------------
# The clients: processes of threads; each thread counts into its own slice of a shared array (no lock needed)


class Incomplete(Exception):
    """The stream ended before the whole response."""


def read_response(sock):
    """(status, lower-cased head bytes, body) of one response; Incomplete if the stream ends first."""
    data = b""
    while True:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            break
        chunk = sock.recv(65536)
        if not chunk:
            raise Incomplete("end of stream before the head")
        data += chunk
    head = data[:end].lower()
    rest = data[end + 4:]
    status = int(head.split(b" ", 2)[1])
    match = re.search(rb"\r\ncontent-length:\s*(\d+)", head)
    if match:
        length = int(match.group(1))
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise Incomplete("end of stream inside the body")
            rest += chunk
        return status, head, rest[:length]
    if b"\r\ntransfer-encoding: chunked" in head:
        while not (rest.endswith(b"0\r\n\r\n") and (rest == b"0\r\n\r\n" or rest.endswith(b"\r\n0\r\n\r\n"))):
            chunk = sock.recv(65536)
            if not chunk:
                raise Incomplete("end of stream inside a chunk")
            rest += chunk
        body, position = b"", 0
        while True:
            line_end = rest.index(b"\r\n", position)
            size = int(rest[position:line_end].split(b";")[0], 16)
            if size == 0:
                return status, head, body
            body += rest[line_end + 2:line_end + 2 + size]
            position = line_end + 2 + size + 2
    if status in (204, 304) or 100 <= status < 200:
        return status, head, b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return status, head, rest
        rest += chunk


def _client(index, port, tls_cert, request_close, read_timeout, counts, first_loss, last_loss, flags):
    base = index * len(FIELDS)
    context = None
    if tls_cert:
        context = ssl.create_default_context(cafile=tls_cert)
    address = (b.LOOPBACK, port)
    number = 0

    def count(field):
        counts[base + F[field]] += 1

    def lost(kind, in_handshake):
        count("lost")
        count(kind)
        if in_handshake:
            count("lost_in_tls_handshake")
        if flags[STOPPING]:
            # When the losses of the shutdown happen (those before it are the machine's, not the drain's).
            now = time.monotonic()
            if first_loss[index] == 0.0:
                first_loss[index] = now
            last_loss[index] = now

    connection_header = "Connection: close\r\n" if request_close else ""
    while not flags[STOP_NOW]:
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.settimeout(5.0)
        try:
            raw.connect(address)
        except OSError as ex:
            raw.close()
            if isinstance(ex, ConnectionRefusedError):
                count("refused")
                if flags[STOPPING]:
                    return
            elif isinstance(ex, ConnectionResetError):
                count("conn_reset")
            elif isinstance(ex, socket.timeout):
                count("connect_timeout")
            else:
                count("connect_other")
            if not flags[STOPPING]:
                time.sleep(0.01)
            continue
        count("connections")
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        raw.settimeout(read_timeout)
        sock = raw
        in_handshake = context is not None
        number += 1
        body = (b"%03d-%012d-" % (index, number)).ljust(BODY_SIZE, b"x")
        try:
            if context is not None:
                sock = context.wrap_socket(raw, server_hostname="localhost")
                in_handshake = False
            sock.sendall((f"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                          f"Content-Length: {len(body)}\r\n{connection_header}\r\n").encode("ascii") + body)
            status, head, echoed = read_response(sock)
        except socket.timeout:
            lost("lost_timeout", in_handshake)
        except (ConnectionResetError, BrokenPipeError):
            lost("lost_reset", in_handshake)
        except (Incomplete, ssl.SSLEOFError, ssl.SSLZeroReturnError):
            lost("lost_eof", in_handshake)
        except (OSError, ValueError, IndexError):
            lost("lost_other", in_handshake)
        else:
            count("served")
            if status >= 500:
                count("status_5xx")
            elif status != 200:
                count("status_other")
            elif echoed == body:
                count("ok")
            else:
                count("mismatched")
            if b"\r\nconnection: close" in head:
                count("conn_close")
        finally:
            try:
                sock.close()
            except OSError:
                pass


def _client_process(first, threads, port, tls_cert, request_close, read_timeout, counts, first_loss, last_loss,
                    flags):
    import threading
    # The driver ends these processes itself; a SIGTERM (from the bound's `timeout`) ends them at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    workers = [threading.Thread(target=_client, args=(first + i, port, tls_cert, request_close, read_timeout, counts,
                                                      first_loss, last_loss, flags), daemon=True)
               for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


class Clients:
    """`clients` client threads over `processes` processes, against 127.0.0.1:port."""

    def __init__(self, port, clients, processes, tls_cert=None, request_close=False, read_timeout=10.0):
        context = multiprocessing.get_context("fork")
        self.clients = clients
        self.counts = context.RawArray(ctypes.c_longlong, clients * len(FIELDS))
        self.first_loss = context.RawArray(ctypes.c_double, clients)
        self.last_loss = context.RawArray(ctypes.c_double, clients)
        self.flags = context.RawArray(ctypes.c_int, 2)
        self.processes = []
        first = 0
        for p in range(processes):
            threads = clients // processes + (1 if p < clients % processes else 0)
            process = context.Process(target=_client_process, daemon=True, name=f"clients-{p}",
                                      args=(first, threads, port, tls_cert, request_close, read_timeout, self.counts,
                                            self.first_loss, self.last_loss, self.flags))
            first += threads
            self.processes.append(process)

    def start(self):
        for process in self.processes:
            process.start()
        return self

    def snapshot(self):
        totals = dict.fromkeys(FIELDS, 0)
        width = len(FIELDS)
        for index in range(self.clients):
            for field, position in F.items():
                totals[field] += self.counts[index * width + position]
        return totals

    def loss_times(self):
        firsts = [t for t in self.first_loss if t]
        lasts = [t for t in self.last_loss if t]
        return (min(firsts), max(lasts)) if firsts else None

    def finish_when_refused(self):
        self.flags[STOPPING] = 1

    def wait_finished(self, timeout):
        deadline = time.monotonic() + timeout
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
        return all(not process.is_alive() for process in self.processes)

    def stop(self, timeout=15.0):
        self.flags[STOPPING] = 1
        self.flags[STOP_NOW] = 1
        self.wait_finished(timeout)
        for process in self.processes:
            if process.is_alive():
                process.kill()
                process.join(5)
        return self.snapshot()


# ---------------------------------------------------------------------------------------------------------------------
# One shutdown


def drain_line(app):
    """What follows "Drained <container> in" in terminator's one-line summary (whatever it counts), or None."""
    match = re.search(r"Drained \w+ in (.*)", app.log_text())
    return match.group(1).strip() if match else None


def run_one(line, container, transport, mode, args, tls):
    props = ["--terminator.enabled=true"] if mode == "terminator" else ["--terminator.enabled=false"]
    app = b.App(container, props, tls=tls if transport == "tls" else None, line=line,
                name=f"newconn-{line}-{container}-{transport}-{mode}")
    clients = None
    try:
        app.wait_ready()
        clients = Clients(app.port, args.clients, args.processes, str(tls.cert) if transport == "tls" else None,
                          args.request_close, args.read_timeout).start()
        # The load counts from the moment every client could have had an answer: a JVM just started (over TLS on a
        # busy machine above all) can take seconds for its first handshakes, and a SIGTERM then would hit clients
        # that are all still connecting rather than a server under load.
        loading_at = time.monotonic()
        while clients.snapshot()["served"] < 2 * args.clients and time.monotonic() - loading_at < WARM_UP_LIMIT:
            time.sleep(0.05)
        warm_up = time.monotonic() - loading_at
        # The rate is taken over the load's second half, once the clients and the JIT have settled a little.
        time.sleep(args.before / 2)
        mid, mid_at = clients.snapshot(), time.monotonic()
        time.sleep(args.before / 2)
        # Stopping first, so that every loss counted after this snapshot also has its time taken.
        clients.finish_when_refused()
        before, sigterm_at = clients.snapshot(), time.monotonic()
        rate = (before["connections"] - mid["connections"]) / (sigterm_at - mid_at)
        app.sigterm()
        finished = clients.wait_finished(AFTER_SIGTERM + args.read_timeout)
        counts = clients.stop()
        exited = app.wait_exit(max(1.0, AFTER_SIGTERM - (time.monotonic() - sigterm_at)))
        losses = clients.loss_times()
        after = {key: counts[key] - before[key] for key in FIELDS}
        result = {"line": line, "container": container, "transport": transport, "mode": mode, "counts": counts,
                  "rate": rate, "warm_up": warm_up, "clients_finished": finished,
                  "after_sigterm": after,
                  "loss_ms": tuple((t - sigterm_at) * 1000 for t in losses) if losses else None,
                  "exit_ms": app.exit_seconds * 1000 if exited and app.exit_seconds is not None else None,
                  "drain": drain_line(app)}
        b.log(f"Boot {line} {container} {transport} {mode}: {rate:,.0f} new connections/s "
              f"(first {2 * args.clients} answers after {warm_up:.1f} s); "
              f"served {counts['served']:,}; after SIGTERM: lost {after['lost']} (reset {after['lost_reset']}, "
              f"eof {after['lost_eof']}, timeout {after['lost_timeout']}, other {after['lost_other']}, "
              f"in the TLS handshake {after['lost_in_tls_handshake']}), refused {after['refused']}, "
              f"reset in connect {after['conn_reset']}, connect timeouts {after['connect_timeout']}; "
              f"lost before SIGTERM {before['lost']}; 5xx {counts['status_5xx']}, "
              f"Connection: close {counts['conn_close']}, "
              f"losses at {result['loss_ms']} ms after SIGTERM, clients finished {finished}, "
              f"drain: {result['drain']}")
        return result
    finally:
        if clients is not None:
            clients.stop(5)
        app.kill()


# ---------------------------------------------------------------------------------------------------------------------
# Report

LINE_NAMES = {"4": "Boot 4", "3": "Boot 3.5"}
TARGET = "0 lost on a new connection on Tomcat and Jetty; Undertow: residual documented"


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return 0
    b.raise_fd_limit()
    b.log(f"Load average at the start: {b.LOAD_AT_START}")
    tls = b.Tls(args.tls_key) if "tls" in args.transport_list else None
    results, skipped = [], {}
    for line, container in combinations(args):
        try:
            for transport in args.transport_list:
                for mode in args.mode_list:
                    for _ in range(args.repeat):
                        results.append(run_one(line, container, transport, mode, args, tls))
        except b.ContainerUnavailable as ex:
            skipped[(line, container)] = str(ex)
            b.log(f"Skipping Boot {line} {container}: {ex}")
    groups = {}
    for r in results:
        groups.setdefault((r["line"], r["container"], r["transport"], r["mode"]), []).append(r)
    rows, verdicts = [], []
    for (line, container, transport, mode), runs in groups.items():
        # Losses and refusals count from the SIGTERM; what was lost before it was the machine's doing (overload),
        # not the shutdown's, and has a column of its own.
        total = {key: sum(run["after_sigterm"][key] for run in runs) for key in FIELDS}
        whole = {key: sum(run["counts"][key] for run in runs) for key in FIELDS}
        rates = sorted(run["rate"] for run in runs)
        rate = b.median(rates)
        lost_kinds = ", ".join(f"{label} {total[key]}" for key, label in
                               (("lost_reset", "reset"), ("lost_eof", "EOF"), ("lost_timeout", "timeout"),
                                ("lost_other", "other")) if total[key]) or "-"
        if transport == "tls":
            lost_kinds += f"; {total['lost_in_tls_handshake']} in the TLS handshake"
        refused = f"{total['refused']:,} / {total['conn_reset']} / {total['connect_timeout'] + total['connect_other']}"
        per_run = ", ".join(str(run["after_sigterm"]["lost"]) for run in runs)
        windows = ", ".join(f"{run['loss_ms'][0]:.0f}..{run['loss_ms'][1]:.0f}" for run in runs if run["loss_ms"]) or "-"
        drains = "; ".join(run["drain"] for run in runs if run["drain"]) or "-"
        exits = ", ".join(f"{run['exit_ms']:.0f}" if run["exit_ms"] else "killed" for run in runs)
        target = ""
        if mode == "terminator":
            if container == "undertow":
                target = f"residual: {total['lost']}"
            else:
                target = "met" if total["lost"] == 0 else "missed"
                verdicts.append(target == "met")
        rows.append([LINE_NAMES[line], container, transport, mode, len(runs), f"{rate:,.0f}",
                     f"{whole['connections']:,}", f"{whole['served']:,}", f"**{total['lost']}**", per_run,
                     lost_kinds, windows, refused, whole["lost"] - total["lost"], whole["status_5xx"],
                     whole["conn_close"], whole["mismatched"] + whole["status_other"], drains, exits, target])
    headers = ["line", "container", "transport", "mode", "shutdowns", "new connections/s", "connections", "served",
               "lost on a new connection", "lost per shutdown", "how lost", "losses, ms after SIGTERM",
               "refused / reset in connect / connect timeout", "lost before SIGTERM (overload)", "5xx", "Connection: close", "other non-200 or mismatch",
               "terminator drain", "SIGTERM->exit ms", f"target: {TARGET}"]
    text = b.table(headers, rows)
    print(text)
    if verdicts:
        verdict = "met" if all(verdicts) else "missed"
        print(f"Target: {TARGET}: {verdict} on the rows measured (Tomcat and Jetty, terminator).")
    else:
        print(f"Target: {TARGET}: no Tomcat or Jetty row with terminator was measured.")
    markdown = b.run_header(b.command_line(), args.smoke)
    tls_text = (f"TLS with a{'n ECDSA P-256' if args.tls_key == 'ec' else ' RSA 2048'} certificate, "
                if "tls" in args.transport_list else "")
    markdown += (f"\n{args.clients} client threads in {args.processes} processes, a new connection per request "
                 f"({'`Connection: close` sent' if args.request_close else 'no Connection header sent'}), {tls_text}"
                 f"{args.before:g} s of load before SIGTERM (counted from the first {2 * args.clients} answers), "
                 f"read timeout {args.read_timeout:g} s, {args.repeat} shutdown(s) per row; counts are summed over the "
                 "shutdowns, the rate is their median.\n\n" + text + "\n")
    for (line, container), reason in skipped.items():
        markdown += f"\n- Boot {line} {container}: not measured ({reason}).\n"
    b.update_doc("new-connections", markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
