"""A keep-alive HTTP/1.1 load generator that accounts for every request: POST /echo from N client threads.

Each request carries a unique body, and the echo must match. A request is *lost* when its bytes were written and no
complete response came back (end of stream, reset, or no answer within the read timeout); it is split by whether the
connection had already carried a response (reused) or was new. A connection refused is not a loss: nothing was
written, and a real client would go to another instance; once stopping is signalled a refused connection ends that
client thread.
"""

import collections
import itertools
import socket
import threading
import time

LOOPBACK = "127.0.0.1"


class IncompleteResponse(Exception):
    pass


class Counters:

    FIELDS = ("sent", "ok", "lost_reused", "lost_new", "resets", "timeouts", "refused", "connect_errors",
              "mismatched", "connections", "server_closes")

    def __init__(self):
        self.lock = threading.Lock()
        self.values = dict.fromkeys(self.FIELDS, 0)
        self.statuses = collections.Counter()

    def add(self, field, amount=1):
        with self.lock:
            self.values[field] += amount

    def status(self, code):
        with self.lock:
            self.statuses[code] += 1

    def snapshot(self):
        with self.lock:
            result = dict(self.values)
            result["statuses"] = dict(self.statuses)
            result["5xx"] = sum(count for code, count in self.statuses.items() if code >= 500)
            result["lost"] = result["lost_reused"] + result["lost_new"]
            return result


def _read_line(reader):
    line = reader.readline(65537)
    if not line.endswith(b"\n"):
        raise IncompleteResponse("connection ended inside a header line")
    return line.rstrip(b"\r\n")


def read_response(reader):
    """Status, lower-cased headers and body of one response, or IncompleteResponse if the stream ends first."""
    status_line = _read_line(reader)
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise IncompleteResponse(f"bad status line {status_line!r}")
    status = int(parts[1])
    headers = {}
    while True:
        line = _read_line(reader)
        if not line:
            break
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    if "content-length" in headers:
        length = int(headers["content-length"])
        body = reader.read(length)
        if len(body) < length:
            raise IncompleteResponse("connection ended inside the body")
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size = int(_read_line(reader).split(b";")[0], 16)
            if size == 0:
                while _read_line(reader):
                    pass
                break
            chunk = reader.read(size)
            if len(chunk) < size:
                raise IncompleteResponse("connection ended inside a chunk")
            chunks.append(chunk)
            _read_line(reader)
        body = b"".join(chunks)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = reader.read()
    return status, headers, body


class Loader:
    """POST /echo in a loop from `clients` threads, keep-alive (or one request per connection), until stopped."""

    def __init__(self, port, clients, tls_context=None, keep_alive=True, body_size=128, read_timeout=15.0,
                 path="/echo", host=LOOPBACK):
        self.port = port
        self.host = host
        self.clients = clients
        self.tls_context = tls_context
        self.keep_alive = keep_alive
        self.body_size = body_size
        self.read_timeout = read_timeout
        self.path = path
        self.counters = Counters()
        self.stopping = threading.Event()
        self.stop_now = threading.Event()
        self.ids = itertools.count()
        self.threads = []
        self.timeline = []
        self._timeline_lock = threading.Lock()
        self.started_at = None

    def start(self):
        self.started_at = time.monotonic()
        for index in range(self.clients):
            thread = threading.Thread(target=self._client, name=f"load-{index}", daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def finish_when_refused(self):
        """From now on, a refused connection means the server is gone: that client thread stops."""
        self.stopping.set()

    def stop(self, timeout=30.0):
        self.stopping.set()
        self.stop_now.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return self.counters.snapshot()

    def wait_finished(self, timeout):
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return all(not thread.is_alive() for thread in self.threads)

    def _event(self, kind):
        with self._timeline_lock:
            self.timeline.append((time.monotonic() - self.started_at, kind))

    def _connect(self):
        raw = socket.create_connection((self.host, self.port), timeout=5)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        raw.settimeout(self.read_timeout)
        if self.tls_context is not None:
            try:
                return self.tls_context.wrap_socket(raw, server_hostname="localhost")
            except BaseException:
                raw.close()
                raise
        return raw

    def _request(self, number):
        body = (b"%012d-" % number).ljust(self.body_size, b"x")
        head = (f"POST {self.path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                f"Content-Length: {len(body)}\r\n" + ("" if self.keep_alive else "Connection: close\r\n") + "\r\n")
        return head.encode("ascii") + body, body

    def _client(self):
        counters = self.counters
        sock = reader = None
        reused = False
        while not self.stop_now.is_set():
            if sock is None:
                try:
                    sock = self._connect()
                except ConnectionRefusedError:
                    counters.add("refused")
                    if self.stopping.is_set():
                        return
                    time.sleep(0.01)
                    continue
                except OSError:
                    # Reset during the TLS handshake, or a connect timeout: no request was written.
                    counters.add("connect_errors")
                    if self.stopping.is_set():
                        return
                    time.sleep(0.01)
                    continue
                reader = sock.makefile("rb")
                reused = False
                counters.add("connections")
            request, body = self._request(next(self.ids))
            counters.add("sent")
            try:
                sock.sendall(request)
                status, headers, echoed = read_response(reader)
            except (IncompleteResponse, OSError) as ex:
                if isinstance(ex, socket.timeout):
                    counters.add("timeouts")
                elif isinstance(ex, (ConnectionResetError, BrokenPipeError)):
                    counters.add("resets")
                counters.add("lost_reused" if reused else "lost_new")
                self._event("lost")
                sock.close()
                sock = None
                continue
            counters.status(status)
            if status >= 500:
                self._event(f"{status}")
            if status == 200:
                counters.add("ok" if echoed == body else "mismatched")
            if not self.keep_alive or headers.get("connection", "").lower() == "close":
                if self.keep_alive:
                    counters.add("server_closes")
                sock.close()
                sock = None
            else:
                reused = True
        if sock is not None:
            sock.close()
