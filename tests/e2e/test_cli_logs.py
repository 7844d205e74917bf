"""`swiftlet logs`: a function's lines through the server's CloudWatch Logs API, filtering, errors and --follow."""
import json
import os
import queue
import subprocess
import threading
import time
import uuid

from conftest import BIN, make_zip, wait_for

PY_MARKER = """
def handler(event, context):
    print("marker", event["marker"])
    print("other line", event["marker"])
    return {}
"""


def run_logs(server, *args, timeout=30):
    return subprocess.run([BIN, "logs", *args, "--data-dir", server.data_dir],
                          capture_output=True, text=True, timeout=timeout)


def invoke(lam, name, marker):
    r = lam.invoke(FunctionName=name, Payload=json.dumps({"marker": marker}).encode())
    assert "FunctionError" not in r, r["Payload"].read()


def wait_for_output(server, name, needle, *extra):
    """Runs `swiftlet logs` until its output holds `needle` (the platform stores lines in batches)."""
    def done():
        r = run_logs(server, name, *extra)
        return r if r.returncode == 0 and needle in r.stdout else None
    return wait_for(done, timeout=15, interval=0.2, what=f"{needle!r} in swiftlet logs")


def test_logs_prints_function_lines(lam, create, name, server):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_MARKER})})
    marker = uuid.uuid4().hex
    invoke(lam, name, marker)
    r = wait_for_output(server, name, "REPORT RequestId:")
    lines = r.stdout.splitlines()
    assert any(f"marker {marker}" in line for line in lines)
    assert any(" START RequestId:" in line for line in lines)
    for line in lines:
        stream, timestamp, _ = line.split(" ", 2)
        assert "[$LATEST]" in stream
        assert timestamp.startswith(time.strftime("%Y-", time.gmtime())) and "T" in timestamp

    filtered = run_logs(server, name, "--filter", marker, "--since", "1h")
    assert filtered.returncode == 0, filtered.stderr
    kept = filtered.stdout.splitlines()
    assert len(kept) == 2 and all(marker in line for line in kept), kept
    assert not any("START" in line or "REPORT" in line for line in kept)

    excluded = run_logs(server, name, "--filter", f'"other line" -{marker}')
    assert excluded.returncode == 0 and excluded.stdout == "", excluded


def test_unknown_function_and_bad_options(server):
    r = run_logs(server, "fn-nope-" + uuid.uuid4().hex[:8])
    assert r.returncode == 1
    assert "no logs yet for fn-nope-" in r.stderr and r.stdout == ""
    bad = run_logs(server, "x", "--since", "10y")
    assert bad.returncode != 0 and "--since" in bad.stderr
    pattern = run_logs(server, "x", "--log-group", "/aws/lambda/none", "--filter", "{ $.a = }")
    assert pattern.returncode == 1 and "InvalidParameterException" in pattern.stderr


def test_follow_prints_later_lines(lam, create, name, server):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_MARKER})})
    first = uuid.uuid4().hex
    invoke(lam, name, first)
    wait_for_output(server, name, first)
    proc = subprocess.Popen([BIN, "logs", name, "--follow", "--data-dir", server.data_dir],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True)
    reader.start()
    try:
        def read_until(needle, timeout=20):
            seen = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
                except queue.Empty:
                    break
                seen.append(line)
                if needle in line:
                    return seen
            raise AssertionError(f"{needle!r} not printed by --follow; got {seen}, exit {proc.poll()}")

        before = read_until(f"marker {first}")
        second = uuid.uuid4().hex
        invoke(lam, name, second)
        after = read_until(f"marker {second}")
        printed = before + after
        # Polls overlap in time; every event is printed once.
        assert sum(f"marker {first}" in line for line in printed) == 1
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    reader.join(timeout=10)
    everything = printed + list(lines.queue)
    assert sum(f"marker {second}" in line for line in everything) == 1
