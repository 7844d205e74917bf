"""SNS through boto3: topics, subscriptions, SNS → SQS (envelope and raw), SNS → Lambda, HTTP subscriptions with the
confirmation handshake and signatures checked by a real verifier, filter policies, PublishBatch, FIFO, and a Lambda
destination on a topic."""
import base64
import http.server
import json
import threading
import time
import urllib.request
import uuid

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from async_support import collect, invoke_event, make_queue, python_runtime_of, strict_client
from conftest import LAMBDA_TRUST, make_zip, wait_for

ACCOUNT = "000000000000"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def sns(server):
    return strict_client(server, "sns")


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def allow_topic(sqs, url, queue_arn, topic_arn):
    """The queue policy AWS requires before a topic may send to a queue."""
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})


def subscribed_queue(sns, sqs, topic_arn, attributes=None, fifo=False):
    """A queue that allows the topic, subscribed to it; returns (url, queue arn, subscription arn)."""
    if fifo:
        name = unique("q") + ".fifo"
        url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
        arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    else:
        url, arn, _ = make_queue(sqs, "snsq")
    allow_topic(sqs, url, arn, topic_arn)
    sub = sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes or {},
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    return url, arn, sub


def canonical(message):
    """The string AWS signs (its documented algorithm for verifying SNS message signatures)."""
    if message["Type"] == "Notification":
        keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{message[k]}\n" for k in keys if k in message and message[k] is not None)


def verify_signature(message, cert_key="SigningCertURL"):
    """Checks the signature with the certificate fetched from the message's SigningCertURL (raises when invalid)."""
    with urllib.request.urlopen(message[cert_key], timeout=10) as r:
        cert = x509.load_pem_x509_certificate(r.read())
    algorithm = hashes.SHA1() if message["SignatureVersion"] == "1" else hashes.SHA256()
    cert.public_key().verify(base64.b64decode(message["Signature"]), canonical(message).encode(), padding.PKCS1v15(), algorithm)


