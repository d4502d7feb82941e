"""Spring Cloud Gateway at shutdown: a real gateway (benchmarks/gateway/, Spring Boot 4 and Spring Cloud Gateway server
WebFlux on Reactor Netty, one route /** to the sample app), keep-alive POST /echo load from real clients, two scenarios:

(a) the gateway itself gets SIGTERM under the load: requests lost by the clients (their bytes written, no whole answer)
    and 5xx, per mode of the gateway: terminator (its defaults: 30 s timeout, 2 s quiet period) or Spring Boot's own
    graceful shutdown (terminator.enabled=false). The backend stays up.
(b) the backend (the Spring Boot 4 sample, reactive on Reactor Netty or servlet on Tomcat) gets SIGTERM under the load
    that goes through the gateway, whose pooled connections to it are then closed: per backend mode, what the gateway
    saw (responses with `Connection: close`, which make its pool drop the connection; routed requests that failed with
    `PrematureCloseException`, the backend closing a pooled connection under a request; failed with a refused
    connection, once the backend's listen socket is closed) and what reached the clients (lost, 5xx). The gateway
    (terminator on) stays up. With one backend, a request routed after the backend's listen socket closed is refused
    and answered 5xx whatever the backend does (a second instance would take it): those are counted apart; the target
    is about the rest.

The clients stop when the gateway refuses their next connection (a), or when the backend has exited (b).
"""

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.request

import benchlib as b
from loadgen import Loader

