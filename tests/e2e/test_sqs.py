"""The SQS-compatible queue service (JSON 1.0 protocol, X-Amz-Target: AmazonSQS.*) through boto3 and the aws CLI.

Expectations follow the SQS API reference and botocore's sqs/2012-11-05 model. Errors: SQS answers the JSON
protocol with `__type` naming the modeled shape plus an `x-amzn-query-error: <legacy code>;Sender` header;
botocore then reports the legacy code in Error.Code and picks the exception class from the shape name."""
import concurrent.futures
import json
import os
import shutil
import subprocess
import threading
import time
import uuid

import pytest

from async_support import (ACCOUNT, REGION, collect, counts, error_code, http_status, make_queue, md5_hex,
                           md5_of_message_attributes, redrive, strict_client, unique)
from conftest import wait_for

# Test vectors for the message-attribute digest, published with the npm package aws-md5-of-message-attributes.
VECTOR_ATTRIBUTES = {
    "attribName1": {"DataType": "String", "StringValue": "attribValue 1"},
    "customNumberTypeAttrib": {"DataType": "Number.float", "StringValue": "4563442423554324324264524243.32543234"},
    "binaryAttribute": {"DataType": "Binary", "BinaryValue": b"Hello binary world!"},
}
VECTOR_DIGEST = "c932db14a896c663f83c260297d594ff"


def receive(sqs, url, **kw):
    return sqs.receive_message(QueueUrl=url, **kw).get("Messages", [])


def assert_error(exc_info, code, status=(400,)):
    assert error_code(exc_info) == code, exc_info.value.response
    assert http_status(exc_info) in status, exc_info.value.response


# ---------------------------------------------------------------------------------------------------- queues

def test_create_queue_url_arn_and_attributes(sqs, server):
    name = unique("attrs")
    created = sqs.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": "45", "DelaySeconds": "2", "MessageRetentionPeriod": "3600",
        "ReceiveMessageWaitTimeSeconds": "3", "MaximumMessageSize": "2048"})
    url = created["QueueUrl"]
    assert url == f"{server.endpoint}/{ACCOUNT}/{name}"
    headers = created["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-type"].startswith("application/x-amz-json-1.0")
    assert headers.get("x-amzn-requestid")
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url

    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["QueueArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    assert attrs["VisibilityTimeout"] == "45"
    assert attrs["DelaySeconds"] == "2"
    assert attrs["MessageRetentionPeriod"] == "3600"
    assert attrs["ReceiveMessageWaitTimeSeconds"] == "3"
    assert attrs["MaximumMessageSize"] == "2048"
    for key in ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed"]:
        assert attrs[key] == "0", key
    created_at = int(attrs["CreatedTimestamp"])  # epoch seconds
    assert abs(created_at - time.time()) < 120
    assert int(attrs["LastModifiedTimestamp"]) >= created_at

    some = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn", "VisibilityTimeout"])["Attributes"]
    assert some == {"QueueArn": attrs["QueueArn"], "VisibilityTimeout": "45"}

    default_url, _, _ = make_queue(sqs, "defaults")
    defaults = sqs.get_queue_attributes(QueueUrl=default_url, AttributeNames=["All"])["Attributes"]
    assert defaults["VisibilityTimeout"] == "30"
    assert defaults["DelaySeconds"] == "0"
    assert defaults["MessageRetentionPeriod"] == "345600"
    assert defaults["ReceiveMessageWaitTimeSeconds"] == "0"
    assert defaults["MaximumMessageSize"] == "1048576", "the default and maximum message size is 1 MiB since 2025"
    assert "RedrivePolicy" not in defaults

    with pytest.raises(sqs.exceptions.InvalidAttributeName) as e:
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["NoSuchAttribute"])
    assert_error(e, "InvalidAttributeName")


def test_create_queue_again_needs_identical_attributes(sqs):
    name = unique("same")
    first = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40", "DelaySeconds": "1"})["QueueUrl"]
    again = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40", "DelaySeconds": "1"})["QueueUrl"]
    assert again == first
    with pytest.raises(sqs.exceptions.QueueNameExists) as e:
        sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "41", "DelaySeconds": "1"})
    assert_error(e, "QueueAlreadyExists")
    assert sqs.get_queue_attributes(QueueUrl=first, AttributeNames=["VisibilityTimeout"])[
        "Attributes"]["VisibilityTimeout"] == "40"


