#!/usr/bin/env python3
"""Asynchronous benchmark (issue 5): async invoke acceptance, SQS SendMessage, and an event source mapping
draining a queue into a no-op function — with the same SQS operation against moto_server, where moto
implements it, as a ratio.

Starts its own servers (Swiftlet's release build by default; `moto_server` from the venv when installed:
`pip install 'moto[server]'`) and prints figures; it asserts nothing. Usage:
    python3 bench/async_bench.py [--bin .build/release/swiftlet] [--seconds 5] [--windows 4] [--messages 10000]
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from invoke_bench import ROLE, Server, percentile, zip_of  # noqa: E402

NOOP = {"app.py": "def handler(event, context):\n    return None\n"}


def signed(endpoint, key, secret, service, method, path, body, headers):
    """A request signed once (valid for minutes) for raw replay."""
    req = AWSRequest(method=method, url=endpoint + path, data=body, headers=headers)
    SigV4Auth(Credentials(key, secret), service, "us-east-1").add_auth(req)
    prepared = req.prepare()
    host, port = endpoint.split("//")[1].split(":")
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in prepared.headers.items() if k.lower() not in ("host", "content-length"))
    return host, int(port), (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def replay(target, seconds, expect, out, barrier):
    """Sends the request back to back on one keep-alive connection (a new one when the server closes it,
    time included); appends latencies (ms) to `out`."""
    host, port, request = target
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    barrier.wait()
    end = time.perf_counter() + seconds
    local = []
    while time.perf_counter() < end:
        t = time.perf_counter()
        sock.sendall(request)
        while True:
            i = buf.find(b"\r\n\r\n")
            if i >= 0:
                head = buf[:i].lower()
                j = head.find(b"content-length:")
                length = int(head[j + 15:head.find(b"\r\n", j) if head.find(b"\r\n", j) > 0 else None]) if j >= 0 else 0
                if len(buf) >= i + 4 + length:
                    if not head.startswith(b"http/1.1 %d" % expect):
                        raise RuntimeError("unexpected answer: " + head.decode()[:200])
                    buf = buf[i + 4 + length:]
                    if b"connection: close" in head:  # moto's werkzeug closes after each answer
                        sock.close()
                        sock = socket.create_connection((host, port))
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        buf = b""
                    break
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            buf += chunk
        local.append((time.perf_counter() - t) * 1000)
    out.extend(local)


def load(target, seconds, callers, expect):
    out, barrier = [], threading.Barrier(callers)
    threads = [threading.Thread(target=replay, args=(target, seconds, expect, out, barrier)) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def describe(latencies, seconds):
    return f"p50 {statistics.median(latencies):.3f} ms, p99 {percentile(latencies, 99):.3f} ms, {len(latencies) / seconds:,.0f}/s"


def send_message_target(endpoint, key, secret, queue_url):
    body = json.dumps({"QueueUrl": queue_url, "MessageBody": "hello"}).encode()
    return signed(endpoint, key, secret, "sqs", "POST", "/", body,
                  {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.SendMessage"})


class Moto:
    def __init__(self):
        exe = shutil.which("moto_server") or os.path.join(os.path.dirname(sys.executable), "moto_server")
        if not os.path.exists(exe):
            raise FileNotFoundError("moto_server")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.proc = subprocess.Popen([exe, "-p", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start")
                time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def bench_async_accept(server, seconds, callers):
    lam = server.client()
    lam.create_function(FunctionName="asyncnoop", Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                        Code={"ZipFile": zip_of(NOOP)})
    target = signed(server.endpoint, server.key, server.secret, "lambda", "POST", "/2015-03-31/functions/asyncnoop/invocations",
                    b"{}", {"X-Amz-Invocation-Type": "Event", "Content-Type": "application/octet-stream"})
    latencies = load(target, seconds, callers, 202)
    print(f"async invoke accepted (202, durable): {describe(latencies, seconds)} with {callers} callers; "
          f"moto: not comparable (its Lambda needs Docker to run functions)")


def bench_send(server, moto, seconds, callers):
    import boto3
    ours = boto3.client("sqs", endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id=server.key, aws_secret_access_key=server.secret)
    url = ours.create_queue(QueueName="bench")["QueueUrl"]
    mine = load(send_message_target(server.endpoint, server.key, server.secret, url), seconds, callers, 200)
    line = f"SQS SendMessage: {describe(mine, seconds)} with {callers} callers"
    if moto:
        theirs_client = boto3.client("sqs", endpoint_url=moto.endpoint, region_name="us-east-1",
                                     aws_access_key_id="testing", aws_secret_access_key="testing")
        moto_url = theirs_client.create_queue(QueueName="bench")["QueueUrl"]
        theirs = load(send_message_target(moto.endpoint, "testing", "testing", moto_url), seconds, callers, 200)
        line += (f"; moto_server {describe(theirs, seconds)}; ratio moto/swiftlet p50 "
                 f"{statistics.median(theirs) / statistics.median(mine):.1f}x, throughput "
                 f"{len(mine) / max(1, len(theirs)):.1f}x ours")
    print(line)
    return url


def bench_drain(server, count, batch_size, groups=0):
    """A mapping drains `count` messages into a no-op function; with `groups`, from a FIFO queue whose messages are
    spread over that many message groups (in order per group)."""
    import boto3
    sqs = boto3.client("sqs", endpoint_url=server.endpoint, region_name="us-east-1",
                       aws_access_key_id=server.key, aws_secret_access_key=server.secret)
    lam = server.client()
    name = "drain.fifo" if groups else "drain"
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"} if groups else {})["QueueUrl"]
    function = "fifodrainer" if groups else "drainer"
    lam.create_function(FunctionName=function, Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                        Code={"ZipFile": zip_of(NOOP)})

    def entry(n):
        e = {"Id": str(n % 10), "MessageBody": f"m{n}"}
        if groups:
            e.update(MessageGroupId=f"g{n % groups}", MessageDeduplicationId=f"d{n}")
        return e

    for start in range(0, count, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[entry(start + i) for i in range(10)])
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    t = time.perf_counter()
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=batch_size)
    while True:
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        if a["ApproximateNumberOfMessages"] == "0" and a["ApproximateNumberOfMessagesNotVisible"] == "0":
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - t
    source = f"a FIFO queue ({groups} groups)" if groups else "a queue"
    print(f"event source mapping: drained {count:,} messages from {source} with BatchSize {batch_size} into a no-op Python "
          f"function in {elapsed:.2f} s = {count / elapsed:,.0f} messages/s; moto: not comparable (needs Docker to run functions)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--callers", type=int, default=4)
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--windows", type=int, default=4, help="back-to-back windows of --seconds for the sustained accept figure")
    args = ap.parse_args()
    server = Server(args.bin)
    moto = None
    try:
        moto = Moto()
    except (FileNotFoundError, RuntimeError) as e:
        print(f"moto_server unavailable ({e}); Swiftlet figures only")
    try:
        print(f"isolation: {server.health['isolation']}")
        bench_send(server, moto, args.seconds, 1)
        bench_send(server, moto, args.seconds, args.callers)
        bench_async_accept(server, args.seconds, 1)
        bench_async_accept_many(server, args.seconds, args.callers, args.windows)
        bench_drain(server, args.messages, 10)
        bench_drain(server, args.messages, 10, groups=100)
    finally:
        server.stop()
        if moto:
            moto.stop()


def pending_events(server):
    """Async events accepted and not yet concluded, read from the server's store."""
    import sqlite3
    db = sqlite3.connect(f"file:{server.dir}/swiftlet.sqlite?mode=ro", uri=True, timeout=10)
    try:
        return db.execute("SELECT count(*) FROM async_events").fetchone()[0]
    finally:
        db.close()


def bench_async_accept_many(server, seconds, callers, windows):
    """Accepts for `windows` back-to-back windows of `seconds` while the dispatcher runs every accepted event on
    the same cores; prints each window, the whole, and how many events were still waiting to run at the end."""
    target = signed(server.endpoint, server.key, server.secret, "lambda", "POST", "/2015-03-31/functions/asyncnoop/invocations",
                    b"{}", {"X-Amz-Invocation-Type": "Event", "Content-Type": "application/octet-stream"})
    everything, rates = [], []
    for _ in range(windows):
        latencies = load(target, seconds, callers, 202)
        everything += latencies
        rates.append(f"{len(latencies) / seconds:,.0f}")
    waiting = pending_events(server)
    t = time.perf_counter()
    while pending_events(server) > 0 and time.perf_counter() - t < 300:
        time.sleep(0.05)
    print(f"async invoke accepted, sustained over {windows} x {seconds:g} s (every event also runs): "
          f"{describe(everything, seconds * windows)} with {callers} callers; per window {' / '.join(rates)} per s; "
          f"{waiting} events not yet run at the end, all run {time.perf_counter() - t:.1f} s later")


if __name__ == "__main__":
    main()
