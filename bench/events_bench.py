#!/usr/bin/env python3
"""EventBridge benchmark: PutEvents latency and throughput while matching against many rules, and how long an
event takes to reach an SQS queue and a warm Lambda function through a rule.

Starts its own server (release build by default) on a free port with a temporary data dir. Prints:
- PutEvents with one entry (one caller, keep-alive, a boto3-format signed request replayed from a raw socket):
  p50/p99 latency; every event matches one rule whose target is a queue, so each answer waits for its durable
  delivery.
- Accepted entries per second with 4 callers sending 10 entries per request, against 10 rules and against 1,000
  rules (900 filed under their `source`, 100 under `detail.kind`); each event matches one rule: first one without
  targets (the cost of accepting and matching), then one with a queue target (each entry also becomes a durable
  delivery, and the delivery loop sends them to the queue on the same two cores meanwhile).
- PutEvents → SQS: from sending PutEvents to the message arriving on a long-polling receive (p50/p99).
- PutEvents → Lambda (warm): from sending PutEvents to the function's handler starting (the handler reports
  time.time() to a queue; same host clock).
Asserts nothing. Usage:
    python3 bench/events_bench.py [--bin .build/release/swiftlet] [--seconds 5] [--samples 200]
"""
import argparse
import json
import multiprocessing
import os
import sys
import threading
import time

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import ROLE, Server as BaseServer, percentile, zip_of  # noqa: E402

REGION, ACCOUNT = "us-east-1", "000000000000"


class Server(BaseServer):
    def client(self, service="lambda", pool=10):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret,
                            config=Config(retries={"max_attempts": 1}, max_pool_connections=pool, read_timeout=120))


def signed_put_events(endpoint, key, secret, entries):
    """The exact request boto3 sends for PutEvents, signed once, for replay."""
    body = json.dumps({"Entries": entries}).encode()
    req = AWSRequest(method="POST", url=endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSEvents.PutEvents",
                              "User-Agent": "Boto3/bench"})
    SigV4Auth(Credentials(key, secret), "events", REGION).add_auth(req)
    return dict(req.prepare().headers), body


def caller(args):
    """One caller on one keep-alive connection replaying a signed PutEvents; returns (latencies ms, entries accepted)."""
    import socket
    host, port, headers, body, seconds, start_at = args
    head = "POST / HTTP/1.1\r\nHost: %s:%d\r\n" % (host, port)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in headers.items() if k.lower() not in ("host", "content-length"))
    request = (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    latencies, accepted, buf = [], 0, b""
    while time.time() < start_at:
        time.sleep(0.001)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        sock.sendall(request)
        while True:
            i = buf.find(b"\r\n\r\n")
            if i >= 0:
                head_bytes = buf[:i].lower()
                j = head_bytes.find(b"content-length:")
                k = head_bytes.find(b"\r\n", j)
                length = int(head_bytes[j + 15:k if k > 0 else None])
                if len(buf) >= i + 4 + length:
                    answer = buf[i + 4:i + 4 + length]
                    if not head_bytes.startswith(b"http/1.1 200"):
                        raise RuntimeError("PutEvents failed: " + answer.decode()[:300])
                    result = json.loads(answer)
                    accepted += len(result["Entries"]) - result["FailedEntryCount"]
                    buf = buf[i + 4 + length:]
                    break
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            buf += chunk
        latencies.append((time.perf_counter() - t) * 1000)
    return latencies, accepted


def host_port(endpoint):
    host, port = endpoint.split("//", 1)[1].rsplit(":", 1)
    return host, int(port)


def open_queue(sqs, name):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": arn}]})})
    return url, arn


def make_rules(events, bus, count, target_arn):
    """`count` rules: 90% by source (`app-<i>`), 10% on detail only; rule 0 (source app-0) targets the queue."""
    events.create_event_bus(Name=bus)
    for i in range(count):
        if i % 10 == 9:
            pattern = {"detail": {"kind": [f"kind-{i}"], "n": [{"numeric": [">", 0]}]}}
        else:
            pattern = {"source": [f"app-{i}"], "detail": {"n": [{"numeric": [">", 0]}]}}
        events.put_rule(Name=f"r{i}", EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="r0", EventBusName=bus, Targets=[{"Id": "q", "Arn": target_arn}])


def drain(sqs, url, stop):
    """Keeps the target queue small while the throughput runs."""
    while not stop.is_set():
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        ms = r.get("Messages", [])
        if ms:
            sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(ms)])


def bench_throughput(server, rules, seconds, callers=4):
    events, sqs = server.client("events"), server.client("sqs")
    bus = f"bench-{rules}"
    url, arn = open_queue(sqs, f"tp-{rules}")
    t = time.perf_counter()
    make_rules(events, bus, rules, arn)
    setup = time.perf_counter() - t
    for source, what in (("app-1", "matching a rule without targets"), ("app-0", "matching a rule with a queue target")):
        run_throughput(server, bus, rules, source, what, setup, url, seconds, callers)


