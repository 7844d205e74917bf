#!/usr/bin/env python3
"""Log storage per invocation: invokes a one-line Python function N times and prints how much the store grew
(`/health` storeBytes) per invocation, START/END/REPORT included. Prints figures, asserts nothing. Usage:
    python3 bench/log_storage_bench.py [--bin .build/release/swiftlet] [--invocations 2000]
"""
import argparse
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import ROLE, Server, zip_of  # noqa: E402


def store_bytes(server):
    return json.loads(urllib.request.urlopen(server.endpoint + "/health").read())["storeBytes"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/swiftlet")
    parser.add_argument("--invocations", type=int, default=2000)
    args = parser.parse_args()
    server = Server(args.bin)
    try:
        lam = server.client()
        runtime = [r for r in server.health["runtimes"] if r.startswith("python")][-1]
        lam.create_function(FunctionName="one", Runtime=runtime, Role=ROLE, Handler="app.handler", MemorySize=1769,
                            Code={"ZipFile": zip_of({"app.py": "def handler(e, c):\n    print('one line')\n"})})
        lam.invoke(FunctionName="one", Payload=b"{}")
        time.sleep(2)  # let the log writer's batch land before the first reading (a benchmark, not a test)
        before = store_bytes(server)
        for _ in range(args.invocations):
            lam.invoke(FunctionName="one", Payload=b"{}")
        time.sleep(2)
        after = store_bytes(server)
        files = {suffix or "db": os.path.getsize(os.path.join(server.dir, "swiftlet.sqlite" + suffix))
                 for suffix in ("", "-wal") if os.path.exists(os.path.join(server.dir, "swiftlet.sqlite" + suffix))}
        print(f"{args.invocations} invocations of a one-line function: store grew {after - before:,} bytes, "
              f"{(after - before) / args.invocations:.0f} bytes per invocation (START, the line, END, REPORT); "
              f"files now {files} (the WAL is reused, not shrunk, after checkpoints)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
