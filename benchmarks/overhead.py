"""Overhead as CPU per request: the server's CPU time spent on a fixed number of keep-alive requests, terminator on
vs off, with the A/A control (on vs on) in the same run.

Per container, three instances of the sample app run side by side: "on" (terminator.enabled=true), "off"
(terminator.enabled=false) and "on2" (terminator.enabled=true again, the A/A control). Once started, every thread of
each server JVM is pinned to one core and the load generator (h2load --h1, a fixed request count) to another, so
that they do not compete for a core. Each instance is warmed up with the same load (not measured) and given time for
its JIT compilers to go quiet (at most a minute), then the rounds
run in alternating order (on, off, on2, then on2, off, on, ...). A round measures each instance's CPU time (user +
system, all threads but the JIT compilers', from /proc) over the same number of requests; the per-round ratios cancel drift on a
shared machine, and the headline figures are their medians.

Throughput is not the measure: on a shared 2-core machine it swings by 30 % between rounds, while the CPU a server
spends on a request moves much less.
"""

import argparse
import os
import re
import subprocess
import sys
import time

import benchlib as b

MODES = ("on", "off", "on2")

TARGET_RATIO = 1.01
CONTROL_RANGE = (0.99, 1.01)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--containers", default=",".join(b.SERVERS),
                        help="servers, from tomcat,jetty,undertow,netty (netty: the reactive sample on Reactor Netty)")
    parser.add_argument("--rounds", type=int, default=6, help="measured rounds (even: each order leads equally)")
    parser.add_argument("--requests", type=int, default=60000, help="requests per instance per round")
    parser.add_argument("--warmup", type=int, default=150000, help="warm-up requests per instance (not measured)")
    parser.add_argument("--connections", type=int, default=16, help="h2load keep-alive connections")
    parser.add_argument("--server-cpu", default="0", help="CPU the server JVMs are pinned to (taskset -c)")
    parser.add_argument("--client-cpu", default=None, help="CPU h2load is pinned to (default: the last one)")
    parser.add_argument("--smoke", action="store_true", help="short run: 2 rounds of 10,000 requests, 20,000 warm-up")
    parser.add_argument("--bound-only", action="store_true", help="print the time bound in seconds and exit")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.requests, args.warmup = 2, 10000, 20000
    if args.client_cpu is None:
        args.client_cpu = str((os.cpu_count() or 1) - 1)
    args.container_list = b.parse_containers(args.containers, b.SERVERS)
    return args


# Bounds of one h2load run: generous for a busy 2-core machine (a few thousand requests per second at the worst).
def h2load_timeout(requests):
    return 30 + requests / 1000


# How long each instance gets, at most, for its JIT compilers to go quiet after the warm-up.
JIT_QUIET_TIMEOUT = 60.0


def bound(args):
    per_container = b.START_TIMEOUT + len(MODES) * (h2load_timeout(args.warmup) + JIT_QUIET_TIMEOUT
                                                     + args.rounds * h2load_timeout(args.requests)) \
        + len(MODES) * b.STOP_TIMEOUT
    return int(len(args.container_list) * per_container) + 60


# Fixed heap (no resizing between rounds) and one GC for all three instances.
# A fixed set of JIT compiler threads, so that their CPU can be told apart from the rest in every round.
DEFAULT_JAVA_OPTS = ("-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch "
                     "-XX:-UseDynamicNumberOfCompilerThreads")


def cpu_seconds(pid):
    """User + system CPU time of every thread of a process, alive or exited, from /proc/PID/stat."""
    stat = open(f"/proc/{pid}/stat").read()
    fields = stat[stat.rindex(")") + 2:].split()
    # Fields 14 and 15 (utime, stime) in proc(5); the list starts at field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pin(pid, cpus):
    """Pin every existing thread of a process (and so the threads it starts later) to the given CPUs."""
    subprocess.run(["taskset", "-a", "-p", "-c", cpus, str(pid)], check=True, stdout=subprocess.DEVNULL)


