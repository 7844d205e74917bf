#!/usr/bin/env python3
"""Cluster benchmark (issue 16): warm invoke on a PostgreSQL-backed node beside the SQLite-backed server in the
same run, how soon an update through one node is what another node runs, async invokes spread over two nodes, and
what routing for warmth costs (an invoke forwarded to a warm environment on the other node, against a cold start and
a warm invoke on the node itself).

Starts a throwaway PostgreSQL (initdb in a temp dir, a free port on 127.0.0.1) and its own servers (release build by
default) and prints figures; it asserts nothing. Usage:
    python3 bench/cluster_bench.py [--bin .build/release/swiftlet] [--warm-seconds 5] [--updates 30] [--async 500]
                                   [--forwards 20]
"""
import argparse
import concurrent.futures
import multiprocessing
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from cluster_support import ThrowawayPostgres  # noqa: E402
from cold_start_bench import scrape, series  # noqa: E402
from invoke_bench import ROLE, Server, percentile, signed_invoke, warm_worker, zip_of  # noqa: E402

NETWORK = ("--function-network", "none", "--xray-daemon-port", "off")


def warm(server, name, seconds, callers=1):
    lam = server.client()
    lam.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": zip_of({"app.py": "def handler(event, context):\n    return None\n"})})
    lam.invoke(FunctionName=name, Payload=b"{}")
    host, port = server.endpoint.split("//")[1].split(":")
    path, headers, body = signed_invoke(server.endpoint, server.key, server.secret, name)
    start_at = time.time() + 0.5
    with multiprocessing.Pool(callers) as pool:
        results = pool.map(warm_worker, [(host, int(port), path, headers, body, seconds, start_at)] * callers)
    return [x for r in results for x in r]


def report(label, latencies, seconds):
    print(f"{label}: {len(latencies)} invokes in {seconds}s = {len(latencies) / seconds:,.0f}/s; "
          f"p50={percentile(latencies, 50):.3f} ms p90={percentile(latencies, 90):.3f} ms p99={percentile(latencies, 99):.3f} ms")


def propagation(a, b, updates):
    """Updates code through A; measures from UpdateFunctionCode's return until B's invoke answers with the new code."""
    la, lb = a.client(), b.client()
    def code(n):
        return zip_of({"app.py": f"def handler(event, context):\n    return {n}\n"})
    la.create_function(FunctionName="prop", Runtime="python3.11", Role=ROLE, Handler="app.handler", Code={"ZipFile": code(0)})
    lb.invoke(FunctionName="prop", Payload=b"{}")
    delays, stale_first = [], 0
    for n in range(1, updates + 1):
        la.update_function_code(FunctionName="prop", ZipFile=code(n))
        returned = time.perf_counter()
        first = True
        while True:
            got = lb.invoke(FunctionName="prop", Payload=b"{}")["Payload"].read()
            if got == str(n).encode():
                break
            if first:
                stale_first += 1
            first = False
        delays.append((time.perf_counter() - returned) * 1000)
    print(f"update through A → B runs the new code: p50={percentile(delays, 50):.1f} ms p90={percentile(delays, 90):.1f} ms "
          f"max={max(delays):.1f} ms (includes B's cold start of the new code); first invoke through B stale in "
          f"{stale_first} of {updates}")