@pytest.mark.parametrize("attributes", [
    {"VisibilityTimeout": "43201"}, {"VisibilityTimeout": "-1"}, {"DelaySeconds": "901"},
    {"MessageRetentionPeriod": "59"}, {"MessageRetentionPeriod": "1209601"}, {"ReceiveMessageWaitTimeSeconds": "21"},
    {"MaximumMessageSize": "1023"}, {"MaximumMessageSize": "1048577"}, {"VisibilityTimeout": "soon"},
])
def test_out_of_range_attribute_is_refused(sqs, attributes):
    name = unique("bad")
    with pytest.raises(sqs.exceptions.InvalidAttributeValue) as e:
        sqs.create_queue(QueueName=name, Attributes=attributes)
    assert_error(e, "InvalidAttributeValue")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_url(QueueName=name)


def test_unknown_attribute_and_bad_names_are_refused(sqs):
    name = unique("unknown")
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as e:
        sqs.create_queue(QueueName=name, Attributes={"Colour": "blue"})
    assert_error(e, "InvalidAttributeName")
    for bad in ["has space", "dot.in.name", "x" * 81, "slash/name"]:
        with pytest.raises(sqs.exceptions.ClientError) as e:
            sqs.create_queue(QueueName=bad)
        assert_error(e, "InvalidParameterValue")


def test_missing_queue_is_queue_does_not_exist_with_query_error_header(sqs, server):
    name = unique("missing")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as e:
        sqs.get_queue_url(QueueName=name)
    response = e.value.response
    assert http_status(e) == 400
    # botocore reports the legacy query code from `x-amzn-query-error` and keeps the modeled name aside.
    assert response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert response["Error"].get("QueryErrorCode") == "QueueDoesNotExist"
    assert response["Error"].get("Type") == "Sender"
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"
    assert headers["content-type"].startswith("application/x-amz-json-1.0")
    assert response["Error"]["Message"]

    url = f"{server.endpoint}/{ACCOUNT}/{name}"
    for call in [lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]),
                 lambda: sqs.send_message(QueueUrl=url, MessageBody="x"),
                 lambda: sqs.receive_message(QueueUrl=url),
                 lambda: sqs.purge_queue(QueueUrl=url)]:
        with pytest.raises(sqs.exceptions.QueueDoesNotExist):
            call()


def test_list_queues_by_prefix_with_pagination(sqs):
    prefix = unique("lst")
    urls = {sqs.create_queue(QueueName=f"{prefix}-{s}")["QueueUrl"] for s in "abc"}
    sqs.create_queue(QueueName=unique("other"))
    assert set(sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]) == urls
    assert set(sqs.list_queues()["QueueUrls"]) >= urls

    first = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
    assert len(first["QueueUrls"]) == 2
    assert first.get("NextToken")
    second = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=first["NextToken"])
    assert len(second["QueueUrls"]) == 1
    assert not second.get("NextToken")
    assert set(first["QueueUrls"]) | set(second["QueueUrls"]) == urls

    assert sqs.list_queues(QueueNamePrefix=prefix + "-nothing").get("QueueUrls", []) == []
    assert not sqs.list_queues(QueueNamePrefix=prefix).get("NextToken"), "no NextToken without MaxResults"


def test_delete_queue(sqs):
    url, _, name = make_queue(sqs, "del")
    sqs.send_message(QueueUrl=url, MessageBody="doomed")
    deleted = sqs.delete_queue(QueueUrl=url)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 200

    def gone():
        try:
            sqs.get_queue_url(QueueName=name)
            return False
        except sqs.exceptions.QueueDoesNotExist:
            return True
    wait_for(gone, timeout=10, what="the deleted queue to disappear")
    assert url not in sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.send_message(QueueUrl=url, MessageBody="late")


