"""A mock Lambda Runtime API (2018-06-01) and a runner for Swiftlet's bootstraps, stdlib only.

The mock queues events, answers GET /runtime/invocation/next with them (long-polling like the real
one) and records what the runtime posts to /response, /error and /init/error. Nothing here sleeps
to wait: every wait is on a condition with a deadline.

The pytest fixtures live here too (test modules import them): a conftest.py in this directory would
shadow tests/e2e's `from conftest import ...` when both directories run in one pytest session.
"""
import json
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RESOURCES = os.path.join(REPO, "Sources", "RuntimeBootstraps", "Resources")
PYTHON_BOOTSTRAP = os.path.join(RESOURCES, "python", "bootstrap.py")
NODE_BOOTSTRAP = os.path.join(RESOURCES, "nodejs", "bootstrap.mjs")
PREFIX = "/2018-06-01/runtime"


def python_interpreter():
    return os.environ.get("SWIFTLET_TEST_PYTHON") or shutil.which("python3")


def node_interpreter():
    return os.environ.get("SWIFTLET_TEST_NODE") or shutil.which("node")


class Outcome:
    """What the runtime posted for one invocation."""

    def __init__(self, kind, body, headers):
        self.kind = kind  # "response" or "error"
        self.raw = body
        self.headers = headers
        self.error_type = headers.get("Lambda-Runtime-Function-Error-Type")
        self.content_type = headers.get("Content-Type")

    @property
    def json(self):
        return json.loads(self.raw)

    def __repr__(self):
        return "Outcome(%s, %r, error_type=%r)" % (self.kind, self.raw[:500], self.error_type)


class MockRuntimeAPI:
    def __init__(self):
        self.events = queue.Queue()
        self.cond = threading.Condition()
        self.outcomes = {}
        self.init_errors = []
        self.next_calls = 0
        self.connections = 0
        self.closing = False
        # None, or "header" (answer with Connection: close) or "silent" (just hang up) after every answer.
        self.close_mode = None
        # Send events with Transfer-Encoding: chunked instead of a Content-Length.
        self.chunked = False
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with api.cond:
                    api.connections += 1

            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", headers=None):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if api.close_mode == "header":
                    self.send_header("Connection", "close")
                if api.close_mode:
                    self.close_connection = True
                self.send_header("Content-Length", str(len(body)))
                # Headers and body in one write: no Nagle/delayed-ACK stall between them.
                self._headers_buffer.append(b"\r\n" + body)
                self.flush_headers()

            def do_GET(self):
                if self.path != PREFIX + "/invocation/next":
                    return self._send(404, b'{"errorType":"NotFound"}')
                with api.cond:
                    api.next_calls += 1
                    api.cond.notify_all()
                while True:
                    try:
                        item = api.events.get(timeout=0.2)
                        break
                    except queue.Empty:
                        if api.closing:
                            self.close_connection = True
                            return
                if item is None:
                    self.close_connection = True
                    return
                headers, body = item
                if api.chunked:
                    self.send_response(200)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    step = max(1, len(body) // 3)
                    for at in range(0, len(body), step):
                        part = body[at:at + step]
                        self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self._send(200, body, headers)

            def read_chunked(self):
                """A chunked body (a streamed response) and its trailers."""
                body, trailers = b"", {}
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        break
                    body += self.rfile.read(size)
                    self.rfile.readline()
                while True:
                    line = self.rfile.readline().strip()
                    if not line:
                        return body, trailers
                    name, _, value = line.decode().partition(":")
                    trailers[name.strip()] = value.strip()

            def do_POST(self):
                headers = {k: v for k, v in self.headers.items()}
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body, trailers = self.read_chunked()
                    headers.update(trailers)
                else:
                    length = int(self.headers.get("Content-Length") or 0)
                    body = self.rfile.read(length) if length else b""
                parts = self.path[len(PREFIX):].strip("/").split("/")
                with api.cond:
                    if parts == ["init", "error"]:
                        api.init_errors.append(Outcome("error", body, headers))
                    elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                        kind = "response" if parts[2] == "response" else "error"
                        api.outcomes.setdefault(parts[1], []).append(Outcome(kind, body, headers))
                    else:
                        api.cond.notify_all()
                        return self._send(404, b'{"errorType":"NotFound"}')
                    api.cond.notify_all()
                self._send(202, b'{"status":"OK"}', {"Content-Type": "application/json"})

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a runtime killed mid-request is expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self):
        return "127.0.0.1:%d" % self.server.server_address[1]

    def enqueue(self, event=None, *, raw_body=None, request_id=None, timeout_ms=3000, deadline_ms=None,
                trace_id="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
                arn="arn:aws:lambda:us-east-1:123456789012:function:fn", client_context=None,
                cognito_identity=None, extra_headers=None):
        request_id = request_id or str(uuid.uuid4())
        body = raw_body if raw_body is not None else json.dumps(event if event is not None else {}).encode()
        headers = {
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": request_id,
            "Lambda-Runtime-Deadline-Ms": str(deadline_ms if deadline_ms is not None else int(time.time() * 1000) + timeout_ms),
            "Lambda-Runtime-Invoked-Function-Arn": arn,
        }
        if trace_id:
            headers["Lambda-Runtime-Trace-Id"] = trace_id
        if client_context is not None:
            headers["Lambda-Runtime-Client-Context"] = client_context if isinstance(client_context, str) else json.dumps(client_context)
        if cognito_identity is not None:
            headers["Lambda-Runtime-Cognito-Identity"] = cognito_identity if isinstance(cognito_identity, str) else json.dumps(cognito_identity)
        headers.update(extra_headers or {})
        self.events.put((headers, body))
        return request_id

    def wait(self, predicate, timeout=15.0, what="condition"):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("timed out waiting for " + what)
                self.cond.wait(remaining)

    def result(self, request_id, timeout=15.0):
        return self.wait(lambda: (self.outcomes.get(request_id) or [None])[0], timeout, "outcome of " + request_id)

    def invoke(self, event=None, timeout=15.0, **kw):
        return self.result(self.enqueue(event, **kw), timeout)

    def init_error(self, timeout=15.0):
        return self.wait(lambda: self.init_errors[0] if self.init_errors else None, timeout, "an init error")

    def close(self):
        self.closing = True
        for _ in range(8):
            self.events.put(None)
        self.server.shutdown()
        self.server.server_close()