def async_spread(a, b, count):
    """Async invokes sent alternately through A and B; time until every event ran (counted in a queue)."""
    import boto3
    from botocore.config import Config
    def client(server, service):
        return boto3.client(service, endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id=server.key,
                            aws_secret_access_key=server.secret, config=Config(max_pool_connections=16))
    sqs = client(a, "sqs")
    url = sqs.create_queue(QueueName="done")["QueueUrl"]
    la = a.client(16)
    la.create_function(FunctionName="count", Runtime="python3.11", Role=ROLE, Handler="app.handler", Timeout=30,
                       Code={"ZipFile": zip_of({"app.py": (
                           "import boto3, os\nq = boto3.client('sqs')\n"
                           f"def handler(event, context):\n    q.send_message(QueueUrl={url!r}, MessageBody=str(event['n']))\n")})})
    clients = [a.client(16), b.client(16)]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        list(ex.map(lambda n: clients[n % 2].invoke(FunctionName="count", InvocationType="Event",
                                                    Payload=('{"n": %d}' % n).encode()), range(count)))
    accepted = time.perf_counter() - start
    seen = set()
    while len(seen) < count and time.perf_counter() - start < 300:
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            seen.add(m["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    total = time.perf_counter() - start
    print(f"{count} async invokes through two nodes: accepted in {accepted:.2f} s ({count / accepted:,.0f}/s), "
          f"all {len(seen)} ran within {total:.2f} s")


TOKEN = "import uuid\nTOKEN = uuid.uuid4().hex\ndef handler(event, context):\n    return TOKEN\n"


def forwarding(a, b, runs):
    """Invokes through B of a function warm only on A (forwarded), through A (warm locally), and through B of a new
    revision each time (warm nowhere: a cold start on B); end to end through boto3, sequential."""
    la, lb = a.client(), b.client()

    def timed(lam, name):
        start = time.perf_counter()
        token = lam.invoke(FunctionName=name, Payload=b"{}")["Payload"].read()
        return (time.perf_counter() - start) * 1000, token

    la.create_function(FunctionName="fwd", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                       Code={"ZipFile": zip_of({"app.py": TOKEN})})
    _, on_a = timed(la, "fwd")
    # B forwards once its router has read A's heartbeat with the revision warm.
    key = (("function", '"fwd"'),)
    deadline = time.monotonic() + 30
    while series(scrape(b), "swiftlet_warm_elsewhere").get(key, 0) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    forwarded, served_by_a = [], 0
    for _ in range(runs):
        elapsed, token = timed(lb, "fwd")
        forwarded.append(elapsed)
        served_by_a += token == on_a
    warm_local = [timed(la, "fwd")[0] for _ in range(runs)]
    lb.create_function(FunctionName="cold", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                       Code={"ZipFile": zip_of({"app.py": TOKEN})})
    cold = []
    for i in range(runs):
        lb.update_function_configuration(FunctionName="cold", Environment={"Variables": {"RUN": str(i)}})
        while lb.get_function_configuration(FunctionName="cold").get("LastUpdateStatus", "Successful") != "Successful":
            time.sleep(0.01)
        cold.append(timed(lb, "cold")[0])

    def ms(values):
        return f"p50={statistics.median(values):.1f} ms (min {min(values):.1f}, max {max(values):.1f})"
    print(f"invoke through B of a revision warm only on A, forwarded: {ms(forwarded)} "
          f"({served_by_a} of {runs} answered by A's environment)")
    print(f"the same through A, warm locally:                     {ms(warm_local)}")
    print(f"through B, a new revision each time (a cold start):    {ms(cold)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--warm-seconds", type=float, default=5)
    ap.add_argument("--updates", type=int, default=30)
    ap.add_argument("--async", dest="async_count", type=int, default=500)
    ap.add_argument("--forwards", type=int, default=20)
    args = ap.parse_args()
    postgres = ThrowawayPostgres()
    servers = []
    try:
        _, url = postgres.create_database("bench")
        print("== warm invoke, one caller, keep-alive (the same no-op Python function on each)")
        lite = Server(args.bin, NETWORK)
        servers.append(lite)
        a = Server(args.bin, NETWORK + ("--database-url", url))
        servers.append(a)
        for label, server in (("sqlite", lite), ("postgresql", a), ("sqlite again", lite), ("postgresql again", a)):
            report(label, warm(server, "noop-" + label.replace(" ", "-"), args.warm_seconds), args.warm_seconds)
        lite.stop()
        servers.remove(lite)
        b = Server(args.bin, NETWORK + ("--database-url", url))
        servers.append(b)
        print("\n== two nodes on one PostgreSQL")
        propagation(a, b, args.updates)
        async_spread(a, b, args.async_count)
        forwarding(a, b, args.forwards)
    finally:
        for s in servers:
            try:
                s.stop()
            except Exception:
                pass
        postgres.stop()


if __name__ == "__main__":
    main()
