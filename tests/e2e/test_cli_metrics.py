"""`swiftlet metrics`: a function's AWS/Lambda metrics of the last hour as a table, read through the CloudWatch API."""
import json
import subprocess

from conftest import BIN, make_zip, wait_for

FAILS_ON_ASK = """
def handler(event, context):
    if event.get("fail"):
        raise RuntimeError("asked to")
    return {}
"""


def run_metrics(server, *args):
    return subprocess.run([BIN, "metrics", *args, "--data-dir", server.data_dir], capture_output=True, text=True, timeout=30)


def test_metrics_table_counts_invocations_errors_and_durations(lam, create, name, server):
    create(name, Code={"ZipFile": make_zip({"app.py": FAILS_ON_ASK})})
    for fail in (False, False, True):
        lam.invoke(FunctionName=name, Payload=json.dumps({"fail": fail}).encode())

    def table():
        r = run_metrics(server, name)
        last = r.stdout.strip().splitlines()[-1].split() if r.returncode == 0 and r.stdout.strip() else []
        return r if last[:3] == ["last", "1h", "3"] else None
    r = wait_for(table, timeout=20, interval=0.3, what="3 invocations in swiftlet metrics")
    lines = r.stdout.strip().splitlines()
    assert lines[0] == name
    assert lines[1].split()[2:] == ["invocations", "errors", "throttles", "p50", "ms", "p99", "ms"]
    total = lines[-1].split()
    assert total[3] == "1" and total[4] == "0"  # errors, throttles
    assert float(total[5]) > 0 and float(total[6]) >= float(total[5])  # p50 ≤ p99, in ms
    # A row per period with data, and the whole window.
    assert len(lines) >= 4


def test_metrics_of_an_idle_function_and_bad_flags(create, name, server):
    create(name)
    r = run_metrics(server, name, "--since", "30m")
    assert r.returncode == 0 and "no invocations in the last 30m" in r.stdout
    r = run_metrics(server, name, "--since", "10s")
    assert r.returncode != 0 and "--since" in r.stderr
    r = run_metrics(server, name, "--period", "90s")
    assert r.returncode != 0 and "--period" in r.stderr
