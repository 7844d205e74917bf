#!/usr/bin/env python3
"""CloudWatch metrics benchmark: GetMetricData for 10 functions × 24 hours at 1-minute resolution (the issue's
target: ≤ 50 ms), with percentiles too, and PutMetricData throughput.

Starts its own server (release build by default) on a free port with a temporary data dir, publishes one value per
minute for the last 24 hours to `Duration` of 10 functions (PutMetricData, 1,000 data per call, back-dated within
CloudWatch's two-week window; AWS/ is reserved, so the namespace is `Bench/Lambda`), then times GetMetricData with
10 queries of 1,440 periods each (Average, then p99). Asserts nothing. Usage:
    python3 bench/metrics_bench.py [--bin .build/release/swiftlet] [--runs 30]
"""
import argparse
import datetime
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from logs_bench import Server, timed  # noqa: E402
from invoke_bench import percentile  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/swiftlet")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    server = Server(args.bin)
    try:
        cw = server.client("cloudwatch")
        rng = random.Random(7)
        now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
        start = now - datetime.timedelta(hours=24)
        functions = [f"fn-{i}" for i in range(10)]
        data = [{"MetricName": "Duration", "Dimensions": [{"Name": "FunctionName", "Value": fn}],
                 "Timestamp": start + datetime.timedelta(minutes=m), "Values": [rng.uniform(1, 200) for _ in range(5)],
                 "Unit": "Milliseconds"} for fn in functions for m in range(1440)]
        t = time.perf_counter()
        for i in range(0, len(data), 1000):
            cw.put_metric_data(Namespace="Bench/Lambda", MetricData=data[i:i + 1000])
        put_seconds = time.perf_counter() - t
        print(f"PutMetricData: {len(data)} data ({len(data) * 5} values) in {put_seconds:.2f} s "
              f"({len(data) / put_seconds:,.0f} data/s, 1,000 per call)")

        def query(stat):
            return lambda: cw.get_metric_data(StartTime=start, EndTime=now, MetricDataQueries=[
                {"Id": f"m{i}", "MetricStat": {"Metric": {"Namespace": "Bench/Lambda", "MetricName": "Duration",
                                                          "Dimensions": [{"Name": "FunctionName", "Value": fn}]},
                                               "Period": 60, "Stat": stat}} for i, fn in enumerate(functions)])
        # The server's part: from the request sent to the response read (botocore's own CBOR parsing of 28,800 items,
        # in Python, comes after and is reported apart).
        marks = {}
        cw.meta.events.register("before-send.cloudwatch.GetMetricData", lambda **kw: marks.__setitem__("sent", time.perf_counter()))
        cw.meta.events.register("before-parse.cloudwatch.GetMetricData", lambda **kw: marks.__setitem__("answered", time.perf_counter()))
        for stat in ("Average", "p99"):
            server_ms = []

            def one():
                r = query(stat)()
                server_ms.append((marks["answered"] - marks["sent"]) * 1000)
                return r
            samples, result = timed(one, args.runs)
            points = sum(len(r["Values"]) for r in result["MetricDataResults"])
            print(f"GetMetricData 10 functions × 24 h, 1-minute periods, {stat}: {points} values; server (request sent → "
                  f"answer read) p50 {percentile(server_ms, 50):.1f} ms, p99 {percentile(server_ms, 99):.1f} ms; with boto3's "
                  f"parsing p50 {percentile(samples, 50):.1f} ms")
        print(f"store: {server.store_bytes() / 1e6:.1f} MB for {len(data)} one-minute points (with 5-minute and hourly roll-ups)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