def test_set_queue_attributes(sqs):
    url, _, _ = make_queue(sqs, "set")
    dlq_url, dlq_arn, _ = make_queue(sqs, "set-dlq")
    before = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={
        "VisibilityTimeout": "5", "DelaySeconds": "1", "RedrivePolicy": redrive(dlq_arn, 3)})
    after = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert after["VisibilityTimeout"] == "5" and after["DelaySeconds"] == "1"
    policy = json.loads(after["RedrivePolicy"])
    assert policy["deadLetterTargetArn"] == dlq_arn and int(policy["maxReceiveCount"]) == 3
    assert int(after["LastModifiedTimestamp"]) >= int(before["LastModifiedTimestamp"])
    assert after["CreatedTimestamp"] == before["CreatedTimestamp"]
    assert after["QueueArn"] == before["QueueArn"]

    with pytest.raises(sqs.exceptions.InvalidAttributeValue) as e:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "43201"})
    assert_error(e, "InvalidAttributeValue")
    with pytest.raises(sqs.exceptions.InvalidAttributeName):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Colour": "blue"})
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])[
        "Attributes"]["VisibilityTimeout"] == "5"


# -------------------------------------------------------------------------------------------------- messages

def test_attribute_digest_matches_published_vectors():
    """Checks this suite's own digest function before it is used to judge the server."""
    assert md5_of_message_attributes({"attribName1": VECTOR_ATTRIBUTES["attribName1"]}) == \
        "19e27d4e946b072f3f58da80d94fd778"
    assert md5_of_message_attributes({"customNumberTypeAttrib": VECTOR_ATTRIBUTES["customNumberTypeAttrib"]}) == \
        "9fe1b90bbd9965bdf77bac517c7d2495"
    assert md5_of_message_attributes({"binaryAttribute": VECTOR_ATTRIBUTES["binaryAttribute"]}) == \
        "31a92b15d92f8db860eda32aceb656c3"
    assert md5_of_message_attributes(VECTOR_ATTRIBUTES) == VECTOR_DIGEST


def test_send_message_digests_and_attributes(sqs):
    url, _, _ = make_queue(sqs, "send")
    body = "héllo ✓ 😀 " + uuid.uuid4().hex
    sent = sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=VECTOR_ATTRIBUTES)
    assert sent["MD5OfMessageBody"] == md5_hex(body)
    assert sent["MD5OfMessageAttributes"] == VECTOR_DIGEST == md5_of_message_attributes(VECTOR_ATTRIBUTES)
    assert uuid.UUID(sent["MessageId"])

    plain = sqs.send_message(QueueUrl=url, MessageBody="plain")
    assert plain["MD5OfMessageBody"] == md5_hex("plain")
    assert "MD5OfMessageAttributes" not in plain

    def fetch(**kw):
        """Receives (leaving it visible) until the attributed message comes back."""
        for _ in range(50):
            for m in receive(sqs, url, MaxNumberOfMessages=10, VisibilityTimeout=0, **kw):
                if m["MessageId"] == sent["MessageId"]:
                    return m
        raise AssertionError("message not received")

    # Only what is asked for comes back.
    bare = fetch()
    assert bare["Body"] == body and bare["MD5OfBody"] == md5_hex(body)
    assert "MessageAttributes" not in bare and "Attributes" not in bare

    everything = fetch(MessageAttributeNames=["All"])
    assert everything["MessageAttributes"] == VECTOR_ATTRIBUTES
    assert everything["MD5OfMessageAttributes"] == VECTOR_DIGEST
    one = fetch(MessageAttributeNames=["attribName1"])
    assert one["MessageAttributes"] == {"attribName1": VECTOR_ATTRIBUTES["attribName1"]}


@pytest.mark.parametrize("attributes", [
    {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)},  # at most 10 attributes
    {"AWS.reserved": {"DataType": "String", "StringValue": "v"}},  # reserved prefix
    {"n": {"DataType": "Number", "StringValue": "not a number"}},
    {"s": {"DataType": "String", "StringValue": ""}},  # values may not be empty
    {"t": {"DataType": "Colour", "StringValue": "blue"}},  # unknown data type
])
def test_bad_message_attributes_are_refused(sqs, attributes):
    url, _, _ = make_queue(sqs, "badattr")
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attributes)
    assert_error(e, "InvalidParameterValue")
    assert counts(sqs, url) == (0, 0, 0)


