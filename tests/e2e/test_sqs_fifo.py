"""FIFO queues of the SQS-compatible queue service, and event source mappings that read them, through boto3.

Expectations follow AWS's documents:
- the SQS API reference and botocore's sqs/2012-11-05 model (CreateQueue and SetQueueAttributes attributes,
  SendMessage / SendMessageBatch MessageGroupId, MessageDeduplicationId, DelaySeconds and SequenceNumber,
  ReceiveMessage system attributes and ReceiveRequestAttemptId notes on group locking);
- the SQS developer guide: "Amazon SQS FIFO queue key terms", "Using the message deduplication ID",
  "Using dead-letter queues" and "Learn how to configure a dead-letter queue redrive"
  (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html);
- the Lambda developer guide: "Lambda parameters for Amazon SQS event source mappings"
  (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html: "Batching window is not supported for
  FIFO queues"; FIFO BatchSize at most 10), "Using Lambda with Amazon SQS" (the FIFO event record carries
  MessageGroupId, MessageDeduplicationId and SequenceNumber) and "Handling errors for an SQS event source" (with FIFO
  queues a function stops at the first failure and returns it and every unprocessed message in batchItemFailures).

Where the documents give no error code, the expectation follows tests that LocalStack runs against AWS itself
(marked `aws.validated` in https://github.com/localstack/localstack/blob/main/tests/aws/services/sqs/test_sqs.py);
each such place names the test. Error codes are the legacy query codes botocore reports from `x-amzn-query-error`."""
import hashlib
import json
import threading
import time
import uuid

import pytest

from async_support import (ACCOUNT, REGION, collect, counts, drained, error_code, http_status, make_queue,
                           queue_arn, recorded, recording_function, redrive, unique)
from conftest import ROLE, make_zip, wait_for


def fifo_queue(sqs, prefix="fifo", **attributes):
    """Creates a FIFO queue (`<prefix>-<random>.fifo`); returns (url, arn, name)."""
    name = unique(prefix) + ".fifo"
    attrs = {"FifoQueue": "true", **{k: str(v) for k, v in attributes.items()}}
    url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    return url, queue_arn(name), name


def send(sqs, url, body, group, dedup=None, **kw):
    """SendMessage to a FIFO queue; the deduplication id defaults to `dedup-<body>`."""
    return sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                            MessageDeduplicationId=dedup or f"dedup-{body}", **kw)


def receive(sqs, url, **kw):
    return sqs.receive_message(QueueUrl=url, **kw).get("Messages", [])


def bodies(messages):
    return [m["Body"] for m in messages]


def assert_error(exc_info, code, status=(400,)):
    assert error_code(exc_info) == code, exc_info.value.response
    assert http_status(exc_info) in status, exc_info.value.response


def message_of(exc_info):
    return exc_info.value.response["Error"].get("Message", "")


def assert_sequence_number(value):
    """A SequenceNumber is a decimal string of a number that fits in 128 bits."""
    assert isinstance(value, str) and value.isdigit(), value
    assert int(value) < 2 ** 128, value
    return int(value)


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def absent(sqs, name):
    try:
        sqs.get_queue_url(QueueName=name)
        return False
    except sqs.exceptions.QueueDoesNotExist:
        return True


# ---------------------------------------------------------------------------------------------------- queues

