"""Helpers shared by the SQS, async-invoke, event-source-mapping and durability suites.

Everything here talks to the server only through boto3, the way a user would."""
import base64
import hashlib
import json
import struct
import time
import uuid

import boto3
from botocore.config import Config

from conftest import ROLE, Server, make_zip, wait_for

ACCOUNT = "000000000000"
REGION = "us-east-1"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:"


class FlaggedServer(Server):
    """A `Server` whose `serve` command line gets extra flags (e.g. `--async-speedup 100`)."""

    def __init__(self, data_dir, flags, env=None):
        super().__init__(data_dir, env=env, flags=tuple(flags))


def strict_client(server, service="lambda", **config):
    """A client that never retries, so every answer reaches the test as the server gave it."""
    return boto3.client(service, endpoint_url=server.endpoint, region_name=REGION,
                        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=60,
                                      **config))


def python_runtime_of(server):
    runtimes = [r for r in server.health["runtimes"] if r.startswith("python")]
    return runtimes[-1] if runtimes else "provided.al2023"


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def queue_arn(name):
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def make_queue(sqs, prefix="q", **attributes):
    """Creates a standard queue; returns (url, arn, name)."""
    name = unique(prefix)
    args = {"QueueName": name}
    if attributes:
        args["Attributes"] = {k: str(v) for k, v in attributes.items()}
    url = sqs.create_queue(**args)["QueueUrl"]
    return url, queue_arn(name), name


def redrive(dlq_arn, max_receive_count):
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})


def counts(sqs, url):
    """(visible, not visible, delayed) as integers."""
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return (int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"]),
            int(a["ApproximateNumberOfMessagesDelayed"]))


def drained(sqs, url):
    return counts(sqs, url) == (0, 0, 0)


def collect(sqs, url, count, timeout=30.0, delete=True, visibility=30):
    """Receives until `count` messages have arrived (or the deadline passes); returns them all."""
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        wait = max(0, min(1, int(deadline - time.monotonic())))
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait,
                                VisibilityTimeout=visibility, MessageAttributeNames=["All"],
                                MessageSystemAttributeNames=["All"])
        messages = r.get("Messages", [])
        got.extend(messages)
        if delete and messages:
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
    return got


def collect_records(sqs, url, count, timeout=30.0):
    """Destination records (JSON message bodies); fails the test if fewer than `count` arrive in time."""
    messages = collect(sqs, url, count, timeout)
    assert len(messages) >= count, f"expected {count} message(s) on {url}, got {len(messages)} in {timeout}s"
    return [json.loads(m["Body"]) for m in messages]


def assert_stays(condition, duration, interval=0.1, what="condition"):
    """Asserts `condition` holds on every poll during `duration` seconds (used to prove that nothing happens)."""
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        value = condition()
        assert value, f"{what} stopped holding"
        time.sleep(interval)


def md5_hex(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.md5(data).hexdigest()


def md5_of_message_attributes(attributes):
    """SQS's digest of message attributes, as boto3 request shapes ({name: {DataType, StringValue|BinaryValue}}).

    Names sorted; per attribute: 4-byte big-endian length + UTF-8 name, length + data type, one transport byte
    (1 for String/Number types, 2 for Binary), then length + value bytes. MD5, hex."""
    def length_prefixed(b):
        return struct.pack(">I", len(b)) + b

    buf = b""
    for name in sorted(attributes):
        a = attributes[name]
        buf += length_prefixed(name.encode("utf-8")) + length_prefixed(a["DataType"].encode("utf-8"))
        if a.get("StringValue") is not None:
            buf += b"\x01" + length_prefixed(a["StringValue"].encode("utf-8"))
        else:
            value = a["BinaryValue"]
            if isinstance(value, str):
                value = base64.b64decode(value)
            buf += b"\x02" + length_prefixed(value)
    return hashlib.md5(buf).hexdigest()


def error_code(exc_info):
    return exc_info.value.response["Error"]["Code"]


def http_status(exc_info):
    return exc_info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def invoke_event(lam, function_name, payload, **kw):
    """An InvocationType=Event call; returns the raw response (its Payload already read into 'Body')."""
    r = lam.invoke(FunctionName=function_name, InvocationType="Event", Payload=json.dumps(payload).encode(), **kw)
    r["Body"] = r["Payload"].read()
    return r


def wait_function_updated(lam, function_name, timeout=30):
    def done():
        c = lam.get_function_configuration(FunctionName=function_name)
        assert c.get("LastUpdateStatus") != "Failed", c
        return c if c.get("LastUpdateStatus", "Successful") == "Successful" and c.get("State", "Active") == "Active" \
            else None
    return wait_for(done, timeout=timeout, interval=0.1, what=f"update of {function_name}")


def recording_function(lam, runtime, source, prefix, timeout=2, **env):
    """A function (handler `source`) that keeps what it was given in its one execution environment and answers
    {"report": true} with it. Reserved concurrency 1 keeps a single environment, so the record is complete and in
    order; a mapping invocation refused for concurrency leaves its batch to come back after the visibility timeout,
    as on AWS."""
    name = unique(prefix)
    args = dict(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", Timeout=timeout,
                Code={"ZipFile": make_zip({"app.py": source})})
    if env:
        args["Environment"] = {"Variables": {k: str(v) for k, v in env.items()}}
    lam.create_function(**args)
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    return name


def recorded(lam, function_name):
    """The `seen` list a recording function reports, once its one environment is free to answer."""
    def ask():
        try:
            r = lam.invoke(FunctionName=function_name, Payload=json.dumps({"report": True}).encode())
        except lam.exceptions.TooManyRequestsException:
            return None  # a mapping invocation still holds the one environment
        payload = r["Payload"].read()
        assert not r.get("FunctionError"), payload
        return json.loads(payload)
    return wait_for(ask, timeout=20, interval=0.2, what=f"the report of {function_name}")["seen"]
