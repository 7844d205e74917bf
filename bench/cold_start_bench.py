#!/usr/bin/env python3
"""Cold start benchmark: stem cells on and off, beside the bare interpreters' start, phase by phase.

Starts its own servers (release build by default) on free ports with temporary data dirs and prints figures; it
asserts nothing. For each of `--stem-cells N` (default 4) and `--stem-cells 0`:
  * sequential cold starts: create a hello-world function, invoke it once (end to end through the API, boto3), for
    Python and Node; p50/p90, the REPORT's Init Duration, and whether a stem cell served it; with stem cells also
    paced (each once the pool refilled), through boto3 and through a lean client (the request signed in advance on a
    kept-alive connection: request to response with no client library in the clock);
  * the cold start's phases (swiftlet_cold_start_phase_seconds, mean per phase and path);
  * a burst: 100 different Python functions created, then invoked once each, all at the same time (total, p50, p99);
and, measured in the same run, `python3.11 -c pass` and `node -e 0`, and the memory an idle stem cell holds.
Usage:
    python3 bench/cold_start_bench.py [--bin .build-rel17/release/swiftlet] [--runs 30] [--burst 100]
"""
import argparse
import base64
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import ROLE, Server, percentile, zip_of  # noqa: E402
import http.client  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

PYTHON_CODE = {"app.py": "def handler(event, context):\n    return 'hello world'\n"}
NODE_CODE = {"index.mjs": "export const handler = async (event) => 'hello world';\n"}


def bare_start(argv, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, check=True)
        times.append((time.perf_counter() - t) * 1000)
    return times


def scrape(server):
    with urllib.request.urlopen(server.endpoint + "/metrics", timeout=10) as r:
        return r.read().decode()


def series(text, name):
    """{(label pairs sorted): value} of one metric name."""
    out = {}
    for line in text.splitlines():
        m = re.match(r'^([a-z_]+)\{([^}]*)\} (\S+)$', line)
        if m and m.group(1) == name:
            labels = tuple(sorted(tuple(kv.split("=", 1)) for kv in m.group(2).split(",")))
            out[labels] = float(m.group(3))
    return out


def stem_hits(server):
    return sum(v for k, v in series(scrape(server), "swiftlet_stem_cell_claims_total").items() if ('result', '"hit"') in k)


def wait_ready(server, runtime="python3.11", timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = series(scrape(server), "swiftlet_stem_cells").get(
            tuple(sorted([("runtime", f'"{runtime}"'), ("state", '"ready"')])), 0)
        if ready >= 1:
            return True
        time.sleep(0.02)
    return False


def settled(server, runtime="python3.11", timeout=30):
    """Waits until the runtime's pool is full and nothing is being started (refilling done)."""
    deadline = time.monotonic() + timeout
    key = lambda state: tuple(sorted([("runtime", f'"{runtime}"'), ("state", f'"{state}"')]))
    while time.monotonic() < deadline:
        cells = series(scrape(server), "swiftlet_stem_cells")
        if cells.get(key("ready"), 0) >= max(1, cells.get(key("target"), 1)) and cells.get(key("starting"), 0) == 0:
            return True
        time.sleep(0.02)
    return False


class RawInvoker:
    """Invoke as a lean client sends it: the request boto3 would send, signed before the clock starts, on a kept-alive
    connection; the clock runs from the request's first byte to the response's last (no client library in it)."""

    def __init__(self, server):
        self.server = server
        self.host = server.endpoint.split("//", 1)[1]
        self.conn = http.client.HTTPConnection(self.host, timeout=60)

    def __call__(self, name):
        url = f"{self.server.endpoint}/2015-03-31/functions/{name}/invocations"
        req = AWSRequest(method="POST", url=url, data=b"{}",
                         headers={"Content-Type": "application/octet-stream", "X-Amz-Invocation-Type": "RequestResponse",
                                  "X-Amz-Log-Type": "Tail"})
        SigV4Auth(Credentials(self.server.key, self.server.secret), "lambda", "us-east-1").add_auth(req)
        headers = dict(req.prepare().headers)
        t = time.perf_counter()
        self.conn.request("POST", f"/2015-03-31/functions/{name}/invocations", body=b"{}", headers=headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - t) * 1000
        return elapsed, body, response.getheader("X-Amz-Log-Result")


def sequential(server, runtime, handler, code, runs, prefix, paced=False, raw=None):
    """Creates and invokes `runs` functions one after the other; `paced`: each once the stem cell pool is refilled;
    `raw`: through a `RawInvoker` instead of boto3."""
    lam = server.client()
    total, init, served = [], [], 0
    for i in range(runs):
        name = f"{prefix}{i}"
        lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler, Code={"ZipFile": zip_of(code)})
        if paced:
            settled(server, runtime)
        before = stem_hits(server)
        if raw:
            elapsed, body, log = raw(name)
            total.append(elapsed)
            assert body == b'"hello world"', name
        else:
            t = time.perf_counter()
            r = lam.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
            total.append((time.perf_counter() - t) * 1000)
            assert r["Payload"].read() == b'"hello world"', name
            log = r["LogResult"]
        report = base64.b64decode(log).decode()
        init.append(float(re.search(r"Init Duration: ([\d.]+) ms", report).group(1)))
        if stem_hits(server) > before:
            served += 1
    return total, init, served