def test_topic_lifecycle_attributes_tags_and_permissions(sns):
    name = unique()
    arn = sns.create_topic(Name=name, Attributes={"DisplayName": "Alerts"}, Tags=[{"Key": "team", "Value": "a"}])["TopicArn"]
    assert arn == f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"
    assert sns.create_topic(Name=name, Attributes={"DisplayName": "Alerts"})["TopicArn"] == arn
    with pytest.raises(sns.exceptions.InvalidParameterException, match="already exists with different attributes"):
        sns.create_topic(Name=name, Attributes={"DisplayName": "Other"})
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Topic Name"):
        sns.create_topic(Name="bad name!")

    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["TopicArn"] == arn and attributes["Owner"] == ACCOUNT and attributes["DisplayName"] == "Alerts"
    assert attributes["SubscriptionsConfirmed"] == "0" and attributes["SubscriptionsPending"] == "0"
    policy = json.loads(attributes["Policy"])
    assert policy["Id"] == "__default_policy_ID" and "SNS:Publish" in policy["Statement"][0]["Action"]
    assert json.loads(attributes["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3

    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Renamed")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Renamed"
    with pytest.raises(sns.exceptions.InvalidParameterException, match="SignatureVersion"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="3")
    with pytest.raises(sns.exceptions.InvalidParameterException, match="AttributeName"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="Nope", AttributeValue="x")
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Policy"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue="{not json")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Renamed"

    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]
    with pytest.raises(sns.exceptions.ResourceNotFoundException):
        sns.list_tags_for_resource(ResourceArn=arn + "-missing")

    sns.add_permission(TopicArn=arn, Label="other", AWSAccountId=["111122223333"], ActionName=["Publish"])
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    other = [s for s in statements if s["Sid"] == "other"][0]
    assert other["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"} and other["Action"] == "SNS:Publish"
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.add_permission(TopicArn=arn, Label="other", AWSAccountId=["111122223333"], ActionName=["Publish"])
    sns.remove_permission(TopicArn=arn, Label="other")
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["__default_statement_ID"]

    sns.delete_topic(TopicArn=arn)
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.get_topic_attributes(TopicArn=arn)
    sns.delete_topic(TopicArn=arn)


def test_list_topics_pages_by_100(sns):
    prefix = unique("page")
    made = {sns.create_topic(Name=f"{prefix}-{i}")["TopicArn"] for i in range(105)}
    seen, token, pages = set(), None, 0
    while True:
        r = sns.list_topics(**({"NextToken": token} if token else {}))
        assert len(r["Topics"]) <= 100
        seen |= {t["TopicArn"] for t in r["Topics"]}
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
    assert made <= seen and pages >= 2
    for arn in made:
        sns.delete_topic(TopicArn=arn)


def test_sns_to_sqs_envelope_and_signature(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, queue_arn, sub = subscribed_queue(sns, sqs, topic)
    denied_url, denied_arn, _ = make_queue(sqs, "denied")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=denied_arn)
    r = sns.publish(TopicArn=topic, Message="hello\nworld", Subject="Greeting",
                    MessageAttributes={"color": {"DataType": "String", "StringValue": "red"},
                                       "size": {"DataType": "Number", "StringValue": "3"},
                                       "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    message_id = r["MessageId"]
    assert str(uuid.UUID(message_id)) == message_id
    [m] = collect(sqs, url, 1)
    body = m["Body"]
    assert body.startswith('{\n  "Type" : "Notification",\n  "MessageId" : "' + message_id + '",\n  "TopicArn" : ')
    envelope = json.loads(body)
    assert list(envelope) == ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                              "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]
    assert envelope["TopicArn"] == topic and envelope["Subject"] == "Greeting" and envelope["Message"] == "hello\nworld"
    assert envelope["SignatureVersion"] == "1" and sub in urllib.request.unquote(envelope["UnsubscribeURL"])
    assert envelope["MessageAttributes"] == {"color": {"Type": "String", "Value": "red"},
                                             "size": {"Type": "Number", "Value": "3"},
                                             "raw": {"Type": "Binary", "Value": "AAE="}}
    assert "MessageAttributes" not in m  # the envelope carries them; the SQS message has none
    time.strptime(envelope["Timestamp"][:19], "%Y-%m-%dT%H:%M:%S")
    verify_signature(envelope)
    tampered = dict(envelope, Message="other")
    with pytest.raises(Exception):
        verify_signature(tampered)
    # A queue whose policy does not allow the topic receives nothing.
    assert sqs.receive_message(QueueUrl=denied_url, WaitTimeSeconds=1).get("Messages", []) == []

    # No subject: no Subject field; SignatureVersion 2 signs with SHA256.
    sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="2")
    sns.publish(TopicArn=topic, Message="second")
    [m] = collect(sqs, url, 1)
    envelope = json.loads(m["Body"])
    assert "Subject" not in envelope and "MessageAttributes" not in envelope and envelope["SignatureVersion"] == "2"
    verify_signature(envelope)


def test_sns_to_sqs_raw_delivery_keeps_attributes(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, _, sub = subscribed_queue(sns, sqs, topic, {"RawMessageDelivery": "true"})
    assert sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["RawMessageDelivery"] == "true"
    sns.publish(TopicArn=topic, Message='{"raw": true}', Subject="ignored",
                MessageAttributes={"color": {"DataType": "String", "StringValue": "red"},
                                   "n": {"DataType": "Number", "StringValue": "1.5"},
                                   "b": {"DataType": "Binary", "BinaryValue": b"\xff"}})
    [m] = collect(sqs, url, 1)
    assert m["Body"] == '{"raw": true}'
    attributes = m["MessageAttributes"]
    assert attributes["color"] == {"DataType": "String", "StringValue": "red"}
    assert attributes["n"] == {"DataType": "Number", "StringValue": "1.5"}
    assert attributes["b"] == {"DataType": "Binary", "BinaryValue": b"\xff"}


def test_message_structure_json_per_protocol(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, _, _ = subscribed_queue(sns, sqs, topic)
    sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"default": "d", "sqs": "for queues"}))
    [m] = collect(sqs, url, 1)
    assert json.loads(m["Body"])["Message"] == "for queues"
    with pytest.raises(sns.exceptions.InvalidParameterException, match="No default entry"):
        sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"sqs": "x"}))
    with pytest.raises(sns.exceptions.InvalidParameterException, match="failed to parse"):
        sns.publish(TopicArn=topic, MessageStructure="json", Message="not json")


