"""Asynchronous invocation (InvocationType=Event): event invoke configs, retries, destinations, dead-letter queues.

Sources: Lambda API reference (Invoke, Put/Get/Update/Delete/ListFunctionEventInvokeConfigs), the developer guide
pages "Asynchronous invocation" and "Capturing records of Lambda asynchronous invocations", and botocore's
lambda/2015-03-31 model. Everything observable goes through SQS queues the test creates and reads.

Tests that wait for retries or event ages run on a server of their own started with `--async-speedup 100`:
retry delays (about 60 s, then 120 s) and MaximumEventAgeInSeconds are divided by 100 there."""
import concurrent.futures
import datetime
import json
import re
import tempfile
import time
import uuid

import pytest

from async_support import (FUNCTION_ARN, FlaggedServer, collect, collect_records, counts, error_code, http_status,
                           invoke_event, make_queue, python_runtime_of, strict_client, unique, wait_function_updated)
from conftest import ROLE, make_zip, wait_for

SPEEDUP = 100

ECHO = """
import time
def handler(event, context):
    time.sleep(event.get("sleep", 0) if isinstance(event, dict) else 0)
    return {"echo": event, "requestId": context.aws_request_id, "arn": context.invoked_function_arn}
"""

FAIL = """
import json, time
def handler(event, context):
    raise ValueError(json.dumps({"id": event.get("id"), "at": time.time()}))
"""

# Fails the first call an environment sees, succeeds afterwards (used with reserved concurrency 1: one environment).
FLAKY = """
calls = 0
def handler(event, context):
    global calls
    calls += 1
    if calls == 1:
        raise RuntimeError("first attempt fails")
    return {"calls": calls, "id": event["id"]}
"""

RECORD_KEYS = {"version", "timestamp", "requestContext", "requestPayload", "responseContext", "responsePayload"}


def make_fn(lam, runtime, code=ECHO, **overrides):
    name = unique("fn")
    args = dict(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler",
                Code={"ZipFile": make_zip({"app.py": code})}, Timeout=10)
    args.update(overrides)
    lam.create_function(**args)
    return name


def assert_timestamp_is_now(value):
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z", value), value
    stamp = datetime.datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - stamp).total_seconds()) < 300, value


def destination_names(config):
    dc = config.get("DestinationConfig") or {}
    return ((dc.get("OnSuccess") or {}).get("Destination"), (dc.get("OnFailure") or {}).get("Destination"))


@pytest.fixture(scope="module")
def fast():
    with tempfile.TemporaryDirectory(prefix="swiftlet-async-") as data_dir:
        s = FlaggedServer(data_dir, ["--async-speedup", str(SPEEDUP)])
        yield s
        assert s.stop() == 0, "graceful shutdown must exit 0"


@pytest.fixture(scope="module")
def flam(fast):
    return strict_client(fast)


@pytest.fixture(scope="module")
def fsqs(fast):
    return strict_client(fast, "sqs")


@pytest.fixture(scope="module")
def fast_runtime(fast):
    return python_runtime_of(fast)


# ------------------------------------------------------------------------------------------ accepting events

def test_event_invoke_is_answered_202_at_once_and_the_record_reaches_on_success(slam, sqs, python_runtime):
    fn = make_fn(slam, python_runtime)
    url, arn, _ = make_queue(sqs, "ok")
    slam.put_function_event_invoke_config(FunctionName=fn, DestinationConfig={"OnSuccess": {"Destination": arn}})
    payload = {"id": uuid.uuid4().hex, "sleep": 2, "nested": {"list": [1, 2.5, "three", None, True]}}

    started = time.monotonic()
    r = invoke_event(slam, fn, payload)
    assert time.monotonic() - started < 1.5, "an Event invoke does not wait for the function"
    assert r["StatusCode"] == 202
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert r["Body"] == b""
    assert "FunctionError" not in r
    request_id = r["ResponseMetadata"]["RequestId"]

    messages = collect(sqs, url, 1, timeout=30)
    assert len(messages) == 1
    record = json.loads(messages[0]["Body"])
    assert set(record) == RECORD_KEYS, record
    assert record["version"] == "1.0"
    assert_timestamp_is_now(record["timestamp"])
    assert record["requestContext"] == {"requestId": request_id, "functionArn": f"{FUNCTION_ARN}{fn}:$LATEST",
                                        "condition": "Success", "approximateInvokeCount": 1}
    assert record["requestPayload"] == payload
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    assert record["responsePayload"] == {"echo": payload, "requestId": request_id, "arn": f"{FUNCTION_ARN}{fn}"}
    assert counts(sqs, url) == (0, 0, 0)


