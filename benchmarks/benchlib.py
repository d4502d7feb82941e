"""Shared parts of the benchmark drivers: the sample app as a process, TLS, wrk, the report and the charts.

Python standard library only. Everything talks to 127.0.0.1.
"""

import atexit
import datetime
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
SAMPLE_JAR = REPO_DIR / "sample-app" / "target" / "sample-app.jar"
BOOT3_SAMPLE_JAR = REPO_DIR / "sample-app-boot3" / "target" / "sample-app-boot3.jar"
DOC = REPO_DIR / "docs" / "benchmarks.md"
CHART_DIR = REPO_DIR / "docs" / "benchmarks"

LOOPBACK = "127.0.0.1"
# The servlet containers, the sample app on the servlet stack (Spring MVC).
CONTAINERS = ("tomcat", "jetty", "undertow")
# The servers of the benchmarks that also measure Reactor Netty: "netty" is the sample app on the reactive stack
# (--sample.stack=reactive, WebFlux) on Reactor Netty, its default server there.
SERVERS = CONTAINERS + ("netty",)
START_TIMEOUT = 150.0
STOP_TIMEOUT = 45.0

# Connection limits raised for every container, so that 10,000 idle keep-alive connections are accepted and kept.
# Properties of containers that are not running are ignored by Spring Boot.
MANY_CONNECTIONS = [
    "--server.tomcat.max-connections=30000",
    "--server.tomcat.accept-count=4096",
    "--server.tomcat.keep-alive-timeout=600s",
    "--server.tomcat.connection-timeout=600s",
    "--server.jetty.connection-idle-timeout=600s",
    "--server.undertow.no-request-timeout=600s",
]

_started = []
_tmp_dirs = []


def log(message):
    print(message, file=sys.stderr, flush=True)


def _terminate_started():
    for process in reversed(_started):
        if process.poll() is None:
            try:
                process.kill()
                process.wait(timeout=10)
            except Exception:
                pass
    for directory in _tmp_dirs:
        shutil.rmtree(directory, ignore_errors=True)


def _on_signal(signum, frame):
    log(f"Signal {signum}: stopping what this run started")
    raise SystemExit(128 + signum)


atexit.register(_terminate_started)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def track(process):
    """Remember a process this run started, so that it is killed (by its own pid) when the run ends."""
    _started.append(process)
    return process


def tmp_dir(prefix):
    directory = Path(tempfile.mkdtemp(prefix=f"terminator-bench-{prefix}-"))
    _tmp_dirs.append(directory)
    return directory


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def raise_fd_limit():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def parse_containers(text, allowed=CONTAINERS):
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in allowed:
            raise SystemExit(f"unknown container {name}; pick from {','.join(allowed)}")
    return names


# ---------------------------------------------------------------------------------------------------------------------
# TLS