def test_create_fifo_queue_url_arn_and_default_attributes(sqs, server):
    """CreateQueue with a `.fifo` name and FifoQueue=true makes a FIFO queue. Its URL and ARN keep the `.fifo`
    suffix; GetQueueAttributes(All) reports FifoQueue=true and the FIFO defaults: ContentBasedDeduplication=false,
    DeduplicationScope=queue, FifoThroughputLimit=perQueue. A standard queue reports none of these attributes.
    Creating the queue again with the same attributes returns the same URL; with a different
    ContentBasedDeduplication it is QueueAlreadyExists (LocalStack, AWS-validated:
    test_create_fifo_queue_with_same_attributes_is_idempotent / ..._with_different_attributes_raises_error)."""
    name = unique("orders") + ".fifo"
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert url == f"{server.endpoint}/{ACCOUNT}/{name}"
    assert url.endswith(f"/{ACCOUNT}/{name}") and name.endswith(".fifo")
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url
    assert url in sqs.list_queues(QueueNamePrefix=name[:-len(".fifo")]).get("QueueUrls", [])

    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["QueueArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    assert attrs["QueueArn"].endswith(f":{name}")
    assert attrs["FifoQueue"] == "true"
    assert attrs["ContentBasedDeduplication"] == "false"
    assert attrs["DeduplicationScope"] == "queue"
    assert attrs["FifoThroughputLimit"] == "perQueue"
    assert attrs["VisibilityTimeout"] == "30" and attrs["DelaySeconds"] == "0"

    some = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["FifoQueue", "ContentBasedDeduplication"])
    assert some["Attributes"] == {"FifoQueue": "true", "ContentBasedDeduplication": "false"}

    assert sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"] == url
    with pytest.raises(sqs.exceptions.QueueNameExists) as e:
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})
    assert_error(e, "QueueAlreadyExists")

    tuned_url, _, _ = fifo_queue(sqs, "tuned", ContentBasedDeduplication="true", DeduplicationScope="messageGroup",
                                 FifoThroughputLimit="perMessageGroupId", VisibilityTimeout=5)
    tuned = sqs.get_queue_attributes(QueueUrl=tuned_url, AttributeNames=["All"])["Attributes"]
    assert tuned["FifoQueue"] == "true"
    assert tuned["ContentBasedDeduplication"] == "true"
    assert tuned["DeduplicationScope"] == "messageGroup"
    assert tuned["FifoThroughputLimit"] == "perMessageGroupId"
    assert tuned["VisibilityTimeout"] == "5"

    standard_url, _, _ = make_queue(sqs, "plain")
    standard = sqs.get_queue_attributes(QueueUrl=standard_url, AttributeNames=["All"])["Attributes"]
    for key in ["FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]:
        assert key not in standard, key


def test_the_name_suffix_and_fifo_queue_attribute_must_agree(sqs):
    """A `.fifo` name is only valid with FifoQueue=true, and FifoQueue=true needs a `.fifo` name; both mismatches
    are InvalidParameterValue and create nothing (LocalStack, AWS-validated: test_fifo_queue_requires_suffix,
    test_standard_queue_cannot_have_fifo_suffix)."""
    suffixed = unique("nofifo") + ".fifo"
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.create_queue(QueueName=suffixed)
    assert_error(e, "InvalidParameterValue")
    assert absent(sqs, suffixed)

    plain = unique("notsuffixed")
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.create_queue(QueueName=plain, Attributes={"FifoQueue": "true"})
    assert_error(e, "InvalidParameterValue")
    assert absent(sqs, plain)


@pytest.mark.parametrize("attribute, value", [
    ("ContentBasedDeduplication", "true"),
    ("DeduplicationScope", "queue"),
    ("FifoThroughputLimit", "perQueue"),
])
def test_fifo_only_attributes_are_refused_on_standard_queues(sqs, attribute, value):
    """ContentBasedDeduplication, DeduplicationScope and FifoThroughputLimit apply only to FIFO queues; on a
    standard queue CreateQueue and SetQueueAttributes answer InvalidAttributeName naming the attribute (AWS says
    "Unknown Attribute ContentBasedDeduplication." / "You can specify the DeduplicationScope only when FifoQueue is
    set to true")."""
    name = unique("std")
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as e:
        sqs.create_queue(QueueName=name, Attributes={attribute: value})
    assert_error(e, "InvalidAttributeName")
    assert attribute in message_of(e)
    assert absent(sqs, name)

    url, _, _ = make_queue(sqs, "std-set")
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as e:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={attribute: value})
    assert_error(e, "InvalidAttributeName")
    assert attribute in message_of(e)
    assert attribute not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


@pytest.mark.parametrize("attribute, value", [
    ("DeduplicationScope", "group"),
    ("DeduplicationScope", "perQueue"),
    ("FifoThroughputLimit", "perGroup"),
    ("FifoThroughputLimit", "queue"),
])
def test_invalid_high_throughput_values_are_refused(sqs, attribute, value):
    """DeduplicationScope takes messageGroup or queue; FifoThroughputLimit takes perQueue or perMessageGroupId.
    Anything else is InvalidAttributeValue naming the attribute, at creation and on SetQueueAttributes."""
    name = unique("badfifo") + ".fifo"
    with pytest.raises(sqs.exceptions.InvalidAttributeValue) as e:
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", attribute: value})
    assert_error(e, "InvalidAttributeValue")
    assert attribute in message_of(e)
    assert absent(sqs, name)

    url, _, _ = fifo_queue(sqs, "badset")
    before = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[attribute])["Attributes"][attribute]
    with pytest.raises(sqs.exceptions.InvalidAttributeValue) as e:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={attribute: value})
    assert_error(e, "InvalidAttributeValue")
    assert attribute in message_of(e)
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[attribute])["Attributes"][attribute] == before


def test_set_queue_attributes_on_a_fifo_queue(sqs):
    """SetQueueAttributes changes ContentBasedDeduplication (LocalStack, AWS-validated:
    test_fifo_set_content_based_deduplication_strategy), and the high-throughput pair, and the change takes
    effect: once content-based deduplication is on, a send without MessageDeduplicationId is accepted.
    FifoQueue "can only be provided during queue creation": AWS accepts FifoQueue=true again on a FIFO queue as a
    no-op, refuses FifoQueue=false on it with InvalidAttributeValue, and refuses FifoQueue on a standard queue with
    InvalidAttributeName (LocalStack, AWS-validated: test_set_unsupported_attribute_fifo)."""
    url, _, _ = fifo_queue(sqs, "setfifo")
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=url, MessageBody="no dedup id yet", MessageGroupId="g")
    assert_error(e, "InvalidParameterValue")

    sqs.set_queue_attributes(QueueUrl=url, Attributes={"ContentBasedDeduplication": "true"})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ContentBasedDeduplication"] == "true" and attrs["FifoQueue"] == "true"
    sent = sqs.send_message(QueueUrl=url, MessageBody="no dedup id now", MessageGroupId="g")
    assert_sequence_number(sent["SequenceNumber"])

    sqs.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "messageGroup",
                                                       "FifoThroughputLimit": "perMessageGroupId"})
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"ContentBasedDeduplication": "false"})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ContentBasedDeduplication"] == "false"
    assert attrs["DeduplicationScope"] == "messageGroup"
    assert attrs["FifoThroughputLimit"] == "perMessageGroupId"

    # The queue type is fixed at creation.
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})
    with pytest.raises(sqs.exceptions.InvalidAttributeValue) as e:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "false"})
    assert_error(e, "InvalidAttributeValue")
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["FifoQueue"])["Attributes"]["FifoQueue"] == "true"

    standard_url, _, _ = make_queue(sqs, "stays-standard")
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as e:
        sqs.set_queue_attributes(QueueUrl=standard_url, Attributes={"FifoQueue": "true"})
    assert_error(e, "InvalidAttributeName")
    assert "FifoQueue" not in sqs.get_queue_attributes(QueueUrl=standard_url, AttributeNames=["All"])["Attributes"]