def test_message_size_limits(sqs):
    url, _, _ = make_queue(sqs, "size")
    above_old_limit = "a" * (256 * 1024 + 1)
    assert sqs.send_message(QueueUrl=url, MessageBody=above_old_limit)["MD5OfMessageBody"] == md5_hex(above_old_limit)
    largest = "b" * (1024 * 1024)
    assert sqs.send_message(QueueUrl=url, MessageBody=largest)["MD5OfMessageBody"] == md5_hex(largest)
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=url, MessageBody="c" * (1024 * 1024 + 1))
    assert_error(e, "InvalidParameterValue")
    assert "1048576" in e.value.response["Error"]["Message"]

    small_url, _, _ = make_queue(sqs, "size-small", MaximumMessageSize=1024)
    sqs.send_message(QueueUrl=small_url, MessageBody="d" * 1024)
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=small_url, MessageBody="d" * 1025)
    assert_error(e, "InvalidParameterValue")
    assert counts(sqs, small_url)[0] == 1
    assert counts(sqs, url)[0] == 2


def test_invalid_message_contents(sqs):
    url, _, _ = make_queue(sqs, "contents")
    with pytest.raises(sqs.exceptions.InvalidMessageContents) as e:
        sqs.send_message(QueueUrl=url, MessageBody="nul \x00 inside")
    assert_error(e, "InvalidMessageContents")
    assert counts(sqs, url) == (0, 0, 0)


