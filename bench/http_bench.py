#!/usr/bin/env python3
"""HTTP-in benchmark: a warm function through its function URL, through an HTTP API route with a path parameter,
and as an SDK-signed synchronous Invoke, all measured by wrk against the same server in the same run; and the time to
first byte of a streamed response.

Starts its own server (release build by default) and prints figures; it asserts nothing. Needs wrk
(`apt-get install wrk`). Usage:
    python3 bench/http_bench.py [--bin .build/release/swiftlet] [--seconds 5] [--rounds 3]
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import ROLE, Server, signed_invoke, zip_of  # noqa: E402

HANDLER = """
def handler(event, context):
    return {"statusCode": 200, "headers": {"content-type": "text/plain"}, "body": "hi"}
"""

STREAMER = """
exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  responseStream.write("x".repeat(1024));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  responseStream.write("done");
  responseStream.end();
});
"""

LUA = """
wrk.method = %s
wrk.body = %s
wrk.headers = {}
%s
"""


def wrk(url, seconds, connections, method="GET", body="", headers=None):
    """Runs wrk with one request replayed; returns (requests/s, p50 ms, p99 ms)."""
    lines = "\n".join("wrk.headers[%s] = %s" % (json.dumps(k), json.dumps(v)) for k, v in (headers or {}).items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % (json.dumps(method), json.dumps(body), lines))
        script = f.name
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", script, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script)
    if "Non-2xx" in out:
        raise RuntimeError("non-2xx answers:\n" + out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % label, out)
        value = float(m.group(1))
        return value / 1000 if m.group(2) == "us" else value * 1000 if m.group(2) == "s" else value
    return rps, ms("50"), ms("99")


def cpu_seconds(pid):
    """User + system CPU of a process so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ttfb(url, runs):
    """Time from the request to the first body byte, and to the end, of a streamed function URL response (ms)."""
    parsed = urllib.parse.urlsplit(url)
    firsts, ends = [], []
    for _ in range(runs):
        sock = socket.create_connection((parsed.hostname, parsed.port))
        start = time.perf_counter()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        first = None
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if first is None and b"\r\n\r\n" in data and len(data) > data.index(b"\r\n\r\n") + 4:
                first = time.perf_counter()
        ends.append((time.perf_counter() - start) * 1000)
        firsts.append((first - start) * 1000)
        sock.close()
    return firsts, ends


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/swiftlet")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", type=int, default=1769, help="the function's memory (1,769 MB = one vCPU)")
    args = parser.parse_args()
    server = Server(args.bin)
    try:
        lam = server.client()
        runtime = [r for r in server.health["runtimes"] if r.startswith("python")][-1]
        lam.create_function(FunctionName="web", Runtime=runtime, Role=ROLE, Handler="app.handler", MemorySize=args.memory,
                            Code={"ZipFile": zip_of({"app.py": HANDLER})})
        url = lam.create_function_url_config(FunctionName="web", AuthType="NONE")["FunctionUrl"]
        lam.add_permission(FunctionName="web", StatementId="u", Action="lambda:InvokeFunctionUrl", Principal="*",
                           FunctionUrlAuthType="NONE")
        lam.add_permission(FunctionName="web", StatementId="i", Action="lambda:InvokeFunction", Principal="*",
                           InvokedViaFunctionUrl=True)
        lam.add_permission(FunctionName="web", StatementId="apigw", Action="lambda:InvokeFunction",
                           Principal="apigateway.amazonaws.com")
        import boto3
        apigw = boto3.client("apigatewayv2", endpoint_url=server.endpoint, region_name="us-east-1",
                             aws_access_key_id=server.key, aws_secret_access_key=server.secret)
        fn_arn = "arn:aws:lambda:us-east-1:000000000000:function:web"
        api = apigw.create_api(Name="shop", ProtocolType="HTTP", Target=fn_arn, RouteKey="GET /items/{id}")
        api_url = api["ApiEndpoint"] + "/items/7"
        path, headers, body = signed_invoke(server.endpoint, server.key, server.secret, "web")
        invoke_url = server.endpoint + "/" + path
        headers = {k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")}
        # Warm the environment (and wrk's connections) once.
        wrk(url, 1, 1)
        print(f"server {args.bin}, {os.cpu_count()} cores, wrk {args.seconds} s per figure, {args.rounds} rounds")
        rows = {"invoke (SDK-signed)": [], "function URL": [], "HTTP API GET /items/{id}": []}
        for _ in range(args.rounds):
            rows["invoke (SDK-signed)"].append(wrk(invoke_url, args.seconds, 1, "POST", body.decode(), headers))
            rows["function URL"].append(wrk(url, args.seconds, 1))
            if api_url.startswith("http://127."):
                rows["HTTP API GET /items/{id}"].append(wrk(api_url, args.seconds, 1))
        print("1 connection (latency):")
        for label, runs in rows.items():
            if not runs:
                continue
            p50 = statistics.median(r[1] for r in runs)
            print(f"  {label:28s} p50 {p50 * 1000:7.0f} µs  p99 {statistics.median(r[2] for r in runs) * 1000:7.0f} µs"
                  f"  {statistics.median(r[0] for r in runs):8.0f} req/s   rounds p50: "
                  + ", ".join(f"{r[1] * 1000:.0f}" for r in runs))
        base = statistics.median(r[1] for r in rows["invoke (SDK-signed)"])
        print(f"  function URL − invoke: {(statistics.median(r[1] for r in rows['function URL']) - base) * 1000:+.0f} µs")
        if rows["HTTP API GET /items/{id}"]:
            print(f"  HTTP API − invoke: {(statistics.median(r[1] for r in rows['HTTP API GET /items/{id}']) - base) * 1000:+.0f} µs")
        print("4 connections (throughput):")
        for label, target in [("invoke (SDK-signed)", (invoke_url, "POST", body.decode(), headers)),
                              ("function URL", (url, "GET", "", None)),
                              ("HTTP API GET /items/{id}", (api_url, "GET", "", None))]:
            if not target[0].startswith("http://127."):
                continue
            runs, cpu = [], []
            for _ in range(args.rounds):
                before = cpu_seconds(server.proc.pid)
                runs.append(wrk(target[0], args.seconds, 4, target[1], target[2], target[3]))
                cpu.append((cpu_seconds(server.proc.pid) - before) / (runs[-1][0] * args.seconds) * 1e6)
            print(f"  {label:28s} {statistics.median(r[0] for r in runs):8.0f} req/s  p50 "
                  f"{statistics.median(r[1] for r in runs) * 1000:6.0f} µs  server CPU {statistics.median(cpu):4.0f} µs/request"
                  "   rounds: " + ", ".join(f"{r[0]:.0f}" for r in runs))
        node = [r for r in server.health["runtimes"] if r.startswith("nodejs")]
        if node:
            lam.create_function(FunctionName="streamer", Runtime=node[-1], Role=ROLE, Handler="index.handler", MemorySize=args.memory,
                                Code={"ZipFile": zip_of({"index.js": STREAMER})})
            surl = lam.create_function_url_config(FunctionName="streamer", AuthType="NONE",
                                                  InvokeMode="RESPONSE_STREAM")["FunctionUrl"]
            lam.add_permission(FunctionName="streamer", StatementId="u", Action="lambda:InvokeFunctionUrl", Principal="*",
                               FunctionUrlAuthType="NONE")
            lam.add_permission(FunctionName="streamer", StatementId="i", Action="lambda:InvokeFunction", Principal="*",
                               InvokedViaFunctionUrl=True)
            ttfb(surl, 1)
            firsts, ends = ttfb(surl, 5)
            print(f"streaming URL (writes 1 KB, sleeps 1 s): first byte p50 {statistics.median(firsts):.1f} ms"
                  f" (runs {', '.join(f'{v:.1f}' for v in firsts)}), end p50 {statistics.median(ends):.0f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
