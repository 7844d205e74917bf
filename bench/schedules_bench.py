#!/usr/bin/env python3
"""Scheduler benchmark: what 10,000 idle schedules cost, and how late a burst of one-time schedules fires.

Starts its own server (release build by default) on a free port with a temporary data dir, creates N schedules
that fall due no sooner than tomorrow (rate, cron and at, spread over the day), then measures the server's CPU time
(utime + stime from /proc/<pid>/stat) over an idle stretch. Then creates a burst of at() schedules due in the same
few seconds into one SQS queue and prints the firing jitter: the queue's SentTimestamp of each message minus its
schedule's due time (p50, p99, max). Asserts nothing. Usage:
    python3 bench/schedules_bench.py [--bin .build/release/swiftlet] [--schedules 10000] [--idle 30] [--burst 1000]
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import shutil
import sys
import time

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import Server as BaseServer, percentile  # noqa: E402

TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
SEND = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}


class Server(BaseServer):
    def client(self, service, pool=10):
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret,
                            config=Config(retries={"max_attempts": 1}, max_pool_connections=pool, read_timeout=120))

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        super().stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def at(moment):
    return f"at({moment.strftime('%Y-%m-%dT%H:%M:%S')})"


def create_many(scheduler, specs, workers=4):
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda spec: scheduler.create_schedule(**spec), specs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--schedules", type=int, default=10_000)
    ap.add_argument("--idle", type=float, default=30)
    ap.add_argument("--burst", type=int, default=1000)
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    server = Server(args.bin)
    try:
        iam, sqs, scheduler = server.client("iam"), server.client("sqs"), server.client("scheduler", pool=8)
        role = iam.create_role(RoleName="bench-scheduler", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
        iam.put_role_policy(RoleName="bench-scheduler", PolicyName="send", PolicyDocument=json.dumps(SEND))
        url = sqs.create_queue(QueueName="bench-schedules")["QueueUrl"]
        queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        target = {"Arn": queue, "RoleArn": role}
        off = {"Mode": "OFF"}

        # Idle: N schedules none of which falls due during the measurement.
        tomorrow = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        specs = []
        for i in range(args.schedules):
            kind = i % 3
            if kind == 0:
                expression, extra = "rate(1 day)", {"StartDate": tomorrow + datetime.timedelta(seconds=i)}
            elif kind == 1:
                expression, extra = f"cron({i % 60} {(tomorrow.hour + 1 + i % 20) % 24} * * ? *)", {"StartDate": tomorrow}
            else:
                expression, extra = at(tomorrow + datetime.timedelta(seconds=i * 7)), {}
            specs.append(dict(Name=f"idle-{i}", ScheduleExpression=expression, FlexibleTimeWindow=off, Target=target, **extra))
        started = time.perf_counter()
        create_many(scheduler, specs)
        created = time.perf_counter() - started
        time.sleep(2)  # let creation's own work settle before measuring
        cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
        time.sleep(args.idle)
        cpu = server.cpu_seconds() - cpu_before
        wall = time.monotonic() - wall_before
        print(f"{args.label}idle: {args.schedules} schedules created in {created:.1f} s; "
              f"server CPU over {wall:.0f} s idle: {cpu:.3f} s ({100 * cpu / wall:.2f}% of one core)")

        # Burst: at() schedules due in the same 3 seconds, into one queue.
        base = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=15)).replace(microsecond=0)
        due = {}
        burst = []
        for i in range(args.burst):
            moment = base + datetime.timedelta(seconds=i % 3)
            name = f"burst-{i}"
            due[name] = moment.timestamp() * 1000
            burst.append(dict(Name=name, ScheduleExpression=at(moment), FlexibleTimeWindow=off, ActionAfterCompletion="DELETE",
                              Target={**target, "Input": name}))
        create_many(scheduler, burst)
        if time.time() * 1000 > base.timestamp() * 1000:
            print("warning: creating the burst took longer than its lead time; raise the lead or lower --burst")
        jitter = []
        deadline = time.monotonic() + 120
        while len(jitter) < args.burst and time.monotonic() < deadline:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2,
                                           AttributeNames=["SentTimestamp"]).get("Messages", [])
            for m in messages:
                jitter.append(int(m["Attributes"]["SentTimestamp"]) - due[m["Body"]])
            if messages:
                sqs.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(messages)])
        print(f"{args.label}jitter: {len(jitter)}/{args.burst} at() schedules due within 3 s delivered; delivered − due: "
              f"p50 {percentile(jitter, 50):.0f} ms, p99 {percentile(jitter, 99):.0f} ms, max {max(jitter):.0f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
