"""CloudWatch Logs through boto3's `logs` client: function logs, PutLogEvents' rules, filter patterns, paging,
retention and errors."""
import json
import time
import uuid

import pytest

from conftest import make_zip, wait_for

PY_PRINTS = """
import json

def handler(event, context):
    print("hello from", context.function_name)
    print(json.dumps({"level": event.get("level", "INFO"), "n": event.get("n", 0)}))
    return {"stream": context.log_stream_name}
"""


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs")


def now_ms():
    return int(time.time() * 1000)


def group_name():
    return "/test/" + uuid.uuid4().hex[:10]


def test_invoked_function_has_its_group_stream_and_lines(lam, create, name, logs):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_PRINTS})})
    r = lam.invoke(FunctionName=name, Payload=json.dumps({"level": "ERROR", "n": 7}).encode())
    stream = json.loads(r["Payload"].read())["stream"]
    group = f"/aws/lambda/{name}"

    def reported():
        try:
            events = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)["events"]
        except logs.exceptions.ResourceNotFoundException:
            return None
        return events if any(e["message"].startswith("REPORT") for e in events) else None
    events = wait_for(reported, timeout=10, what="REPORT line through GetLogEvents")
    messages = [e["message"] for e in events]
    assert any(m.startswith("START RequestId:") for m in messages)
    assert any(m.startswith("END RequestId:") for m in messages)
    assert any(m.startswith(f"hello from {name}") for m in messages)
    assert all(e["ingestionTime"] >= e["timestamp"] - 1000 for e in events)

    groups = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert [g["logGroupName"] for g in groups] == [group]
    assert groups[0]["arn"] == f"arn:aws:logs:us-east-1:000000000000:log-group:{group}:*"
    assert groups[0]["logGroupArn"] == f"arn:aws:logs:us-east-1:000000000000:log-group:{group}"
    assert groups[0]["storedBytes"] > 0 and "retentionInDays" not in groups[0]
    streams = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True)["logStreams"]
    assert streams[0]["logStreamName"] == stream and "[$LATEST]" in stream
    assert streams[0]["firstEventTimestamp"] <= streams[0]["lastEventTimestamp"] <= streams[0]["lastIngestionTime"] + 1000

    found = logs.filter_log_events(logGroupName=group, filterPattern='{ $.level = "ERROR" && $.n > 5 }')["events"]
    assert [json.loads(e["message"]) for e in found] == [{"level": "ERROR", "n": 7}]
    assert found[0]["logStreamName"] == stream and found[0]["eventId"]


