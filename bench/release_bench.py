#!/usr/bin/env python3
"""Release benchmark (issue 4): the cost of invoking through an alias, the first invoke on a provisioned
environment, and publishing a version of a function with a 50 MB layer set.

Starts its own server (release build by default) and prints figures; it asserts nothing. Usage:
    python3 bench/release_bench.py [--bin .build/release/swiftlet] [--seconds 3] [--rounds 4]
"""
import argparse
import concurrent.futures
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from invoke_bench import ROLE, Server, percentile, signed_invoke, warm_worker, zip_of  # noqa: E402

NOOP = {"app.py": "def handler(event, context):\n    return None\n"}


def replay(server, name, seconds):
    """Latencies (ms) of one caller replaying a signed invoke of `name` for `seconds`."""
    host, port = server.endpoint.split("//")[1].split(":")
    path, headers, body = signed_invoke(server.endpoint, server.key, server.secret, name)
    return warm_worker((host, int(port), path, headers, body, seconds, time.time()))


def timed_requests(server, name, count):
    """Latencies (ms) of `count` sequential invokes on one keep-alive connection (http.client), opened
    and used once beforehand so no request pays for the connection."""
    import http.client
    host, port = server.endpoint.split("//")[1].split(":")
    path, headers, body = signed_invoke(server.endpoint, server.key, server.secret, name)
    conn = http.client.HTTPConnection(host, int(port))
    conn.request("GET", "/health")
    conn.getresponse().read()
    out = []
    for _ in range(count):
        t = time.perf_counter()
        conn.request("POST", "/" + path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        out.append((time.perf_counter() - t) * 1000)
        if response.status != 200:
            raise RuntimeError(f"invoke failed: {response.status}")
    conn.close()
    return out


def bench_alias(server, seconds, rounds):
    lam = server.client()
    lam.create_function(FunctionName="aliased", Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                        Code={"ZipFile": zip_of(NOOP)}, Publish=True)
    lam.create_alias(FunctionName="aliased", Name="live", FunctionVersion="1")
    replay(server, "aliased:1", 1)  # warm the environment and the caches
    by_kind = {"aliased:1": [], "aliased:live": []}
    for _ in range(rounds):
        for name in by_kind:  # interleaved, so drift in the machine hits both alike
            by_kind[name].append(statistics.median(replay(server, name, seconds)))
    version, alias = statistics.median(by_kind["aliased:1"]), statistics.median(by_kind["aliased:live"])
    print(f"alias: invoke by version p50 {version * 1000:.0f} µs, through alias p50 {alias * 1000:.0f} µs, "
          f"alias adds {(alias - version) * 1000:+.0f} µs (median of {rounds} interleaved {seconds:.0f}s rounds, 1 caller, 1769 MB)")


def bench_provisioned(server, count):
    lam = server.client()
    firsts, idle_warms, warms = [], [], []
    for i in range(count):
        name = f"prov{i}"
        lam.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                            Code={"ZipFile": zip_of(NOOP)}, Publish=True)
        lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=1)
        deadline = time.monotonic() + 30
        while lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="1")["Status"] != "READY":
            if time.monotonic() > deadline:
                raise RuntimeError("provisioned concurrency never became ready")
            time.sleep(0.02)
        time.sleep(0.2)  # let the idle environment be frozen, as it would be before a real first call
        firsts.append(timed_requests(server, f"{name}:1", 1)[0])
        time.sleep(0.2)  # the same environment, warm, after the same idle time (frozen again)
        idle_warms.append(timed_requests(server, f"{name}:1", 1)[0])
        warms.append(statistics.median(timed_requests(server, f"{name}:1", 200)))
        lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="1")
    print(f"provisioned: first invoke p50 {statistics.median(firsts):.3f} ms (max {max(firsts):.3f}); "
          f"warm invoke after the same 200 ms idle p50 {statistics.median(idle_warms):.3f} ms; "
          f"back-to-back warm p50 {statistics.median(warms):.3f} ms; over {count} functions")


def bench_publish(server, rounds):
    lam = server.client(pool=2)
    arns = []
    for i in range(2):  # two 25 MB layers of incompressible bytes: a 50 MB layer set
        blob = os.urandom(25 * 1024 * 1024)
        layer = lam.publish_layer_version(LayerName=f"big{i}", Content={"ZipFile": zip_of({f"data/blob{i}.bin": blob})})
        arns.append(layer["LayerVersionArn"])
    lam.create_function(FunctionName="heavy", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": zip_of(NOOP)}, Layers=arns)
    times = []
    for i in range(rounds):
        lam.update_function_configuration(FunctionName="heavy", Environment={"Variables": {"ROUND": str(i)}})
        t = time.perf_counter()
        lam.publish_version(FunctionName="heavy")
        times.append((time.perf_counter() - t) * 1000)
    print(f"publish: PublishVersion with a 50 MB layer set p50 {statistics.median(times):.2f} ms, "
          f"p99 {percentile(times, 99):.2f} ms over {rounds} versions (boto3 round trip)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--provisioned", type=int, default=10)
    ap.add_argument("--publishes", type=int, default=50)
    args = ap.parse_args()
    server = Server(args.bin)
    try:
        print(f"isolation: {server.health['isolation']}")
        bench_alias(server, args.seconds, args.rounds)
        bench_provisioned(server, args.provisioned)
        bench_publish(server, args.publishes)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
