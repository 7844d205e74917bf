#!/usr/bin/env python3
"""SNS benchmark: Publish latency, and fan-out from one Publish to 100 SQS subscriptions.

Starts its own server (release build by default) on a free port with a temporary data dir.
- Publish: one caller replays a pre-signed Publish on a keep-alive connection (so boto3's own overhead stays out of
  the figure), to a topic without subscribers and to one with one SQS subscription (the message is then stored as a
  durable delivery before the answer); prints p50/p99 in ms.
- Fan-out: a topic with 100 SQS subscriptions (raw delivery); for each Publish, the time until the last of the 100
  queues holds the message (the queues' SentTimestamp, same clock; the client stays idle for a second after each
  Publish and drains the queues afterwards), p50/p99 in ms.
Asserts nothing. Usage:
    python3 bench/sns_bench.py [--bin .build/release/swiftlet] [--publishes 2000] [--fanouts 30] [--subscribers 100]
"""
import argparse
import json
import os
import shutil
import socket
import sys
import time
import urllib.parse

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import Server as BaseServer, percentile  # noqa: E402

ACCOUNT, REGION = "000000000000", "us-east-1"


class Server(BaseServer):
    def client(self, service):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret,
                            config=Config(retries={"max_attempts": 1}, read_timeout=120, max_pool_connections=50))

    def stop(self):
        super().stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def signed_publish(server, topic_arn, message="bench message"):
    body = urllib.parse.urlencode({"Action": "Publish", "Version": "2010-03-31", "TopicArn": topic_arn, "Message": message}).encode()
    req = AWSRequest(method="POST", url=server.endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "Boto3/bench"})
    SigV4Auth(Credentials(server.key, server.secret), "sns", REGION).add_auth(req)
    return dict(req.prepare().headers), body


def replay(server, headers, body, count):
    """Sends the request `count` times on one connection; returns each round trip in ms."""
    parsed = urllib.parse.urlsplit(server.endpoint)
    head = "POST / HTTP/1.1\r\nHost: %s:%d\r\n" % (parsed.hostname, parsed.port)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in headers.items() if k.lower() not in ("host", "content-length"))
    request = (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body
    sock = socket.create_connection((parsed.hostname, parsed.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    latencies, buf = [], b""
    for _ in range(count):
        t = time.perf_counter()
        sock.sendall(request)
        while True:
            i = buf.find(b"\r\n\r\n")
            if i >= 0:
                head_bytes = buf[:i].lower()
                j = head_bytes.find(b"content-length:")
                end = head_bytes.find(b"\r\n", j)
                length = int(head_bytes[j + 15:end if end > 0 else None])
                if len(buf) >= i + 4 + length:
                    if not head_bytes.startswith(b"http/1.1 200"):
                        raise RuntimeError("publish failed: " + buf[:i + 4 + length].decode()[:400])
                    buf = buf[i + 4 + length:]
                    break
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            buf += chunk
        latencies.append((time.perf_counter() - t) * 1000)
    sock.close()
    return latencies


def allow(sqs, url, queue_arn, topic_arn):
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]})})


def subscribe_queues(sns, sqs, topic_arn, count, prefix):
    urls = []
    for i in range(count):
        name = f"{prefix}-{i}"
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
        allow(sqs, url, arn, topic_arn)
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
        urls.append(url)
    return urls


def drain_one(sqs, url, deadline):
    """Receives and deletes the queue's one message; returns its SentTimestamp (ms)."""
    while time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                       MessageSystemAttributeNames=["SentTimestamp"]).get("Messages", [])
        if messages:
            sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                            for i, m in enumerate(messages)])
            return max(int(m["Attributes"]["SentTimestamp"]) for m in messages)
    raise RuntimeError(f"no message in {url}")


def report(label, samples):
    print(f"{label}: p50 {percentile(samples, 50):.3f} ms, p99 {percentile(samples, 99):.3f} ms ({len(samples)} samples)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--publishes", type=int, default=2000)
    ap.add_argument("--fanouts", type=int, default=30)
    ap.add_argument("--subscribers", type=int, default=100)
    args = ap.parse_args()
    server = Server(args.bin)
    try:
        sns, sqs = server.client("sns"), server.client("sqs")
        build = "debug" if "debug" in os.path.realpath(args.bin) else "release"
        print(f"swiftlet SNS benchmark ({build} build, {os.cpu_count()} cores)")

        empty = sns.create_topic(Name="bench-empty")["TopicArn"]
        headers, body = signed_publish(server, empty)
        replay(server, headers, body, 100)
        report("Publish, no subscribers", replay(server, headers, body, args.publishes))

        one = sns.create_topic(Name="bench-one")["TopicArn"]
        [url] = subscribe_queues(sns, sqs, one, 1, "bench-one")
        headers, body = signed_publish(server, one)
        report("Publish, 1 SQS subscription (durable delivery)", replay(server, headers, body, args.publishes))
        sqs.purge_queue(QueueUrl=url)

        fan = sns.create_topic(Name="bench-fanout")["TopicArn"]
        urls = subscribe_queues(sns, sqs, fan, args.subscribers, "bench-fan")
        publish_ms, fanout_ms = [], []
        for n in range(args.fanouts + 2):
            started = time.time() * 1000
            t = time.perf_counter()
            sns.publish(TopicArn=fan, Message=f"fan-out {n}")
            answered = (time.perf_counter() - t) * 1000
            # Stay idle while the server delivers (the queues stamp SentTimestamp when they store the message), so
            # the drain below does not compete with the deliveries for the CPU.
            time.sleep(1.0)
            deadline = time.monotonic() + 60
            last = max(drain_one(sqs, u, deadline) for u in urls)
            if n >= 2:  # the first two warm up
                publish_ms.append(answered)
                fanout_ms.append(max(0.0, last - started))
        report(f"Publish to {args.subscribers} subscriptions (boto3 round trip)", publish_ms)
        report(f"Fan-out: last of {args.subscribers} queues holds the message after", fanout_ms)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