# -------------------------------------------------------------------------------------------------- sending

def test_send_needs_a_group_a_deduplication_id_and_no_message_delay(sqs):
    """On a FIFO queue SendMessage without MessageGroupId is MissingParameter ("The request must contain the
    parameter MessageGroupId."); without MessageDeduplicationId and without ContentBasedDeduplication it is
    InvalidParameterValue ("The queue should either have ContentBasedDeduplication enabled or
    MessageDeduplicationId provided explicitly"); a per-message DelaySeconds is InvalidParameterValue ("When you set
    FifoQueue, you can't set DelaySeconds per message"). None of them enqueues anything. DelaySeconds=0 is accepted
    (LocalStack, AWS-validated: test_send_message_with_delay_0_works_for_fifo)."""
    url, _, _ = fifo_queue(sqs, "sendchecks")
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d1")
    assert_error(e, "MissingParameter")
    assert "MessageGroupId" in message_of(e)

    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    assert_error(e, "InvalidParameterValue")
    assert "MessageDeduplicationId" in message_of(e)

    with pytest.raises(sqs.exceptions.ClientError) as e:
        send(sqs, url, "x", "g", DelaySeconds=5)
    assert_error(e, "InvalidParameterValue")
    assert "DelaySeconds" in message_of(e)
    assert counts(sqs, url) == (0, 0, 0)

    sent = send(sqs, url, "no-delay", "g", DelaySeconds=0)
    assert str(uuid.UUID(sent["MessageId"])) == sent["MessageId"]
    assert_sequence_number(sent["SequenceNumber"])
    assert counts(sqs, url) == (1, 0, 0)


def test_queue_level_delay_applies_to_fifo_messages(sqs):
    """A FIFO queue's own DelaySeconds is allowed and delays every message (only the per-message value is not)."""
    url, _, _ = fifo_queue(sqs, "delayed", DelaySeconds=1)
    sent_at = time.monotonic()
    send(sqs, url, "later", "g")
    assert counts(sqs, url) == (0, 0, 1)
    assert receive(sqs, url) == []
    m, = receive(sqs, url, WaitTimeSeconds=5)
    assert m["Body"] == "later"
    assert time.monotonic() - sent_at >= 0.8


def test_sequence_numbers_increase_within_a_group(sqs):
    """SendMessage on a FIFO queue returns SequenceNumber: "the large, non-consecutive number that Amazon SQS assigns
    to each message. The length of SequenceNumber is 128 bits. SequenceNumber continues to increase for a particular
    MessageGroupId." (AWS documents the increase per group, so that is what is checked across groups here.)
    A standard queue's send answer has no SequenceNumber."""
    url, _, _ = fifo_queue(sqs, "seq")
    numbers = {"ga": [], "gb": []}
    for i in range(4):
        for group in numbers:
            r = send(sqs, url, f"{group}-{i}", group)
            numbers[group].append(assert_sequence_number(r["SequenceNumber"]))
    for group, values in numbers.items():
        assert values == sorted(values) and len(set(values)) == len(values), (group, values)
    everything = numbers["ga"] + numbers["gb"]
    assert len(set(everything)) == len(everything), "every message gets its own number"

    standard_url, _, _ = make_queue(sqs, "seq-std")
    assert "SequenceNumber" not in sqs.send_message(QueueUrl=standard_url, MessageBody="plain")


def test_send_message_batch_to_a_fifo_queue_checks_each_entry(sqs):
    """SendMessageBatch reports each entry apart: an entry with a per-message DelaySeconds, or with characters
    outside the allowed set, appears in Failed (SenderFault) while the others succeed. Successful entries carry a
    SequenceNumber, and "for a FIFO queue, multiple messages within a single batch are enqueued in the order they are
    sent", so each group comes back in entry order."""
    url, _, _ = fifo_queue(sqs, "batch")
    entries = [
        {"Id": "a1", "MessageBody": "a1", "MessageGroupId": "ga", "MessageDeduplicationId": "d-a1"},
        {"Id": "b1", "MessageBody": "b1", "MessageGroupId": "gb", "MessageDeduplicationId": "d-b1"},
        {"Id": "delayed", "MessageBody": "delayed", "MessageGroupId": "ga", "MessageDeduplicationId": "d-delayed",
         "DelaySeconds": 5},
        {"Id": "a2", "MessageBody": "a2", "MessageGroupId": "ga", "MessageDeduplicationId": "d-a2"},
        {"Id": "bad_body", "MessageBody": "nul \x00 inside", "MessageGroupId": "gb",
         "MessageDeduplicationId": "d-bad"},
        {"Id": "b2", "MessageBody": "b2", "MessageGroupId": "gb", "MessageDeduplicationId": "d-b2"},
        {"Id": "a3", "MessageBody": "a3", "MessageGroupId": "ga", "MessageDeduplicationId": "d-a3"},
    ]
    r = sqs.send_message_batch(QueueUrl=url, Entries=entries)
    failed = {f["Id"]: f for f in r.get("Failed", [])}
    assert set(failed) == {"delayed", "bad_body"}, r
    assert failed["delayed"]["Code"] == "InvalidParameterValue" and failed["delayed"]["SenderFault"] is True
    assert failed["bad_body"]["Code"] == "InvalidMessageContents" and failed["bad_body"]["SenderFault"] is True
    ok = {e["Id"]: e for e in r["Successful"]}
    assert set(ok) == {"a1", "a2", "a3", "b1", "b2"}
    sequence = {i: assert_sequence_number(e["SequenceNumber"]) for i, e in ok.items()}
    assert sequence["a1"] < sequence["a2"] < sequence["a3"]
    assert sequence["b1"] < sequence["b2"]
    assert counts(sqs, url) == (5, 0, 0)

    got = collect(sqs, url, 5, timeout=10)
    assert sorted(bodies(got)) == ["a1", "a2", "a3", "b1", "b2"]
    assert [m["Body"] for m in got if m["Attributes"]["MessageGroupId"] == "ga"] == ["a1", "a2", "a3"]
    assert [m["Body"] for m in got if m["Attributes"]["MessageGroupId"] == "gb"] == ["b1", "b2"]
    for m in got:
        assert m["MessageId"] == ok[m["Body"]]["MessageId"]
        assert m["Attributes"]["SequenceNumber"] == ok[m["Body"]]["SequenceNumber"]
        assert m["Attributes"]["MessageDeduplicationId"] == f"d-{m['Body']}"


