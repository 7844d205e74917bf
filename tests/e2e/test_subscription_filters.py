"""CloudWatch Logs subscription filters to a Lambda function: matching lines of a function's log group (and of
PutLogEvents) reach the subscriber as `awslogs.data` (gzip + base64 of a DATA_MESSAGE), as Logs sends them; the
function's policy must allow logs.amazonaws.com; Describe/Delete and errors."""
import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip, wait_for, wait_for_invoke_logs

SUBSCRIBER = """
import base64, gzip, json
def handler(event, context):
    data = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
    print("SUBSCRIBED " + json.dumps(data))
    return 0
"""

NOISY = """
def handler(event, context):
    print("ERROR something broke " + event["tag"])
    print("INFO all fine")
    return 0
"""


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs")


def received(logs, subscriber):
    try:
        events = logs.filter_log_events(logGroupName=f"/aws/lambda/{subscriber}", filterPattern='"SUBSCRIBED"')["events"]
    except logs.exceptions.ResourceNotFoundException:
        return []
    return [json.loads(e["message"].split("SUBSCRIBED ", 1)[1]) for e in events]


def test_matching_function_logs_reach_the_subscriber(lam, create, logs):
    subscriber = "sub-" + uuid.uuid4().hex[:8]
    source = "src-" + uuid.uuid4().hex[:8]
    sub_arn = create(subscriber, Code={"ZipFile": make_zip({"app.py": SUBSCRIBER})})["FunctionArn"]
    create(source, Code={"ZipFile": make_zip({"app.py": NOISY})})
    group = f"/aws/lambda/{source}"
    lam.invoke(FunctionName=source, Payload=b'{"tag": "first"}')
    wait_for_invoke_logs(logs, group)
    lam.add_permission(FunctionName=subscriber, StatementId="logs", Action="lambda:InvokeFunction", Principal="logs.amazonaws.com",
                       SourceArn=f"arn:aws:logs:us-east-1:000000000000:log-group:{group}:*")
    logs.put_subscription_filter(logGroupName=group, filterName="errors", filterPattern="ERROR", destinationArn=sub_arn)
    assert logs.describe_subscription_filters(logGroupName=group)["subscriptionFilters"][0]["destinationArn"] == sub_arn
    lam.invoke(FunctionName=source, Payload=b'{"tag": "second"}')
    batches = wait_for(lambda: received(logs, subscriber), timeout=30, what="a DATA_MESSAGE at the subscriber")
    data = batches[0]
    assert data["messageType"] == "DATA_MESSAGE" and data["logGroup"] == group and data["owner"] == "000000000000"
    assert data["subscriptionFilters"] == ["errors"] and "/[$LATEST]" in data["logStream"]
    messages = [e["message"] for e in data["logEvents"]]
    assert all("ERROR" in m for m in messages) and any("second" in m for m in messages)
    assert all(e["id"].isdigit() and e["timestamp"] > 0 for e in data["logEvents"])
    logs.delete_subscription_filter(logGroupName=group, filterName="errors")
    assert logs.describe_subscription_filters(logGroupName=group)["subscriptionFilters"] == []


def test_put_log_events_reach_a_subscriber_and_errors(lam, create, logs):
    subscriber = "sub-" + uuid.uuid4().hex[:8]
    sub_arn = create(subscriber, Code={"ZipFile": make_zip({"app.py": SUBSCRIBER})})["FunctionArn"]
    group = "/test/sub-" + uuid.uuid4().hex[:8]
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    lam.add_permission(FunctionName=subscriber, StatementId="logs", Action="lambda:InvokeFunction", Principal="logs.amazonaws.com")
    logs.put_subscription_filter(logGroupName=group, filterName="all", filterPattern="", destinationArn=sub_arn)
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[{"timestamp": now, "message": "hello"},
                                                                          {"timestamp": now + 1, "message": "world"}])
    data = wait_for(lambda: received(logs, subscriber), timeout=30, what="the PutLogEvents batch")[0]
    assert [e["message"] for e in data["logEvents"]] == ["hello", "world"] and data["logStream"] == "s"

    def code(**kw):
        args = dict(logGroupName=group, filterName="x", filterPattern="", destinationArn=sub_arn)
        args.update(kw)
        with pytest.raises(ClientError) as e:
            logs.put_subscription_filter(**args)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]
    c, m = code(destinationArn="arn:aws:kinesis:us-east-1:000000000000:stream/s")
    assert c == "InvalidParameterException" and "destinationArn" in m
    c, m = code(filterPattern="{ $.a = ")
    assert c == "InvalidParameterException"
    logs.put_subscription_filter(logGroupName=group, filterName="second", filterPattern="", destinationArn=sub_arn)
    c, _ = code(filterName="third")
    assert c == "LimitExceededException"
    with pytest.raises(ClientError) as e:
        logs.delete_subscription_filter(logGroupName=group, filterName="none")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