GATEWAY_JAR = b.BENCH_DIR / "gateway" / "app" / "target" / "gateway.jar"
AFTER_SIGTERM = 45.0
MODES = ("terminator", "builtin")
BACKENDS = {"reactive": ("netty", ["--sample.stack=reactive"]), "servlet": ("tomcat", [])}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default="gateway,backend",
                        help="gateway: (a) SIGTERM to the gateway; backend: (b) SIGTERM to the backend")
    parser.add_argument("--backends", default="reactive,servlet", help="backend stacks of (b)")
    parser.add_argument("--modes", default="terminator,builtin")
    parser.add_argument("--clients", type=int, default=16, help="keep-alive client connections")
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before SIGTERM")
    parser.add_argument("--repeat", type=int, default=3, help="shutdowns per row")
    parser.add_argument("--smoke", action="store_true", help="one shutdown per row, 3 s of load before SIGTERM")
    parser.add_argument("--bound-only", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.before = 1, 3.0
    args.scenario_list = [s for s in args.scenarios.split(",") if s]
    args.backend_list = [s for s in args.backends.split(",") if s]
    args.mode_list = [m for m in args.modes.split(",") if m]
    for name, allowed in (("scenario", ("gateway", "backend")), ("backend", BACKENDS), ("mode", MODES)):
        for value in getattr(args, f"{name}_list"):
            if value not in allowed:
                raise SystemExit(f"unknown {name} {value}; pick from {','.join(allowed)}")
    return args


def bound(args):
    per_run = 2 * b.START_TIMEOUT + args.before + AFTER_SIGTERM + b.STOP_TIMEOUT + 30
    runs = len(args.mode_list) * args.repeat * ((1 if "gateway" in args.scenario_list else 0)
                                                + (len(args.backend_list) if "backend" in args.scenario_list else 0))
    return int(runs * per_run) + 120


def mode_args(mode):
    return ["--terminator.enabled=true"] if mode == "terminator" else ["--terminator.enabled=false"]


class Gateway(b.App):
    """The gateway's jar in its own JVM, its actuator on a separate plain port that is not routed."""

    def __init__(self, backend_port, mode, name):
        self.container = "gateway"
        self.line = None
        self.tls = None
        self.port = b.free_port()
        self.management_port = b.free_port()
        self.name = name
        self.log_path = b.tmp_dir(name) / "app.log"
        command = ["java", *os_java_opts(), "-jar", str(GATEWAY_JAR), f"--server.port={self.port}",
                   f"--server.address={b.LOOPBACK}", f"--management.server.port={self.management_port}",
                   f"--management.server.address={b.LOOPBACK}", f"--backend.uri=http://{b.LOOPBACK}:{backend_port}",
                   "--spring.main.banner-mode=off", *mode_args(mode)]
        self.command = command
        self._log_file = open(self.log_path, "w")
        self.process = b.track(b.subprocess.Popen(command, stdout=self._log_file, stderr=b.subprocess.STDOUT,
                                                  stdin=b.subprocess.DEVNULL))
        self.pid = self.process.pid

    def wait_ready(self, timeout=b.START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} while starting:\n"
                                   + self.log_tail())
            if "Started GatewayApplication" in self.log_text() and self.metric_json("/actuator/health") is not None:
                return self
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} not ready within {timeout}s:\n" + self.log_tail())

    def metric_json(self, path):
        try:
            with urllib.request.urlopen(f"http://{b.LOOPBACK}:{self.management_port}{path}", timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def counter(self, name, tag=None):
        found = self.metric_json(f"/actuator/metrics/{name}" + (f"?tag={tag}" if tag else ""))
        if not found:
            return 0
        return int(sum(m["value"] for m in found["measurements"] if m["statistic"] == "COUNT"))

    def backend_view(self):
        """Responses with Connection: close, and failed routed requests by exception, seen so far."""
        view = {"connection_close": self.counter("gateway.backend.connection.close")}
        errors = self.metric_json("/actuator/metrics/gateway.backend.errors") or {}
        for tag in errors.get("availableTags", []):
            if tag["tag"] == "exception":
                for exception in tag["values"]:
                    view[exception] = self.counter("gateway.backend.errors", f"exception:{exception}")
        return view


def os_java_opts():
    return b.os.environ.get("BENCH_JAVA_OPTS", "-Xms512m -Xmx1g").split()


def exit_ms(app, exited):
    return app.exit_seconds * 1000 if exited and app.exit_seconds is not None else None


def gateway_run(mode, backend_port, args, index):
    gateway = Gateway(backend_port, mode, f"gateway-{mode}-{index}")
    loader = None
    try:
        gateway.wait_ready()
        loader = Loader(gateway.port, args.clients).start()
        time.sleep(args.before)
        sigterm_at = time.monotonic()
        loader.finish_when_refused()
        gateway.sigterm()
        finished = loader.wait_finished(AFTER_SIGTERM)
        counts = loader.stop()
        exited = gateway.wait_exit(max(1.0, AFTER_SIGTERM - (time.monotonic() - sigterm_at)))
        result = {"mode": mode, "counts": counts, "clients_finished": finished, "exit_ms": exit_ms(gateway, exited),
                  "summary": gateway.drain_summary()}
        b.log(f"(a) gateway {mode}: {counts} summary={result['summary']} exit={result['exit_ms']}")
        return result
    finally:
        if loader is not None:
            loader.stop(5)
        gateway.kill()


def backend_run(stack, mode, gateway, backend_port, args, index):
    container, stack_args = BACKENDS[stack]
    backend = b.App(container, [*stack_args, *mode_args(mode)], name=f"backend-{stack}-{mode}-{index}",
                    port=backend_port, line="4")
    loader = None
    try:
        backend.wait_ready()
        before = gateway.backend_view()
        loader = Loader(gateway.port, args.clients).start()
        time.sleep(args.before)
        backend.sigterm()
        exited = backend.wait_exit(AFTER_SIGTERM)
        counts = loader.stop()
        after = gateway.backend_view()
        seen = {key: after.get(key, 0) - before.get(key, 0) for key in after}
        result = {"stack": stack, "mode": mode, "counts": counts, "seen": seen, "exit_ms": exit_ms(backend, exited),
                  "summary": backend.drain_summary()}
        b.log(f"(b) backend {stack} {mode}: {counts} gateway saw {seen} summary={result['summary']} "
              f"exit={result['exit_ms']}")
        return result
    finally:
        if loader is not None:
            loader.stop(5)
        backend.kill()


def exits(runs):
    return ", ".join(f"{run['exit_ms']:.0f}" if run["exit_ms"] else "killed" for run in runs)


def drains(runs):
    summaries = [run["summary"] for run in runs if run["summary"]]
    return ", ".join(f"{s['ms']} ms ({s['idle']}/{s['completed']}/{s['forced']})" for s in summaries) or "-"


def total(runs, key):
    return sum(run["counts"][key] for run in runs)


def gateway_table(results):
    rows = []
    for mode in MODES:
        runs = [r for r in results if r["mode"] == mode]
        if not runs:
            continue
        lost, fives = total(runs, "lost"), total(runs, "5xx")
        target = ("met" if lost == 0 and fives == 0 else "missed") if mode == "terminator" else ""
        rows.append([mode, len(runs), f"{total(runs, 'sent'):,}", f"{total(runs, 'ok'):,}", f"**{lost}**",
                     f"{total(runs, 'lost_reused')}/{total(runs, 'lost_new')}", fives,
                     total(runs, "server_closes"), drains(runs), exits(runs), target])
    headers = ["gateway mode", "runs", "requests", "ok", "lost", "lost reused/new", "5xx", "Connection: close seen",
               "terminator drain (idle/completed/forced)", "SIGTERM->exit ms", "target 0 lost, 0 5xx"]
    return b.table(headers, rows)


def seen(runs, predicate):
    return sum(count for run in runs for key, count in run["seen"].items() if predicate(key))


def backend_table(results):
    rows = []
    for stack in BACKENDS:
        for mode in MODES:
            runs = [r for r in results if r["stack"] == stack and r["mode"] == mode]
            if not runs:
                continue
            lost, fives = total(runs, "lost"), total(runs, "5xx")
            premature = seen(runs, lambda key: key == "PrematureCloseException")
            refused = seen(runs, lambda key: "Connect" in key)
            other = seen(runs, lambda key: key not in ("connection_close", "PrematureCloseException")
                         and "Connect" not in key)
            not_refused = max(0, fives - refused)
            target = ("met" if lost == 0 and premature == 0 and not_refused == 0 else "missed") \
                if mode == "terminator" else ""
            rows.append([stack, mode, len(runs), f"{total(runs, 'sent'):,}", f"{total(runs, 'ok'):,}", lost, fives,
                         seen(runs, lambda key: key == "connection_close"), f"**{premature}**", refused, other,
                         f"**{not_refused}**", drains(runs), exits(runs), target])
    headers = ["backend", "backend mode", "runs", "requests", "ok", "lost", "5xx",
               "Connection: close seen by the gateway", "PrematureCloseException", "refused (backend gone)",
               "other errors", "5xx not from a refusal", "terminator drain (idle/completed/forced)",
               "SIGTERM->exit ms", "target 0 lost, 0 premature, 0 other 5xx"]
    return b.table(headers, rows)


def main():
    args = parse_args()
    if args.bound_only:
        print(bound(args))
        return
    gateway_results, backend_results = [], []
    if "gateway" in args.scenario_list:
        backend = b.App("tomcat", [], name="gateway-backend", line="4")
        try:
            backend.wait_ready()
            for index in range(args.repeat):
                for mode in args.mode_list:
                    gateway_results.append(gateway_run(mode, backend.port, args, index))
        finally:
            backend.kill()
    if "backend" in args.scenario_list:
        backend_port = b.free_port()
        gateway = Gateway(backend_port, "terminator", "gateway-in-front")
        try:
            gateway.wait_ready()
            for stack in args.backend_list:
                for index in range(args.repeat):
                    for mode in args.mode_list:
                        backend_results.append(backend_run(stack, mode, gateway, backend_port, args, index))
        finally:
            gateway.kill()
    markdown = b.run_header(b.command_line(), args.smoke)
    markdown += (f"\nSpring Cloud Gateway {gateway_version()} on Spring Boot 4 (Reactor Netty), one route to the Spring "
                 f"Boot 4 sample; {args.clients} keep-alive clients POST /echo through it, {args.before:g} s of load "
                 f"before SIGTERM, {args.repeat} shutdown(s) per row, counts summed over them.\n")
    if gateway_results:
        text = gateway_table(gateway_results)
        print("(a) SIGTERM to the gateway\n" + text)
        markdown += "\n**(a) SIGTERM to the gateway** (the backend, servlet Tomcat, stays up):\n\n" + text + "\n"
    if backend_results:
        text = backend_table(backend_results)
        print("(b) SIGTERM to the backend behind the gateway\n" + text)
        markdown += ("\n**(b) SIGTERM to the backend behind the gateway** (the gateway, terminator on, stays up; "
                     "`reactive` is WebFlux on Reactor Netty, `servlet` Spring MVC on Tomcat):\n\n" + text + "\n")
    b.update_doc("gateway", markdown)


def gateway_version():
    jar = GATEWAY_JAR
    try:
        import zipfile
        with zipfile.ZipFile(jar) as archive:
            for name in archive.namelist():
                match = re.search(r"spring-cloud-gateway-server-webflux-([\w.-]+)\.jar$", name)
                if match:
                    return match.group(1)
    except OSError:
        pass
    return "?"


if __name__ == "__main__":
    sys.exit(main())
