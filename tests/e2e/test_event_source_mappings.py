"""Event source mappings that poll SQS queues into functions.

Sources: Lambda API reference (Create/Get/List/Update/DeleteEventSourceMapping), the developer guide pages
"Using Lambda with Amazon SQS" and "Handling errors for an SQS event source" (partial batch responses), and
botocore's lambda/2015-03-31 model.

A mapping's invocations are synchronous and their results go nowhere a test can read, so the worker functions
here signal through the queues themselves: a record the worker rejects (on purpose, or because its shape is not
what AWS documents) comes back after the queue's visibility timeout and, after maxReceiveCount receives, lands
in the queue's dead-letter queue, which the test reads. Records the worker accepts are deleted from the queue."""
import datetime
import time
import uuid

import pytest

from async_support import (FUNCTION_ARN, REGION, ACCOUNT, assert_stays, collect, counts, drained, error_code,
                           http_status, make_queue, python_runtime_of, redrive, unique)
from conftest import ROLE, make_zip, wait_for

WORKER = r'''
import base64, hashlib, json, os, struct, time

def md5_of_attributes(attrs):
    buf = b""
    for name in sorted(attrs):
        a = attrs[name]
        lp = lambda b: struct.pack(">I", len(b)) + b
        buf += lp(name.encode()) + lp(a["dataType"].encode())
        if a.get("stringValue") is not None:
            buf += b"\x01" + lp(a["stringValue"].encode())
        else:
            buf += b"\x02" + lp(base64.b64decode(a["binaryValue"]))
    return hashlib.md5(buf).hexdigest()

def without_nulls(d):
    return {k: v for k, v in d.items() if v is not None}

def problems(r):
    """What differs from the SQS event record AWS documents (the test sent every message with three attributes)."""
    p = []
    wanted = {"messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
              "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion"}
    if wanted - set(r):
        return ["missing %s" % sorted(wanted - set(r))]
    if r["eventSource"] != "aws:sqs": p.append("eventSource")
    if r["eventSourceARN"] != os.environ["EXPECT_ARN"]: p.append("eventSourceARN")
    if r["awsRegion"] != "us-east-1": p.append("awsRegion")
    if not (isinstance(r["messageId"], str) and r["messageId"]): p.append("messageId")
    if not (isinstance(r["receiptHandle"], str) and r["receiptHandle"]): p.append("receiptHandle")
    if r["md5OfBody"] != hashlib.md5(r["body"].encode()).hexdigest(): p.append("md5OfBody")
    a = r["attributes"]
    for k in ("ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"):
        if not (isinstance(a.get(k), str) and a.get(k)): p.append("attributes." + k)
    if p:
        return p
    if not (a["ApproximateReceiveCount"].isdigit() and int(a["ApproximateReceiveCount"]) >= 1):
        p.append("ApproximateReceiveCount value")
    if not (a["SentTimestamp"].isdigit() and abs(int(a["SentTimestamp"]) - time.time() * 1000) < 600000):
        p.append("SentTimestamp value")
    if not (a["ApproximateFirstReceiveTimestamp"].isdigit()
            and int(a["ApproximateFirstReceiveTimestamp"]) >= int(a["SentTimestamp"])):
        p.append("ApproximateFirstReceiveTimestamp value")
    kind, n = r["body"].split("-")
    expected = {
        "kind": {"stringValue": kind, "stringListValues": [], "binaryListValues": [], "dataType": "String"},
        "n": {"stringValue": n, "stringListValues": [], "binaryListValues": [], "dataType": "Number"},
        "blob": {"binaryValue": base64.b64encode(bytes([0, 1, int(n)])).decode(), "stringListValues": [],
                 "binaryListValues": [], "dataType": "Binary"},
    }
    got = {k: without_nulls(v) for k, v in r["messageAttributes"].items()}
    if got != expected: p.append("messageAttributes %r" % (got,))
    elif r["md5OfMessageAttributes"] != md5_of_attributes(r["messageAttributes"]): p.append("md5OfMessageAttributes")
    return p

def handler(event, context):
    mode = os.environ["MODE"]
    records = event["Records"]
    if mode == "accept":
        return None
    if mode == "raise-if-poison":
        if any(r["body"].startswith("poison") for r in records):
            raise RuntimeError("poison in this batch")
        return None
    if mode == "return-failures":
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records
                                      if r["body"].startswith("poison")]}
    if len(records) > int(os.environ["BATCH_MAX"]):
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records]}
    failed = []
    for r in records:
        p = problems(r)
        if p:
            print("SHAPE", r.get("messageId"), p)
        if p or r["body"].startswith("fail"):
            failed.append(r["messageId"])
    return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}
'''