class Tls:
    """A throw-away self-signed certificate for 127.0.0.1 / localhost, and a client context that trusts it. The key is
    RSA 2048, or with key="ec" ECDSA P-256, whose handshakes cost the server a fraction of RSA's: for benchmarks that
    open a connection per request."""

    def __init__(self, key="rsa"):
        directory = tmp_dir("tls")
        self.cert = directory / "cert.pem"
        self.key = directory / "key.pem"
        new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] if key == "ec" \
            else ["-newkey", "rsa:2048"]
        subprocess.run(["openssl", "req", "-x509", *new_key, "-nodes", "-days", "2", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout", str(self.key), "-out", str(self.cert)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client_context = ssl.create_default_context(cafile=str(self.cert))

    def server_args(self):
        return [f"--server.ssl.certificate=file:{self.cert}", f"--server.ssl.certificate-private-key=file:{self.key}"]


# ---------------------------------------------------------------------------------------------------------------------
# The sample application


class ContainerUnavailable(Exception):
    """The sample app started another container than the one asked for (its switch is not there yet)."""


# The containers each Boot line's sample runs (Spring Boot 4 has no Undertow).
LINE_CONTAINERS = {"4": ("tomcat", "jetty"), "3": ("tomcat", "jetty", "undertow")}
# Reactor Netty, on the reactive stack only (--sample.stack=reactive): not among the servlet containers above.
REACTIVE_CONTAINERS = {"4": ("netty", "tomcat", "jetty"), "3": ("netty", "tomcat", "jetty", "undertow")}


def sample_jar(container, line=None):
    """The sample of the given Boot line ("4" or "3"); without one, the Spring Boot 4 sample, or the Boot 3.5 one for
    Undertow (Boot 4 has none), and BENCH_BOOT_LINE=3 runs every container on the Boot 3.5 sample."""
    if line is not None:
        if container not in LINE_CONTAINERS[line] + REACTIVE_CONTAINERS[line]:
            raise ValueError(f"the Boot {line} sample has no {container}")
        return BOOT3_SAMPLE_JAR if line == "3" else SAMPLE_JAR
    if container == "undertow" or os.environ.get("BENCH_BOOT_LINE") == "3":
        return BOOT3_SAMPLE_JAR
    return SAMPLE_JAR


def parse_lines(text):
    """Boot lines from "4,3" (also "3.5" for 3)."""
    lines = []
    for name in (part.strip() for part in text.split(",")):
        if not name:
            continue
        line = "3" if name in ("3", "3.5") else name
        if line not in LINE_CONTAINERS:
            raise SystemExit(f"unknown Boot line {name}; pick from 4,3")
        lines.append(line)
    return lines


def stack_args(container, args=()):
    """The sample app's stack for a server: Reactor Netty runs the reactive one only (the sample stops with a message
    when asked for netty on the servlet stack), unless the arguments already name a stack."""
    if container == "netty" and not any(arg.startswith("--sample.stack=") for arg in args):
        return ["--sample.stack=reactive"]
    return []


class App:
    """The sample app in its own JVM, on 127.0.0.1."""

    def __init__(self, container, args=(), tls=None, name="app", port=None, java_opts=None, line=None):
        self.container = container
        self.line = line
        self.tls = tls
        self.port = port or free_port()
        self.name = name
        self.log_path = tmp_dir(name) / "app.log"
        if java_opts is None:
            java_opts = os.environ.get("BENCH_JAVA_OPTS", "-Xms512m -Xmx1g").split()
        command = ["java", *java_opts, "-jar", str(sample_jar(container, line)),
                   f"--server.port={self.port}", f"--server.address={LOOPBACK}",
                   f"--sample.container={container}", *stack_args(container, args), "--spring.main.banner-mode=off",
                   *(tls.server_args() if tls else []), *args]
        self.command = command
        self._log_file = open(self.log_path, "w")
        self.process = track(subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT,
                                              stdin=subprocess.DEVNULL))
        self.pid = self.process.pid

    def wait_ready(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} while starting:\n"
                                   + self.log_tail())
            if "Started SampleApplication" in self.log_text() and self.get_ok("/hello"):
                self._check_container()
                return self
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} not ready within {timeout}s:\n" + self.log_tail())

    def _check_container(self):
        started = re.search(r"\b(Tomcat|Jetty|Undertow|Netty) started on port", self.log_text())
        actual = started.group(1).lower() if started else "unknown"
        if actual != self.container:
            self.kill()
            raise ContainerUnavailable(f"asked for {self.container}, the sample app started {actual}")

    def get_ok(self, path):
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=2) as raw:
                sock = self.tls.client_context.wrap_socket(raw, server_hostname="localhost") if self.tls else raw
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
                return sock.recv(64).startswith(b"HTTP/1.1 200")
        except OSError:
            return False

    def log_text(self):
        self._log_file.flush()
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines=30):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def sigterm(self):
        """Send SIGTERM; the time the JVM then takes to exit is kept in exit_seconds."""
        self.sigterm_at = time.monotonic()
        self.exit_seconds = None

        def watch():
            self.process.wait()
            self.exit_seconds = time.monotonic() - self.sigterm_at

        threading.Thread(target=watch, daemon=True).start()
        os.kill(self.pid, signal.SIGTERM)

    def wait_exit(self, timeout=STOP_TIMEOUT):
        """Wait for the JVM to exit; kill it (by pid) if it does not within the timeout. True if it exited."""
        try:
            self.process.wait(timeout=timeout)
            if getattr(self, "sigterm_at", None) is not None and getattr(self, "exit_seconds", None) is None:
                self.exit_seconds = time.monotonic() - self.sigterm_at
            return True
        except subprocess.TimeoutExpired:
            self.kill()
            return False

    def stop(self, timeout=STOP_TIMEOUT):
        if self.process.poll() is None:
            self.sigterm()
        return self.wait_exit(timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def drain_summary(self):
        """terminator's one-line summary: {'ms':..,'idle':..,'completed':..,'forced':..} or None."""
        match = re.search(r"Drained \w+ in (\d+) ms: (\d+) idle closed, (\d+) completed, (\d+) forced",
                          self.log_text())
        if not match:
            return None
        return dict(zip(("ms", "idle", "completed", "forced"), map(int, match.groups())))

    def compiler_cpu_ticks(self):
        """CPU time (clock ticks, user + system) each JIT compiler thread of the JVM has used so far, by thread id
        (the JVM starts and ends compiler threads as the queue grows and shrinks)."""
        ticks = {}
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{tid}/comm") as comm:
                    if "CompilerThre" not in comm.read():
                        continue
                with open(f"/proc/{self.pid}/task/{tid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                ticks[tid] = int(fields[11]) + int(fields[12])
            except OSError:
                continue
        return ticks

    def wait_jit_quiet(self, quiet=1.0, timeout=90.0):
        """Wait until the JIT compilers have used no CPU for `quiet` seconds, as on a server that has finished
        warming up: on 2 cores, a JVM a few seconds after start still compiles what start-up made hot (Spring Boot's
        nested-jar class loader first), and those compiles take a core away from whatever runs next. Returns the
        seconds waited."""
        started = time.monotonic()
        last, last_change = self.compiler_cpu_ticks(), time.monotonic()
        while time.monotonic() - started < timeout:
            time.sleep(0.25)
            ticks = self.compiler_cpu_ticks()
            now = time.monotonic()
            if ticks != last:
                last, last_change = ticks, now
            elif now - last_change >= quiet:
                break
        return time.monotonic() - started

    def heap_histogram_total(self):
        """Live heap bytes after a full GC (jcmd GC.class_histogram), and bytes per class."""
        output = subprocess.run(["jcmd", str(self.pid), "GC.class_histogram"], capture_output=True, text=True,
                                timeout=60).stdout
        by_class = {}
        total = None
        for line in output.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[0].endswith(":"):
                by_class[parts[3]] = by_class.get(parts[3], 0) + int(parts[2])
            elif len(parts) == 3 and parts[0] == "Total":
                total = int(parts[2])
        if total is None:
            raise RuntimeError("no heap histogram from jcmd:\n" + output[-2000:])
        return total, by_class


def process_cpu_ms(pid):
    """CPU time (user + system, every thread, those that ended included) a process has used so far, in ms."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def watch_cpu(process):
    """Follow a process's CPU time until it exits; the returned callable gives the ms it used from this call to the
    last reading (every 10 ms, so that one survives the exit)."""
    before = process_cpu_ms(process.pid)
    latest = {"ms": 0.0}

    def follow():
        while process.poll() is None:
            try:
                latest["ms"] = process_cpu_ms(process.pid) - before
            except OSError:
                return
            time.sleep(0.01)

    threading.Thread(target=follow, daemon=True).start()
    return lambda: latest["ms"]


def start_apps(apps):
    """Wait for several apps started side by side."""
    for app in apps:
        app.wait_ready()
    return apps


# ---------------------------------------------------------------------------------------------------------------------
# wrk

_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _wrk_millis(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _WRK_UNITS[match.group(2)]


def wrk(url, seconds, connections, threads, script=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {int(p): _wrk_millis(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50": percentiles.get(50), "p99": percentiles.get(99),
            "errors": sum(map(int, errors.groups())) if errors else 0,
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "raw": output}


# ---------------------------------------------------------------------------------------------------------------------
# Reporting


def median(values):
    return statistics.median(values) if values else float("nan")


def table(headers, rows):
    """A Markdown table; also readable as plain text on a terminal."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) if cells else len(str(h))
              for i, h in enumerate(headers)]
    lines = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + " |",
             "| " + " | ".join("-" * w for w in widths) + " |"]
    lines += ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |" for row in cells]
    return "\n".join(lines)