def test_filter_policies_attributes_and_body(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    attr_url, _, attr_sub = subscribed_queue(sns, sqs, topic, {
        "FilterPolicy": json.dumps({"store": ["example_corp"], "price_usd": [{"numeric": [">=", 100]}],
                                    "customer_interests": ["rugby", "football"]})})
    body_url, _, body_sub = subscribed_queue(sns, sqs, topic, {
        "FilterPolicyScope": "MessageBody",
        "FilterPolicy": json.dumps({"order": {"status": [{"prefix": "ship"}]}, "$or": [{"vip": [True]}, {"total": [{"numeric": [">", 50]}]}]})})
    attrs = sns.get_subscription_attributes(SubscriptionArn=body_sub)["Attributes"]
    assert attrs["FilterPolicyScope"] == "MessageBody" and json.loads(attrs["FilterPolicy"])["order"]

    def publish(message, **attributes):
        sns.publish(TopicArn=topic, Message=message, MessageAttributes={
            k: ({"DataType": "Number", "StringValue": str(v)} if isinstance(v, (int, float)) else
                {"DataType": "String.Array", "StringValue": json.dumps(v)} if isinstance(v, list) else
                {"DataType": "String", "StringValue": v}) for k, v in attributes.items()})

    publish("a-match", store="example_corp", price_usd=210.75, customer_interests=["soccer", "rugby"])
    publish("a-cheap", store="example_corp", price_usd=10, customer_interests=["rugby"])
    publish("a-store", store="other", price_usd=210, customer_interests=["rugby"])
    publish(json.dumps({"order": {"status": "shipped"}, "total": 60, "id": "b-match"}))
    publish(json.dumps({"order": {"status": "shipped"}, "vip": True, "id": "b-vip"}))
    publish(json.dumps({"order": {"status": "pending"}, "total": 99, "id": "b-pending"}))
    publish(json.dumps({"order": {"status": "shipped"}, "total": 5, "id": "b-small"}))

    got = [json.loads(m["Body"])["Message"] for m in collect(sqs, attr_url, 1)]
    assert got == ["a-match"]
    got = sorted(json.loads(json.loads(m["Body"])["Message"])["id"] for m in collect(sqs, body_url, 2))
    assert got == ["b-match", "b-vip"]
    time.sleep(0)  # everything above was accepted before Publish answered; nothing else may arrive:
    assert sqs.receive_message(QueueUrl=attr_url, WaitTimeSeconds=1).get("Messages", []) == []
    assert sqs.receive_message(QueueUrl=body_url, WaitTimeSeconds=1).get("Messages", []) == []

    # Changing the policy takes effect; a refused policy changes nothing.
    with pytest.raises(sns.exceptions.InvalidParameterException, match="FilterPolicy"):
        sns.set_subscription_attributes(SubscriptionArn=attr_sub, AttributeName="FilterPolicy",
                                        AttributeValue=json.dumps({k: ["x"] for k in "abcdef"}))
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Unrecognized match type"):
        sns.set_subscription_attributes(SubscriptionArn=attr_sub, AttributeName="FilterPolicy",
                                        AttributeValue=json.dumps({"a": [{"regex": "x"}]}))
    assert json.loads(sns.get_subscription_attributes(SubscriptionArn=attr_sub)["Attributes"]["FilterPolicy"])["store"] == ["example_corp"]
    sns.set_subscription_attributes(SubscriptionArn=attr_sub, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"store": [{"anything-but": {"prefix": "exa"}}]}))
    publish("c-other", store="other")
    publish("c-example", store="example_corp")
    assert [json.loads(m["Body"])["Message"] for m in collect(sqs, attr_url, 1)] == ["c-other"]