def worker(slam, runtime, mode="accept", timeout=3, **env):
    name = unique("worker")
    slam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", Timeout=timeout,
                         Code={"ZipFile": make_zip({"app.py": WORKER})},
                         Environment={"Variables": {"MODE": mode, **{k: str(v) for k, v in env.items()}}})
    return name


def send_numbered(sqs, url, bodies):
    """Sends `kind-n` bodies, each with a String, a Number and a Binary attribute derived from the body."""
    for start in range(0, len(bodies), 10):
        entries = []
        for body in bodies[start:start + 10]:
            kind, n = body.split("-")
            entries.append({"Id": body, "MessageBody": body, "MessageAttributes": {
                "kind": {"DataType": "String", "StringValue": kind},
                "n": {"DataType": "Number", "StringValue": n},
                "blob": {"DataType": "Binary", "BinaryValue": bytes([0, 1, int(n)])}}})
        r = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert r.get("Failed", []) == []


def state_of(slam, u):
    return slam.get_event_source_mapping(UUID=u)["State"]


def wait_state(slam, u, state, timeout=30):
    return wait_for(lambda: state_of(slam, u) == state, timeout=timeout, interval=0.1,
                    what=f"mapping {u} to be {state}")


def uuids(listing):
    return sorted(m["UUID"] for m in listing["EventSourceMappings"])


# ------------------------------------------------------------------------------------------------- the API

def test_create_get_list_update_delete(slam, sqs, python_runtime, mappings):
    fn = worker(slam, python_runtime)
    url, arn, _ = make_queue(sqs, "esm")
    created = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn,
                                               FunctionResponseTypes=["ReportBatchItemFailures"])
    u = created["UUID"]
    mappings.append(u)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert str(uuid.UUID(u)) == u
    assert created["State"] in ("Creating", "Enabled")
    assert created["BatchSize"] == 10, "SQS default batch size"
    assert created.get("MaximumBatchingWindowInSeconds", 0) == 0
    assert created["EventSourceArn"] == arn
    assert created["FunctionArn"] == f"{FUNCTION_ARN}{fn}"
    assert created["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert isinstance(created["LastModified"], datetime.datetime)
    assert created["EventSourceMappingArn"] == f"arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{u}"

    wait_state(slam, u, "Enabled")
    got = slam.get_event_source_mapping(UUID=u)
    for key in ["UUID", "BatchSize", "EventSourceArn", "FunctionArn", "FunctionResponseTypes"]:
        assert got[key] == created[key], key

    assert uuids(slam.list_event_source_mappings(FunctionName=fn)) == [u]
    assert uuids(slam.list_event_source_mappings(FunctionName=f"{FUNCTION_ARN}{fn}")) == [u]
    assert uuids(slam.list_event_source_mappings(EventSourceArn=arn)) == [u]
    assert uuids(slam.list_event_source_mappings(EventSourceArn=arn, FunctionName=fn)) == [u]
    assert u in uuids(slam.list_event_source_mappings())
    assert uuids(slam.list_event_source_mappings(FunctionName=worker(slam, python_runtime))) == []

    with pytest.raises(slam.exceptions.ResourceConflictException) as e:
        slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn)
    assert http_status(e) == 409

    updated = slam.update_event_source_mapping(UUID=u, BatchSize=5, MaximumBatchingWindowInSeconds=2)
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert updated["BatchSize"] == 5
    wait_state(slam, u, "Enabled")
    got = slam.get_event_source_mapping(UUID=u)
    assert got["BatchSize"] == 5 and got["MaximumBatchingWindowInSeconds"] == 2
    assert got["FunctionResponseTypes"] == ["ReportBatchItemFailures"], "an update keeps what it does not name"

    deleted = slam.delete_event_source_mapping(UUID=u)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert deleted["State"] == "Deleting"
    assert deleted["UUID"] == u

    def gone():
        try:
            slam.get_event_source_mapping(UUID=u)
            return False
        except slam.exceptions.ResourceNotFoundException:
            return True
    wait_for(gone, timeout=30, what="the mapping to be deleted")
    assert uuids(slam.list_event_source_mappings(FunctionName=fn)) == []