class RuntimeProcess:
    """A bootstrap running as a subprocess; its stdout and stderr (one pipe, like the platform's) are
    collected line by line."""

    def __init__(self, argv, env, cwd):
        self.cond = threading.Condition()
        self.lines = []
        self.partial = b""
        self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        fd = self.proc.stdout.fileno()
        pending = b""
        while True:
            chunk = os.read(fd, 65536)
            with self.cond:
                if not chunk:
                    if pending:
                        self.lines.append(pending.decode("utf-8", "replace"))
                    self.partial = b""
                    self.lines.append(None)  # end of output
                    self.cond.notify_all()
                    return
                pending += chunk
                *complete, pending = pending.split(b"\n")
                self.lines.extend(line.decode("utf-8", "replace") for line in complete)
                self.partial = pending
                self.cond.notify_all()

    def wait_for_text(self, text, timeout=15.0):
        """Waits until everything printed so far, a last unterminated line included, contains `text`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                if text in self.output + "\n" + self.partial.decode("utf-8", "replace"):
                    return
                if None in self.lines:
                    raise AssertionError("output ended without %r; output:\n%s" % (text, self.output))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("timed out waiting for %r; output:\n%s" % (text, self.output))
                self.cond.wait(remaining)

    @property
    def output(self):
        with self.cond:
            return "\n".join(l for l in self.lines if l is not None)

    def output_lines(self):
        with self.cond:
            return [l for l in self.lines if l is not None]

    def wait_for_line(self, predicate, timeout=15.0, what="a log line"):
        """The first output line satisfying `predicate` (a callable or a substring)."""
        test = predicate if callable(predicate) else (lambda l: predicate in l)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines:
                    if line is not None and test(line):
                        return line
                if None in self.lines:
                    raise AssertionError("output ended without %s; output:\n%s" % (what, self.output))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("timed out waiting for %s; output:\n%s" % (what, self.output))
                self.cond.wait(remaining)

    def wait_exit(self, timeout=15.0):
        return self.proc.wait(timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self.reader.join(5)
        self.proc.stdout.close()


class Session:
    """One function: a task root with its files, a mock Runtime API and the runtime process."""

    def __init__(self, api, process, task_root):
        self.api = api
        self.process = process
        self.task_root = task_root

    def invoke(self, event=None, **kw):
        return self.api.invoke(event, **kw)

    @property
    def output(self):
        return self.process.output


def write_files(root, files):
    for name, content in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)


def base_environment(api, task_root, handler, extra=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "_HANDLER": handler,
        "LAMBDA_TASK_ROOT": task_root,
        "AWS_LAMBDA_RUNTIME_API": api.address,
        "AWS_LAMBDA_FUNCTION_NAME": "fn",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/fn",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2024/01/01/[$LATEST]0123456789abcdef",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    # pyenv shims need to know where home is to find the interpreter.
    for name in ("HOME", "PYENV_ROOT", "PYENV_VERSION", "SYSTEMROOT"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra or {})
    return env


@pytest.fixture
def start():
    """start(lang, files, handler, env=None, task_root=None) -> Session; everything is torn down after the test."""
    sessions = []
    temp_dirs = []

    def _start(lang, files, handler, env=None, task_root=None):
        interpreter = python_interpreter() if lang == "python" else node_interpreter()
        if not interpreter:
            pytest.skip("%s is not installed" % ("python3" if lang == "python" else "node"))
        if task_root is None:
            temp = tempfile.TemporaryDirectory(prefix="swiftlet-task-")
            temp_dirs.append(temp)
            task_root = os.path.join(temp.name, "code")
            os.makedirs(task_root)
        write_files(task_root, files)
        api = MockRuntimeAPI()
        environment = base_environment(api, task_root, handler, env)
        argv = [interpreter, PYTHON_BOOTSTRAP if lang == "python" else NODE_BOOTSTRAP]
        # The platform starts the runtime in the code directory; start elsewhere to prove the
        # bootstraps rely on LAMBDA_TASK_ROOT, not on the working directory.
        process = RuntimeProcess(argv, environment, cwd=tempfile.gettempdir())
        session = Session(api, process, task_root)
        sessions.append(session)
        return session

    yield _start
    for session in sessions:
        session.process.stop()
        session.api.close()
    for temp in temp_dirs:
        temp.cleanup()


@pytest.fixture
def node_available():
    if not node_interpreter():
        pytest.skip("node is not installed")
