"""SNS deliveries that must survive: HTTP retries per the delivery policy, the subscription's dead-letter queue,
a Lambda dead-letter topic, and a SIGKILL in the middle of a publish burst (every Publish that got a MessageId
arrives after restart)."""
import concurrent.futures
import json
import signal
import tempfile
import threading
import time
import uuid

import pytest

from async_support import FlaggedServer, collect, invoke_event, make_queue, python_runtime_of, strict_client
from conftest import LAMBDA_TRUST, Server, make_zip, wait_for
from test_sns import ACCOUNT, allow_topic, endpoint, subscribed_queue, unique  # noqa: F401 (endpoint is a fixture)


@pytest.fixture(scope="module")
def fast():
    """A server whose retry delays are divided by 1000 (SNS's 20 s HTTP retry becomes 20 ms)."""
    with tempfile.TemporaryDirectory(prefix="swiftlet-sns-") as data_dir:
        s = FlaggedServer(data_dir, ["--async-speedup", "1000"])
        yield s
        assert s.stop() == 0


def test_http_retries_then_dead_letter_queue(fast, endpoint):
    handler, url = endpoint
    sns, sqs = strict_client(fast, "sns"), strict_client(fast, "sqs")
    topic = sns.create_topic(Name=unique())["TopicArn"]
    dlq_url, dlq_arn, _ = make_queue(sqs, "snsdlq")
    allow_topic(sqs, dlq_url, dlq_arn, topic)
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=url, ReturnSubscriptionArn=True,
                        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})})["SubscriptionArn"]
    _, body = wait_for(lambda: handler.received and handler.received[0], what="SubscriptionConfirmation")
    sns.confirm_subscription(TopicArn=topic, Token=json.loads(body)["Token"])
    handler.status = 500
    message_id = sns.publish(TopicArn=topic, Message="doomed")["MessageId"]
    [letter] = collect(sqs, dlq_url, 1, timeout=30)
    notifications = [json.loads(b) for h, b in handler.received if h["x-amz-sns-message-type"] == "Notification"]
    # The default HTTP policy: one attempt and three retries.
    assert len(notifications) == 4 and {n["MessageId"] for n in notifications} == {message_id}
    envelope = json.loads(letter["Body"])
    assert envelope["MessageId"] == message_id and envelope["Message"] == "doomed" and envelope["TopicArn"] == topic

    # A subscription DeliveryPolicy changes the count; 4xx counts as delivered (as SNS does), so nothing is retried.
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
        {"healthyRetryPolicy": {"numRetries": 1, "minDelayTarget": 1, "maxDelayTarget": 1},
         "requestPolicy": {"headerContentType": "application/json"}}))
    before = len(handler.received)
    sns.publish(TopicArn=topic, Message="twice")
    collect(sqs, dlq_url, 1, timeout=30)
    assert len(handler.received) - before == 2
    assert handler.received[-1][0]["content-type"] == "application/json"
    handler.status = 404
    before = len(handler.received)
    sns.publish(TopicArn=topic, Message="client error")
    wait_for(lambda: len(handler.received) > before, what="the 404 attempt")
    assert sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=1).get("Messages", []) == []
    assert len(handler.received) - before == 1


def test_lambda_dead_letter_topic(fast):
    """A failed async invoke's event goes to the function's DeadLetterConfig topic, which delivers it to a queue."""
    lam, iam, sns, sqs = (strict_client(fast, s) for s in ("lambda", "iam", "sns", "sqs"))
    role = unique("dlqrole")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    iam.put_role_policy(RoleName=role, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": "*"}]}))
    topic = sns.create_topic(Name=unique())["TopicArn"]
    url, _, _ = subscribed_queue(sns, sqs, topic, {"RawMessageDelivery": "true"})
    name = unique("failing")
    lam.create_function(FunctionName=name, Runtime=python_runtime_of(fast), Role=f"arn:aws:iam::{ACCOUNT}:role/{role}",
                        Handler="app.handler", DeadLetterConfig={"TargetArn": topic},
                        Code={"ZipFile": make_zip({"app.py": "def handler(e, c):\n    raise ValueError('boom')\n"})})
    lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
    invoke_event(lam, name, {"order": 42})
    [m] = collect(sqs, url, 1, timeout=60)
    assert json.loads(m["Body"]) == {"order": 42}
    assert m["MessageAttributes"]["ErrorMessage"]["StringValue"] == "boom"
    assert m["MessageAttributes"]["RequestID"]["StringValue"]


def kill(server):
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=20)
    server.log.close()


def test_sigkill_during_publish_burst_loses_nothing():
    with tempfile.TemporaryDirectory(prefix="swiftlet-sns-kill-") as data_dir:
        server = Server(data_dir)
        sns, sqs = strict_client(server, "sns"), strict_client(server, "sqs")
        topic = sns.create_topic(Name="burst")["TopicArn"]
        urls = [subscribed_queue(sns, sqs, topic, {"RawMessageDelivery": "true"})[0] for _ in range(2)]
        accepted, lock, stop = [], threading.Lock(), threading.Event()

        def publisher(worker):
            client = strict_client(server, "sns")
            n = 0
            while not stop.is_set():
                body = f"{worker}-{n}-{uuid.uuid4().hex[:6]}"
                try:
                    client.publish(TopicArn=topic, Message=body)
                except Exception:
                    if stop.is_set():
                        return
                    raise
                with lock:
                    accepted.append(body)
                n += 1

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(publisher, i) for i in range(4)]
            wait_for(lambda: len(accepted) >= 150, timeout=60, what="a burst of publishes")
            stop.set()
            kill(server)
            for f in futures:
                f.result()
        expected = set(accepted)
        server = Server(data_dir)
        try:
            sqs = strict_client(server, "sqs")
            for url in urls:
                seen = set()
                deadline = time.monotonic() + 60
                while not expected <= seen and time.monotonic() < deadline:
                    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
                    seen |= {m["Body"] for m in messages}
                    if messages:
                        sqs.delete_message_batch(QueueUrl=url, Entries=[
                            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
                assert expected <= seen, f"{len(expected - seen)} of {len(expected)} accepted publishes were lost"
        finally:
            assert server.stop() == 0
