"""Behind nginx: two instances in an upstream with a keep-alive pool; one is taken out under POST load.

nginx (one worker) proxies to instances A and B with `keepalive 32`, HTTP/1.1 upstream connections and
`proxy_next_upstream off`, so that a failed POST is never retried on the other instance: every upstream failure
reaches the load generator as a 502 (or 504). The load generator opens one connection to nginx per request
(Connection: close), so that nginx's own reload cannot close a client connection under a request and blur the count.

Timeline of one run: load for --before seconds; SIGTERM to B; --propagation seconds later nginx is reloaded without
B (as a Kubernetes endpoint removal reaches a proxy while the pod already has its SIGTERM; a negative value reloads
first); the load goes on until B has exited, plus one second.

Modes: terminator without shutdown-delay, terminator with shutdown-delay, Spring Boot's built-in graceful shutdown.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time

import benchlib as b
from loadgen import Loader


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--containers", default=",".join(b.CONTAINERS))
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of nginx")
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before B is taken out")
    parser.add_argument("--propagation", type=float, default=1.0,
                        help="seconds from SIGTERM to the nginx reload (negative: reload first)")
    parser.add_argument("--shutdown-delay", type=float, default=3.0, help="terminator.shutdown-delay in seconds")
    parser.add_argument("--repeat", type=int, default=2, help="runs per mode")
    parser.add_argument("--smoke", action="store_true", help="one run per mode, 3 s of load first")
    parser.add_argument("--bound-only", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.before = 1, 3.0
    args.container_list = b.parse_containers(args.containers)
    return args


AFTER_SIGTERM = 50.0


def modes(args):
    return [("terminator, no delay", ["--terminator.enabled=true", "--terminator.shutdown-delay=0s"]),
            (f"terminator, shutdown-delay {args.shutdown_delay:g}s",
             ["--terminator.enabled=true", f"--terminator.shutdown-delay={int(args.shutdown_delay * 1000)}ms"]),
            ("built-in graceful", ["--terminator.enabled=false"])]


def bound(args):
    per_run = b.START_TIMEOUT + args.before + abs(args.propagation) + args.shutdown_delay + AFTER_SIGTERM \
        + 2 * b.STOP_TIMEOUT + 30
    return int(len(args.container_list) * len(modes(args)) * args.repeat * per_run) + 60


class Nginx:
    """nginx in the foreground (master + one worker), its files in a temporary directory."""

    def __init__(self, upstream_ports):
        self.dir = b.tmp_dir("nginx")
        os.chmod(self.dir, 0o777)
        self.port = b.free_port()
        self.conf = self.dir / "nginx.conf"
        self.write(upstream_ports)
        self.process = b.track(subprocess.Popen(["nginx", "-p", str(self.dir), "-c", str(self.conf),
                                                 "-g", "daemon off;"], stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=open(self.dir / "stderr", "w")))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("nginx did not start: " + (self.dir / "stderr").read_text())
            try:
                socket.create_connection((b.LOOPBACK, self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx not listening")

    def write(self, upstream_ports):
        servers = "\n".join(f"        server {b.LOOPBACK}:{port};" for port in upstream_ports)
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.conf.write_text(f"""{user}worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log notice;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    upstream app {{
{servers}
        keepalive 32;
    }}
    server {{
        listen {b.LOOPBACK}:{self.port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream off;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
        }}
    }}
}}
""")

    def reload(self, upstream_ports):
        self.write(upstream_ports)
        os.kill(self.process.pid, signal.SIGHUP)

    def upstream_errors(self):
        """What nginx logged about its upstreams, by kind."""
        path = self.dir / "error.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        kinds = {"refused": r"Connection refused", "reset": r"reset by peer",
                 "closed early": r"prematurely closed", "timed out": r"timed out"}
        return {kind: len(re.findall(pattern, text)) for kind, pattern in kinds.items()}

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_one(container, mode, props, args):
    a = b.App(container, props, name=f"nginx-{container}-a")
    victim = b.App(container, props, name=f"nginx-{container}-b")
    nginx = loader = None
    try:
        b.start_apps([a, victim])
        nginx = Nginx([a.port, victim.port])
        loader = Loader(nginx.port, args.clients, keep_alive=False)
        loader.start()
        time.sleep(args.before)
        start = time.monotonic()
        steps = [(0.0, "sigterm"), (args.propagation, "reload")] if args.propagation >= 0 \
            else [(0.0, "reload"), (-args.propagation, "sigterm")]
        for at, step in steps:
            time.sleep(max(0.0, start + at - time.monotonic()))
            if step == "sigterm":
                victim.sigterm()
            else:
                nginx.reload([a.port])
        exited = victim.wait_exit(AFTER_SIGTERM)
        exit_ms = victim.exit_seconds * 1000 if exited and victim.exit_seconds is not None else None
        time.sleep(1.0)
        counts = loader.stop()
        result = {"container": container, "mode": mode, "counts": counts, "exit_ms": exit_ms,
                  "nginx": nginx.upstream_errors(), "summary": victim.drain_summary()}
        b.log(f"{container} {mode}: {counts} nginx={result['nginx']} summary={result['summary']}")
        return result
    finally:
        if loader is not None:
            loader.stop(5)
        if nginx is not None:
            nginx.stop()
        a.kill()
        victim.kill()


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    results, skipped = [], {}
    for container in args.container_list:
        try:
            for mode, props in modes(args):
                for _ in range(args.repeat):
                    results.append(run_one(container, mode, props, args))
        except b.ContainerUnavailable as ex:
            skipped[container] = str(ex)
            b.log(f"Skipping {container}: {ex}")
    groups = {}
    for r in results:
        groups.setdefault((r["container"], r["mode"]), []).append(r)
    rows, data = [], []
    for (container, mode), runs in groups.items():
        def total(key):
            return sum(run["counts"].get(key, 0) for run in runs)

        def status(code):
            return sum(run["counts"]["statuses"].get(code, 0) for run in runs)

        errors = {kind: sum(run["nginx"][kind] for run in runs) for kind in runs[0]["nginx"]}
        bad = status(502) + status(504)
        target = ("met" if bad == 0 else "missed") if mode.startswith("terminator, shutdown-delay") else ""
        rows.append([container, mode, len(runs), f"{total('sent'):,}", f"{total('ok'):,}", f"**{status(502)}**",
                     f"**{status(504)}**", total("5xx") - bad, total("lost"),
                     ", ".join(f"{kind} {count}" for kind, count in errors.items() if count) or "none",
                     ", ".join(f"{run['exit_ms']:.0f}" if run["exit_ms"] else "killed" for run in runs), target])
        data.append((container, mode, bad))
    headers = ["container", "mode", "runs", "requests", "ok", "502", "504", "other 5xx", "lost at client",
               "nginx upstream errors (error.log)", "SIGTERM->B exit ms", "target 0 502/504"]
    text = b.table(headers, rows)
    print(text)
    chart = None
    if data:
        mode_names = [name for name, _ in modes(args)]
        lines = ["container " + " ".join(f'"{name}"' for name in mode_names)]
        for container in sorted({c for c, _, _ in data}):
            values = {mode: bad for c, mode, bad in data if c == container}
            lines.append(container + " " + " ".join(str(values.get(name, "-")) for name in mode_names))
        chart = b.gnuplot("behind-nginx", f"""
set title '502/504 at the load generator when one of two instances behind nginx is taken out under POST load'
set datafile missing '-'
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set ylabel '502 + 504 (sum over runs)'
set yrange [0:*]
set key top left
plot for [i=2:{len(mode_names) + 1}] '$DATA' using i:xtic(1) title columnheader(i)
""", "\n".join(lines) + "\n")
    markdown = b.run_header(b.command_line(), args.smoke)
    markdown += (f"\n{args.clients} clients, one request per client connection to nginx; {args.before:g} s of load, "
                 f"then SIGTERM to B and the nginx reload without B {args.propagation:g} s later "
                 f"(negative: reload first); {args.repeat} run(s) per row, counts summed.\n\n" + text + "\n")
    for container, reason in skipped.items():
        markdown += f"\n- {container}: not measured ({reason}).\n"
    if chart:
        markdown += f"\n![behind nginx]({chart})\n"
    b.update_doc("behind-nginx", markdown)


if __name__ == "__main__":
    sys.exit(main())