def test_send_message_batch(sqs):
    url, _, _ = make_queue(sqs, "batch")
    attrs = {"k": {"DataType": "String", "StringValue": "v"}}
    r = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "MessageBody": "first"},
        {"Id": "b-2_x", "MessageBody": "second", "MessageAttributes": attrs},
        {"Id": "c", "MessageBody": "third", "DelaySeconds": 60},
    ])
    assert r.get("Failed", []) == []
    ok = {e["Id"]: e for e in r["Successful"]}
    assert set(ok) == {"a", "b-2_x", "c"}
    assert ok["a"]["MD5OfMessageBody"] == md5_hex("first")
    assert ok["b-2_x"]["MD5OfMessageBody"] == md5_hex("second")
    assert ok["b-2_x"]["MD5OfMessageAttributes"] == md5_of_message_attributes(attrs)
    assert "MD5OfMessageAttributes" not in ok["a"]
    assert len({e["MessageId"] for e in ok.values()}) == 3
    assert counts(sqs, url) == (2, 0, 1)

    bad_batches = [
        ([{"Id": "dup", "MessageBody": "1"}, {"Id": "dup", "MessageBody": "2"}],
         sqs.exceptions.BatchEntryIdsNotDistinct, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
        ([{"Id": f"m{i}", "MessageBody": "x"} for i in range(11)],
         sqs.exceptions.TooManyEntriesInBatchRequest, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
        ([], sqs.exceptions.EmptyBatchRequest, "AWS.SimpleQueueService.EmptyBatchRequest"),
        ([{"Id": "no spaces!", "MessageBody": "x"}],
         sqs.exceptions.InvalidBatchEntryId, "AWS.SimpleQueueService.InvalidBatchEntryId"),
        ([{"Id": "x" * 81, "MessageBody": "x"}],
         sqs.exceptions.InvalidBatchEntryId, "AWS.SimpleQueueService.InvalidBatchEntryId"),
    ]
    for entries, exception, code in bad_batches:
        with pytest.raises(exception) as e:
            sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert_error(e, code)
    assert counts(sqs, url) == (2, 0, 1), "a refused batch enqueues nothing"


def test_receive_limits_and_validation(sqs):
    url, _, _ = make_queue(sqs, "recv")
    bodies = {f"m{i}" for i in range(15)}
    for chunk in (sorted(bodies)[:10], sorted(bodies)[10:]):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": b, "MessageBody": b} for b in chunk])
    assert len(receive(sqs, url, VisibilityTimeout=0)) == 1, "MaxNumberOfMessages defaults to 1"
    seen = set()
    deadline = time.monotonic() + 20
    while seen != bodies and time.monotonic() < deadline:
        batch = receive(sqs, url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        assert len(batch) <= 10
        seen |= {m["Body"] for m in batch}
    assert seen == bodies
    assert counts(sqs, url) == (0, 15, 0)

    for kw in [{"MaxNumberOfMessages": 11}, {"MaxNumberOfMessages": 0}, {"WaitTimeSeconds": 21},
               {"WaitTimeSeconds": -1}, {"VisibilityTimeout": 43201}]:
        with pytest.raises(sqs.exceptions.ClientError) as e:
            sqs.receive_message(QueueUrl=url, **kw)
        assert_error(e, "InvalidParameterValue")


def test_long_poll_returns_as_soon_as_a_message_arrives(sqs, server):
    url, _, _ = make_queue(sqs, "longpoll")
    sender = strict_client(server, "sqs")
    timer = threading.Timer(0.5, lambda: sender.send_message(QueueUrl=url, MessageBody="wake up"))
    started = time.monotonic()
    timer.start()
    try:
        msgs = receive(sqs, url, WaitTimeSeconds=5)
    finally:
        timer.join()
    elapsed = time.monotonic() - started
    assert [m["Body"] for m in msgs] == ["wake up"]
    assert 0.4 <= elapsed < 3.0, elapsed


def test_long_poll_on_an_empty_queue_waits_the_full_time(sqs):
    url, _, _ = make_queue(sqs, "empty")
    started = time.monotonic()
    assert receive(sqs, url, WaitTimeSeconds=2) == []
    assert 1.8 <= time.monotonic() - started < 4.0

    waiting_url, _, _ = make_queue(sqs, "waiting", ReceiveMessageWaitTimeSeconds=2)
    started = time.monotonic()
    assert receive(sqs, waiting_url) == []
    assert 1.8 <= time.monotonic() - started < 4.0, "the queue's ReceiveMessageWaitTimeSeconds applies"
    started = time.monotonic()
    assert receive(sqs, waiting_url, WaitTimeSeconds=0) == []
    assert time.monotonic() - started < 1.0, "WaitTimeSeconds=0 on the call overrides the queue default"


def test_system_attributes_visibility_and_receive_count(sqs):
    url, _, _ = make_queue(sqs, "sysattr")
    before_ms = int(time.time() * 1000)
    sent = sqs.send_message(QueueUrl=url, MessageBody="count me")
    first, = receive(sqs, url, AttributeNames=["All"], VisibilityTimeout=1, WaitTimeSeconds=2)
    a = first["Attributes"]
    assert first["MessageId"] == sent["MessageId"]
    assert a["ApproximateReceiveCount"] == "1"
    sent_ms, first_ms = int(a["SentTimestamp"]), int(a["ApproximateFirstReceiveTimestamp"])
    assert before_ms - 5000 <= sent_ms <= first_ms <= int(time.time() * 1000) + 5000
    assert a["SenderId"]
    assert counts(sqs, url) == (0, 1, 0)
    assert receive(sqs, url) == [], "an in-flight message is hidden"

    received_at = time.monotonic()
    wanted = ["ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"]
    second, = receive(sqs, url, MessageSystemAttributeNames=wanted, WaitTimeSeconds=5)
    assert time.monotonic() - received_at >= 0.5, "hidden until the 1 s visibility timeout ran out"
    assert set(second["Attributes"]) == set(wanted)
    assert second["Attributes"]["ApproximateReceiveCount"] == "2"
    assert second["Attributes"]["ApproximateFirstReceiveTimestamp"] == a["ApproximateFirstReceiveTimestamp"]
    assert second["ReceiptHandle"] != first["ReceiptHandle"]


def test_delete_message_and_bad_receipt_handles(sqs):
    url, _, _ = make_queue(sqs, "delmsg")
    sqs.send_message(QueueUrl=url, MessageBody="bye")
    m, = receive(sqs, url, WaitTimeSeconds=2)
    assert sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])["ResponseMetadata"][
        "HTTPStatusCode"] == 200
    assert counts(sqs, url) == (0, 0, 0)
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid) as e:
        sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-receipt-handle")
    assert_error(e, "ReceiptHandleIsInvalid", status=(400, 404))
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid) as e:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="not-a-receipt-handle", VisibilityTimeout=0)
    assert_error(e, "ReceiptHandleIsInvalid", status=(400, 404))