def test_publish_batch_partial_failure(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, _, _ = subscribed_queue(sns, sqs, topic, {"RawMessageDelivery": "true"})
    r = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "ok1", "Message": "one"},
        {"Id": "bad", "Message": "x", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "abc"}}},
        {"Id": "ok2", "Message": "two", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
    ])
    assert sorted(s["Id"] for s in r["Successful"]) == ["ok1", "ok2"]
    assert all(str(uuid.UUID(s["MessageId"])) == s["MessageId"] for s in r["Successful"])
    [failed] = r["Failed"]
    assert failed["Id"] == "bad" and failed["Code"] == "InvalidParameter" and failed["SenderFault"] is True
    assert sorted(m["Body"] for m in collect(sqs, url, 2)) == ["one", "two"]

    with pytest.raises(sns.exceptions.TooManyEntriesInBatchRequestException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": str(i), "Message": "m"} for i in range(11)])
    with pytest.raises(sns.exceptions.BatchEntryIdsNotDistinctException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a", "Message": "m"}, {"Id": "a", "Message": "m"}])
    with pytest.raises(sns.exceptions.InvalidBatchEntryIdException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a b", "Message": "m"}])
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.publish_batch(TopicArn=topic + "-missing", PublishBatchRequestEntries=[{"Id": "a", "Message": "m"}])


def test_fifo_topic_to_fifo_queue(sns, sqs):
    topic = sns.create_topic(Name=unique() + ".fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["FifoTopic"] == "true"
    standard_url, standard_arn, _ = make_queue(sqs, "std")
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=standard_arn)
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:f")
    url, _, _ = subscribed_queue(sns, sqs, topic, {"RawMessageDelivery": "true"}, fifo=True)
    with pytest.raises(sns.exceptions.InvalidParameterException, match="MessageGroupId"):
        sns.publish(TopicArn=topic, Message="m", MessageDeduplicationId="d")
    with pytest.raises(sns.exceptions.InvalidParameterException, match="ContentBasedDeduplication"):
        sns.publish(TopicArn=topic, Message="m", MessageGroupId="g")
    first = sns.publish(TopicArn=topic, Message="m1", MessageGroupId="g", MessageDeduplicationId="d1")
    again = sns.publish(TopicArn=topic, Message="m1", MessageGroupId="g", MessageDeduplicationId="d1")
    assert first["MessageId"] == again["MessageId"] and first["SequenceNumber"]
    sns.publish(TopicArn=topic, Message="m2", MessageGroupId="g", MessageDeduplicationId="d2")
    got = collect(sqs, url, 2)
    assert sorted(m["Body"] for m in got) == ["m1", "m2"]
    assert {m["Attributes"]["MessageGroupId"] for m in got} == {"g"}
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []) == []


def test_subscription_management_and_refused_protocols(sns, sqs):
    topic = sns.create_topic(Name=unique())["TopicArn"]
    for protocol, endpoint in [("email", "a@example.com"), ("sms", "+15555550100"), ("application", "arn:aws:sns:us-east-1:0:endpoint/x")]:
        with pytest.raises(sns.exceptions.InvalidParameterException, match=protocol):
            sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=endpoint)
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Protocol"):
        sns.subscribe(TopicArn=topic, Protocol="carrier-pigeon", Endpoint="x")
    with pytest.raises(sns.exceptions.InvalidParameterException, match="SQS endpoint ARN"):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="not-an-arn")
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.subscribe(TopicArn=topic + "-missing", Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{ACCOUNT}:q")
    _, queue_arn, _ = make_queue(sqs, "sub")
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    assert sub.startswith(topic + ":")
    assert sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"] == sub
    with pytest.raises(sns.exceptions.InvalidParameterException, match="different attributes"):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    attrs = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert attrs["Protocol"] == "sqs" and attrs["Endpoint"] == queue_arn and attrs["PendingConfirmation"] == "false"
    assert attrs["TopicArn"] == topic and attrs["Owner"] == ACCOUNT and attrs["RawMessageDelivery"] == "false"
    with pytest.raises(sns.exceptions.InvalidParameterException, match="RawMessageDelivery"):
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="maybe")
    with pytest.raises(sns.exceptions.InvalidParameterException, match="RedrivePolicy"):
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RedrivePolicy", AttributeValue="{}")
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert listed == [{"SubscriptionArn": sub, "Owner": ACCOUNT, "Protocol": "sqs", "Endpoint": queue_arn, "TopicArn": topic}]
    assert sub in [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]] or sns.list_subscriptions().get("NextToken")
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsConfirmed"] == "1"
    sns.unsubscribe(SubscriptionArn=sub)
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.get_subscription_attributes(SubscriptionArn=sub)
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Empty message"):
        sns.publish(TopicArn=topic, Message="")
    with pytest.raises(sns.exceptions.InvalidParameterException, match="too long"):
        sns.publish(TopicArn=topic, Message="x" * (256 * 1024 + 1))
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.publish(TopicArn=topic + "-missing", Message="m")


class Recorder(http.server.BaseHTTPRequestHandler):
    """Keeps every POST (headers and JSON body) and answers with the server's current status."""
    received = None
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(({k.lower(): v for k, v in self.headers.items()}, body.decode()))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    handler = type("Handler", (Recorder,), {"received": [], "status": 200})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{httpd.server_address[1]}/sns"
    httpd.shutdown()
    httpd.server_close()