def phases(server):
    text = scrape(server)
    sums = series(text, "swiftlet_cold_start_phase_seconds_sum")
    counts = series(text, "swiftlet_cold_start_phase_seconds_count")
    out = {}
    for labels, s in sums.items():
        d = dict(labels)
        n = counts.get(labels, 0)
        if n:
            out.setdefault(d["path"].strip('"'), {})[d["phase"].strip('"')] = (s / n * 1000, int(n))
    return out


def burst(server, count, prefix):
    lam = server.client(pool=count)
    for i in range(count):
        lam.create_function(FunctionName=f"{prefix}{i}", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of(PYTHON_CODE)})
    if server.stem_cells:
        wait_ready(server)

    def one(i):
        t = time.perf_counter()
        r = lam.invoke(FunctionName=f"{prefix}{i}", Payload=b"{}")
        body = r["Payload"].read()
        error = None
        if body != b'"hello world"' or r.get("FunctionError"):
            try:
                error = json.loads(body).get("errorType") or "unknown"
            except (ValueError, AttributeError):
                error = body[:80].decode(errors="replace")
        return (time.perf_counter() - t) * 1000, error

    before = stem_hits(server)
    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(count) as ex:
        results = list(ex.map(one, range(count)))
    elapsed = (time.perf_counter() - t) * 1000
    errors = {}
    for _, error in results:
        if error:
            errors[error] = errors.get(error, 0) + 1
    return elapsed, [r[0] for r in results], errors, stem_hits(server) - before


def stem_memory(server):
    """Memory charged to the waiting stem cells' cgroups (v1 memory controller), per cell."""
    base = None
    for root, dirs, _ in os.walk("/sys/fs/cgroup/memory"):
        if os.path.basename(root) == f"swiftlet-{server.proc.pid}":
            base = root
            break
        if root.count("/") > 6:
            dirs[:] = []
    if not base:
        return None
    usages = []
    for d in os.listdir(base):
        if d.startswith("env-"):
            try:
                with open(os.path.join(base, d, "memory.usage_in_bytes")) as f:
                    usages.append(int(f.read()))
            except OSError:
                pass
    return usages


