"""Overhead: wrk keep-alive load on /hello, terminator on vs off, alternating runs, per container.

Both applications run side by side for the whole container (one JVM each), are warmed up, then measured in
alternating order (on, off, off, on, on, off, ...) so that drift on a shared machine hits both alike. The ratios are
of the medians.
"""

import argparse
import sys

import benchlib as b


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--containers", default=",".join(b.CONTAINERS))
    parser.add_argument("--rounds", type=int, default=6, help="measured runs per mode (even: each mode leads equally)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of warm-up per application")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="short run: 2 rounds of 3 s, 5 s warm-up")
    parser.add_argument("--control", action="store_true",
                        help="A/A control: terminator enabled in both instances, to see the bias of the set-up")
    parser.add_argument("--bound-only", action="store_true", help="print the time bound in seconds and exit")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.duration, args.warmup = 2, 3, 5
    args.container_list = b.parse_containers(args.containers)
    return args


def bound(args):
    per_container = b.START_TIMEOUT + 2 * (args.warmup + 60) + 2 * args.rounds * (args.duration + 60) \
        + 2 * b.STOP_TIMEOUT
    return int(len(args.container_list) * per_container) + 60


def measure(container, args):
    on = b.App(container, ["--terminator.enabled=true"], name=f"{container}-on")
    off = b.App(container, [f"--terminator.enabled={'true' if args.control else 'false'}"], name=f"{container}-off")
    try:
        b.start_apps([on, off])
        # Two alternating passes: the first measured round used to run at half speed after a single pass.
        for _ in range(2):
            for app in (on, off):
                b.wrk(f"http://{b.LOOPBACK}:{app.port}/hello", max(1, args.warmup // 2), args.connections,
                      args.threads)
        runs = {"on": [], "off": []}
        for round_index in range(args.rounds):
            order = [("on", on), ("off", off)] if round_index % 2 == 0 else [("off", off), ("on", on)]
            for mode, app in order:
                result = b.wrk(f"http://{b.LOOPBACK}:{app.port}/hello", args.duration, args.connections,
                               args.threads)
                runs[mode].append(result)
                b.log(f"{container} round {round_index + 1} {mode}: {result['rps']:.0f} req/s, "
                      f"p99 {result['p99']:.2f} ms, errors {result['errors']}, non-2xx {result['non2xx']}")
        return runs
    finally:
        on.stop()
        off.stop()


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    results = {}
    skipped = {}
    for container in args.container_list:
        try:
            results[container] = measure(container, args)
        except b.ContainerUnavailable as ex:
            skipped[container] = str(ex)
            b.log(f"Skipping {container}: {ex}")
    rows = []
    data = []
    for index, (container, runs) in enumerate(results.items()):
        on_rps = b.median([r["rps"] for r in runs["on"]])
        off_rps = b.median([r["rps"] for r in runs["off"]])
        on_p99 = b.median([r["p99"] for r in runs["on"]])
        off_p99 = b.median([r["p99"] for r in runs["off"]])
        # Each round's two runs are adjacent in time, so their ratio cancels slow drift on a shared machine: the
        # median of those ratios is the headline figure.
        ratios = [on["rps"] / off["rps"] for on, off in zip(runs["on"], runs["off"])]
        p99_ratios = [on["p99"] / off["p99"] for on, off in zip(runs["on"], runs["off"])]
        throughput_ratio = b.median(ratios)
        errors = sum(r["errors"] + r["non2xx"] for mode in runs.values() for r in mode)
        rows.append([container, f"{on_rps:,.0f}", f"{off_rps:,.0f}", f"**{throughput_ratio:.3f}**",
                     f"{min(ratios):.3f}..{max(ratios):.3f}", f"{on_rps / off_rps:.3f}", f"{on_p99:.2f}",
                     f"{off_p99:.2f}", f"{b.median(p99_ratios):.3f}", errors,
                     "met" if throughput_ratio >= 0.98 else f"missed by {0.98 - throughput_ratio:.3f}"])
        data.append(f"{index} {container} {on_rps:.1f} {off_rps:.1f} {on_p99:.3f} {off_p99:.3f}")
    headers = ["container", "req/s on (median)", "req/s off (median)", "throughput ratio (median per round)",
               "per round min..max", "ratio of medians", "p99 ms on", "p99 ms off", "p99 ratio (median per round)",
               "errors", "target >= 0.98"]
    text = b.table(headers, rows)
    print(text)
    chart = None
    if data:
        chart = b.gnuplot("overhead-control" if args.control else "overhead", """
set title 'Throughput on /hello, terminator on vs off (median of alternating wrk runs)'
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set ylabel 'requests per second'
set yrange [0:*]
set key top right
plot '$DATA' using 3:xtic(2) title 'terminator.enabled=true', '' using 4 title 'terminator.enabled=false'
""", "\n".join(data) + "\n")
    markdown = b.run_header(b.command_line(), args.smoke)
    if args.control:
        markdown += ("\n**A/A control**: terminator is enabled in *both* instances ('off' is a second 'on'), so any "
                     "ratio away from 1 is the bias and noise of the set-up, not terminator's overhead.\n")
    markdown += (f"\nwrk: {args.threads} threads, {args.connections} keep-alive connections, {args.rounds} rounds of "
                 f"{args.duration} s per mode after {args.warmup} s of warm-up, alternating order.\n\n" + text + "\n")
    for container, reason in skipped.items():
        markdown += f"\n- {container}: not measured ({reason}).\n"
    if chart:
        markdown += f"\n![throughput on vs off]({chart})\n"
    b.update_doc("overhead-control" if args.control else "overhead", markdown)


if __name__ == "__main__":
    sys.exit(main())