def run_header(command_line, short):
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = LOAD_AT_START.split()[:3]
    busy = float(load[0]) > 0.5 * (os.cpu_count() or 1) if load and load[0] != "?" else False
    if short:
        kind = ("**Smoke run" + (", machine busy**" if busy else "**")
                + " (short and bounded: the figures show that the script works, they are not the final measurement)")
    elif busy:
        kind = ("**Development run, machine busy** (other work was running when it started: the figures are not "
                "the final measurement)")
    else:
        kind = "Full run"
    return (f"{kind}, {when}, {machine_line()}, load average at the start {' '.join(load)}.\n\n"
            f"Command: `{command_line}`\n")


def machine_line():
    cpus = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return f"{cpus} CPUs ({model}), {java[0] if java else 'java ?'}"


def machine_markdown():
    """nproc, the head of lscpu, java -version and the tools' versions, as a Markdown code block."""
    def run(command):
        try:
            result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30)
            return (result.stdout + result.stderr).strip()
        except Exception as ex:
            return f"({ex})"
    parts = [f"$ nproc\n{run('nproc')}", f"$ lscpu | head -n 14\n{run('lscpu | head -n 14')}",
             f"$ java -version\n{run('java -version')}", f"$ free -g | head -n 2\n{run('free -g | head -n 2')}",
             f"$ cat /proc/loadavg   # load when this run started\n{LOAD_AT_START}",
             f"$ wrk --version | head -n 1\n{run('wrk --version | head -n 1')}",
             f"$ nginx -v\n{run('nginx -v')}", f"$ gnuplot --version\n{run('gnuplot --version')}"]
    return "```text\n" + "\n\n".join(parts) + "\n```\n"