def test_put_log_events_rules_and_rejected_info(logs):
    group = group_name()
    logs.create_log_group(logGroupName=group, tags={"team": "logs"})
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException) as e:
        logs.create_log_group(logGroupName=group)
    assert e.value.response["Error"]["Message"] == "The specified log group already exists"
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_stream(logGroupName=group, logStreamName="s")
    t = now_ms()
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.put_log_events(logGroupName=group, logStreamName="s",
                            logEvents=[{"timestamp": t, "message": "b"}, {"timestamp": t - 1, "message": "a"}])
    assert "chronological order" in e.value.response["Error"]["Message"]
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.put_log_events(logGroupName=group, logStreamName="s",
                            logEvents=[{"timestamp": t, "message": "x" * (1_048_576 - 25)}])
    assert e.value.response["Error"]["Message"] == "Upload too large: 1048577 bytes exceeds limit of 1048576"
    day = 86_400_000
    r = logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        {"timestamp": t - 14 * day - 60_000, "message": "too old"},
        {"timestamp": t - 14 * day + 3_600_000, "message": "kept 1"},
        {"timestamp": t - 14 * day + 3_600_001, "message": "kept 2"},
    ])
    assert r["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 0}
    assert len(r["nextSequenceToken"]) == 56
    r = logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        {"timestamp": t, "message": "now"},
        {"timestamp": t + 3 * 3_600_000, "message": "too new"},
    ])
    assert r["rejectedLogEventsInfo"] == {"tooNewLogEventStartIndex": 1}
    events = logs.get_log_events(logGroupName=group, logStreamName="s", startFromHead=True)["events"]
    assert [e["message"] for e in events] == ["kept 1", "kept 2", "now"]
    logs.put_retention_policy(logGroupName=group, retentionInDays=7)
    r = logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        {"timestamp": t - 8 * day, "message": "expired"}, {"timestamp": t - 8 * day + 1, "message": "expired too"}])
    assert r["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 1}
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.put_log_events(logGroupName=group, logStreamName="missing", logEvents=[{"timestamp": t, "message": "x"}])
    assert e.value.response["Error"]["Message"] == "The specified log stream does not exist."
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.put_log_events(logGroupName=group + "-nope", logStreamName="s", logEvents=[{"timestamp": t, "message": "x"}])
    assert e.value.response["Error"]["Message"] == "The specified log group does not exist."
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.put_retention_policy(logGroupName=group, retentionInDays=2)


def seed(logs, group, streams=("a", "b"), count=60):
    logs.create_log_group(logGroupName=group)
    base = now_ms() - 600_000
    for s in streams:
        logs.create_log_stream(logGroupName=group, logStreamName=s)
        events = []
        for i in range(count):
            if i % 10 == 0:
                message = json.dumps({"level": "ERROR", "n": i, "stream": s, "tags": ["x", s], "ok": i % 20 == 0, "gone": None})
            else:
                message = f'127.0.0.1 - {s} [10/Oct/2000:13:25:15 -0700] "GET /p{i} HTTP/1.0" {200 if i % 3 else 404} {i * 100}'
            events.append({"timestamp": base + i * 1000, "message": message})
        logs.put_log_events(logGroupName=group, logStreamName=s, logEvents=events)
    return base


def filter_all(logs, **kw):
    events, token = [], None
    while True:
        r = logs.filter_log_events(**kw, **({"nextToken": token} if token else {}))
        events += r["events"]
        token = r.get("nextToken")
        if not token:
            return events


@pytest.mark.parametrize("pattern,expected", [
    ("ERROR", 12),
    ('"GET /p1 "', 2),
    ("?404 ?ERROR", 12 + 2 * 18),
    ("GET -404", 2 * 36),
    ('{ $.level = "ERROR" }', 12),
    ('{ $.n > 25 && $.stream = "a" }', 3),
    ("{ $.ok IS TRUE }", 6),
    ("{ $.gone IS NULL }", 12),
    ("{ $.missing NOT EXISTS }", 12),
    ('{ $.tags[1] = "b" }', 6),
    ('{ $.level = "ERR*" || $.n = 5 }', 12),
    ("[ip, user, username, timestamp, request, status = 404, bytes]", 2 * 18),
    ("[ip, user, username = a, ..., status = 2*, bytes > 5000]", 6),
])
def test_filter_log_events_pattern_kinds(logs, pattern, expected):
    group = group_name()
    seed(logs, group)
    events = filter_all(logs, logGroupName=group, filterPattern=pattern, limit=7)
    assert len(events) == expected, pattern
    keys = [(e["timestamp"], e["eventId"]) for e in events]
    assert keys == sorted(keys)


def test_filter_streams_time_range_paging_and_errors(logs):
    group = group_name()
    base = seed(logs, group)
    only_b = filter_all(logs, logGroupName=group, logStreamNames=["b"], filterPattern="ERROR")
    assert {e["logStreamName"] for e in only_b} == {"b"} and len(only_b) == 6
    prefixed = filter_all(logs, logGroupName=group, logStreamNamePrefix="a", filterPattern="ERROR", interleaved=True)
    assert {e["logStreamName"] for e in prefixed} == {"a"}
    ranged = filter_all(logs, logGroupName=group, startTime=base + 10_000, endTime=base + 30_000, filterPattern="ERROR")
    assert sorted(json.loads(e["message"])["n"] for e in ranged) == [10, 10, 20, 20]
    page = logs.filter_log_events(logGroupName=group, limit=5)
    assert len(page["events"]) == 5 and page["nextToken"]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupName=group, filterPattern="ERROR", nextToken=page["nextToken"])
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupName=group, filterPattern="{ $.a = }")
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.filter_log_events(logGroupName=group + "-nope")