def h2load(port, requests, connections, cpu):
    command = ["taskset", "-c", cpu, "h2load", "--h1", "-n", str(requests), "-c", str(connections), "-t", "1",
               f"http://{b.LOOPBACK}:{port}/hello"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=h2load_timeout(requests)).stdout
    done = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                     r"(\d+) errored", output)
    rps = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", output)
    if not done:
        raise RuntimeError("h2load printed no summary:\n" + output[-2000:])
    total, _, completed, _, _, errored = map(int, done.groups())
    # Counted by "done", not "succeeded": h2load 1.52 counts a response without a reason phrase (Tomcat sends
    # "HTTP/1.1 200 ") as failed, status unknown. Non-2xx are the 3xx, 4xx and 5xx it did parse.
    codes = re.search(r"status codes: \d+ 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", output)
    return {"succeeded": completed, "failed": errored + (total - completed),
            "non2xx": sum(map(int, codes.groups())) if codes else 0,
            "rps": float(rps.group(1)) if rps else float("nan")}


def compiler_seconds(app):
    return sum(app.compiler_cpu_ticks().values()) / os.sysconf("SC_CLK_TCK")


def measure_round(app, args):
    before, compiler_before = cpu_seconds(app.pid), compiler_seconds(app)
    result = h2load(app.port, args.requests, args.connections, args.client_cpu)
    # What the JIT compilers spent is left out: compiling is a one-off cost of warming up, not of a request, and
    # a late compile in one instance's round would weigh on its ratio.
    result["jit"] = compiler_seconds(app) - compiler_before
    result["cpu"] = cpu_seconds(app.pid) - before - result["jit"]
    result["us_per_request"] = result["cpu"] / max(1, result["succeeded"]) * 1e6
    return result


def measure(container, args):
    settings = {"on": "true", "off": "false", "on2": "true"}
    apps = {mode: b.App(container, [f"--terminator.enabled={enabled}"], name=f"overhead-{container}-{mode}",
                        java_opts=os.environ.get("BENCH_JAVA_OPTS", DEFAULT_JAVA_OPTS).split())
            for mode, enabled in settings.items()}
    try:
        # Started (and the JIT's start-up work done) on every core; pinned once ready.
        b.start_apps(list(apps.values()))
        for app in apps.values():
            pin(app.pid, args.server_cpu)
        for mode, app in apps.items():
            warm = h2load(app.port, args.warmup, args.connections, args.client_cpu)
            b.log(f"{container} {mode} warm-up: {warm['rps']:.0f} req/s")
        # The rounds measure requests, not the JIT compiling what the warm-up made hot.
        for mode, app in apps.items():
            b.log(f"{container} {mode}: JIT quiet after {app.wait_jit_quiet(timeout=JIT_QUIET_TIMEOUT):.1f} s")
        runs = {mode: [] for mode in MODES}
        for round_index in range(args.rounds):
            order = MODES if round_index % 2 == 0 else tuple(reversed(MODES))
            for mode in order:
                result = measure_round(apps[mode], args)
                runs[mode].append(result)
                b.log(f"{container} round {round_index + 1} {mode}: {result['us_per_request']:.2f} us CPU/request, "
                      f"JIT {result['jit'] * 1000:.0f} ms, {result['rps']:.0f} req/s, failed {result['failed']}, non-2xx {result['non2xx']}")
        return runs
    finally:
        for app in apps.values():
            app.stop()


def ratio_text(ratios):
    return f"**{b.median(ratios):.4f}**", f"{min(ratios):.4f}..{max(ratios):.4f}", f"{spread(ratios):.4f}"


def spread(values):
    """Half the interquartile range of the per-round ratios: how far a typical round is from their median."""
    if len(values) < 2:
        return float("nan")
    ordered = sorted(values)
    quarter = (len(ordered) - 1) / 4
    low = ordered[int(quarter)]
    high = ordered[-1 - int(quarter)]
    return (high - low) / 2