def test_delete_message_batch(sqs):
    url, _, _ = make_queue(sqs, "delbatch")
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"b{i}"} for i in range(3)])
    got = collect(sqs, url, 3, timeout=10, delete=False)
    assert len(got) == 3
    entries = [{"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)]
    r = sqs.delete_message_batch(QueueUrl=url, Entries=entries + [{"Id": "bad", "ReceiptHandle": "garbage"}])
    assert {e["Id"] for e in r["Successful"]} == {"e0", "e1", "e2"}
    failed, = r["Failed"]
    assert failed["Id"] == "bad" and failed["SenderFault"] is True and failed["Code"] == "ReceiptHandleIsInvalid"
    assert counts(sqs, url) == (0, 0, 0)

    with pytest.raises(sqs.exceptions.BatchEntryIdsNotDistinct):
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": "x", "ReceiptHandle": "a"},
                                                        {"Id": "x", "ReceiptHandle": "b"}])
    with pytest.raises(sqs.exceptions.EmptyBatchRequest):
        sqs.delete_message_batch(QueueUrl=url, Entries=[])
    with pytest.raises(sqs.exceptions.TooManyEntriesInBatchRequest):
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": f"i{i}", "ReceiptHandle": "a"} for i in range(11)])


def test_change_message_visibility_single_and_batch(sqs):
    url, _, _ = make_queue(sqs, "cmv")
    sqs.send_message(QueueUrl=url, MessageBody="again")
    m, = receive(sqs, url, VisibilityTimeout=60, WaitTimeSeconds=2)
    assert receive(sqs, url) == []
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    again, = receive(sqs, url, AttributeNames=["ApproximateReceiveCount"], VisibilityTimeout=60)
    assert again["MessageId"] == m["MessageId"] and again["Attributes"]["ApproximateReceiveCount"] == "2"

    sqs.send_message(QueueUrl=url, MessageBody="other")
    held = [again] + [x for x in collect(sqs, url, 1, timeout=10, delete=False, visibility=60)]
    assert len(held) == 2 and counts(sqs, url) == (0, 2, 0)
    r = sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": "one", "ReceiptHandle": held[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "two", "ReceiptHandle": held[1]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
    ])
    assert {e["Id"] for e in r["Successful"]} == {"one", "two"}
    failed, = r["Failed"]
    assert failed["Id"] == "bad" and failed["SenderFault"] is True and failed["Code"] == "ReceiptHandleIsInvalid"
    assert counts(sqs, url) == (2, 0, 0)
    assert {x["Body"] for x in collect(sqs, url, 2, timeout=10)} == {"again", "other"}


def test_purge_queue(sqs):
    url, _, _ = make_queue(sqs, "purge")
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": str(i)} for i in range(5)])
    receive(sqs, url, VisibilityTimeout=60, WaitTimeSeconds=1)
    assert sqs.purge_queue(QueueUrl=url)["ResponseMetadata"]["HTTPStatusCode"] == 200
    wait_for(lambda: counts(sqs, url) == (0, 0, 0), timeout=10, what="purge")
    assert receive(sqs, url, WaitTimeSeconds=1) == []
    with pytest.raises(sqs.exceptions.PurgeQueueInProgress) as e:
        sqs.purge_queue(QueueUrl=url)  # one purge per 60 seconds
    assert_error(e, "AWS.SimpleQueueService.PurgeQueueInProgress", status=(403,))


def test_delay_seconds_per_queue_and_per_message(sqs):
    url, _, _ = make_queue(sqs, "delayq", DelaySeconds=1)
    sent_at = time.monotonic()
    sqs.send_message(QueueUrl=url, MessageBody="queue delay")
    assert counts(sqs, url) == (0, 0, 1)
    assert receive(sqs, url) == []
    m, = receive(sqs, url, WaitTimeSeconds=5)
    assert m["Body"] == "queue delay" and time.monotonic() - sent_at >= 0.8

    sqs.send_message(QueueUrl=url, MessageBody="no delay", DelaySeconds=0)
    assert [x["Body"] for x in receive(sqs, url, WaitTimeSeconds=1)] == ["no delay"], \
        "a message's DelaySeconds overrides the queue's"

    plain_url, _, _ = make_queue(sqs, "delaym")
    sent_at = time.monotonic()
    sqs.send_message(QueueUrl=plain_url, MessageBody="message delay", DelaySeconds=2)
    assert counts(sqs, plain_url) == (0, 0, 1)
    m, = receive(sqs, plain_url, WaitTimeSeconds=6)
    assert m["Body"] == "message delay" and time.monotonic() - sent_at >= 1.8

    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=plain_url, MessageBody="x", DelaySeconds=901)
    assert_error(e, "InvalidParameterValue")


