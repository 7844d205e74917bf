"""Helpers of test_cluster_operations.py (issue 16): restarting a node on its data dir, stopping and starting a
throwaway PostgreSQL in place, `swiftlet cluster` commands, and a tiny health-checking HTTP load balancer.

Everything listens on and connects to 127.0.0.1 only."""
import http.client
import json
import http.server
import itertools
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from cluster_support import Node
from conftest import BIN


# ------------------------------------------------------------------------------------------------------ nodes

class RestartedNode(Node):
    """A node started again on the data dir of one that stopped: same node id, same flags, a new port."""

    def __init__(self, previous, database_url, flags=(), env=None):
        assert not previous.alive, f"node {previous.name} still runs"
        super().__init__(previous.name, database_url, flags=flags, env=env, data_dir=previous.data_dir)
        assert self.node_id == previous.node_id, "a node started again on its data dir keeps its id"


def exited(node):
    """Records that a node's process ended by itself (a drain); returns its exit code."""
    code = node.proc.wait(timeout=0)
    if not node.log.closed:
        node.log.close()
    node.alive = False
    return code


def health(endpoint, timeout=1.0):
    """(HTTP status, body's `status`) of GET /health, or (None, why) when nothing answered."""
    try:
        with urllib.request.urlopen(endpoint + "/health", timeout=timeout) as r:
            return r.status, json.load(r).get("status")
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.load(e).get("status")
        except ValueError:
            return e.code, None
    except (OSError, ValueError) as e:
        return None, type(e).__name__ if not getattr(e, "reason", None) else type(e.reason).__name__


# ---------------------------------------------------------------------------------------- swiftlet cluster …

def cluster_command(*args, timeout=60):
    r = subprocess.run([BIN, "cluster", *args], capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def cluster_status(url):
    code, out, err = cluster_command("status", "--database-url", url)
    assert code == 0, (code, out, err)
    return out


def health_while(caller, node, since):
    """What `node`'s GET /health answers while the thread `caller` runs and the node's process lives, sampled every
    20 ms: each change as (seconds after `since`, answer)."""
    seen = []
    while caller.is_alive() and node.proc.poll() is None:
        answer = health(node.endpoint, timeout=0.5)
        if not seen or seen[-1][1] != answer:
            seen.append((round(time.monotonic() - since, 2), answer))
        time.sleep(0.02)
    return seen


def node_state(url, node):
    """The STATE column of `node` in `swiftlet cluster status` (None when it is not listed)."""
    for line in cluster_status(url).splitlines():
        columns = line.split()
        if columns and columns[0] == node.node_id:
            return columns[1]
    return None


# ------------------------------------------------------------------------------------------------- PostgreSQL

def stop_postgres(pg, mode="fast"):
    """Stops a ThrowawayPostgres's server, keeping its data dir (start_postgres starts it again)."""
    pg._run_as_postgres("pg_ctl", "-D", pg.data, "-m", mode, "-w", "-t", "60", "stop")


def start_postgres(pg):
    """Starts a ThrowawayPostgres's server again on its data dir and port, with the options it first had."""
    pg._run_as_postgres(
        "pg_ctl", "-D", pg.data, "-l", pg.log,
        "-o", f"-c listen_addresses=127.0.0.1 -p {pg.port} -k {pg.dir} -c max_connections=300 "
              f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        "-w", "-t", "60", "start")


# ------------------------------------------------------------------------------------------------ load balancer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authenticate", "proxy-authorization"}
BACKEND_HEADER = "X-Test-Backend"


class LoadBalancer:
    """A tiny HTTP load balancer on 127.0.0.1: each request goes to the next backend (round robin) whose GET /health
    answered 200 at its last check (every `interval` seconds) and recently; when connecting to it fails, the next one
    is tried. A request is never sent twice: a backend failing after it was sent gets the client a 502 (which an AWS
    SDK retries). The response names the backend that served it in the `X-Test-Backend` header; `served` counts
    requests per backend."""

    def __init__(self, backends, interval=0.2, fresh=1.0):
        self._backends = dict(backends)  # name -> endpoint URL
        self._healthy = {}  # name -> monotonic time of the last 200, or None after a failed check
        self._lock = threading.Lock()
        self._turn = itertools.count()
        self.interval, self.fresh = interval, fresh
        self.served = {}
        self.connect_failures = {}
        self.bad_gateway = 0
        self.unavailable = 0
        self._stop = threading.Event()
        balancer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _proxy(self):
                balancer._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _proxy

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._threads = [threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                          daemon=True),
                         threading.Thread(target=self._check_health, daemon=True)]
        for t in self._threads:
            t.start()

    def set_backend(self, name, endpoint):
        with self._lock:
            self._backends[name] = endpoint
            self._healthy[name] = None

    def healthy(self):
        now = time.monotonic()
        with self._lock:
            return sorted(n for n, at in self._healthy.items() if at is not None and now - at < self.fresh)

    def close(self):
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    # -- health checks

    def _check_health(self):
        while not self._stop.is_set():
            with self._lock:
                backends = dict(self._backends)
            for name, endpoint in backends.items():
                status, _ = health(endpoint, timeout=0.5)
                with self._lock:
                    if self._backends.get(name) == endpoint:
                        self._healthy[name] = time.monotonic() if status == 200 else None
            self._stop.wait(self.interval)

    # -- requests

    def _candidates(self):
        """Healthy backends, starting with the next one's turn."""
        healthy = self.healthy()
        if not healthy:
            return []
        k = next(self._turn) % len(healthy)
        with self._lock:
            return [(n, self._backends[n]) for n in healthy[k:] + healthy[:k]]

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = [(k, v) for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP]
        # A moment without a healthy backend (one restarting while the other's check is due): wait a little for one.
        deadline = time.monotonic() + 3
        candidates = self._candidates()
        while not candidates and time.monotonic() < deadline:
            time.sleep(0.05)
            candidates = self._candidates()
        for name, endpoint in candidates:
            parts = urllib.parse.urlsplit(endpoint)
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            try:
                connection.connect()
            except OSError:
                with self._lock:
                    self.connect_failures[name] = self.connect_failures.get(name, 0) + 1
                    if self._backends.get(name) == endpoint:
                        self._healthy[name] = None
                connection.close()
                continue
            try:
                connection.putrequest(handler.command, handler.path, skip_host=True, skip_accept_encoding=True)
                for k, v in headers:  # Host included, unchanged: the client signed it
                    connection.putheader(k, v)
                connection.endheaders(body)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                with self._lock:
                    self.bad_gateway += 1
                self._answer(handler, 502, [("Content-Type", "text/plain")], b"bad gateway", name)
                return
            finally:
                connection.close()
            with self._lock:
                self.served[name] = self.served.get(name, 0) + 1
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP | {"content-length"}]
            self._answer(handler, response.status, kept, payload, name)
            return
        with self._lock:
            self.unavailable += 1
        self._answer(handler, 503, [("Content-Type", "text/plain")], b"no healthy backend", None)

    @staticmethod
    def _answer(handler, status, headers, payload, backend):
        try:
            handler.send_response_only(status)
            for k, v in headers:
                handler.send_header(k, v)
            if backend is not None:
                handler.send_header(BACKEND_HEADER, backend)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(payload)
            handler.wfile.flush()
        except OSError:
            handler.close_connection = True