def test_unknown_mappings_and_functions(slam, sqs):
    missing = str(uuid.uuid4())
    for call in [lambda: slam.get_event_source_mapping(UUID=missing),
                 lambda: slam.update_event_source_mapping(UUID=missing, BatchSize=2),
                 lambda: slam.delete_event_source_mapping(UUID=missing)]:
        with pytest.raises(slam.exceptions.ResourceNotFoundException) as e:
            call()
        assert http_status(e) == 404
    _, arn, _ = make_queue(sqs, "nofn")
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=unique("missing"))


@pytest.fixture(scope="module")
def validation_target(server, slam, sqs):
    _, arn, _ = make_queue(sqs, "valid")
    return worker(slam, python_runtime_of(server)), arn


@pytest.mark.parametrize("settings, codes", [
    ({"BatchSize": 10001, "MaximumBatchingWindowInSeconds": 1}, ("InvalidParameterValueException", "ValidationException")),
    ({"BatchSize": 0}, ("InvalidParameterValueException", "ValidationException")),
    # Over 10 records needs a batching window of at least 1 second.
    ({"BatchSize": 11}, ("InvalidParameterValueException",)),
    ({"MaximumBatchingWindowInSeconds": 301}, ("InvalidParameterValueException", "ValidationException")),
    ({"ScalingConfig": {"MaximumConcurrency": 1}}, ("InvalidParameterValueException", "ValidationException")),
    ({"ScalingConfig": {"MaximumConcurrency": 1001}}, ("InvalidParameterValueException", "ValidationException")),
    ({"FunctionResponseTypes": ["Bogus"]}, ("InvalidParameterValueException", "ValidationException")),
    # Settings of stream sources: Lambda answers "Unsupported <name> parameter for given event source mapping type".
    ({"ParallelizationFactor": 2}, ("InvalidParameterValueException",)),
    ({"BisectBatchOnFunctionError": True}, ("InvalidParameterValueException",)),
    ({"MaximumRetryAttempts": 3}, ("InvalidParameterValueException",)),
    ({"DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:x"}}}, ("InvalidParameterValueException",)),
    ({"TumblingWindowInSeconds": 60}, ("InvalidParameterValueException",)),
])
def test_invalid_settings_are_refused(server, slam, validation_target, settings, codes):
    fn, arn = validation_target
    loose = server.client(parameter_validation=False)
    with pytest.raises(loose.exceptions.ClientError) as e:
        loose.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, **settings)
    assert http_status(e) == 400
    assert error_code(e) in codes
    assert uuids(slam.list_event_source_mappings(FunctionName=fn)) == []


def test_queue_must_exist_and_outlast_the_function_timeout(slam, sqs, python_runtime, mappings):
    fn = worker(slam, python_runtime, timeout=3)
    with pytest.raises(slam.exceptions.InvalidParameterValueException) as e:
        slam.create_event_source_mapping(EventSourceArn=f"arn:aws:sqs:{REGION}:{ACCOUNT}:{unique('nowhere')}",
                                         FunctionName=fn)
    assert http_status(e) == 400
    _, short_arn, _ = make_queue(sqs, "short", VisibilityTimeout=2)
    with pytest.raises(slam.exceptions.InvalidParameterValueException) as e:
        slam.create_event_source_mapping(EventSourceArn=short_arn, FunctionName=fn)
    assert "visibility timeout" in e.value.response["Error"]["Message"].lower()
    assert uuids(slam.list_event_source_mappings(FunctionName=fn)) == []

    _, arn, _ = make_queue(sqs, "edge", VisibilityTimeout=3)
    ok = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, BatchSize=11,
                                          MaximumBatchingWindowInSeconds=1, ScalingConfig={"MaximumConcurrency": 2})
    mappings.append(ok["UUID"])
    assert ok["BatchSize"] == 11 and ok["MaximumBatchingWindowInSeconds"] == 1
    assert ok["ScalingConfig"] == {"MaximumConcurrency": 2}


# ------------------------------------------------------------------------------------------------ delivery