def test_a_batch_entry_without_group_or_deduplication_id_fails_the_whole_batch(sqs):
    """Unlike the per-entry checks above, an entry that lacks MessageGroupId, or lacks MessageDeduplicationId on a
    queue without content-based deduplication, makes AWS refuse the whole SendMessageBatch call (LocalStack,
    AWS-validated: test_send_batch_missing_message_group_id_for_fifo_queue and
    test_send_batch_missing_deduplication_id_for_fifo_queue expect the call itself to raise), with the same codes as
    SendMessage. Nothing of the batch is enqueued."""
    url, _, _ = fifo_queue(sqs, "wholebatch")
    good = {"Id": "good", "MessageBody": "good", "MessageGroupId": "g", "MessageDeduplicationId": "d-good"}

    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message_batch(QueueUrl=url, Entries=[
            good, {"Id": "nogroup", "MessageBody": "x", "MessageDeduplicationId": "d-x"}])
    assert_error(e, "MissingParameter")
    assert "MessageGroupId" in message_of(e)

    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message_batch(QueueUrl=url, Entries=[
            good, {"Id": "nodedup", "MessageBody": "y", "MessageGroupId": "g"}])
    assert_error(e, "InvalidParameterValue")
    assert "MessageDeduplicationId" in message_of(e)
    assert counts(sqs, url) == (0, 0, 0)


def test_standard_queues_take_group_ids_but_not_deduplication_ids(sqs):
    """MessageDeduplicationId "applies only to FIFO queues": on a standard queue it is InvalidParameterValue naming
    the parameter. MessageGroupId is accepted on a standard queue ("In standard queues, using MessageGroupId enables
    fair queues") and comes back as the MessageGroupId system attribute; the FIFO-only SequenceNumber and
    MessageDeduplicationId do not appear."""
    url, _, _ = make_queue(sqs, "fair")
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d1")
    assert_error(e, "InvalidParameterValue")
    assert "MessageDeduplicationId" in message_of(e)
    assert counts(sqs, url) == (0, 0, 0)

    sent = sqs.send_message(QueueUrl=url, MessageBody="tenant message", MessageGroupId="tenant-a")
    assert "SequenceNumber" not in sent
    m, = receive(sqs, url, MessageSystemAttributeNames=["MessageGroupId"], VisibilityTimeout=0, WaitTimeSeconds=2)
    assert m["MessageId"] == sent["MessageId"]
    assert m["Attributes"] == {"MessageGroupId": "tenant-a"}
    m, = receive(sqs, url, MessageSystemAttributeNames=["All"], WaitTimeSeconds=2)
    assert m["Attributes"]["MessageGroupId"] == "tenant-a"
    assert "SequenceNumber" not in m["Attributes"] and "MessageDeduplicationId" not in m["Attributes"]


# -------------------------------------------------------------------------------------------- deduplication

def test_a_repeated_deduplication_id_is_accepted_but_not_delivered(sqs):
    """"If a message with a particular MessageDeduplicationId is sent successfully, any messages sent with the same
    MessageDeduplicationId are accepted successfully but aren't delivered during the 5-minute deduplication
    interval", with the MessageId of the first. "Amazon SQS continues to keep track of the message deduplication ID
    even after the message is received and deleted." With the default DeduplicationScope=queue the id is shared by
    all groups (LocalStack, AWS-validated: test_fifo_deduplication_arrives_once_after_delete,
    test_fifo_deduplication_not_on_message_group_id)."""
    url, _, _ = fifo_queue(sqs, "dedup")
    first = send(sqs, url, "original", "g", dedup="same")
    again = send(sqs, url, "impostor", "g", dedup="same")
    assert again["MessageId"] == first["MessageId"]
    assert counts(sqs, url) == (1, 0, 0)

    m, = receive(sqs, url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"])
    assert m["Body"] == "original" and m["MessageId"] == first["MessageId"]
    assert m["Attributes"]["MessageDeduplicationId"] == "same"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])

    late = send(sqs, url, "after delete", "g", dedup="same")
    assert late["MessageId"] == first["MessageId"]
    other_group = send(sqs, url, "other group", "g2", dedup="same")
    assert other_group["MessageId"] == first["MessageId"], "deduplication is queue-wide by default"
    assert counts(sqs, url) == (0, 0, 0)
    assert receive(sqs, url, MaxNumberOfMessages=10, WaitTimeSeconds=1) == []

    fresh = send(sqs, url, "fresh", "g", dedup="another")
    assert fresh["MessageId"] != first["MessageId"]
    assert bodies(collect(sqs, url, 1, timeout=10)) == ["fresh"]


