"""The adaptive lame-duck delay behind HAProxy: does the delay end within a second of the balancer taking the
instance out, with no error at the clients, and how does that compare with a fixed delay?

HAProxy (one process) balances round-robin over two instances of the Spring Boot 4 sample, A and B, with:

- active health checks on readiness ON THE MANAGEMENT PORT (`management.server.port`, HAProxy `check port N`):
  `GET /actuator/health/readiness`, `http-check expect status 200`, every --inter seconds, DOWN after --fall failed
  checks, UP after --rise good ones. A probe on the application's port would be a request there, and the adaptive
  delay counts every request and new connection on the application's port as traffic: the probes alone would keep
  it from ending before its maximum;
- HTTP keep-alive to the servers (`http-reuse safe`), `retries 3`, `option redispatch 1`, `retry-on conn-failure`
  (HAProxy's defaults for what was never sent: a refused connection goes to B; a sent POST is never retried).

Load, for the whole run: --keep-alive-clients clients that keep their connection to HAProxy and
--new-connection-clients that open one per request, all POST /echo with a unique body that must come back.

A run: A ready and UP in HAProxy, --before seconds of load plus a phase, SIGTERM to A (t0); HAProxy's `show stat`, polled every
50 ms, gives t1, when it marks A DOWN (taken out); A's log gives t2, when its delay ended (the line `Shutdown delay
ended after ...`, with why it ended and the requests and new connections that arrived during it); t3 is A's exit.
A is then started again, with the next run's settings, on the same ports, and the next run waits until it is UP.
Client errors (non-2xx, a request written with no whole answer, a connection to HAProxy refused or failed, a body
that does not match) are counted per run, from the previous run's end to the replacement being UP in HAProxy.

The phase spreads the SIGTERMs of a mode's runs over the health check's interval: run k of N waits
(k - 0.5) / N x inter more. HAProxy's checks keep their rhythm from when A came UP, so without it every SIGTERM would
land at the same point of the interval, and HAProxy would take the same time to notice in every run.

Modes (one row each, --runs runs each, interleaved so that a change of the machine's load hits every mode):

- adaptive: terminator.shutdown-delay=--shutdown-delay (the maximum), adaptive on, quiet time --quiet-time, one row
  per --minimum (default fall x inter, the longest HAProxy takes to mark an instance DOWN once its readiness fails,
  so that an instance with no traffic at all still waits out the detection; and (fall - 1) x inter, the shortest);
- fixed, sized for the worst case as operators do: terminator.shutdown-delay=--shutdown-delay;
- fixed, fall x inter + 1 s (as rolling-restart.sh sizes it).
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import time

import benchlib as b
from loadgen import Loader
from rolling_restart import HAProxy, UP_TIMEOUT

INSTANCES = ("a", "b")
CONTAINER = "tomcat"
SECTION = "adaptive-delay"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="shutdowns of A per mode")
    parser.add_argument("--keep-alive-clients", type=int, default=4, help="clients that keep their connection")
    parser.add_argument("--new-connection-clients", type=int, default=4,
                        help="clients with one connection per request")
    parser.add_argument("--before", type=float, default=3.0, help="seconds of load between A being UP and SIGTERM")
    parser.add_argument("--inter", type=float, default=1.0, help="HAProxy health-check interval in seconds")
    parser.add_argument("--fall", type=int, default=2, help="failed checks before HAProxy marks a server DOWN")
    parser.add_argument("--rise", type=int, default=2, help="good checks before HAProxy marks a server UP")
    parser.add_argument("--shutdown-delay", type=float, default=15.0,
                        help="seconds: the adaptive delay's maximum, and the worst-case fixed delay")
    parser.add_argument("--quiet-time", type=float, default=0.5, help="terminator.adaptive-delay.quiet-time, s")
    parser.add_argument("--minimum", default=None,
                        help="terminator.adaptive-delay.minimum in seconds, a comma-separated list for one adaptive "
                        "row each (default: fall x inter and (fall - 1) x inter)")
    parser.add_argument("--smoke", action="store_true", help="one run per mode")
    parser.add_argument("--bound-only", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    detection = args.fall * args.inter
    args.minimums = [float(value) for value in args.minimum.split(",")] if args.minimum \
        else sorted({detection, (args.fall - 1) * args.inter}, reverse=True)
    args.short_fixed = detection + 1.0
    return args


def millis(seconds):
    return f"{int(round(seconds * 1000))}ms"


def modes(args):
    """(name, kind, the properties of A)."""
    result = []
    for minimum in args.minimums:
        result.append((f"adaptive, max {args.shutdown_delay:g}s, quiet {args.quiet_time:g}s, min {minimum:g}s",
                       "adaptive",
                       [f"--terminator.shutdown-delay={millis(args.shutdown_delay)}",
                        "--terminator.adaptive-delay.enabled=true",
                        f"--terminator.adaptive-delay.quiet-time={millis(args.quiet_time)}",
                        f"--terminator.adaptive-delay.minimum={millis(minimum)}"]))
    result.append((f"fixed {args.shutdown_delay:g}s (worst case)", "fixed",
                   [f"--terminator.shutdown-delay={millis(args.shutdown_delay)}"]))
    result.append((f"fixed {args.short_fixed:g}s (fall x inter + 1 s)", "fixed",
                   [f"--terminator.shutdown-delay={millis(args.short_fixed)}"]))
    return result


def bound(args):
    start = b.START_TIMEOUT + UP_TIMEOUT
    per_run = args.before + args.inter + args.shutdown_delay + b.STOP_TIMEOUT + start + 5
    return int(2 * start + len(modes(args)) * args.runs * per_run + 120)


class Instance:
    """The sample app on fixed application and management ports, so that a restart comes back under the same
    HAProxy server line."""

    def __init__(self, name, port, management_port):
        self.name = name
        self.port = port
        self.management_port = management_port
        self.starts = 0

    def start(self, props):
        self.starts += 1
        return b.App(CONTAINER, ["--terminator.enabled=true", f"--management.server.port={self.management_port}",
                                 f"--management.server.address={b.LOOPBACK}", *props],
                     name=f"adaptive-{self.name}{self.starts}", port=self.port)


# A line of the sample's log begins with its time, e.g. 2026-12-07T06:17:38.123Z or ...38.123+00:00.
TIMESTAMP = r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(?:Z|[+-]\d\d:?\d\d)?)"
DELAY_BEGINS = re.compile(TIMESTAMP + r".*Shutdown delay of ", re.M)
DELAY_ENDED = re.compile(TIMESTAMP + r".*Shutdown delay ended after (\d+) ms, (.*?): (\d+) request\(s\) and (\d+) "
                         r"new connection\(s\) arrived during it", re.M)


def log_monotonic(stamp):
    """A log line's time on this process's monotonic clock."""
    when = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.astimezone()
    return when.timestamp() - (time.time() - time.monotonic())


def delay_from_log(app):
    text = app.log_text()
    begins = DELAY_BEGINS.search(text)
    ended = DELAY_ENDED.search(text)
    if not ended:
        return None
    ended_at = log_monotonic(ended.group(1))
    # An adaptive delay's line says how long before its end the last request or connection arrived.
    since_last = re.search(r"(?:nothing new for|the last arrival was) (\d+) ms", ended.group(3))
    return {"begins_at": log_monotonic(begins.group(1)) if begins else None,
            "ended_at": ended_at, "logged_ms": int(ended.group(2)),
            "last_arrival_at": ended_at - int(since_last.group(1)) / 1000 if since_last else None,
            "why": ended.group(3).split(":")[0], "requests": int(ended.group(4)),
            "new_connections": int(ended.group(5))}


def errors_between(before, after):
    """Client errors from two snapshots of the loaders' counters: non-2xx, lost, refused or failed connections to
    HAProxy, mismatched bodies."""
    def delta(key):
        return sum(a.get(key, 0) - p.get(key, 0) for p, a in zip(before, after))

    def statuses(snapshot):
        total = {}
        for counts in snapshot:
            for code, count in counts["statuses"].items():
                total[code] = total.get(code, 0) + count
        return total

    then, now = statuses(before), statuses(after)
    non2xx = sum(count - then.get(code, 0) for code, count in now.items() if not 200 <= code < 300)
    parts = {"non-2xx": non2xx, "lost": delta("lost"), "refused": delta("refused") + delta("connect_errors"),
             "mismatched": delta("mismatched")}
    return {"sent": delta("sent"), "total": sum(parts.values()), **parts}


def snapshot(loaders):
    return [loader.counters.snapshot() for loader in loaders]


def one_run(mode, kind, props, next_props, run_number, apps, instance, haproxy, loaders, window_start, args):
    """Shut A down under the load and measure; start its replacement (next_props, None after the last run)."""
    app = apps["a"]
    phase = (run_number - 0.5) / args.runs * args.inter
    time.sleep(args.before + phase)
    ha_before = haproxy.counters()
    load = os.getloadavg()[0]
    app.sigterm()
    t0 = app.sigterm_at
    exited = app.wait_exit(args.shutdown_delay + b.STOP_TIMEOUT)
    t3 = t0 + app.exit_seconds if exited and app.exit_seconds is not None else None
    down = haproxy.first_after("a", t0, "DOWN")
    delay = delay_from_log(app)
    drain = app.drain_summary()
    if next_props is not None:
        replacement = instance.start(next_props)
        apps["a"] = replacement
        replacement.wait_ready()
        haproxy.wait_up("a")
    else:
        time.sleep(1.0)
    window_end = snapshot(loaders)
    ha_after = haproxy.counters()
    t2 = delay["ended_at"] if delay else None
    record = {"mode": mode, "kind": kind, "run": run_number, "load": load, "phase": phase,
              "begins": (delay["begins_at"] - t0) if delay and delay["begins_at"] is not None else None,
              "t1": (down - t0) if down else None, "t2": (t2 - t0) if t2 is not None else None,
              "t3": (t3 - t0) if t3 is not None else None, "delay": delay, "drain": drain,
              "errors": errors_between(window_start, window_end),
              "retries": ha_after["wretr"] - ha_before["wretr"], "redispatches": ha_after["wredis"] - ha_before["wredis"]}
    record["t2_t1"] = (record["t2"] - record["t1"]) if record["t1"] is not None and record["t2"] is not None else None
    last = delay and delay["last_arrival_at"]
    record["last_t1"] = (last - down) if last is not None and down is not None else None
    b.log(f"  {mode} run {run_number}: load {load:.2f}; t1-t0 {ms(record['t1'])}, t2-t0 {ms(record['t2'])}, "
          f"t2-t1 {ms(record['t2_t1'])}, t3-t0 {ms(record['t3'])}; delay {delay}; errors {record['errors']}; "
          f"HAProxy retries {record['retries']}, redispatches {record['redispatches']}; drain {drain}")
    return record, window_end


def ms(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


def run_target(record, args):
    """Whether the run met its targets: 0 client errors; for the adaptive delay also 0 <= t2 - t1 <= 1 s (the delay
    ended after HAProxy took A out, and within a second of it)."""
    if record["errors"]["total"] != 0:
        return False
    if record["kind"] == "adaptive":
        return record["t2_t1"] is not None and 0 <= record["t2_t1"] <= 1.0
    return True


def spread(values, digits=0):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    fmt = f"{{:.{digits}f}}"
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}..{fmt.format(max(values))})"


def report(records, args, planned, busy_limit):
    summary_rows, detail_rows = [], []
    for mode, kind, _ in modes(args):
        runs = [r for r in records if r["mode"] == mode]
        if not runs:
            continue
        delays = [r["delay"] for r in runs]
        met = all(run_target(r, args) for r in runs)
        summary_rows.append([
            mode, len(runs),
            spread([r["t1"] and r["t1"] * 1000 for r in runs]), spread([r["t2"] and r["t2"] * 1000 for r in runs]),
            f"**{spread([r['t2_t1'] and r['t2_t1'] * 1000 for r in runs])}**",
            spread([r["t3"] and r["t3"] * 1000 for r in runs]),
            spread([d["requests"] if d else None for d in delays]) + " / "
            + spread([d["new_connections"] if d else None for d in delays]),
            f"**{sum(r['errors']['total'] for r in runs)}**",
            sum(r["redispatches"] for r in runs),
            ("t2-t1 in [0, 1 s] and 0 errors: " if kind == "adaptive" else "0 errors: ")
            + ("met" if met else "missed")])
    for r in records:
        d = r["delay"]
        e = r["errors"]
        detail_rows.append([
            r["mode"], r["run"], f"{r['load']:.2f}" + (" (busy)" if r["load"] > busy_limit else ""),
            ms(r["phase"]), ms(r["begins"]), ms(r["t1"]), ms(r["t2"]), ms(r["t2_t1"]), ms(r["t3"]),
            d["why"] if d else "no log line", ms(r["last_t1"]), f"{d['requests']} / {d['new_connections']}" if d else "-",
            f"{e['sent']:,}", f"{e['total']} ({e['non-2xx']} non-2xx, {e['lost']} lost, {e['refused']} refused, "
            f"{e['mismatched']} mismatched)",
            f"{r['retries']} / {r['redispatches']}",
            (f"{r['drain']['ms']} ms ({r['drain']['idle']}/{r['drain']['completed']}/{r['drain']['forced']})"
             if r["drain"] else "-"),
            "met" if run_target(r, args) else "missed"])
    summary = b.table(["mode", "runs", "t1-t0 ms: SIGTERM to DOWN in HAProxy", "t2-t0 ms: SIGTERM to the delay's end",
                       "t2-t1 ms: DOWN to the delay's end", "t3-t0 ms: SIGTERM to exit",
                       "requests / new connections during the delay", "client errors",
                       "HAProxy redispatches", "target"], summary_rows)
    detail = b.table(["mode", "run", "load (1 min) at SIGTERM", "phase ms", "SIGTERM to the delay's begin ms",
                      "t1-t0 ms", "t2-t0 ms", "t2-t1 ms", "t3-t0 ms",
                      "delay ended", "last arrival at A - t1 ms",
                      "requests / new connections during the delay", "requests in the window",
                      "client errors", "HAProxy retries / redispatches", "drain (idle/completed/forced)", "target"],
                     detail_rows)
    complete = len(records) >= planned
    verdicts = []
    for mode, kind, _ in modes(args):
        runs = [r for r in records if r["mode"] == mode]
        if runs:
            missed = sum(not run_target(r, args) for r in runs)
            verdicts.append(f"{mode}: " + ("met" if not missed else f"missed in {missed} of {len(runs)} run(s)"))
    verdict = "; ".join(verdicts)
    if complete:
        print(summary)
        print()
        print(detail)
        print(f"Target: with the adaptive delay, the delay ends within 1 s after HAProxy marks the instance DOWN "
              f"(0 <= t2-t1 <= 1000 ms) in every run, and 0 client errors in every run of every mode. {verdict}")
    markdown = b.run_header(b.command_line(), args.smoke)
    if not complete:
        markdown += f"\n**Partial**: {len(records)} of {planned} runs measured so far.\n"
    markdown += (
        f"\nTomcat on the Spring Boot 4 sample, two instances behind HAProxy; health check on readiness on the "
        f"management port every {args.inter:g} s, fall {args.fall}, rise {args.rise} (HAProxy takes an instance out "
        f"{(args.fall - 1) * args.inter:g} to {args.fall * args.inter:g} s after its readiness fails); "
        f"{args.keep_alive_clients} keep-alive and {args.new_connection_clients} new-connection clients through "
        f"HAProxy for the whole run; {args.before:g} s of load before each SIGTERM, plus a phase that spreads a "
        f"mode's runs over the check interval; {args.runs} run(s) per mode, interleaved. Times are medians (min..max) over the runs; a run whose 1-minute load average at SIGTERM was "
        f"above {busy_limit:g} is marked busy.\n\n"
        + summary + "\n\n" + detail + "\n\n"
        + f"Target: with the adaptive delay, 0 <= t2-t1 <= 1000 ms in every run; 0 client errors in every run of every "
          f"mode. {verdict}.\n")
    b.update_doc(SECTION, markdown)


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    b.log(f"Load average at the start: {b.LOAD_AT_START}")
    b.log(f"HAProxy health check on the management port every {args.inter:g} s, fall {args.fall}, rise {args.rise}")
    busy_limit = 0.5 * (os.cpu_count() or 1)
    plan = [mode for _ in range(args.runs) for mode in modes(args)]
    ports = {name: (b.free_port(), b.free_port()) for name in INSTANCES}
    instances = {name: Instance(name, *ports[name]) for name in INSTANCES}
    apps = {"a": instances["a"].start(plan[0][2]), "b": instances["b"].start([])}
    haproxy = None
    loaders = []
    records = []
    try:
        b.start_apps(list(apps.values()))
        haproxy = HAProxy([ports[name][0] for name in INSTANCES], args, names=INSTANCES,
                          check_ports=[ports[name][1] for name in INSTANCES])
        for name in INSTANCES:
            haproxy.wait_up(name)
        loaders = [Loader(haproxy.port, args.keep_alive_clients, keep_alive=True),
                   Loader(haproxy.port, args.new_connection_clients, keep_alive=False)]
        for loader in loaders:
            loader.start()
        window_start = snapshot(loaders)
        runs_so_far = {}
        for index, (mode, kind, props) in enumerate(plan):
            runs_so_far[mode] = runs_so_far.get(mode, 0) + 1
            next_props = plan[index + 1][2] if index + 1 < len(plan) else None
            b.log(f"{mode}: run {runs_so_far[mode]}/{args.runs}")
            record, window_start = one_run(mode, kind, props, next_props, runs_so_far[mode], apps, instances["a"],
                                           haproxy, loaders, window_start, args)
            records.append(record)
            report(records, args, len(plan), busy_limit)
        abnormal = haproxy.abnormal()
        b.log(f"HAProxy abnormal log over the whole run: {abnormal or 'none'}")
    finally:
        for loader in loaders:
            loader.stop(5)
        if haproxy is not None:
            haproxy.stop()
        for app in apps.values():
            app.kill()


if __name__ == "__main__":
    sys.exit(main())
