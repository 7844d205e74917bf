"""Invoke-loop throughput of Swiftlet's bootstraps: a no-op handler against a minimal Runtime API.

    python3 tests/runtimes/bench_loop.py [--lang python|node|both] [-n ITERATIONS]

The Runtime API here is a raw-socket loopback server that answers with canned bytes, so what is
measured is the bootstrap's own per-invocation cost (GET next, context, decode, call, encode, POST).
Bounded: it stops after the given number of invocations, or after a time limit.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runtime_harness as h  # noqa: E402

HANDLERS = {
    "python": ({"app.py": "def handler(event, context):\n    return None\n"}, "app.handler"),
    "node": ({"index.js": "exports.handler = async () => null;\n"}, "index.handler"),
}


class FastRuntimeAPI:
    """Answers GET next with a canned event and every POST with 202, counting invocations."""

    def __init__(self, total, warmup):
        self.total = total
        self.warmup = warmup
        self.sent = 0
        self.answered = 0
        self.started = None
        self.finished = None
        self.first_next = None
        self.done = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.address = "127.0.0.1:%d" % self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.done.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: "
                "8476a536-e9f4-11e8-9739-%012d\r\nLambda-Runtime-Deadline-Ms: %d\r\n"
                "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:bench\r\n"
                "Lambda-Runtime-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1\r\n"
                "Content-Length: 13\r\n\r\n{\"key\": \"v1\"}")
        accepted = b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}"
        buf = b""
        try:
            while True:
                end = buf.find(b"\r\n\r\n")
                while end < 0:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                    end = buf.find(b"\r\n\r\n")
                request = buf[:end]
                lower = request.lower()
                at = lower.find(b"\r\ncontent-length:")
                length = int(lower[at + 17:lower.find(b"\r\n", at + 2) if lower.find(b"\r\n", at + 2) > 0 else None]) if at >= 0 else 0
                while len(buf) < end + 4 + length:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                buf = buf[end + 4 + length:]
                if request.startswith(b"GET"):
                    if self.first_next is None:
                        self.first_next = time.perf_counter()
                    if self.sent >= self.total:
                        self.done.wait(30)
                        return
                    self.sent += 1
                    if self.sent == self.warmup + 1:
                        self.started = time.perf_counter()
                    conn.sendall((head % (self.sent, int(time.time() * 1000) + 60000)).encode())
                else:
                    self.answered += 1
                    conn.sendall(accepted)
                    if self.answered == self.total:
                        self.finished = time.perf_counter()
                        self.done.set()
        finally:
            conn.close()

    def close(self):
        self.done.set()
        self.listener.close()


def measure(lang, iterations=20000, warmup=500, limit=120.0):
    """Invocations per second of the `lang` bootstrap with a no-op handler."""
    interpreter = h.python_interpreter() if lang == "python" else h.node_interpreter()
    if not interpreter:
        raise RuntimeError("no interpreter for " + lang)
    files, handler = HANDLERS[lang]
    api = FastRuntimeAPI(iterations + warmup, warmup)
    with tempfile.TemporaryDirectory() as root:
        h.write_files(root, files)
        env = h.base_environment(api, root, handler)
        argv = [interpreter, h.PYTHON_BOOTSTRAP if lang == "python" else h.NODE_BOOTSTRAP]
        launched = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not api.done.wait(limit):
                raise TimeoutError("%s: only %d of %d invocations answered" % (lang, api.answered, api.total))
        finally:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            api.close()
    cpu = usage.ru_utime + usage.ru_stime
    return iterations / (api.finished - api.started), cpu / (iterations + warmup), api.first_next - launched


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["python", "node", "both"], default="both")
    parser.add_argument("-n", "--iterations", type=int, default=20000)
    args = parser.parse_args()
    for lang in (["python", "node"] if args.lang == "both" else [args.lang]):
        rate, cpu, startup = measure(lang, args.iterations)
        print("%-6s %8.0f invocations/s  (%.1f µs each; the runtime's own CPU time %.1f µs each, startup included); "
              "%.0f ms from exec to the first GET next" % (lang, rate, 1e6 / rate, cpu * 1e6, startup * 1000))


if __name__ == "__main__":
    main()