def test_content_based_deduplication_uses_the_sha256_of_the_body(sqs):
    """With ContentBasedDeduplication, "Amazon SQS uses a SHA-256 hash to generate the MessageDeduplicationId using the
    body of the message (but not the attributes of the message)": an identical body is a duplicate (same MessageId,
    even with other attributes), a different body is not. An explicit MessageDeduplicationId overrides the generated
    one, and "if you send one message with ContentBasedDeduplication enabled and then another message with a
    MessageDeduplicationId that is the same as the one generated for the first", they are duplicates. "The
    MessageDeduplicationId is available to the consumer of the message"."""
    url, _, _ = fifo_queue(sqs, "content", ContentBasedDeduplication="true")
    body = "payload " + uuid.uuid4().hex
    other = "other " + uuid.uuid4().hex
    first = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
    same = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g", MessageAttributes={
        "note": {"DataType": "String", "StringValue": "attributes are not hashed"}})
    assert same["MessageId"] == first["MessageId"]
    different = sqs.send_message(QueueUrl=url, MessageBody=other, MessageGroupId="g")
    assert different["MessageId"] != first["MessageId"]
    explicit = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g", MessageDeduplicationId="explicit")
    assert explicit["MessageId"] not in (first["MessageId"], different["MessageId"])
    by_hash = sqs.send_message(QueueUrl=url, MessageBody="unrelated body", MessageGroupId="g",
                               MessageDeduplicationId=sha256_hex(body))
    assert by_hash["MessageId"] == first["MessageId"]
    assert counts(sqs, url) == (3, 0, 0)

    got = collect(sqs, url, 3, timeout=10)
    assert bodies(got) == [body, other, body]
    assert [m["Attributes"]["MessageDeduplicationId"] for m in got] == [sha256_hex(body), sha256_hex(other), "explicit"]
    assert "MessageAttributes" not in got[0], "the duplicate's attributes were not stored"


def test_deduplication_scope_message_group(sqs):
    """With DeduplicationScope=messageGroup "message deduplication occurs at the message group" level: the same
    MessageDeduplicationId in two groups gives two messages, while it is still a duplicate within one group."""
    url, _, _ = fifo_queue(sqs, "scope", DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    in_g1 = send(sqs, url, "in g1", "g1", dedup="shared")
    in_g2 = send(sqs, url, "in g2", "g2", dedup="shared")
    assert in_g1["MessageId"] != in_g2["MessageId"]
    again_g1 = send(sqs, url, "again in g1", "g1", dedup="shared")
    assert again_g1["MessageId"] == in_g1["MessageId"]
    assert counts(sqs, url) == (2, 0, 0)
    got = collect(sqs, url, 2, timeout=10)
    assert sorted(bodies(got)) == ["in g1", "in g2"]
    assert receive(sqs, url, MaxNumberOfMessages=10, WaitTimeSeconds=1) == []


# ------------------------------------------------------------------------------------ ordering and locking

def test_one_receive_returns_a_groups_messages_in_send_order(sqs):
    """"ReceiveMessage might return messages with multiple MessageGroupId values. For each MessageGroupId, the
    messages are sorted by time sent." One receive of up to 10 may hold several messages of a group, in order
    (LocalStack, AWS-validated: test_fifo_receive_message_group_id_ordering), and every group is delivered in send
    order overall. AttributeNames=["All"] includes MessageGroupId, MessageDeduplicationId and SequenceNumber."""
    url, _, _ = fifo_queue(sqs, "order")
    plan = [("ga", "a1"), ("gb", "b1"), ("ga", "a2"), ("gb", "b2"), ("ga", "a3"), ("gc", "c1"), ("ga", "a4")]
    sent = {body: send(sqs, url, body, group) for group, body in plan}
    expected = {g: [b for gg, b in plan if gg == g] for g in ("ga", "gb", "gc")}

    first = receive(sqs, url, MaxNumberOfMessages=10, VisibilityTimeout=30, AttributeNames=["All"])
    assert first, "the queue holds seven visible messages"
    by_group = {}
    for m in first:
        a = m["Attributes"]
        assert a["SequenceNumber"] == sent[m["Body"]]["SequenceNumber"]
        assert a["MessageDeduplicationId"] == f"dedup-{m['Body']}"
        assert m["MessageId"] == sent[m["Body"]]["MessageId"]
        by_group.setdefault(a["MessageGroupId"], []).append(m["Body"])
    for group, got in by_group.items():
        assert got == expected[group][:len(got)], f"group {group} out of order or with a gap: {got}"
    assert max(len(v) for v in by_group.values()) >= 2, f"one receive gave one message per group only: {by_group}"

    sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(first)])
    rest = collect(sqs, url, len(plan) - len(first), timeout=10)
    for m in rest:
        by_group.setdefault(m["Attributes"]["MessageGroupId"], []).append(m["Body"])
    assert by_group == expected