def run_throughput(server, bus, rules, source, what, setup, url, seconds, callers):
    sqs = server.client("sqs")
    entries = [{"Source": source, "DetailType": "bench", "Detail": json.dumps({"n": 1, "kind": "x"}), "EventBusName": bus}] * 10
    headers, body = signed_put_events(server.endpoint, server.key, server.secret, entries)
    host, port = host_port(server.endpoint)
    stop = threading.Event()
    drainer = threading.Thread(target=drain, args=(sqs, url, stop))
    drainer.start()
    start_at = time.time() + 0.5
    with multiprocessing.Pool(callers) as pool:
        results = pool.map(caller, [(host, port, headers, body, seconds, start_at)] * callers)
    stop.set()
    drainer.join()
    accepted = sum(a for _, a in results)
    latencies = [l for ls, _ in results for l in ls]
    print(f"  {rules:>5} rules, each event {what}: {accepted / seconds:,.0f} entries/s accepted "
          f"({callers} callers x 10 entries/request; request p50 {percentile(latencies, 50):.2f} ms, p99 {percentile(latencies, 99):.2f} ms)")


def bench_single(server, seconds):
    events, sqs = server.client("events"), server.client("sqs")
    url, arn = open_queue(sqs, "single")
    make_rules(events, "single", 10, arn)
    headers, body = signed_put_events(server.endpoint, server.key, server.secret, [
        {"Source": "app-0", "DetailType": "bench", "Detail": json.dumps({"n": 1}), "EventBusName": "single"}])
    host, port = host_port(server.endpoint)
    latencies, accepted = caller((host, port, headers, body, seconds, time.time()))
    sqs.purge_queue(QueueUrl=url)
    print(f"  PutEvents, 1 entry, 1 caller: p50 {percentile(latencies, 50):.3f} ms, p99 {percentile(latencies, 99):.3f} ms "
          f"({accepted} events, each matching a rule with a queue target)")


def bench_to_sqs(server, samples):
    events, sqs = server.client("events"), server.client("sqs")
    url, arn = open_queue(sqs, "latency")
    events.put_rule(Name="to-sqs", EventPattern=json.dumps({"source": ["latency"]}))
    events.put_targets(Rule="to-sqs", Targets=[{"Id": "q", "Arn": arn}])
    received = {}
    stop = threading.Event()

    def receiver():
        rx = server.client("sqs")
        while not stop.is_set():
            r = rx.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            now = time.perf_counter()
            for m in r.get("Messages", []):
                received[json.loads(m["Body"])["detail"]["i"]] = now
                rx.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])

    thread = threading.Thread(target=receiver)
    thread.start()
    time.sleep(0.3)
    sent = {}
    for i in range(samples):
        sent[i] = time.perf_counter()
        events.put_events(Entries=[{"Source": "latency", "DetailType": "t", "Detail": json.dumps({"i": i})}])
        deadline = time.perf_counter() + 10
        while i not in received and time.perf_counter() < deadline:
            time.sleep(0.0002)
    stop.set()
    thread.join()
    latencies = [(received[i] - sent[i]) * 1000 for i in sent if i in received]
    print(f"  PutEvents -> rule -> SQS, received by a long poll: p50 {percentile(latencies, 50):.2f} ms, "
          f"p99 {percentile(latencies, 99):.2f} ms ({len(latencies)}/{samples})")


def bench_to_lambda(server, samples):
    events, sqs, lam = server.client("events"), server.client("sqs"), server.client("lambda")
    url, _ = open_queue(sqs, "lambda-out")
    runtime = [r for r in server.health["runtimes"] if r.startswith("python")][-1]
    code = ("import boto3, json, os, time\n"
            "sqs = boto3.client('sqs', endpoint_url=os.environ['AWS_ENDPOINT_URL'])\n"
            "def handler(event, context):\n"
            "    started = time.time()\n"
            "    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps({'i': event['detail']['i'], 't': started}))\n")
    lam.create_function(FunctionName="target", Runtime=runtime, Role=ROLE, Handler="app.handler", Timeout=30,
                        Code={"ZipFile": zip_of({"app.py": code})}, Environment={"Variables": {"OUT": url}})
    rule_arn = events.put_rule(Name="to-lambda", EventPattern=json.dumps({"source": ["lambda-latency"]}))["RuleArn"]
    lam.add_permission(FunctionName="target", StatementId="events", Action="lambda:InvokeFunction",
                       Principal="events.amazonaws.com", SourceArn=rule_arn)
    events.put_targets(Rule="to-lambda", Targets=[{"Id": "fn", "Arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:target"}])
    latencies = []
    for i in range(samples + 3):
        sent = time.time()
        events.put_events(Entries=[{"Source": "lambda-latency", "DetailType": "t", "Detail": json.dumps({"i": i})}])
        deadline = time.monotonic() + 30
        got = None
        while got is None and time.monotonic() < deadline:
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                body = json.loads(m["Body"])
                if body["i"] == i:
                    got = body["t"]
        if got is not None and i >= 3:  # the first ones start the environment
            latencies.append((got - sent) * 1000)
    print(f"  PutEvents -> rule -> Lambda (warm), until the handler starts: p50 {percentile(latencies, 50):.2f} ms, "
          f"p99 {percentile(latencies, 99):.2f} ms ({len(latencies)} samples)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--samples", type=int, default=200)
    args = ap.parse_args()
    build = "release" if "/release/" in os.path.abspath(args.bin) else "debug"
    server = Server(args.bin)
    try:
        print(f"== EventBridge ({build} build, {os.cpu_count()} cores, loopback, load average {os.getloadavg()[0]:.1f} at start)")
        # Latencies first: the throughput runs leave a backlog of deliveries that later events would queue behind.
        bench_single(server, args.seconds)
        bench_to_sqs(server, args.samples)
        bench_to_lambda(server, min(args.samples, 100))
        bench_throughput(server, 10, args.seconds)
        bench_throughput(server, 1000, args.seconds)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