def verdicts(ratio, control):
    inside = CONTROL_RANGE[0] <= control <= CONTROL_RANGE[1]
    overhead = "met" if ratio <= TARGET_RATIO else f"missed by {ratio - TARGET_RATIO:.4f}"
    if not inside:
        # With the control outside its range, the set-up cannot tell 1 % apart: neither verdict holds.
        overhead = f"unproven ({overhead}, but the A/A control is outside)"
    return overhead, "inside" if inside else "outside (the set-up's noise is larger than the target)"


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    b.log(f"Load average at the start: {b.LOAD_AT_START}")
    results, skipped = {}, {}
    for container in args.container_list:
        try:
            results[container] = measure(container, args)
        except b.ContainerUnavailable as ex:
            skipped[container] = str(ex)
            b.log(f"Skipping {container}: {ex}")
    rows, control_rows, data = [], [], []
    for index, (container, runs) in enumerate(results.items()):
        cpu = {mode: [r["us_per_request"] for r in runs[mode]] for mode in MODES}
        ratios = [on / off for on, off in zip(cpu["on"], cpu["off"])]
        controls = [on2 / on for on, on2 in zip(cpu["on"], cpu["on2"])]
        failed = sum(r["failed"] + r["non2xx"] for mode in MODES for r in runs[mode])
        overhead, control = verdicts(b.median(ratios), b.median(controls))
        rows.append([container, f"{b.median(cpu['on']):.2f}", f"{b.median(cpu['off']):.2f}", *ratio_text(ratios),
                     *ratio_text(controls), f"{b.median([r['rps'] for r in runs['on']]):,.0f}",
                     f"{b.median([r['rps'] for r in runs['off']]):,.0f}", failed, overhead, control])
        data.append(f"{index} {container} {b.median(cpu['on']):.3f} {b.median(cpu['off']):.3f} "
                    f"{b.median(cpu['on2']):.3f}")
        control_rows.append([container, " ".join(f"{r:.4f}" for r in ratios), " ".join(f"{r:.4f}" for r in controls)])
    headers = ["container", "CPU us/request on (median)", "CPU us/request off (median)",
               "on/off (median per round)", "on/off min..max", "on/off spread (IQR/2)",
               "A/A on2/on (median per round)", "A/A min..max", "A/A spread (IQR/2)", "req/s on", "req/s off",
               "failed or non-2xx", f"target on/off <= {TARGET_RATIO}",
               f"A/A inside {CONTROL_RANGE[0]}..{CONTROL_RANGE[1]}"]
    text = b.table(headers, rows)
    print(text)
    per_round = b.table(["container", "on/off per round", "A/A per round"], control_rows)
    print(per_round)
    chart = None
    if data:
        chart = b.gnuplot("overhead", """
set title 'Server CPU per request on /hello (median of alternating rounds)'
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set ylabel 'CPU microseconds per request (user + system, all threads but the JIT compilers)'
set yrange [0:*]
set key top right
plot '$DATA' using 3:xtic(2) title 'terminator on', '' using 4 title 'terminator off', \
     '' using 5 title 'terminator on (A/A control)'
""", "\n".join(data) + "\n")
    markdown = b.run_header(b.command_line(), args.smoke)
    markdown += (f"\nh2load --h1: {args.connections} keep-alive connections, {args.requests:,} requests per instance "
                 f"per round, {args.rounds} rounds in alternating order after {args.warmup:,} warm-up requests per "
                 f"instance; server JVMs pinned to CPU {args.server_cpu}, h2load to CPU {args.client_cpu}; JVM options "
                 f"`{os.environ.get('BENCH_JAVA_OPTS', DEFAULT_JAVA_OPTS)}`.\n\n" + text + "\n\nPer-round ratios:\n\n"
                 + per_round + "\n")
    for container, reason in skipped.items():
        markdown += f"\n- {container}: not measured ({reason}).\n"
    if chart:
        markdown += f"\n![CPU per request, on vs off vs A/A]({chart})\n"
    b.update_doc("overhead", markdown)


if __name__ == "__main__":
    sys.exit(main())