def test_an_in_flight_message_locks_its_group_only(sqs):
    """"While messages with a particular MessageGroupId are invisible, no more messages belonging to the same
    MessageGroupId are returned until the visibility timeout expires. You can still receive messages with another
    MessageGroupId." Deleting the in-flight message releases the group (the next message comes); if instead its
    visibility timeout runs out, that same message comes back first, with ApproximateReceiveCount 2 (LocalStack,
    AWS-validated: test_fifo_receive_message_visibility_timeout_shared_in_group,
    test_fifo_messages_in_order_after_timeout)."""
    url, _, _ = fifo_queue(sqs, "lock")
    for group, body in [("ga", "a1"), ("ga", "a2"), ("ga", "a3"), ("gb", "b1"), ("gb", "b2")]:
        send(sqs, url, body, group)

    first, = receive(sqs, url, MaxNumberOfMessages=1, VisibilityTimeout=30, AttributeNames=["All"])
    assert first["Body"] == "a1" and first["Attributes"]["MessageGroupId"] == "ga"
    others = receive(sqs, url, MaxNumberOfMessages=10, VisibilityTimeout=30, AttributeNames=["MessageGroupId"])
    assert bodies(others) == ["b1", "b2"], "ga is locked by a1 in flight; gb is independent"
    assert receive(sqs, url, MaxNumberOfMessages=10) == [], "both groups have messages in flight"

    sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    second = receive(sqs, url, MaxNumberOfMessages=1, VisibilityTimeout=1, AttributeNames=["ApproximateReceiveCount"])
    assert bodies(second) == ["a2"], "deleting a1 released ga"
    assert second[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    assert receive(sqs, url, MaxNumberOfMessages=10) == [], "a2 in flight locks ga again (a3 waits)"

    # a2 is not deleted: when its 1 s visibility runs out it is the first of ga again, never a3 before it.
    again = receive(sqs, url, MaxNumberOfMessages=10, VisibilityTimeout=30, WaitTimeSeconds=5,
                    AttributeNames=["ApproximateReceiveCount"])
    assert again, "a2 came back after its visibility timeout"
    assert again[0]["Body"] == "a2" and again[0]["MessageId"] == second[0]["MessageId"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert bodies(again) in (["a2"], ["a2", "a3"])


# -------------------------------------------------------------------------------------------------- redrive

def test_a_retried_receive_with_the_same_attempt_id_gets_the_same_messages(sqs):
    """ReceiveRequestAttemptId (FIFO only): retrying a receive with the same id within five minutes returns the same
    messages with the same receipt handles while none of them was deleted or changed; afterwards the id no longer
    repeats anything and the receive takes what is available."""
    url, _, _ = fifo_queue(sqs, VisibilityTimeout=30)
    for g in ("a", "b", "c"):
        send(sqs, url, g + "1", g)
    first = receive(sqs, url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1")
    assert len(first) == 2
    again = receive(sqs, url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1")
    assert [m["MessageId"] for m in again] == [m["MessageId"] for m in first]
    assert [m["ReceiptHandle"] for m in again] == [m["ReceiptHandle"] for m in first]
    # Another attempt id is another receive: only the group not in flight is left.
    other = receive(sqs, url, MaxNumberOfMessages=10, ReceiveRequestAttemptId="attempt-2")
    assert len(other) == 1 and other[0]["MessageId"] not in {m["MessageId"] for m in first}
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    assert receive(sqs, url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1") == []
    with pytest.raises(sqs.exceptions.ClientError) as e:
        receive(sqs, url, ReceiveRequestAttemptId="has space")
    assert_error(e, "InvalidParameterValue")


def test_a_stale_receipt_cannot_delete_a_message_another_consumer_holds(sqs):
    """On a FIFO queue a receipt handle is good only while its receive holds the message: once the visibility ran
    out and another consumer received the message, the first handle is refused (InvalidParameterValue, "The receipt
    handle has expired") and the group stays held by the new consumer."""
    url, _, _ = fifo_queue(sqs, VisibilityTimeout=1)
    send(sqs, url, "a1", "a")
    send(sqs, url, "a2", "a")
    stale = receive(sqs, url)[0]
    current = wait_for(lambda: receive(sqs, url), timeout=10, what="a1 visible again")[0]
    assert current["Body"] == "a1" and current["ReceiptHandle"] != stale["ReceiptHandle"]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=current["ReceiptHandle"], VisibilityTimeout=30)
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=stale["ReceiptHandle"])
    assert_error(e, "InvalidParameterValue")
    # In a batch the entry fails as ReceiptHandleIsInvalid; the request itself succeeds.
    batch = sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": "stale", "ReceiptHandle": stale["ReceiptHandle"]}])
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in batch["Failed"]] == [("stale", "ReceiptHandleIsInvalid", True)]
    assert receive(sqs, url) == []
    sqs.delete_message(QueueUrl=url, ReceiptHandle=current["ReceiptHandle"])
    assert bodies(receive(sqs, url)) == ["a2"]


def test_a_long_poll_wakes_when_a_shortened_visibility_frees_the_group(sqs):
    """A consumer long-polls a group held for 30 s; the holder shortens the visibility to 1 s: the waiting receive
    gets the message about a second later, not at the end of its 20 s wait."""
    url, _, _ = fifo_queue(sqs, VisibilityTimeout=30)
    send(sqs, url, "a1", "a")
    held = receive(sqs, url)[0]
    result = {}

    def poll():
        t = time.monotonic()
        result["messages"] = receive(sqs, url, WaitTimeSeconds=20)
        result["seconds"] = time.monotonic() - t

    waiter = threading.Thread(target=poll)
    waiter.start()
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=held["ReceiptHandle"], VisibilityTimeout=1)
    waiter.join(25)
    assert bodies(result["messages"]) == ["a1"]
    assert result["seconds"] < 10, result


def test_a_fifo_queue_needs_a_fifo_dead_letter_queue(sqs):
    """"The dead-letter queue of a FIFO queue must also be a FIFO queue. Similarly, the dead-letter queue of a
    standard queue must also be a standard queue." A mismatch is InvalidParameterValue for RedrivePolicy (AWS:
    "Value {...} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as
    the source."), at creation and on SetQueueAttributes."""
    _, standard_dlq_arn, _ = make_queue(sqs, "std-dlq")
    _, fifo_dlq_arn, _ = fifo_queue(sqs, "fifo-dlq")

    name = unique("src") + ".fifo"
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true",
                                                     "RedrivePolicy": redrive(standard_dlq_arn, 3)})
    assert_error(e, "InvalidParameterValue")
    assert "RedrivePolicy" in message_of(e)
    assert absent(sqs, name)

    url, _, _ = fifo_queue(sqs, "src-set")
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": redrive(standard_dlq_arn, 3)})
    assert_error(e, "InvalidParameterValue")
    assert "RedrivePolicy" in message_of(e)
    assert "RedrivePolicy" not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]

    standard_url, _, _ = make_queue(sqs, "std-src")
    with pytest.raises(sqs.exceptions.ClientError) as e:
        sqs.set_queue_attributes(QueueUrl=standard_url, Attributes={"RedrivePolicy": redrive(fifo_dlq_arn, 3)})
    assert_error(e, "InvalidParameterValue")
    assert "RedrivePolicy" in message_of(e)

    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": redrive(fifo_dlq_arn, 3)})
    policy = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])[
        "Attributes"]["RedrivePolicy"])
    assert policy["deadLetterTargetArn"] == fifo_dlq_arn and int(policy["maxReceiveCount"]) == 3


