#!/usr/bin/env python3
"""CloudWatch Logs benchmark: FilterLogEvents over a million events of one group, and what they cost on disk.

Starts its own server (release build by default) on a free port with a temporary data dir, loads N events into one
log group through PutLogEvents (10,000 per call, ~70-byte messages in 10 streams, a rare term in 100 of them),
then prints FilterLogEvents latency for the rare term (index-narrowed), for a JSON pattern on the same value, and
for a common term, plus the store's growth per million events (`/health` storeBytes: database and WAL, the trigram
index included). Asserts nothing. Usage:
    python3 bench/logs_bench.py [--bin .build/release/swiftlet] [--events 1000000] [--runs 30]
"""
import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
import urllib.request

import boto3
from botocore.config import Config


sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import Server as BaseServer, percentile  # noqa: E402


class Server(BaseServer):
    """invoke_bench's server, with clients of any service and the store's size."""

    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret, config=Config(retries={"max_attempts": 1}, read_timeout=300))

    def store_bytes(self):
        with urllib.request.urlopen(self.endpoint + "/health") as r:
            return json.load(r)["storeBytes"]

    def stop(self):
        super().stop()
        shutil.rmtree(self.dir, ignore_errors=True)


WORDS = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega orders payments users cache".split()


def message(rng, i, rare):
    if rare:
        return json.dumps({"level": "ERROR", "code": "needle-7f3a", "i": i})
    return f"INFO req={rng.getrandbits(48):012x} {rng.choice(WORDS)} {rng.choice(WORDS)} took {rng.randrange(1, 900)} ms i={i}"


def timed(fn, runs):
    samples = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    server = Server(args.bin)
    try:
        logs = server.client("logs")
        group = "/bench/filter"
        logs.create_log_group(logGroupName=group)
        streams = [f"2024/01/01/[$LATEST]{i:032x}" for i in range(10)]
        for s in streams:
            logs.create_log_stream(logGroupName=group, logStreamName=s)
        rng = random.Random(7)
        rare = set(rng.sample(range(args.events), 100))
        before = server.store_bytes()
        start = int(time.time() * 1000) - 12 * 3_600_000
        step = max(1, (11 * 3_600_000) // args.events)
        t0 = time.perf_counter()
        batch = 10_000
        for b in range(0, args.events, batch):
            stream = streams[(b // batch) % len(streams)]
            events = [{"timestamp": start + i * step, "message": message(rng, i, i in rare)} for i in range(b, min(args.events, b + batch))]
            logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)
        load = time.perf_counter() - t0
        time.sleep(1)
        grown = server.store_bytes() - before
        print(f"loaded {args.events:,} events in {load:.1f} s ({args.events / load:,.0f} events/s through PutLogEvents)")
        print(f"storage: {grown / args.events * 1_000_000 / 1e6:,.1f} MB per million events "
              f"({grown / args.events:.0f} bytes per event of ~{sum(len(message(random.Random(1), i, False)) for i in range(100)) / 100:.0f}-byte message)")

        def filter_all(pattern):
            found, token = 0, None
            while True:
                r = logs.filter_log_events(logGroupName=group, filterPattern=pattern, **({"nextToken": token} if token else {}))
                found += len(r["events"])
                token = r.get("nextToken")
                if not token:
                    return found
        for label, pattern in [("rare term", "needle-7f3a"), ("JSON pattern", '{ $.code = "needle-7f3a" }')]:
            samples, found = timed(lambda: filter_all(pattern), args.runs)
            print(f"FilterLogEvents {label} ({found} matches of {args.events:,}): p50 {percentile(samples, 50):.1f} ms, "
                  f"p99 {percentile(samples, 99):.1f} ms")
        samples, _ = timed(lambda: logs.filter_log_events(logGroupName=group, filterPattern="INFO", limit=100), args.runs)
        print(f"FilterLogEvents common term, first 100: p50 {percentile(samples, 50):.1f} ms")
        samples, _ = timed(lambda: logs.filter_log_events(logGroupName=group, filterPattern="-INFO -ERROR", limit=100), max(3, args.runs // 10))
        print(f"FilterLogEvents matching nothing (one call scans up to 200,000 events): p50 {statistics.median(samples):.0f} ms")
        samples, _ = timed(lambda: logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True), args.runs)
        print(f"DescribeLogStreams: p50 {percentile(samples, 50):.1f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