def run_config(binary, stem_cells, args, node):
    server = Server(binary, ["--stem-cells", str(stem_cells), "--function-network", "none", "--xray-daemon-port", "0",
                             "--max-concurrency", str(max(200, args.burst * 2))])
    server.stem_cells = stem_cells
    label = f"stem cells {'on (--stem-cells %d)' % stem_cells if stem_cells else 'off (--stem-cells 0)'}"
    try:
        if stem_cells:
            wait_ready(server)
            usages = stem_memory(server)
            if usages:
                print(f"  idle stem cells: {len(usages)}, memory charged each: "
                      f"{sum(usages) / len(usages) / 2**20:.1f} MiB (cgroup memory.usage_in_bytes, page cache included)")
        # Node's pool fills at its first cold start (the first function here), not at server start.
        kinds = [("Python", "python3.11", "app.handler", PYTHON_CODE, "py")]
        if node:
            kinds.append(("Node", "nodejs20.x", "index.handler", NODE_CODE, "js"))
        for label_, runtime, handler, code, prefix in kinds:
            total, init, served = sequential(server, runtime, handler, code, args.runs, prefix)
            print(f"  {label_} cold start (create, then first invoke; end to end):  p50={percentile(total, 50):.1f} ms  "
                  f"p90={percentile(total, 90):.1f} ms   Init Duration p50={percentile(init, 50):.1f} ms"
                  + (f"   served by a stem cell: {served}/{args.runs}" if stem_cells else ""))
            if stem_cells:
                total, init, served = sequential(server, runtime, handler, code, args.runs, prefix + "paced", paced=True)
                print(f"  the same, each invoke once the pool is refilled (arrivals slower than refills): "
                      f"p50={percentile(total, 50):.1f} ms  p90={percentile(total, 90):.1f} ms   "
                      f"Init Duration p50={percentile(init, 50):.1f} ms   served by a stem cell: {served}/{args.runs}")
                total, init, served = sequential(server, runtime, handler, code, args.runs, prefix + "raw", paced=True,
                                                 raw=RawInvoker(server))
                print(f"  the same through a lean client (signed in advance, kept-alive HTTP; no boto3 in the clock): "
                      f"p50={percentile(total, 50):.1f} ms  p90={percentile(total, 90):.1f} ms   "
                      f"Init Duration p50={percentile(init, 50):.1f} ms   served by a stem cell: {served}/{args.runs}")
        for path, ph in sorted(phases(server).items()):
            order = ["cgroups", "network", "code", "sandbox", "specialise", "attach", "runtime_init"]
            text = "  ".join(f"{name}={ph[name][0]:.2f}" for name in order if name in ph)
            n = max(v[1] for v in ph.values())
            print(f"  phases, path {path} (mean ms over {n}): {text}")
        if args.burst:
            elapsed, lat, failed, hits = burst(server, args.burst, "burst")
            print(f"  burst of {args.burst} concurrent first invokes of {args.burst} functions: total {elapsed:.0f} ms, "
                  f"p50={percentile(lat, 50):.0f} ms  p99={percentile(lat, 99):.0f} ms, "
                  f"{sum(failed.values())} failed {failed if failed else ''}"
                  + (f", {hits} served by stem cells" if stem_cells else ""))
        return label
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build-rel17", "release", "swiftlet"))
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--burst", type=int, default=100)
    ap.add_argument("--stem-cells", type=int, default=4)
    args = ap.parse_args()
    node = shutil.which("node") is not None
    print(f"== load average at start: {os.getloadavg()[0]:.1f} (2 cores here; other work on the host skews every figure)")
    print("== bare interpreter start (same run)")
    interpreter = "/usr/bin/python3.11" if os.path.exists("/usr/bin/python3.11") else shutil.which("python3.11")
    py = bare_start([interpreter, "-c", "pass"], args.runs)
    print(f"  {interpreter} -c pass: p50={percentile(py, 50):.1f} ms  p90={percentile(py, 90):.1f} ms")
    if node:
        js = bare_start(["node", "-e", "0"], args.runs)
        print(f"  node -e 0:          p50={percentile(js, 50):.1f} ms  p90={percentile(js, 90):.1f} ms")
    for stem_cells in (args.stem_cells, 0):
        print(f"== stem cells {'on (--stem-cells %d)' % stem_cells if stem_cells else 'off (--stem-cells 0)'}")
        run_config(args.bin, stem_cells, args, node)


if __name__ == "__main__":
    main()