def test_async_payload_limit_is_one_megabyte(slam, python_runtime):
    fn = make_fn(slam, python_runtime)
    accepted = invoke_event(slam, fn, {"pad": "a" * (600 * 1024)})  # over the old 256 KB limit
    assert accepted["StatusCode"] == 202
    with pytest.raises(slam.exceptions.RequestTooLargeException) as e:
        invoke_event(slam, fn, {"pad": "b" * (1024 * 1024 + 1024)})
    assert http_status(e) == 413
    assert error_code(e) == "RequestTooLargeException"


def test_event_invoke_of_missing_function_or_qualifier(slam, python_runtime):
    with pytest.raises(slam.exceptions.ResourceNotFoundException) as e:
        invoke_event(slam, unique("missing"), {})
    assert http_status(e) == 404
    fn = make_fn(slam, python_runtime)
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        invoke_event(slam, fn, {}, Qualifier="nope")


# ------------------------------------------------------------------------------------- event invoke configs

def test_event_invoke_config_put_get_update_list_delete(slam, sqs, python_runtime):
    fn = make_fn(slam, python_runtime)
    _, q_arn, _ = make_queue(sqs, "cfg")
    with pytest.raises(slam.exceptions.ResourceNotFoundException) as e:
        slam.get_function_event_invoke_config(FunctionName=fn)
    assert http_status(e) == 404
    assert slam.list_function_event_invoke_configs(FunctionName=fn)["FunctionEventInvokeConfigs"] == []

    put = slam.put_function_event_invoke_config(FunctionName=fn, MaximumRetryAttempts=1, MaximumEventAgeInSeconds=120)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert put["FunctionArn"] == f"{FUNCTION_ARN}{fn}:$LATEST"
    assert isinstance(put["LastModified"], datetime.datetime)
    assert put["MaximumRetryAttempts"] == 1 and put["MaximumEventAgeInSeconds"] == 120
    assert destination_names(put) == (None, None)
    got = slam.get_function_event_invoke_config(FunctionName=fn)
    for key in ["FunctionArn", "MaximumRetryAttempts", "MaximumEventAgeInSeconds"]:
        assert got[key] == put[key], key

    updated = slam.update_function_event_invoke_config(
        FunctionName=fn, DestinationConfig={"OnFailure": {"Destination": q_arn}})
    assert updated["MaximumRetryAttempts"] == 1 and updated["MaximumEventAgeInSeconds"] == 120, "update merges"
    assert destination_names(updated) == (None, q_arn)
    assert destination_names(slam.get_function_event_invoke_config(FunctionName=fn)) == (None, q_arn)

    replaced = slam.put_function_event_invoke_config(FunctionName=fn, MaximumRetryAttempts=0)
    assert replaced["MaximumRetryAttempts"] == 0
    assert replaced.get("MaximumEventAgeInSeconds") in (None, 21600), "put replaces: the age is no longer set"
    assert destination_names(replaced) == (None, None), "put replaces: the destination is gone"

    assert slam.publish_version(FunctionName=fn)["Version"] == "1"
    v1 = slam.put_function_event_invoke_config(FunctionName=fn, Qualifier="1", MaximumEventAgeInSeconds=300)
    assert v1["FunctionArn"] == f"{FUNCTION_ARN}{fn}:1"
    assert slam.get_function_event_invoke_config(FunctionName=fn, Qualifier="1")["MaximumEventAgeInSeconds"] == 300
    listed = slam.list_function_event_invoke_configs(FunctionName=fn)["FunctionEventInvokeConfigs"]
    assert sorted(c["FunctionArn"] for c in listed) == sorted([f"{FUNCTION_ARN}{fn}:$LATEST", f"{FUNCTION_ARN}{fn}:1"])
    page = slam.list_function_event_invoke_configs(FunctionName=fn, MaxItems=1)
    assert len(page["FunctionEventInvokeConfigs"]) == 1 and page.get("NextMarker")
    rest = slam.list_function_event_invoke_configs(FunctionName=fn, MaxItems=1, Marker=page["NextMarker"])
    assert len(rest["FunctionEventInvokeConfigs"]) == 1
    assert {page["FunctionEventInvokeConfigs"][0]["FunctionArn"], rest["FunctionEventInvokeConfigs"][0]["FunctionArn"]} \
        == {c["FunctionArn"] for c in listed}

    deleted = slam.delete_function_event_invoke_config(FunctionName=fn)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.get_function_event_invoke_config(FunctionName=fn)
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.delete_function_event_invoke_config(FunctionName=fn)
    assert [c["FunctionArn"] for c in slam.list_function_event_invoke_configs(FunctionName=fn)[
        "FunctionEventInvokeConfigs"]] == [f"{FUNCTION_ARN}{fn}:1"]

    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.put_function_event_invoke_config(FunctionName=unique("missing"), MaximumRetryAttempts=1)