def test_redrive_policy_moves_a_message_to_the_dead_letter_queue(sqs):
    dlq_url, dlq_arn, _ = make_queue(sqs, "dlq")
    url, _, _ = make_queue(sqs, "src", RedrivePolicy=redrive(dlq_arn, 2))
    sent = sqs.send_message(QueueUrl=url, MessageBody="poison", MessageAttributes={
        "why": {"DataType": "String", "StringValue": "testing"}})
    for expected in ("1", "2"):
        m, = receive(sqs, url, AttributeNames=["ApproximateReceiveCount"], VisibilityTimeout=60, WaitTimeSeconds=2)
        assert m["MessageId"] == sent["MessageId"] and m["Attributes"]["ApproximateReceiveCount"] == expected
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    assert receive(sqs, url, WaitTimeSeconds=1) == [], "a third receive moves it instead of delivering it"

    moved = collect(sqs, dlq_url, 1, timeout=10)
    assert len(moved) == 1
    assert moved[0]["MessageId"] == sent["MessageId"] and moved[0]["Body"] == "poison"
    assert moved[0]["MessageAttributes"]["why"]["StringValue"] == "testing"
    assert counts(sqs, url) == (0, 0, 0)


def test_many_concurrent_senders_lose_nothing(sqs, server):
    url, _, _ = make_queue(sqs, "busy")
    bodies = {f"b{i}" for i in range(100)}
    clients = [strict_client(server, "sqs") for _ in range(4)]

    def send(k):
        c = clients[k]
        for i in range(k, 100, 4):
            c.send_message(QueueUrl=url, MessageBody=f"b{i}")

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(send, range(4)))
    assert counts(sqs, url) == (100, 0, 0)
    seen = set()
    deadline = time.monotonic() + 30
    while seen != bodies and time.monotonic() < deadline:
        seen |= {m["Body"] for m in collect(sqs, url, 10, timeout=2)}
    assert seen == bodies
    assert counts(sqs, url) == (0, 0, 0)


# ------------------------------------------------------------------------------------------------------- CLI

def aws_sqs(server, *args):
    exe = shutil.which("aws")
    assert exe, "the aws CLI must be installed"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": server.access_key, "AWS_SECRET_ACCESS_KEY": server.secret_key,
           "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    for k in ["AWS_SESSION_TOKEN", "AWS_PROFILE"]:
        env.pop(k, None)
    return subprocess.run([exe, "--endpoint-url", server.endpoint, "--output", "json", "sqs", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_cli_send_and_receive(server):
    name = unique("cli")
    r = aws_sqs(server, "create-queue", "--queue-name", name)
    assert r.returncode == 0, r.stderr
    url = json.loads(r.stdout)["QueueUrl"]
    assert url.endswith(f"/{ACCOUNT}/{name}")

    r = aws_sqs(server, "send-message", "--queue-url", url, "--message-body", "from the cli",
                "--message-attributes", '{"k": {"DataType": "String", "StringValue": "v"}}')
    assert r.returncode == 0, r.stderr
    sent = json.loads(r.stdout)
    assert sent["MD5OfMessageBody"] == md5_hex("from the cli")
    assert sent["MD5OfMessageAttributes"] == md5_of_message_attributes({"k": {"DataType": "String",
                                                                              "StringValue": "v"}})

    r = aws_sqs(server, "receive-message", "--queue-url", url, "--wait-time-seconds", "2",
                "--attribute-names", "All", "--message-attribute-names", "All")
    assert r.returncode == 0, r.stderr
    m, = json.loads(r.stdout)["Messages"]
    assert m["MessageId"] == sent["MessageId"] and m["Body"] == "from the cli"
    assert m["MessageAttributes"]["k"] == {"StringValue": "v", "DataType": "String"}
    assert m["Attributes"]["ApproximateReceiveCount"] == "1"

    r = aws_sqs(server, "delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"])
    assert r.returncode == 0, r.stderr
    r = aws_sqs(server, "get-queue-url", "--queue-name", name + "-missing")
    assert r.returncode != 0
    assert "AWS.SimpleQueueService.NonExistentQueue" in r.stderr
