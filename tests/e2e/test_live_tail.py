"""CloudWatch Logs Live Tail (StartLiveTail) through boto3: botocore reads the event stream over HTTP/1.1 when told
not to prefix the host with `stream-` (its model's host prefix; `inject_host_prefix=False`)."""
import os
import tempfile
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import Server, make_zip, wait_for

PRINTS = "def handler(event, context):\n    print('TAIL ' + event['word'])\n    print('other line')\n    return {}\n"


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs", inject_host_prefix=False)


def collect(stream, want, deadline=30):
    """Events from the session until `want(events)` holds, and the session's start."""
    start, events, updates = None, [], 0
    limit = time.monotonic() + deadline
    for item in stream:
        if "sessionStart" in item:
            start = item["sessionStart"]
        elif "sessionUpdate" in item:
            updates += 1
            events += item["sessionUpdate"]["sessionResults"]
            if want(events):
                return start, events, updates
        if time.monotonic() > limit:
            break
    raise AssertionError(f"live tail did not deliver in time: {events}")


def test_live_tail_streams_function_logs_through_a_filter(lam, create, name, logs):
    create(name, Code={"ZipFile": make_zip({"app.py": PRINTS})})
    lam.invoke(FunctionName=name, Payload=b'{"word": "before"}')
    # The group exists once the log writer has written the first invoke's lines.
    wait_for(lambda: logs.describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")["logGroups"], what="the function's log group")
    group_arn = f"arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/{name}"
    response = logs.start_live_tail(logGroupIdentifiers=[group_arn], logEventFilterPattern="TAIL")
    stream = response["responseStream"]
    invoker = threading.Timer(0.5, lambda: [lam.invoke(FunctionName=name, Payload=f'{{"word": "w{i}"}}'.encode()) for i in range(3)])
    invoker.start()
    try:
        start, events, updates = collect(stream, lambda e: len(e) >= 3)
    finally:
        invoker.join()
        stream.close()
    assert start["logGroupIdentifiers"] == [group_arn] and start["logEventFilterPattern"] == "TAIL" and start["sessionId"]
    assert [e["message"].strip() for e in events] == ["TAIL w0", "TAIL w1", "TAIL w2"], "only what the pattern matches, in order"
    assert all(e["logGroupIdentifier"] == group_arn and e["logStreamName"].startswith(time.strftime("%Y/%m/%d", time.gmtime())[:4])
               for e in events)
    assert all(isinstance(e["timestamp"], int) and e["ingestionTime"] >= e["timestamp"] for e in events)
    assert "TAIL before" not in [e["message"].strip() for e in events], "only events ingested after the start"


def test_live_tail_of_put_log_events_by_stream_prefix(logs):
    group = "/tail/" + uuid.uuid4().hex[:8]
    logs.create_log_group(logGroupName=group)
    for s in ("app-1", "app-2", "batch-1"):
        logs.create_log_stream(logGroupName=group, logStreamName=s)
    stream = logs.start_live_tail(logGroupIdentifiers=[group], logStreamNamePrefixes=["app-"])["responseStream"]
    now = int(time.time() * 1000)

    def put():
        for s in ("app-1", "batch-1", "app-2"):
            logs.put_log_events(logGroupName=group, logStreamName=s, logEvents=[{"timestamp": now, "message": f"from {s}"}])
    putter = threading.Timer(0.5, put)
    putter.start()
    try:
        _, events, _ = collect(stream, lambda e: len(e) >= 2)
    finally:
        putter.join()
        stream.close()
    assert sorted(e["logStreamName"] for e in events) == ["app-1", "app-2"]
    assert all(e["logGroupIdentifier"] == group and e["timestamp"] == now for e in events)


def test_live_tail_sends_empty_updates_every_second(logs):
    group = "/tail/quiet-" + uuid.uuid4().hex[:8]
    logs.create_log_group(logGroupName=group)
    stream = logs.start_live_tail(logGroupIdentifiers=[group])["responseStream"]
    started = time.monotonic()
    updates = []
    try:
        for item in stream:
            if "sessionUpdate" in item:
                updates.append(item["sessionUpdate"])
                if len(updates) == 3:
                    break
    finally:
        stream.close()
    assert time.monotonic() - started >= 2.5
    assert all(u["sessionResults"] == [] and u["sessionMetadata"]["sampled"] is False for u in updates)


def test_live_tail_errors(logs):
    group = "/tail/e-" + uuid.uuid4().hex[:8]
    logs.create_log_group(logGroupName=group)
    cases = [
        (dict(logGroupIdentifiers=["/tail/none-" + uuid.uuid4().hex]), "ResourceNotFoundException"),
        (dict(logGroupIdentifiers=[group], logStreamNames=["a"], logStreamNamePrefixes=["b"]), "InvalidParameterException"),
        (dict(logGroupIdentifiers=[group, group + "x"], logStreamNames=["a"]), "InvalidParameterException"),
        (dict(logGroupIdentifiers=[group] * 11), "InvalidParameterException"),
        (dict(logGroupIdentifiers=[f"arn:aws:logs:us-east-1:000000000000:log-group:{group}:*"]), "InvalidParameterException"),
        (dict(logGroupIdentifiers=[group], logEventFilterPattern='{ $.a = '), "InvalidParameterException"),
    ]
    for args, code in cases:
        with pytest.raises(ClientError) as err:
            logs.start_live_tail(**args)
        assert err.value.response["Error"]["Code"] == code, args


def test_shutdown_ends_an_open_live_tail():
    with tempfile.TemporaryDirectory(prefix="swiftlet-tail-") as data_dir:
        own = Server(data_dir)
        logs = own.client("logs", inject_host_prefix=False)
        logs.create_log_group(logGroupName="/tail/shutdown")
        stream = logs.start_live_tail(logGroupIdentifiers=["/tail/shutdown"])["responseStream"]
        first = next(iter(stream))
        assert "sessionStart" in first
        started = time.monotonic()
        assert own.stop(timeout=20) == 0, "graceful shutdown with a live tail open exits 0"
        assert time.monotonic() - started < 10, "the open session does not hold the server up"
        stream.close()