@pytest.mark.parametrize("config", [
    {"MaximumRetryAttempts": 3}, {"MaximumRetryAttempts": -1},
    {"MaximumEventAgeInSeconds": 59}, {"MaximumEventAgeInSeconds": 21601},
    {"DestinationConfig": {"OnFailure": {"Destination": "not-an-arn"}}},
    {"DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:dynamodb:us-east-1:000000000000:table/t"}}},
])
def test_event_invoke_config_validation(server, slam, python_runtime, config):
    fn = make_fn(slam, python_runtime)
    loose = server.client(parameter_validation=False)
    with pytest.raises(loose.exceptions.ClientError) as e:
        loose.put_function_event_invoke_config(FunctionName=fn, **config)
    assert http_status(e) == 400
    assert error_code(e) in ("InvalidParameterValueException", "ValidationException")
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.get_function_event_invoke_config(FunctionName=fn)


def test_function_destination_receives_the_record_as_its_event(slam, sqs, python_runtime):
    first, second = make_fn(slam, python_runtime), make_fn(slam, python_runtime)
    url, arn, _ = make_queue(sqs, "chain")
    slam.put_function_event_invoke_config(FunctionName=first, DestinationConfig={
        "OnSuccess": {"Destination": f"{FUNCTION_ARN}{second}"}})
    slam.put_function_event_invoke_config(FunctionName=second, DestinationConfig={"OnSuccess": {"Destination": arn}})
    payload = {"id": uuid.uuid4().hex}
    r = invoke_event(slam, first, payload)

    record, = collect_records(sqs, url, 1, timeout=45)
    assert record["requestContext"]["functionArn"] == f"{FUNCTION_ARN}{second}:$LATEST"
    assert record["requestContext"]["condition"] == "Success"
    inner = record["requestPayload"]
    assert set(inner) == RECORD_KEYS
    assert inner["requestContext"]["functionArn"] == f"{FUNCTION_ARN}{first}:$LATEST"
    assert inner["requestContext"]["requestId"] == r["ResponseMetadata"]["RequestId"]
    assert inner["requestContext"]["condition"] == "Success"
    assert inner["requestPayload"] == payload
    assert inner["responsePayload"]["echo"] == payload
    assert record["responsePayload"]["echo"] == inner


# --------------------------------------------------------------------------- retries, ages, failures (fast)

