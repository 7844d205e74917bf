"""Lambda's init limit: an on-demand init that passes it (10 s on AWS; `--init-timeout` shortens it here) is tried again
within the invocation, where it may take the function's timeout; past that the invocation times out."""
import base64
import tempfile
import time

import pytest

from conftest import ROLE, Server, make_zip, wait_for
from test_stem_cells import python_runtime_of

SLOW_INIT = """import time
time.sleep(float(__import__('os').environ['INIT_SECONDS']))
def handler(event, context):
    return 'ready'
"""


@pytest.fixture(scope="module")
def short_init_server():
    with tempfile.TemporaryDirectory(prefix="swiftlet-e2e-inittimeout-") as data_dir:
        s = Server(data_dir, flags=["--init-timeout", "1000", "--function-network", "none", "--xray-daemon-port", "0"])
        try:
            yield s
        finally:
            assert s.stop() == 0


def create(server, name, init_seconds, timeout):
    server.client().create_function(
        FunctionName=name, Runtime=python_runtime_of(server), Role=ROLE, Handler="app.handler", Timeout=timeout,
        Environment={"Variables": {"INIT_SECONDS": str(init_seconds)}}, Code={"ZipFile": make_zip({"app.py": SLOW_INIT})})


def log_messages(server, name):
    logs = server.client("logs")
    return [e["message"] for e in logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]]


def timed_invoke(server, name):
    """The invoke's response, its payload, its log tail and how long it took, in seconds."""
    t = time.monotonic()
    r = server.client().invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
    payload = r["Payload"].read()
    return r, payload, base64.b64decode(r["LogResult"]).decode(), time.monotonic() - t


def test_an_init_past_the_limit_is_tried_again_within_the_invocation(short_init_server):
    s = short_init_server
    create(s, "slow-init", init_seconds=1.5, timeout=10)
    r, payload, tail, elapsed = timed_invoke(s, "slow-init")
    assert "FunctionError" not in r, payload
    assert payload == b'"ready"'
    # The first init was ended at the limit (1 s), the second ran its 1.5 s within the invocation.
    assert elapsed >= 2.5, elapsed
    assert "REPORT RequestId:" in tail
    wait_for(lambda: any(m.startswith("INIT_REPORT Init Duration: ") and m.endswith("\tPhase: init\tStatus: timeout")
                         for m in log_messages(s, "slow-init")), timeout=10, what="INIT_REPORT of the timed-out init")
    # The environment the retry made is reused: the next call is warm.
    _, payload, _, elapsed = timed_invoke(s, "slow-init")
    assert payload == b'"ready"' and elapsed < 1.0


def test_a_retried_init_past_the_function_timeout_times_the_invocation_out(short_init_server):
    s = short_init_server
    create(s, "stuck-init", init_seconds=60, timeout=2)
    r, payload, tail, elapsed = timed_invoke(s, "stuck-init")
    assert r.get("FunctionError") == "Unhandled"
    body = payload.decode()
    assert '"errorType":"Sandbox.Timedout"' in body.replace(" ", ""), body
    assert "Task timed out after 2.00 seconds" in body
    assert 2.9 <= elapsed < 10, elapsed
    lines = tail.splitlines()
    assert lines[0].startswith("START RequestId:"), tail
    assert "Task timed out after 2.00 seconds" in tail
    assert lines[-1].startswith("REPORT RequestId:"), tail