def test_a_fifo_message_moves_to_the_fifo_dead_letter_queue(sqs):
    """A message received maxReceiveCount times moves to the FIFO dead-letter queue with its MessageId, body and
    MessageGroupId (LocalStack, AWS-validated: test_dead_letter_queue_with_fifo_and_content_based_deduplication);
    "when a message is moved from a FIFO queue to a FIFO DLQ, the original message's deduplication ID will be
    replaced with the original message's ID" (developer guide, dead-letter queue redrive). The next message of
    the group is then delivered from the source queue."""
    dlq_url, dlq_arn, _ = fifo_queue(sqs, "dlq")
    url, _, _ = fifo_queue(sqs, "src", RedrivePolicy=redrive(dlq_arn, 2))
    poison = send(sqs, url, "poison", "g", MessageAttributes={"why": {"DataType": "String", "StringValue": "test"}})
    send(sqs, url, "after", "g")

    for expected in ("1", "2"):
        m, = receive(sqs, url, MaxNumberOfMessages=1, VisibilityTimeout=60, WaitTimeSeconds=2,
                     AttributeNames=["ApproximateReceiveCount"])
        assert m["MessageId"] == poison["MessageId"] and m["Attributes"]["ApproximateReceiveCount"] == expected
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)

    rest = collect(sqs, url, 1, timeout=10)
    assert bodies(rest) == ["after"], "the third receive moves poison away and the group goes on"
    moved = collect(sqs, dlq_url, 1, timeout=10)
    assert len(moved) == 1
    m = moved[0]
    assert m["MessageId"] == poison["MessageId"] and m["Body"] == "poison"
    assert m["Attributes"]["MessageGroupId"] == "g"
    assert m["Attributes"]["MessageDeduplicationId"] == poison["MessageId"]
    assert_sequence_number(m["Attributes"]["SequenceNumber"])
    assert m["MessageAttributes"]["why"]["StringValue"] == "test"
    assert counts(sqs, url) == (0, 0, 0)


# -------------------------------------------------------------------------------- event source mappings

RECORDER = r'''
import os

SEEN = []       # what this environment was given, in order
FAILED = set()  # bodies failed once already

def handler(event, context):
    if event.get("report"):
        return {"seen": SEEN}
    fail_once = set(filter(None, os.environ.get("FAIL_ONCE", "").split(",")))
    records = event["Records"]
    for i, r in enumerate(records):
        a = r.get("attributes", {})
        entry = {"body": r["body"], "messageId": r["messageId"], "group": a.get("MessageGroupId"),
                 "dedup": a.get("MessageDeduplicationId"), "sequence": a.get("SequenceNumber"),
                 "receiveCount": a.get("ApproximateReceiveCount"), "outcome": "ok"}
        if r["body"] in fail_once and r["body"] not in FAILED:
            FAILED.add(r["body"])
            entry["outcome"] = "failed"
            SEEN.append(entry)
            # FIFO: stop at the first failure; report it and every record not processed yet.
            return {"batchItemFailures": [{"itemIdentifier": x["messageId"]} for x in records[i:]]}
        SEEN.append(entry)
    return {"batchItemFailures": []}
'''


def recorder(slam, runtime, **env):
    """A recording function that keeps every record it was given (see `recording_function`)."""
    return recording_function(slam, runtime, RECORDER, "fifo-rec", **env)