def test_retries_exhausted_goes_to_on_failure_after_three_attempts(flam, fsqs, fast_runtime):
    fn = make_fn(flam, fast_runtime, FAIL)
    fail_url, fail_arn, _ = make_queue(fsqs, "fail")
    ok_url, ok_arn, _ = make_queue(fsqs, "ok")
    flam.put_function_event_invoke_config(FunctionName=fn, MaximumRetryAttempts=2, DestinationConfig={
        "OnSuccess": {"Destination": ok_arn}, "OnFailure": {"Destination": fail_arn}})
    payload = {"id": uuid.uuid4().hex}
    sent_at = time.time()
    r = invoke_event(flam, fn, payload)
    assert r["StatusCode"] == 202

    record, = collect_records(fsqs, fail_url, 1, timeout=40)
    assert set(record) == RECORD_KEYS
    assert record["version"] == "1.0"
    assert_timestamp_is_now(record["timestamp"])
    assert record["requestContext"] == {"requestId": r["ResponseMetadata"]["RequestId"],
                                        "functionArn": f"{FUNCTION_ARN}{fn}:$LATEST",
                                        "condition": "RetriesExhausted", "approximateInvokeCount": 3}
    assert record["requestPayload"] == payload
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
    error = record["responsePayload"]
    assert error["errorType"] == "ValueError"
    last_attempt = json.loads(error["errorMessage"])
    assert last_attempt["id"] == payload["id"]
    nominal = (60 + 120) / SPEEDUP
    assert last_attempt["at"] - sent_at >= 0.7 * nominal, "retries wait about 1 then 2 minutes (sped up)"
    assert collect(fsqs, fail_url, 1, timeout=1) == [], "one record per event"
    assert counts(fsqs, ok_url) == (0, 0, 0), "a failed event sends nothing to OnSuccess"


def test_no_retries_and_dead_letter_queue(flam, fsqs, fast_runtime):
    fn = make_fn(flam, fast_runtime, FAIL)
    dlq_url, dlq_arn, _ = make_queue(fsqs, "dlq")
    fail_url, fail_arn, _ = make_queue(fsqs, "fail0")
    flam.update_function_configuration(FunctionName=fn, DeadLetterConfig={"TargetArn": dlq_arn})
    assert wait_function_updated(flam, fn)["DeadLetterConfig"] == {"TargetArn": dlq_arn}
    flam.put_function_event_invoke_config(FunctionName=fn, MaximumRetryAttempts=0,
                                          DestinationConfig={"OnFailure": {"Destination": fail_arn}})
    payload = {"id": uuid.uuid4().hex, "more": [1, 2, 3]}
    r = invoke_event(flam, fn, payload)
    request_id = r["ResponseMetadata"]["RequestId"]

    record, = collect_records(fsqs, fail_url, 1, timeout=30)
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 1
    assert record["requestContext"]["requestId"] == request_id

    dead = collect(fsqs, dlq_url, 1, timeout=30)
    assert len(dead) == 1, "the dead-letter queue gets the event as well as the on-failure destination"
    assert json.loads(dead[0]["Body"]) == payload, "the dead-letter queue gets the original event as is"
    attrs = dead[0]["MessageAttributes"]
    assert attrs["RequestID"] == {"DataType": "String", "StringValue": request_id}
    assert attrs["ErrorCode"]["DataType"] == "Number" and attrs["ErrorCode"]["StringValue"] == "200"
    assert attrs["ErrorMessage"]["DataType"] == "String"
    assert payload["id"] in attrs["ErrorMessage"]["StringValue"]
    assert len(attrs["ErrorMessage"]["StringValue"].encode()) <= 1024


def test_a_retry_can_succeed(flam, fsqs, fast_runtime):
    fn = make_fn(flam, fast_runtime, FLAKY)
    flam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=1)
    ok_url, ok_arn, _ = make_queue(fsqs, "retry-ok")
    fail_url, fail_arn, _ = make_queue(fsqs, "retry-fail")
    flam.put_function_event_invoke_config(FunctionName=fn, MaximumRetryAttempts=2, DestinationConfig={
        "OnSuccess": {"Destination": ok_arn}, "OnFailure": {"Destination": fail_arn}})
    payload = {"id": uuid.uuid4().hex}
    invoke_event(flam, fn, payload)
    record, = collect_records(fsqs, ok_url, 1, timeout=30)
    assert record["requestContext"]["condition"] == "Success"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["responsePayload"] == {"calls": 2, "id": payload["id"]}
    assert "functionError" not in record["responseContext"]
    assert counts(fsqs, fail_url) == (0, 0, 0)


