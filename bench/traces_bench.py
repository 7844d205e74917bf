#!/usr/bin/env python3
"""Tracing benchmark (issue 15): what tracing costs an invocation, what the X-Ray daemon relay costs a cold start,
how fast the daemon takes datagrams, and how fast GetTraceSummaries answers.

Starts its own servers (release build by default) on free ports with temporary data dirs and prints figures; it
asserts nothing. Usage:
    python3 bench/traces_bench.py [--bin .build/release/swiftlet] [--warm-seconds 2] [--rounds 3] [--cold-runs 10]
        [--datagrams 2000]

- warm: one caller replays a signed Invoke on a keep-alive connection, alternating between a PassThrough function
  (unsampled: tracing off, the invoke path only branches) and an Active one (sampled: Lambda's two segments are
  built and queued for the store), in rounds so drift hits both; the p50 difference is tracing's cost per invocation.
- cold: first invokes of new functions with the daemon on (each sandboxed environment gets a UDP relay) and off
  (SWIFTLET_XRAY_DAEMON_PORT=off).
"""
import argparse
import json
import os
import socket
import sys
import time
import uuid

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import ROLE, Server, percentile, signed_invoke, warm_worker, zip_of  # noqa: E402

NOOP = "def handler(event, context):\n    return None\n"


def start(binary, env, extra=()):
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return Server(binary, extra)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def xray_client(server):
    return boto3.client("xray", endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id=server.key,
                        aws_secret_access_key=server.secret, config=Config(retries={"max_attempts": 1}))


def python_runtime(server):
    return [r for r in server.health["runtimes"] if r.startswith("python")][-1]


