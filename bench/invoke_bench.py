#!/usr/bin/env python3
"""Invoke benchmark: warm latency and throughput, cold start by phase, and many idle environments.

Starts its own server (release build by default) on a free port with a temporary data dir and prints
figures; it asserts nothing. Usage:
    python3 bench/invoke_bench.py [--bin .build/release/swiftlet] [--warm-seconds 5] [--cold-runs 20] [--idle-envs 200]
"""
import argparse
import base64
import concurrent.futures
import configparser
import http.client
import io
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

ROLE = "arn:aws:iam::000000000000:role/bench"


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def zip_of(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


class Server:
    def __init__(self, binary, extra=()):
        self.dir = tempfile.mkdtemp(prefix="swiftlet-bench-")
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", "--http-port", "0", "--data-dir", self.dir, "--log-level", "warning", *extra],
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "server.log"), "wb"))
        deadline = time.monotonic() + 60
        while True:
            try:
                with open(os.path.join(self.dir, "endpoint")) as f:
                    self.endpoint = f.read().strip()
                urllib.request.urlopen(self.endpoint + "/health", timeout=1).read()
                break
            except (OSError, ValueError):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("server did not start")
                time.sleep(0.05)
        c = configparser.ConfigParser()
        c.read(os.path.join(self.dir, "credentials"))
        self.key, self.secret = c["default"]["aws_access_key_id"], c["default"]["aws_secret_access_key"]
        self.health = json.loads(urllib.request.urlopen(self.endpoint + "/health").read())
        # Lambda assumes only a role that exists and trusts it; the platform polls and sends with it.
        iam = boto3.client("iam", endpoint_url=self.endpoint, region_name="us-east-1",
                           aws_access_key_id=self.key, aws_secret_access_key=self.secret)
        try:
            iam.create_role(RoleName=ROLE.split("/")[-1], AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
        except iam.exceptions.EntityAlreadyExistsException:
            pass  # another node of the same cluster made it
        iam.put_role_policy(RoleName=ROLE.split("/")[-1], PolicyName="platform", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["sqs:*", "lambda:InvokeFunction"], "Resource": "*"}]}))

    def client(self, pool=10):
        return boto3.client("lambda", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=self.key, aws_secret_access_key=self.secret,
                            config=Config(retries={"max_attempts": 1}, max_pool_connections=pool, read_timeout=120))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


def signed_invoke(endpoint, key, secret, name, payload=b"{}"):
    """The exact request boto3 sends for Invoke, signed once (valid for minutes), for replay."""
    url = f"{endpoint}/2015-03-31/functions/{name}/invocations"
    req = AWSRequest(method="POST", url=url, data=payload,
                     headers={"Content-Type": "application/octet-stream", "X-Amz-Invocation-Type": "RequestResponse",
                              "User-Agent": "Boto3/bench"})
    SigV4Auth(Credentials(key, secret), "lambda", "us-east-1").add_auth(req)
    prepared = req.prepare()
    return prepared.url.split("//", 1)[1].split("/", 1)[1], dict(prepared.headers), payload