def test_event_age_exceeded_while_throttled(fast, flam, fsqs, fast_runtime):
    fn = make_fn(flam, fast_runtime, Timeout=20)
    flam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=1)
    fail_url, fail_arn, _ = make_queue(fsqs, "age")
    flam.put_function_event_invoke_config(FunctionName=fn, MaximumEventAgeInSeconds=60, MaximumRetryAttempts=2,
                                          DestinationConfig={"OnFailure": {"Destination": fail_arn}})
    blocker_client, probe_client = strict_client(fast), strict_client(fast)
    stop_at = time.monotonic() + 30

    def block():
        """Holds the function's only slot for a while (retrying if a probe holds it at that moment)."""
        while time.monotonic() < stop_at:
            try:
                return blocker_client.invoke(FunctionName=fn, Payload=json.dumps({"sleep": 6}).encode())
            except blocker_client.exceptions.TooManyRequestsException:
                time.sleep(0.05)

    def slot_taken():
        try:
            probe_client.invoke(FunctionName=fn, Payload=b"{}")
            return False
        except probe_client.exceptions.TooManyRequestsException:
            return True

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        blocked = pool.submit(block)
        wait_for(slot_taken, timeout=20, interval=0.1, what="the blocking call to hold the only slot")
        payload = {"id": uuid.uuid4().hex}
        r = invoke_event(flam, fn, payload)
        record, = collect_records(fsqs, fail_url, 1, timeout=30)
        blocked.result(timeout=60)
    assert record["requestContext"]["condition"] == "EventAgeExceeded"
    assert record["requestContext"]["approximateInvokeCount"] == 0, "throttled attempts are not invocations"
    assert record["requestContext"]["requestId"] == r["ResponseMetadata"]["RequestId"]
    assert record["requestContext"]["functionArn"] == f"{FUNCTION_ARN}{fn}:$LATEST"
    assert record["requestPayload"] == payload


def test_reserved_concurrency_zero_sends_events_to_on_failure_without_waiting(flam, fsqs, fast_runtime):
    fn = make_fn(flam, fast_runtime)
    flam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=0)
    fail_url, fail_arn, _ = make_queue(fsqs, "zero")
    flam.put_function_event_invoke_config(FunctionName=fn, DestinationConfig={"OnFailure": {"Destination": fail_arn}})
    payload = {"id": uuid.uuid4().hex}
    started = time.monotonic()
    invoke_event(flam, fn, payload)
    # The default maximum age (6 h) is 216 s on this server: the record must come well before that.
    record, = collect_records(fsqs, fail_url, 1, timeout=30)
    assert time.monotonic() - started < 30
    assert record["requestPayload"] == payload
    assert record["requestContext"]["condition"] != "Success"
    assert record["requestContext"]["approximateInvokeCount"] == 0


def test_a_backlog_of_waiting_functions_runs_concurrently(server, create, name):
    """Events of a function that waits (I/O-bound) scale out to several environments: of eight one-second events,
    several run at the same time (each reports when it ran; judged by overlap, not by the wall clock of a busy host)."""
    sqs = server.client("sqs")
    lam = server.client()
    queue = sqs.create_queue(QueueName=name + "-done")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    source = ("import time\ndef handler(e, c):\n    start = time.time()\n    time.sleep(1)\n"
              "    return {'i': e['i'], 'start': start, 'end': time.time()}\n")
    create(name, Code={"ZipFile": make_zip({"app.py": source})})
    lam.put_function_event_invoke_config(FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": arn}})
    for i in range(8):
        assert lam.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"i": i}).encode())["StatusCode"] == 202
    ran = {}

    def all_done():
        for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            out = json.loads(m["Body"])["responsePayload"]
            ran[out["i"]] = (out["start"], out["end"])
        return len(ran) == 8

    wait_for(all_done, timeout=30, what="eight async events")
    # The most events running at one instant (at each start, how many had started and not yet ended).
    most = max(sum(1 for s, e in ran.values() if s <= start < e) for start, _ in ran.values())
    assert most >= 3, f"one-second events ran (nearly) one after another: at most {most} at once"