def send_groups(sqs, url, groups, per_group):
    """Sends `<group>-<n>` bodies, the groups interleaved, deduplication ids `dedup-<body>`; returns
    {body: SequenceNumber}."""
    all_bodies = [f"{g}-{i}" for i in range(per_group) for g in groups]
    sequence = {}
    for start in range(0, len(all_bodies), 10):
        chunk = all_bodies[start:start + 10]
        r = sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": b, "MessageBody": b, "MessageGroupId": b.rsplit("-", 1)[0], "MessageDeduplicationId": f"dedup-{b}"}
            for b in chunk])
        assert r.get("Failed", []) == [], r
        sequence.update({e["Id"]: e["SequenceNumber"] for e in r["Successful"]})
    return sequence


def test_a_fifo_mapping_refuses_a_batching_window(slam, sqs, python_runtime, mappings):
    """"MaximumBatchingWindowInSeconds ... Batching window is not supported for FIFO queues" (Lambda parameters for
    Amazon SQS event source mappings, which apply to CreateEventSourceMapping and UpdateEventSourceMapping alike):
    a window above 0 on a FIFO queue is InvalidParameterValueException (400) and creates nothing; a mapping without
    one is accepted, keeps MaximumBatchingWindowInSeconds 0, and cannot be updated to have one."""
    _, arn, _ = fifo_queue(sqs, "esm-window")
    fn = unique("fifo-fn")
    slam.create_function(FunctionName=fn, Runtime=python_runtime, Role=ROLE, Handler="app.handler", Timeout=3,
                         Code={"ZipFile": make_zip()})
    for settings in [{"MaximumBatchingWindowInSeconds": 1}, {"MaximumBatchingWindowInSeconds": 300},
                     {"BatchSize": 11, "MaximumBatchingWindowInSeconds": 1}]:
        with pytest.raises(slam.exceptions.InvalidParameterValueException) as e:
            slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, **settings)
        assert http_status(e) == 400, settings
    assert slam.list_event_source_mappings(FunctionName=fn)["EventSourceMappings"] == []

    created = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, BatchSize=10)
    mappings.append(created["UUID"])
    assert created.get("MaximumBatchingWindowInSeconds", 0) == 0
    wait_for(lambda: slam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Enabled", timeout=30,
             interval=0.1, what="the mapping to be enabled")
    with pytest.raises(slam.exceptions.InvalidParameterValueException) as e:
        slam.update_event_source_mapping(UUID=created["UUID"], MaximumBatchingWindowInSeconds=1)
    assert http_status(e) == 400
    assert slam.get_event_source_mapping(UUID=created["UUID"]).get("MaximumBatchingWindowInSeconds", 0) == 0


def test_a_fifo_mapping_delivers_every_group_in_send_order(slam, sqs, python_runtime, mappings):
    """Lambda reads a FIFO queue group by group: every message is delivered once, and within each message group the
    function sees the bodies in send order. Each record's attributes carry the FIFO system attributes
    MessageGroupId, MessageDeduplicationId and SequenceNumber ("Using Lambda with Amazon SQS", FIFO example event)."""
    url, arn, _ = fifo_queue(sqs, "esm-order", VisibilityTimeout=2)
    fn = recorder(slam, python_runtime)
    groups = ["ga", "gb", "gc"]
    sequence = send_groups(sqs, url, groups, 4)

    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, BatchSize=3,
                                         ScalingConfig={"MaximumConcurrency": 2})
    mappings.append(m["UUID"])
    wait_for(lambda: drained(sqs, url), timeout=60, interval=0.25, what="the FIFO queue to drain")

    seen = recorded(slam, fn)
    assert all(s["outcome"] == "ok" for s in seen)
    assert sorted(s["body"] for s in seen) == sorted(sequence), "every message exactly once"
    for g in groups:
        assert [s["body"] for s in seen if s["group"] == g] == [f"{g}-{i}" for i in range(4)], g
    for s in seen:
        assert s["group"] == s["body"].rsplit("-", 1)[0], s
        assert s["dedup"] == f"dedup-{s['body']}", s
        assert s["sequence"] == sequence[s["body"]], s


def test_a_reported_fifo_failure_comes_back_and_keeps_the_group_in_order(slam, sqs, python_runtime, mappings):
    """With ReportBatchItemFailures, a FIFO function that fails a message stops there and returns that message and
    every later one of the batch in batchItemFailures ("Handling errors for an SQS event source in Lambda"). The
    failed message comes back after the visibility timeout (ApproximateReceiveCount 2 or more) and is delivered
    again; nothing after it in its group is processed before it, so each group is still processed in send order."""
    url, arn, _ = fifo_queue(sqs, "esm-fail", VisibilityTimeout=2)
    fn = recorder(slam, python_runtime, FAIL_ONCE="ga-1")
    groups = ["ga", "gb"]
    send_groups(sqs, url, groups, 4)

    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, BatchSize=3,
                                         FunctionResponseTypes=["ReportBatchItemFailures"],
                                         ScalingConfig={"MaximumConcurrency": 2})
    mappings.append(m["UUID"])
    wait_for(lambda: drained(sqs, url), timeout=60, interval=0.25, what="the FIFO queue to drain")

    seen = recorded(slam, fn)
    failed = [s for s in seen if s["outcome"] == "failed"]
    assert [s["body"] for s in failed] == ["ga-1"], seen
    ok = [s for s in seen if s["outcome"] == "ok"]
    for g in groups:
        assert [s["body"] for s in ok if s["group"] == g] == [f"{g}-{i}" for i in range(4)], (g, seen)
    redelivered, = [s for s in ok if s["body"] == "ga-1"]
    assert int(redelivered["receiveCount"]) >= 2
    assert redelivered["messageId"] == failed[0]["messageId"]
    assert seen.index(failed[0]) < seen.index(redelivered)