def test_http_subscription_confirmation_and_signed_notifications(sns, endpoint):
    handler, url = endpoint
    topic = sns.create_topic(Name=unique())["TopicArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=url)["SubscriptionArn"] == "pending confirmation"
    headers, body = wait_for(lambda: handler.received and handler.received[0], what="SubscriptionConfirmation")
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert headers["x-amz-sns-topic-arn"] == topic
    assert headers["content-type"] == "text/plain; charset=UTF-8"
    confirmation = json.loads(body)
    assert list(confirmation) == ["Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL", "Timestamp",
                                  "SignatureVersion", "Signature", "SigningCertURL"]
    assert headers["x-amz-sns-message-id"] == confirmation["MessageId"]
    verify_signature(confirmation)
    [pending] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert pending["SubscriptionArn"] == "PendingConfirmation"
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsPending"] == "1"

    # Nothing is delivered before the endpoint confirms.
    sns.publish(TopicArn=topic, Message="too early")
    with urllib.request.urlopen(confirmation["SubscribeURL"], timeout=10) as r:
        assert r.status == 200
        answer = r.read().decode()
    assert "<ConfirmSubscriptionResponse" in answer and "<SubscriptionArn>" + topic + ":" in answer
    [sub] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert sub["SubscriptionArn"].startswith(topic + ":")
    attrs = sns.get_subscription_attributes(SubscriptionArn=sub["SubscriptionArn"])["Attributes"]
    assert attrs["PendingConfirmation"] == "false" and json.loads(attrs["EffectiveDeliveryPolicy"])["healthyRetryPolicy"]["numRetries"] == 3

    sns.publish(TopicArn=topic, Message="hello http", Subject="S",
                MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
    headers, body = wait_for(lambda: len(handler.received) >= 2 and handler.received[1], what="Notification")
    assert len(handler.received) == 2
    assert headers["x-amz-sns-message-type"] == "Notification"
    assert headers["x-amz-sns-subscription-arn"] == sub["SubscriptionArn"]
    notification = json.loads(body)
    assert notification["Message"] == "hello http" and notification["Subject"] == "S"
    assert notification["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    verify_signature(notification)

    sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="2")
    sns.publish(TopicArn=topic, Message="v2")
    _, body = wait_for(lambda: len(handler.received) >= 3 and handler.received[2], what="second notification")
    notification = json.loads(body)
    assert notification["SignatureVersion"] == "2"
    verify_signature(notification)

    # The UnsubscribeURL in every notification unsubscribes (unauthenticated confirmation).
    with urllib.request.urlopen(notification["UnsubscribeURL"], timeout=10) as r:
        assert "<UnsubscribeResponse" in r.read().decode()
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []


def test_confirm_subscription_action_with_token(sns, endpoint):
    handler, url = endpoint
    topic = sns.create_topic(Name=unique())["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=url, ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert arn.startswith(topic + ":")
    _, body = wait_for(lambda: handler.received and handler.received[0], what="SubscriptionConfirmation")
    token = json.loads(body)["Token"]
    with pytest.raises(sns.exceptions.InvalidParameterException, match="Token"):
        sns.confirm_subscription(TopicArn=topic, Token="0" * 20)
    assert sns.confirm_subscription(TopicArn=topic, Token=token, AuthenticateOnUnsubscribe="true")["SubscriptionArn"] == arn
    attrs = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attrs["ConfirmationWasAuthenticated"] == "true"


def test_sns_to_lambda_event_shape(server, sns):
    lam, logs = strict_client(server), strict_client(server, "logs")
    name = unique("snsfn")
    code = "import json\ndef handler(event, context):\n    print('EVENT ' + json.dumps(event))\n    return 'ok'\n"
    lam.create_function(FunctionName=name, Runtime=python_runtime_of(server), Role=f"arn:aws:iam::{ACCOUNT}:role/lambda-role",
                        Handler="app.handler", Code={"ZipFile": make_zip({"app.py": code})})
    function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    topic = sns.create_topic(Name=unique())["TopicArn"]
    lam.add_permission(FunctionName=name, StatementId="sns", Action="lambda:InvokeFunction",
                       Principal="sns.amazonaws.com", SourceArn=topic)
    sub = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)["SubscriptionArn"]
    with pytest.raises(sns.exceptions.InvalidParameterException, match="raw message delivery"):
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true")
    message_id = sns.publish(TopicArn=topic, Message="to lambda", MessageAttributes={
        "k": {"DataType": "String", "StringValue": "v"}})["MessageId"]

    def logged():
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}", filterPattern="EVENT")["events"]
        except logs.exceptions.ResourceNotFoundException:
            return None
        return [e for e in events if message_id in e["message"]]
    [line] = wait_for(logged, timeout=60, interval=0.5, what="the function's log of the SNS event")
    event = json.loads(line["message"].split("EVENT ", 1)[1])
    [record] = event["Records"]
    assert list(record) == ["EventSource", "EventVersion", "EventSubscriptionArn", "Sns"]
    assert record["EventSource"] == "aws:sns" and record["EventVersion"] == "1.0" and record["EventSubscriptionArn"] == sub
    sns_part = record["Sns"]
    assert list(sns_part) == ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                              "Signature", "SigningCertUrl", "UnsubscribeUrl", "MessageAttributes"]
    assert sns_part["Subject"] is None and sns_part["Message"] == "to lambda" and sns_part["MessageId"] == message_id
    assert sns_part["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    verify_signature(sns_part, cert_key="SigningCertUrl")


def test_lambda_destination_to_topic(server, sns, sqs):
    """An async invoke's OnSuccess destination is a topic; the topic delivers the record to its queue."""
    lam, iam = strict_client(server), strict_client(server, "iam")
    role = unique("snsrole")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    iam.put_role_policy(RoleName=role, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sns:Publish", "sqs:*"], "Resource": "*"}]}))
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, _, _ = subscribed_queue(sns, sqs, topic)
    name = unique("destfn")
    lam.create_function(FunctionName=name, Runtime=python_runtime_of(server), Role=f"arn:aws:iam::{ACCOUNT}:role/{role}",
                        Handler="app.handler", Code={"ZipFile": make_zip({"app.py": "def handler(e, c):\n    return {'got': e}\n"})})
    lam.put_function_event_invoke_config(FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": topic}})
    invoke_event(lam, name, {"n": 7})
    [m] = collect(sqs, url, 1, timeout=60)
    envelope = json.loads(m["Body"])
    assert envelope["Type"] == "Notification" and envelope["TopicArn"] == topic
    record = json.loads(envelope["Message"])
    assert record["requestContext"]["condition"] == "Success"
    assert record["requestPayload"] == {"n": 7} and record["responsePayload"] == {"got": {"n": 7}}


def test_topic_policy_allows_another_principal(server, sns):
    """Each operation needs sns:<Action> on the topic; the topic's Policy is its resource policy."""
    iam = strict_client(server, "iam")
    user = unique("snsuser")
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    other = server.client_as("sns", key["AccessKeyId"], key["SecretAccessKey"])
    topic = sns.create_topic(Name=unique())["TopicArn"]
    with pytest.raises(other.exceptions.ClientError) as denied:
        other.publish(TopicArn=topic, Message="m")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert denied.value.response["Error"]["Code"] == "AuthorizationError"
    assert isinstance(denied.value, other.exceptions.AuthorizationErrorException)
    assert "sns:Publish" in denied.value.response["Error"]["Message"]
    policy = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
    policy["Statement"].append({"Sid": "user-publish", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/{user}"},
                                "Action": "SNS:Publish", "Resource": topic})
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(policy))
    assert other.publish(TopicArn=topic, Message="m")["MessageId"]
    with pytest.raises(other.exceptions.ClientError) as denied:
        other.get_topic_attributes(TopicArn=topic)
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_awscli_create_topic_and_subscribe_lambda(server, sns):
    """The issue's commands: aws sns create-topic, aws sns subscribe --protocol lambda."""
    import os
    import shutil
    import subprocess
    exe = shutil.which("aws") or os.path.join(os.path.dirname(os.path.realpath(__import__("sys").executable)), "aws")
    env = {**os.environ, "AWS_SHARED_CREDENTIALS_FILE": os.path.join(server.data_dir, "credentials"),
           "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": os.devnull}

    def aws(*args):
        run = subprocess.run([exe, "--endpoint-url", server.endpoint, "--output", "json", "sns", *args],
                             capture_output=True, text=True, env=env, timeout=60)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout) if run.stdout.strip() else None

    name = unique("alerts")
    topic = aws("create-topic", "--name", name)["TopicArn"]
    assert topic == f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"
    endpoint_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{unique('fn')}"
    sub = aws("subscribe", "--topic-arn", topic, "--protocol", "lambda", "--notification-endpoint", endpoint_arn)["SubscriptionArn"]
    assert sub.startswith(topic + ":")
    assert aws("list-subscriptions-by-topic", "--topic-arn", topic)["Subscriptions"][0]["Endpoint"] == endpoint_arn
