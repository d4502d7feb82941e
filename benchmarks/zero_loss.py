"""Zero loss under load: keep-alive clients POST /echo continuously, SIGTERM mid-load, count what is lost.

Per container, plain and TLS, terminator (its defaults: 30 s timeout, 2 s quiet period) and Spring Boot's built-in
graceful shutdown (terminator.enabled=false, Boot's defaults). The clients stop when the server refuses their next
connection (a real client would go to another instance) or at the bound.
"""

import argparse
import sys
import time

import benchlib as b
from loadgen import Loader


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--containers", default=",".join(b.SERVERS),
                        help="servers, from tomcat,jetty,undertow,netty (netty: the reactive sample on Reactor Netty)")
    parser.add_argument("--transports", default="plain,tls")
    parser.add_argument("--modes", default="terminator,builtin")
    parser.add_argument("--clients", type=int, default=16, help="keep-alive client connections")
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before SIGTERM")
    parser.add_argument("--repeat", type=int, default=3, help="runs per combination")
    parser.add_argument("--smoke", action="store_true", help="one run per combination, 3 s of load before SIGTERM")
    parser.add_argument("--bound-only", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.before = 1, 3.0
    args.container_list = b.parse_containers(args.containers, b.SERVERS)
    args.transport_list = [t for t in args.transports.split(",") if t]
    args.mode_list = [m for m in args.modes.split(",") if m]
    return args


AFTER_SIGTERM = 45.0


def bound(args):
    per_run = b.START_TIMEOUT + args.before + AFTER_SIGTERM + b.STOP_TIMEOUT + 40
    runs = len(args.container_list) * len(args.transport_list) * len(args.mode_list) * args.repeat
    return int(runs * per_run) + 60


def run_one(container, transport, mode, args, tls):
    props = ["--terminator.enabled=true"] if mode == "terminator" else ["--terminator.enabled=false"]
    app = b.App(container, props, tls=tls if transport == "tls" else None,
                name=f"loss-{container}-{transport}-{mode}")
    loader = None
    try:
        app.wait_ready()
        loader = Loader(app.port, args.clients, tls_context=tls.client_context if transport == "tls" else None)
        loader.start()
        time.sleep(args.before)
        before = loader.counters.snapshot()
        sigterm_at = time.monotonic()
        loader.finish_when_refused()
        app.sigterm()
        finished = loader.wait_finished(AFTER_SIGTERM)
        counts = loader.stop()
        exited = app.wait_exit(max(1.0, AFTER_SIGTERM - (time.monotonic() - sigterm_at)))
        result = {"container": container, "transport": transport, "mode": mode, "counts": counts,
                  "before_sigterm": before["sent"], "clients_finished": finished,
                  "exit_ms": app.exit_seconds * 1000 if exited and app.exit_seconds is not None else None,
                  "summary": app.drain_summary()}
        b.log(f"{container} {transport} {mode}: {counts} summary={result['summary']}")
        return result
    finally:
        if loader is not None:
            loader.stop(5)
        app.kill()


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    tls = b.Tls() if "tls" in args.transport_list else None
    results, skipped = [], {}
    for container in args.container_list:
        try:
            for transport in args.transport_list:
                for mode in args.mode_list:
                    for _ in range(args.repeat):
                        results.append(run_one(container, transport, mode, args, tls))
        except b.ContainerUnavailable as ex:
            skipped[container] = str(ex)
            b.log(f"Skipping {container}: {ex}")
    rows, data = [], []
    groups = {}
    for r in results:
        groups.setdefault((r["container"], r["transport"], r["mode"]), []).append(r)
    for (container, transport, mode), runs in groups.items():
        total = {key: sum(run["counts"][key] for run in runs)
                 for key in ("sent", "ok", "lost", "lost_reused", "lost_new", "5xx", "resets", "timeouts",
                             "mismatched", "refused", "server_closes")}
        other_statuses = sum(count for run in runs for code, count in run["counts"]["statuses"].items()
                             if code != 200 and code < 500)
        summaries = [run["summary"] for run in runs if run["summary"]]
        drain = ", ".join(f"{s['ms']} ms ({s['idle']}/{s['completed']}/{s['forced']})" for s in summaries) or "-"
        exits = ", ".join(f"{run['exit_ms']:.0f}" if run["exit_ms"] else "killed" for run in runs)
        target = ""
        if mode == "terminator":
            target = "met" if total["lost_reused"] == 0 and total["5xx"] == 0 else "missed"
        rows.append([container, transport, mode, len(runs), f"{total['sent']:,}", f"{total['ok']:,}",
                     f"**{total['lost_reused']}**", total["lost_new"], total["5xx"], other_statuses,
                     total["resets"], total["timeouts"], total["mismatched"], total["server_closes"], drain, exits,
                     target])
        data.append((f"{container}-{transport}", mode, total["lost_reused"] + total["5xx"], total["lost_new"]))
    headers = ["container", "transport", "mode", "runs", "requests", "ok", "lost on a reused connection",
               "lost on a new connection", "5xx", "other non-200", "resets",
               "read timeouts", "echo mismatches", "Connection: close seen", "terminator drain (idle/completed/forced)",
               "SIGTERM->exit ms", "target 0 lost on reused, 0 5xx"]
    text = b.table(headers, rows)
    print(text)
    chart = None
    if data:
        labels = sorted({label for label, _, _, _ in data})
        lines = []
        for label in labels:
            reused = {mode: value for l, mode, value, _ in data if l == label}
            new = {mode: value for l, mode, _, value in data if l == label}
            lines.append(f"{label} {reused.get('terminator', '-')} {reused.get('builtin', '-')} "
                         f"{new.get('terminator', '-')} {new.get('builtin', '-')}")
        chart = b.gnuplot("zero-loss", """
set title 'Requests lost on reused connections + 5xx, and lost on new connections, SIGTERM under POST load'
set datafile missing '-'
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set ylabel 'requests (sum over runs)'
set yrange [0:*]
set key top left
plot '$DATA' using 2:xtic(1) title 'terminator: reused + 5xx', '' using 3 title 'built-in: reused + 5xx', \
     '' using 4 title 'terminator: new connection', '' using 5 title 'built-in: new connection'
""", "\n".join(lines) + "\n")
    markdown = b.run_header(b.command_line(), args.smoke)
    markdown += (f"\n{args.clients} keep-alive clients, {args.before:g} s of load before SIGTERM, {args.repeat} run(s) "
                 "per row; counts are summed over the runs.\n\n" + text + "\n")
    for container, reason in skipped.items():
        markdown += f"\n- {container}: not measured ({reason}).\n"
    if chart:
        markdown += f"\n![lost requests]({chart})\n"
    b.update_doc("zero-loss", markdown)


if __name__ == "__main__":
    sys.exit(main())