def server_cpu_seconds(server):
    """User and system CPU time the server process has used (its environments are other processes)."""
    with open(f"/proc/{server.proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_warm(server, seconds, rounds):
    lam = server.client()
    runtime = python_runtime(server)
    for name, mode in (("off", "PassThrough"), ("on", "Active")):
        lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": NOOP})}, TracingConfig={"Mode": mode})
        lam.invoke(FunctionName=name, Payload=b"{}")
    host, port = server.endpoint.split("//")[1].split(":")
    requests = {name: signed_invoke(server.endpoint, server.key, server.secret, name) for name in ("off", "on")}
    latencies = {"off": [], "on": []}
    cpu = {"off": 0.0, "on": 0.0}
    for _ in range(rounds):
        for name in ("off", "on"):
            path, headers, body = requests[name]
            before = server_cpu_seconds(server)
            latencies[name] += warm_worker((host, int(port), path, headers, body, seconds, 0))
            time.sleep(0.5)  # the recorder's next flush (every 200 ms) is counted with the block that caused it
            cpu[name] += server_cpu_seconds(server) - before
    off, on = latencies["off"], latencies["on"]
    print(f"\n== warm invoke, 1 caller, {rounds} rounds of {seconds}s each ({server.health['isolation'].split(':')[0]})")
    for name, values in (("tracing off (PassThrough, unsampled)", off), ("tracing on (Active, sampled)", on)):
        print(f"{name:38} {len(values):6} invokes  p50={percentile(values, 50) * 1000:8.1f} µs  "
              f"p90={percentile(values, 90) * 1000:8.1f} µs  p99={percentile(values, 99) * 1000:8.1f} µs")
    print(f"tracing on costs per invocation (p50 difference): {(percentile(on, 50) - percentile(off, 50)) * 1000:.1f} µs")
    cpu_off, cpu_on = cpu["off"] / len(off) * 1e6, cpu["on"] / len(on) * 1e6
    print(f"server CPU per invocation: off {cpu_off:.1f} µs, on {cpu_on:.1f} µs (segments built and stored in the "
          f"background included): tracing on costs {cpu_on - cpu_off:.1f} µs of CPU")
    xray = xray_client(server)
    now = time.time()
    t = time.perf_counter()
    page = xray.get_trace_summaries(StartTime=now - 3600, EndTime=now + 60, FilterExpression='service("on")')
    print(f"GetTraceSummaries (first page of {len(page['TraceSummaries'])}, {page['TracesProcessedCount']} traces read): "
          f"{(time.perf_counter() - t) * 1000:.1f} ms")


def bench_cold(binary, runs):
    """Both servers run at once and take turns, so the host's load weighs on both alike; both give functions loopback
    only (one server per host may own the functions' bridge)."""
    labels = ("daemon on (relay per environment)", "daemon off")
    loopback = ("--function-network", "none")
    servers = [start(binary, {"SWIFTLET_XRAY_DAEMON_PORT": "0"}, loopback),
               start(binary, {"SWIFTLET_XRAY_DAEMON_PORT": "off"}, loopback)]
    figures = {label: [] for label in labels}
    try:
        clients = [server.client() for server in servers]
        runtime = python_runtime(servers[0])
        for i in range(runs):
            for label, lam in zip(labels, clients):
                name = f"cold{i}"
                lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler",
                                    Code={"ZipFile": zip_of({"app.py": NOOP})})
                t = time.perf_counter()
                lam.invoke(FunctionName=name, Payload=b"{}")
                figures[label].append((time.perf_counter() - t) * 1000)
        isolation = servers[0].health["isolation"].split(":")[0]
    finally:
        for server in servers:
            server.stop()
    print(f"\n== cold start, first invoke after create ({isolation}), {runs} runs each, interleaved")
    for label, values in figures.items():
        print(f"{label:36} p50={percentile(values, 50):7.1f} ms  p90={percentile(values, 90):7.1f} ms")


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def bench_daemon(binary, count):
    port = free_udp_port()
    server = start(binary, {"SWIFTLET_XRAY_DAEMON_PORT": str(port)})
    try:
        xray = xray_client(server)
        tag = uuid.uuid4().hex[:8]
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        now = time.time()
        roots = []
        time.sleep(1)
        cpu_before = server_cpu_seconds(server)
        t = time.perf_counter()
        for i in range(count):
            root = f"1-{int(now):08x}-{uuid.uuid4().hex[:24]}"
            roots.append(root)
            doc = {"name": "bench", "id": uuid.uuid4().hex[:16], "trace_id": root, "start_time": now, "end_time": now + 0.01,
                   "annotations": {"tag": tag}}
            sock.sendto(b'{"format": "json", "version": 1}\n' + json.dumps(doc).encode(), ("127.0.0.1", port))
            if i % 200 == 199:
                time.sleep(0.005)  # what a busy host's SDKs send, not a flood the socket buffer drops
        sent = time.perf_counter() - t
        stored = 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            stored = len(xray.batch_get_traces(TraceIds=roots[-5:])["Traces"])
            if stored == 5:
                break
            time.sleep(0.05)
        took = time.perf_counter() - t
        time.sleep(0.5)
        cpu = server_cpu_seconds(server) - cpu_before
        found, token = 0, None
        t = time.perf_counter()
        while True:
            args = dict(StartTime=now - 60, EndTime=now + 60, FilterExpression=f'annotation.tag = "{tag}"')
            if token:
                args["NextToken"] = token
            page = xray.get_trace_summaries(**args)
            found += len(page["TraceSummaries"])
            token = page.get("NextToken")
            if not token:
                break
        paging = time.perf_counter() - t
        print(f"\n== X-Ray daemon: {count} datagrams sent in {sent:.2f}s; the last ones stored after {took:.2f}s; "
              f"{found} of {count} traces found ({count / took:,.0f} segments/s end to end)")
        print(f"server CPU per datagram (parsed, validated, stored): {cpu / count * 1e6:.1f} µs")
        print(f"GetTraceSummaries paging through them with an annotation filter: {paging * 1000:.0f} ms")
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--warm-seconds", type=float, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cold-runs", type=int, default=10)
    ap.add_argument("--datagrams", type=int, default=2000)
    args = ap.parse_args()
    server = start(args.bin, {"SWIFTLET_XRAY_DAEMON_PORT": "0"})
    try:
        bench_warm(server, args.warm_seconds, args.rounds)
    finally:
        server.stop()
    bench_cold(args.bin, args.cold_runs)
    bench_daemon(args.bin, args.datagrams)


if __name__ == "__main__":
    main()