def warm_worker(args):
    """One caller on one keep-alive connection, replaying the signed request from a raw socket so the
    client's own overhead stays small next to what is measured."""
    import socket
    host, port, path, headers, body, seconds, barrier_time = args
    head = "POST /%s HTTP/1.1\r\nHost: %s:%d\r\n" % (path, host, port)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in headers.items() if k.lower() not in ("host", "content-length"))
    request = (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    latencies = []
    buf = b""
    while time.time() < barrier_time:
        time.sleep(0.001)
    end = time.perf_counter() + seconds
    while True:
        t = time.perf_counter()
        if t >= end:
            break
        sock.sendall(request)
        while True:
            i = buf.find(b"\r\n\r\n")
            if i >= 0:
                head_bytes = buf[:i].lower()
                j = head_bytes.find(b"content-length:")
                length = int(head_bytes[j + 15:head_bytes.find(b"\r\n", j) if head_bytes.find(b"\r\n", j) > 0 else None])
                if len(buf) >= i + 4 + length:
                    if not head_bytes.startswith(b"http/1.1 200") or b"x-amz-function-error" in head_bytes:
                        raise RuntimeError("invoke failed: " + head_bytes.decode()[:200])
                    buf = buf[i + 4 + length:]
                    break
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            buf += chunk
        latencies.append((time.perf_counter() - t) * 1000)
    return latencies


def bench_warm(server, seconds, memory=128):
    lam = server.client()
    lam.create_function(FunctionName="noop", Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=memory,
                        Code={"ZipFile": zip_of({"app.py": "def handler(event, context):\n    return None\n"})})
    host, port = server.endpoint.split("//")[1].split(":")
    path, headers, body = signed_invoke(server.endpoint, server.key, server.secret, "noop")
    print(f"\n== warm invoke: no-op Python function, boto3-format signed requests, keep-alive, loopback")
    for callers in (1, 4):
        # Warm up as many environments as callers.
        with concurrent.futures.ThreadPoolExecutor(callers) as ex:
            list(ex.map(lambda _: server.client().invoke(FunctionName="noop", Payload=b"{}"), range(callers)))
        start_at = time.time() + 0.5
        with multiprocessing.Pool(callers) as pool:
            results = pool.map(warm_worker, [(host, int(port), path, headers, body, seconds, start_at)] * callers)
        all_lat = [x for r in results for x in r]
        rate = len(all_lat) / seconds
        print(f"callers={callers}: {len(all_lat)} invokes in {seconds}s = {rate:,.0f}/s; "
              f"latency p50={percentile(all_lat, 50):.3f} ms p90={percentile(all_lat, 90):.3f} ms "
              f"p99={percentile(all_lat, 99):.3f} ms max={max(all_lat):.2f} ms")


def bench_freeze(server, rounds=30):
    """Latency of an invoke that lands on a frozen environment (idle past --freeze-after) next to a warm one."""
    lam = server.client()
    lam.create_function(FunctionName="freezer", Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                        Code={"ZipFile": zip_of({"app.py": "def handler(event, context):\n    return None\n"})})
    host, port = server.endpoint.split("//")[1].split(":")
    path, headers, body = signed_invoke(server.endpoint, server.key, server.secret, "freezer")
    warm_worker((host, int(port), path, headers, body, 0.5, 0))
    frozen, warm = [], []
    for _ in range(rounds):
        time.sleep(0.15)  # past the 50 ms grace: the environment is frozen now
        frozen += warm_worker((host, int(port), path, headers, body, 0.0001, 0))[:1]
        warm += warm_worker((host, int(port), path, headers, body, 0.0001, 0))[:1]
    print(f"\n== freeze/thaw: invoke on a frozen environment p50={percentile(frozen, 50):.3f} ms "
          f"vs warm p50={percentile(warm, 50):.3f} ms (each on a new connection; difference = thaw cost)")


def bench_cold(server, runs):
    lam = server.client()
    interpreter = "/usr/bin/python3.11"
    bare = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([interpreter, "-c", "pass"], check=True)
        bare.append((time.perf_counter() - t) * 1000)
    total, init, duration = [], [], []
    for i in range(runs):
        name = f"cold{i}"
        lam.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": "def handler(event, context):\n    return 'hello world'\n"})})
        t = time.perf_counter()
        r = lam.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
        total.append((time.perf_counter() - t) * 1000)
        assert json.loads(r["Payload"].read()) == "hello world"
        report = base64.b64decode(r["LogResult"]).decode()
        init.append(float(re.search(r"Init Duration: ([\d.]+) ms", report).group(1)))
        duration.append(float(re.search(r"\tDuration: ([\d.]+) ms", report).group(1)))
    print(f"\n== cold start: first invoke after create of a hello-world Python function ({server.health['isolation'].split(':')[0]})")
    print(f"end to end (boto3 invoke call):         p50={percentile(total, 50):.1f} ms  p90={percentile(total, 90):.1f} ms")
    print(f"  of which Init Duration (launch→ready): p50={percentile(init, 50):.1f} ms")
    print(f"  of which handler Duration:             p50={percentile(duration, 50):.2f} ms")
    print(f"bare interpreter start ({interpreter} -c pass): p50={percentile(bare, 50):.1f} ms")
    print(f"platform share (end to end - bare start): p50={percentile(total, 50) - percentile(bare, 50):.1f} ms")


def cgroup_memory(server_pid):
    total = 0
    for controller in ["/sys/fs/cgroup/memory"]:
        for base, dirs, _ in os.walk(controller):
            if os.path.basename(base) == f"swiftlet-{server_pid}":
                with open(os.path.join(base, "memory.usage_in_bytes")) as f:
                    total += int(f.read())
                return total
    return None


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def bench_idle(binary, count):
    server = Server(binary, ["--max-concurrency", str(count + 16), "--freeze-after", "50"])
    try:
        lam = server.client(pool=count)
        lam.create_function(FunctionName="idle", Runtime="python3.11", Role=ROLE, Handler="app.handler", Timeout=60,
                            Code={"ZipFile": zip_of({"app.py": "import time\ndef handler(event, context):\n    time.sleep(event.get('s', 0))\n    return context.log_stream_name\n"})})
        before = rss_kb(server.proc.pid)
        t = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(count) as ex:
            first = list(ex.map(lambda _: lam.invoke(FunctionName="idle", Payload=b'{"s": 3}'), range(count)))
        elapsed = time.perf_counter() - t
        failures = sum(1 for r in first if r.get("FunctionError"))
        streams = {json.loads(r["Payload"].read()) for r in first}
        time.sleep(1)  # let them go idle and frozen
        memory = cgroup_memory(server.proc.pid)
        server_rss = rss_kb(server.proc.pid)
        with concurrent.futures.ThreadPoolExecutor(count) as ex:
            second = list(ex.map(lambda _: lam.invoke(FunctionName="idle", Payload=b'{"s": 1}'), range(count)))
        failures2 = sum(1 for r in second if r.get("FunctionError"))
        reused = {json.loads(r["Payload"].read()) for r in second} & streams
        print(f"\n== {count} idle warm environments")
        print(f"started {len(streams)} environments with {count} concurrent calls in {elapsed:.1f}s, {failures} failed")
        if memory is not None:
            print(f"memory charged to their cgroups while idle (frozen): {memory / 2**20:.0f} MiB "
                  f"= {memory / 2**20 / max(1, len(streams)):.1f} MiB each")
        print(f"server RSS: {before // 1024} MiB before, {server_rss // 1024} MiB with them")
        print(f"second round of {count} concurrent calls: {failures2} failed, {len(reused)} reused a held environment")
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--warm-seconds", type=float, default=5)
    ap.add_argument("--cold-runs", type=int, default=20)
    ap.add_argument("--idle-envs", type=int, default=200)
    ap.add_argument("--memory", type=int, default=128, help="MemorySize of the warm benchmark function")
    args = ap.parse_args()
    server = Server(args.bin)
    print(f"isolation: {server.health['isolation']}")
    try:
        bench_warm(server, args.warm_seconds, args.memory)
        bench_freeze(server)
        bench_cold(server, args.cold_runs)
    finally:
        server.stop()
    if args.idle_envs:
        bench_idle(args.bin, args.idle_envs)


if __name__ == "__main__":
    main()