def _load():
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "?"


LOAD_AT_START = _load()


def update_doc(section, markdown):
    """Replace the text between <!-- BEGIN section --> and <!-- END section --> in docs/benchmarks.md."""
    begin, end = f"<!-- BEGIN {section} -->", f"<!-- END {section} -->"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    block = f"{begin}\n{markdown.rstrip()}\n{end}"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + f"\n\n{block}\n"
    DOC.write_text(text)
    log(f"Wrote the {section} results into {DOC.relative_to(REPO_DIR)}")
    if section != "machine":
        update_doc("machine", f"The machine of the latest run ({section}, "
                   + datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") + "):\n\n"
                   + machine_markdown())


def gnuplot(name, script, data):
    """Draw docs/benchmarks/<name>.png from a gnuplot script that reads its data from '$DATA'."""
    CHART_DIR.mkdir(parents=True, exist_ok=True)
    work = tmp_dir("plot")
    data_path = work / "data.txt"
    data_path.write_text(data)
    png = CHART_DIR / f"{name}.png"
    full = (f"set terminal pngcairo size 900,520 font 'DejaVu Sans,10'\nset output '{png}'\n"
            + script.replace("$DATA", str(data_path)))
    (work / "plot.gp").write_text(full)
    result = subprocess.run(["gnuplot", str(work / "plot.gp")], capture_output=True, text=True)
    if result.returncode != 0:
        log("gnuplot failed:\n" + result.stderr)
        return None
    log(f"Drew {png.relative_to(REPO_DIR)}")
    return png.relative_to(DOC.parent)


def command_line():
    script = os.environ.get("BENCH_SCRIPT", Path(sys.argv[0]).name)
    return " ".join([script, *sys.argv[1:]])