def test_batches_have_the_documented_shape_and_partial_failures_return_only_failed_records(
        slam, sqs, python_runtime, mappings):
    dlq_url, dlq_arn, _ = make_queue(sqs, "shape-dlq")
    url, arn, _ = make_queue(sqs, "shape", VisibilityTimeout=3, RedrivePolicy=redrive(dlq_arn, 2))
    fn = worker(slam, python_runtime, mode="report", EXPECT_ARN=arn, BATCH_MAX=4)
    failing = {"fail-3", "fail-11", "fail-19"}
    bodies = [f"fail-{i}" if f"fail-{i}" in failing else f"ok-{i}" for i in range(25)]
    send_numbered(sqs, url, bodies)
    assert counts(sqs, url) == (25, 0, 0)

    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, BatchSize=4,
                                         FunctionResponseTypes=["ReportBatchItemFailures"])
    mappings.append(m["UUID"])
    wait_for(lambda: drained(sqs, url), timeout=90, interval=0.25, what="the queue to drain")
    dead = collect(sqs, dlq_url, 3, timeout=10)
    dead += collect(sqs, dlq_url, 25, timeout=1)
    dead_bodies = sorted(x["Body"] for x in dead)
    wrong_shape = sorted(set(dead_bodies) - failing)
    assert not wrong_shape, ("these records were rejected by the worker: their event shape differs from the "
                             f"documented SQS record, or a batch was larger than BatchSize: {wrong_shape}")
    assert dead_bodies == sorted(failing), "each reported failure returns to the queue, then moves to its DLQ"
    for x in dead:
        assert x["MessageAttributes"]["kind"]["StringValue"] == "fail"


def test_a_failed_batch_returns_all_its_records_after_the_visibility_timeout(slam, sqs, python_runtime, mappings):
    dlq_url, dlq_arn, _ = make_queue(sqs, "whole-dlq")
    url, arn, _ = make_queue(sqs, "whole", VisibilityTimeout=3, RedrivePolicy=redrive(dlq_arn, 2))
    fn = worker(slam, python_runtime, mode="raise-if-poison")
    bodies = ["poison-0"] + [f"ok-{i}" for i in range(1, 10)]
    sent_at = time.monotonic()
    send_numbered(sqs, url, bodies)
    # Ten records, BatchSize 10 and a batching window: one batch holding the poison and its nine neighbours.
    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, BatchSize=10,
                                         MaximumBatchingWindowInSeconds=1)
    mappings.append(m["UUID"])
    dead = collect(sqs, dlq_url, 10, timeout=60)
    arrived = time.monotonic() - sent_at
    assert sorted(x["Body"] for x in dead) == sorted(bodies), \
        "without ReportBatchItemFailures a function error returns every record of the batch"
    assert arrived >= 5.0, ("two failed receives 3 s apart (the visibility timeout) come before the move to "
                            f"the dead-letter queue; it took only {arrived:.1f}s")
    assert counts(sqs, url) == (0, 0, 0)


def test_batch_item_failures_are_ignored_without_the_response_type(slam, sqs, python_runtime, mappings):
    dlq_url, dlq_arn, _ = make_queue(sqs, "ignored-dlq")
    url, arn, _ = make_queue(sqs, "ignored", VisibilityTimeout=3, RedrivePolicy=redrive(dlq_arn, 1))
    fn = worker(slam, python_runtime, mode="return-failures")
    send_numbered(sqs, url, ["poison-0", "ok-1", "ok-2", "ok-3", "ok-4"])
    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn)
    mappings.append(m["UUID"])
    assert "FunctionResponseTypes" not in m or m["FunctionResponseTypes"] == []
    wait_for(lambda: drained(sqs, url), timeout=60, interval=0.25, what="the queue to drain")
    assert counts(sqs, dlq_url) == (0, 0, 0), "a returned batchItemFailures list means nothing without the type"
    assert_stays(lambda: drained(sqs, url) and drained(sqs, dlq_url), 1.0, what="both queues empty")


def test_a_disabled_mapping_consumes_nothing_until_enabled(slam, sqs, python_runtime, mappings):
    url, arn, _ = make_queue(sqs, "toggle")
    fn = worker(slam, python_runtime)
    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, Enabled=False)
    mappings.append(m["UUID"])
    wait_state(slam, m["UUID"], "Disabled")
    send_numbered(sqs, url, [f"ok-{i}" for i in range(5)])
    assert_stays(lambda: counts(sqs, url) == (5, 0, 0), 3.0, what="five untouched messages")

    enabled = slam.update_event_source_mapping(UUID=m["UUID"], Enabled=True, BatchSize=2)
    assert enabled["ResponseMetadata"]["HTTPStatusCode"] == 202
    wait_state(slam, m["UUID"], "Enabled")
    wait_for(lambda: drained(sqs, url), timeout=60, interval=0.25, what="the queue to drain once enabled")

    slam.update_event_source_mapping(UUID=m["UUID"], Enabled=False)
    wait_state(slam, m["UUID"], "Disabled")
    send_numbered(sqs, url, ["ok-7", "ok-8"])
    assert_stays(lambda: counts(sqs, url) == (2, 0, 0), 2.0, what="two untouched messages")
    assert slam.get_event_source_mapping(UUID=m["UUID"])["BatchSize"] == 2