def test_get_log_events_tokens(logs):
    group = group_name()
    seed(logs, group, streams=("a",), count=25)
    seen, token = [], None
    while True:
        r = logs.get_log_events(logGroupName=group, logStreamName="a", startFromHead=True, limit=10,
                                **({"nextToken": token} if token else {}))
        assert r["nextForwardToken"].startswith("f/") and r["nextBackwardToken"].startswith("b/")
        seen += r["events"]
        if r["nextForwardToken"] == token:
            break
        token = r["nextForwardToken"]
    assert len(seen) == 25
    newest = logs.get_log_events(logGroupName=group, logStreamName="a", limit=10)
    assert newest["events"] == seen[15:]
    older = logs.get_log_events(logGroupName=group, logStreamName="a", limit=10, nextToken=newest["nextBackwardToken"])
    assert older["events"] == seen[5:15]


def test_describe_paging_order_and_tags(logs):
    prefix = group_name()
    for i in range(5):
        logs.create_log_group(logGroupName=f"{prefix}/{i}")
    names, token = [], None
    while True:
        r = logs.describe_log_groups(logGroupNamePrefix=prefix, limit=2, **({"nextToken": token} if token else {}))
        names += [g["logGroupName"] for g in r["logGroups"]]
        token = r.get("nextToken")
        if not token:
            break
    assert names == [f"{prefix}/{i}" for i in range(5)]
    assert len(logs.describe_log_groups(logGroupNamePattern=prefix.split("/")[-1].upper())["logGroups"]) == 5
    group = f"{prefix}/0"
    t = now_ms()
    for s, ts in (("z", t - 3000), ("y", t - 1000), ("x", t - 2000)):
        logs.create_log_stream(logGroupName=group, logStreamName=s)
        logs.put_log_events(logGroupName=group, logStreamName=s, logEvents=[{"timestamp": ts, "message": s}])
    by_time = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True, limit=2)
    assert [s["logStreamName"] for s in by_time["logStreams"]] == ["y", "x"]
    rest = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True, nextToken=by_time["nextToken"])
    assert [s["logStreamName"] for s in rest["logStreams"]] == ["z"]
    assert [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=group)["logStreams"]] == ["x", "y", "z"]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", logStreamNamePrefix="x")
    arn = f"arn:aws:logs:us-east-1:000000000000:log-group:{group}"
    logs.tag_resource(resourceArn=arn, tags={"team": "a", "env": "dev"})
    logs.untag_resource(resourceArn=arn, tagKeys=["env"])
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "a"}
    logs.tag_log_group(logGroupName=group, tags={"k": "v"})
    assert logs.list_tags_log_group(logGroupName=group)["tags"] == {"team": "a", "k": "v"}
    logs.delete_log_stream(logGroupName=group, logStreamName="x")
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.delete_log_stream(logGroupName=group, logStreamName="x")
    logs.delete_log_group(logGroupName=group)
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.delete_log_group(logGroupName=group)


def test_retention_deletes_expired_events(logs, server):
    group = group_name()
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    t = now_ms()
    day = 86_400_000
    logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        {"timestamp": t - 2 * day, "message": "two days old"}, {"timestamp": t - day - 60_000, "message": "a day old"}])
    logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[{"timestamp": t, "message": "fresh"}])

    def stored():
        return logs.describe_log_streams(logGroupName=group)["logStreams"][0]["storedBytes"]
    assert stored() == len("two days old") + len("a day old") + len("fresh")
    logs.put_retention_policy(logGroupName=group, retentionInDays=1)
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["retentionInDays"] == 1
    wait_for(lambda: stored() == len("fresh"), timeout=10, what="expired events deleted")
    events = logs.get_log_events(logGroupName=group, logStreamName="s", startFromHead=True)["events"]
    assert [e["message"] for e in events] == ["fresh"]
    logs.delete_retention_policy(logGroupName=group)
    assert "retentionInDays" not in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    import urllib.request
    with urllib.request.urlopen(server.endpoint + "/health") as r:
        health = json.load(r)
    assert health["storeBytes"] > 0 and health["logEventsDropped"] >= 0


def test_filter_log_events_with_a_regular_expression(logs):
    group = group_name()
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    now = now_ms()
    logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        {"timestamp": now, "message": "GET /a 404"}, {"timestamp": now + 1, "message": "GET /b 200"},
        {"timestamp": now + 2, "message": "GET /c 410"}])
    found = logs.filter_log_events(logGroupName=group, filterPattern="%4[0-9]{2}$%")["events"]
    assert [e["message"] for e in found] == ["GET /a 404", "GET /c 410"]
