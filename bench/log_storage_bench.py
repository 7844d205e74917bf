#!/usr/bin/env python3
"""Log storage per invocation: invokes a one-line Python function N times and prints how much the store grew
per invocation, START/END/REPORT included: while running (`/health` storeBytes, the WAL included) and, after the
server stopped (its last checkpoint truncates the WAL), the pages of the log tables and their indexes as SQLite's
dbstat counts them. Prints figures, asserts nothing. Usage:
    python3 bench/log_storage_bench.py [--bin .build/release/swiftlet] [--invocations 2000]
"""
import argparse
import json
import os
import sqlite3
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
        print(f"{args.invocations} invocations of a one-line function: while running the store grew {after - before:,} bytes, "
              f"{(after - before) / args.invocations:.0f} bytes per invocation (the WAL included: it is reused, not shrunk)")
    finally:
        server.stop()
    db = sqlite3.connect(os.path.join(server.dir, "swiftlet.sqlite"))
    tables = dict(db.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'log_entries%' GROUP BY name").fetchall())
    events = db.execute("SELECT count(*) FROM log_entries").fetchone()[0]
    total = sum(tables.values())
    print(f"after stopping: {events:,} log events in {total:,} bytes of log tables and indexes, "
          f"{total / (args.invocations + 1):.0f} bytes per invocation; by table: "
          + ", ".join(f"{name} {size / (args.invocations + 1):.0f}" for name, size in sorted(tables.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
