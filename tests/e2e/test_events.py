"""EventBridge through boto3: buses, rules, targets (SQS standard and FIFO, Lambda), input transformers,
disabled rules, bus isolation, PutEvents' per-entry errors and limits, TestEventPattern, and Lambda destinations
to a bus.

Sources: the EventBridge API reference (PutEvents, PutRule, PutTargets, DeleteRule, TestEventPattern, InputTransformer)
and user guide ("Amazon EventBridge events" for the envelope, "Amazon EventBridge input transformation", "Using
resource-based policies for Amazon EventBridge": a queue target needs a queue policy allowing
events.amazonaws.com sqs:SendMessage, a Lambda target a function policy allowing lambda:InvokeFunction), and
botocore's events/2015-10-07 model for member names and error types."""
import hashlib
import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from async_support import collect, collect_records, make_queue, python_runtime_of, strict_client, unique, assert_stays
from conftest import ROLE, make_zip

ACCOUNT = "000000000000"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def events(server):
    return strict_client(server, "events")


def queue_policy(queue_arn, rule_arn=None):
    statement = {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
                 "Resource": queue_arn}
    if rule_arn:
        statement["Condition"] = {"ArnEquals": {"aws:SourceArn": rule_arn}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def target_queue(sqs, fifo=False):
    """A queue events.amazonaws.com may send to; returns (url, arn)."""
    name = unique("evq") + (".fifo" if fifo else "")
    attributes = {"FifoQueue": "true"} if fifo else {}
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": queue_policy(arn)})
    return url, arn


def rule_to_queue(events, sqs, pattern, bus=None, fifo=False, **target):
    name = unique("rule")
    args = {"Name": name, "EventPattern": json.dumps(pattern)}
    if bus:
        args["EventBusName"] = bus
    arn = events.put_rule(**args)["RuleArn"]
    url, queue_arn = target_queue(sqs, fifo)
    targets = {"Rule": name, "Targets": [{"Id": "q", "Arn": queue_arn, **target}]}
    if bus:
        targets["EventBusName"] = bus
    r = events.put_targets(**targets)
    assert r["FailedEntryCount"] == 0, r
    return name, arn, url


def test_rule_to_queue_delivers_the_envelope_as_aws_writes_it(events, sqs):
    source = unique("shop")
    name, rule_arn, url = rule_to_queue(events, sqs, {"source": [source], "detail": {"total": [{"numeric": [">", 100]}]}})
    r = events.put_events(Entries=[
        {"Source": source, "DetailType": "order", "Detail": json.dumps({"total": 120, "items": [1, 2]}),
         "Resources": ["arn:aws:shop::1:order/1"]},
        {"Source": source, "DetailType": "order", "Detail": json.dumps({"total": 50})},
    ])
    assert r["FailedEntryCount"] == 0 and len(r["Entries"]) == 2
    first_id = r["Entries"][0]["EventId"]
    [body] = collect_records(sqs, url, 1)
    assert list(body) == ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]
    assert body["version"] == "0" and body["id"] == first_id and body["detail-type"] == "order"
    assert body["source"] == source and body["account"] == ACCOUNT and body["region"] == REGION
    assert body["resources"] == ["arn:aws:shop::1:order/1"] and body["detail"] == {"total": 120, "items": [1, 2]}
    assert body["time"].endswith("Z") and len(body["time"]) == 20
    # The second entry (total 50) does not match.
    assert collect(sqs, url, 1, timeout=1.5) == []
    assert events.list_rule_names_by_target(TargetArn=f"arn:aws:sqs:{REGION}:{ACCOUNT}:{url.rsplit('/', 1)[1]}")["RuleNames"] == [name]


def test_a_queue_without_a_policy_gets_nothing_and_the_dead_letter_queue_says_why(events, sqs):
    source = unique("nopolicy")
    name = unique("rule")
    rule_arn = events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))["RuleArn"]
    closed_url, closed_arn, _ = make_queue(sqs, "closed")
    dlq_url, dlq_arn = target_queue(sqs)
    events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": closed_arn, "DeadLetterConfig": {"Arn": dlq_arn},
                                            "RetryPolicy": {"MaximumRetryAttempts": 0}}])
    events.put_events(Entries=[{"Source": source, "DetailType": "x", "Detail": "{}"}])
    [letter] = collect(sqs, dlq_url, 1, timeout=20)
    attributes = {k: v["StringValue"] for k, v in letter["MessageAttributes"].items()}
    assert attributes["RULE_ARN"] == rule_arn and attributes["TARGET_ARN"] == closed_arn
    assert attributes["ERROR_CODE"] == "AccessDeniedException"
    assert json.loads(letter["Body"])["source"] == source
    assert collect(sqs, closed_url, 1, timeout=0.5) == []


def test_fifo_queue_target_uses_the_group_and_the_event_id(events, sqs):
    source = unique("fifo")
    with pytest.raises(ClientError) as e:
        rule_to_queue(events, sqs, {"source": [source]}, fifo=True)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    _, _, url = rule_to_queue(events, sqs, {"source": [source]}, fifo=True, SqsParameters={"MessageGroupId": "g1"})
    r = events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": json.dumps({"n": i})} for i in range(3)])
    ids = [e["EventId"] for e in r["Entries"]]
    messages = collect(sqs, url, 3, timeout=20)
    # EventBridge does not promise order; each event arrives once, in its group, deduplicated by its id.
    assert sorted(json.loads(m["Body"])["detail"]["n"] for m in messages) == [0, 1, 2]
    assert {m["Attributes"]["MessageGroupId"] for m in messages} == {"g1"}
    assert sorted(m["Attributes"]["MessageDeduplicationId"] for m in messages) == sorted(ids)
    # With content-based deduplication the queue derives the id from the body instead.
    name = unique("rule")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": [source + "-cbd"]}))
    url2, arn2 = target_queue(sqs, fifo=True)
    sqs.set_queue_attributes(QueueUrl=url2, Attributes={"ContentBasedDeduplication": "true"})
    events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": arn2, "SqsParameters": {"MessageGroupId": "g2"}}])
    r = events.put_events(Entries=[{"Source": source + "-cbd", "DetailType": "t", "Detail": "{}"}])
    [m] = collect(sqs, url2, 1, timeout=20)
    assert m["Attributes"]["MessageDeduplicationId"] == hashlib.sha256(m["Body"].encode()).hexdigest()
    assert m["Attributes"]["MessageDeduplicationId"] != r["Entries"][0]["EventId"]


def test_input_input_path_and_transformer(events, sqs):
    source = unique("tx")
    name = unique("rule")
    rule_arn = events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))["RuleArn"]
    queues = [target_queue(sqs) for _ in range(4)]
    events.put_targets(Rule=name, Targets=[
        {"Id": "constant", "Arn": queues[0][1], "Input": json.dumps({"fixed": True})},
        {"Id": "path", "Arn": queues[1][1], "InputPath": "$.detail.instance"},
        {"Id": "json", "Arn": queues[2][1], "InputTransformer": {
            "InputPathsMap": {"instance": "$.detail.instance", "state": "$.detail.state", "n": "$.detail.n", "gone": "$.detail.gone"},
            "InputTemplate": '{"instance": <instance>, "n": <n>, "text": "<instance> is <state>", "rule": <aws.events.rule-name>, "missing": <gone>}'}},
        {"Id": "text", "Arn": queues[3][1], "InputTransformer": {
            "InputPathsMap": {"instance": "$.detail.instance", "state": "$.detail.state"},
            "InputTemplate": '"<instance> is in state <state> (<aws.events.rule-arn>)"'}},
    ])
    events.put_events(Entries=[{"Source": source, "DetailType": "ec2",
                                "Detail": json.dumps({"instance": "i-0123", "state": "RUNNING", "n": 7})}])
    bodies = [collect(sqs, url, 1, timeout=20)[0]["Body"] for url, _ in queues]
    assert json.loads(bodies[0]) == {"fixed": True}
    assert bodies[1] == '"i-0123"'
    assert json.loads(bodies[2]) == {"instance": "i-0123", "n": 7, "text": "i-0123 is RUNNING", "rule": name, "missing": None}
    assert bodies[3] == f'"i-0123 is in state RUNNING ({rule_arn})"'


def test_transformer_refused_when_the_template_is_not_json(events, sqs):
    name = unique("rule")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": ["x"]}))
    _, arn = target_queue(sqs)
    with pytest.raises(ClientError) as e:
        events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": arn, "InputTransformer": {
            "InputPathsMap": {"a": "$.detail.a"}, "InputTemplate": '{"a": <a>,}'}}])
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert events.list_targets_by_rule(Rule=name)["Targets"] == []


def test_disabled_rule_does_not_fire_and_enabled_again_does(events, sqs):
    source = unique("dis")
    name, _, url = rule_to_queue(events, sqs, {"source": [source]})
    events.disable_rule(Name=name)
    assert events.describe_rule(Name=name)["State"] == "DISABLED"
    events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": json.dumps({"n": 1})}])
    assert collect(sqs, url, 1, timeout=1.5) == []
    events.enable_rule(Name=name)
    events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": json.dumps({"n": 2})}])
    [m] = collect(sqs, url, 1, timeout=20)
    assert json.loads(m["Body"])["detail"] == {"n": 2}


def test_custom_bus_isolation(events, sqs):
    bus_a, bus_b = unique("bus-a"), unique("bus-b")
    bus_a_arn = events.create_event_bus(Name=bus_a)["EventBusArn"]
    assert bus_a_arn == f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{bus_a}"
    events.create_event_bus(Name=bus_b)
    source = unique("iso")
    _, rule_a, url_a = rule_to_queue(events, sqs, {"source": [source]}, bus=bus_a)
    _, _, url_b = rule_to_queue(events, sqs, {"source": [source]}, bus=bus_b)
    _, _, url_default = rule_to_queue(events, sqs, {"source": [source]})
    assert rule_a == f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{bus_a}/" + rule_a.rsplit("/", 1)[1]
    events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": "{}", "EventBusName": bus_a_arn}])
    assert len(collect(sqs, url_a, 1, timeout=20)) == 1
    assert collect(sqs, url_b, 1, timeout=1) == [] and collect(sqs, url_default, 1, timeout=0.5) == []
    names = [b["Name"] for b in events.list_event_buses()["EventBuses"]]
    assert "default" in names and bus_a in names
    with pytest.raises(ClientError) as e:
        events.create_event_bus(Name=bus_a)
    assert e.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"
    with pytest.raises(ClientError) as e:
        events.put_rule(Name="sched", ScheduleExpression="rate(5 minutes)", EventBusName=bus_a)
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_put_events_reports_each_entry(events):
    r = events.put_events(Entries=[
        {"Source": "a", "DetailType": "t", "Detail": "{}"},
        {"DetailType": "t", "Detail": "{}"},
        {"Source": "a", "DetailType": "t", "Detail": "not json"},
        {"Source": "a", "DetailType": "t", "Detail": "{}", "EventBusName": "no-such-bus"},
        {"Source": "a", "Detail": "{}"},
    ])
    assert r["FailedEntryCount"] == 4
    first, no_source, bad_detail, no_bus, no_type = r["Entries"]
    assert len(first["EventId"]) == 36 and "ErrorCode" not in first
    assert no_source["ErrorCode"] == "InvalidArgument" and "Source" in no_source["ErrorMessage"]
    assert bad_detail["ErrorCode"] == "MalformedDetail" and "EventId" not in bad_detail
    assert "no-such-bus" in no_bus["ErrorMessage"]
    assert no_type["ErrorCode"] == "InvalidArgument" and "DetailType" in no_type["ErrorMessage"]
    with pytest.raises(ClientError) as e:
        events.put_events(Entries=[{"Source": "a", "DetailType": "t", "Detail": "{}"}] * 11)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    big = json.dumps({"x": "y" * (200 * 1024)})
    with pytest.raises(ClientError) as e:
        events.put_events(Entries=[{"Source": "a", "DetailType": "t", "Detail": big}] * 2)
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_test_event_pattern(events):
    event = {"id": "1", "account": ACCOUNT, "source": "shop", "time": "2026-01-01T00:00:00Z", "region": REGION,
             "resources": [], "detail-type": "order", "detail": {"total": 120, "ip": "10.0.0.7"}}
    matches = lambda pattern: events.test_event_pattern(EventPattern=json.dumps(pattern), Event=json.dumps(event))["Result"]
    assert matches({"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}})
    assert not matches({"source": ["shop"], "detail": {"total": [{"numeric": ["<", 100]}]}})
    assert matches({"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}, "detail-type": [{"wildcard": "or*"}]})
    with pytest.raises(ClientError) as e:
        events.test_event_pattern(EventPattern=json.dumps({"source": "shop"}), Event=json.dumps(event))
    assert e.value.response["Error"]["Code"] == "InvalidEventPatternException"
    assert "Event pattern is not valid" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        events.put_rule(Name=unique("bad"), EventPattern=json.dumps({"a": [{"bogus": 1}]}))
    assert e.value.response["Error"]["Code"] == "InvalidEventPatternException"


def test_rule_lifecycle_limits_and_tags(events, sqs):
    prefix = unique("life")
    for i in range(3):
        events.put_rule(Name=f"{prefix}-{i}", EventPattern=json.dumps({"source": ["x"]}), Description=f"d{i}",
                        Tags=[{"Key": "team", "Value": "a"}])
    page = events.list_rules(NamePrefix=prefix, Limit=2)
    assert [r["Name"] for r in page["Rules"]] == [f"{prefix}-0", f"{prefix}-1"]
    rest = events.list_rules(NamePrefix=prefix, Limit=2, NextToken=page["NextToken"])
    assert [r["Name"] for r in rest["Rules"]] == [f"{prefix}-2"] and "NextToken" not in rest
    described = events.describe_rule(Name=f"{prefix}-0")
    assert described["Description"] == "d0" and described["EventBusName"] == "default" and described["State"] == "ENABLED"
    arn = described["Arn"]
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "a"}]
    events.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "prod"}])
    events.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]
    _, queue_arn = target_queue(sqs)
    targets = [{"Id": f"t{i}", "Arn": queue_arn} for i in range(6)]
    with pytest.raises(ClientError) as e:
        events.put_targets(Rule=f"{prefix}-0", Targets=targets)
    assert e.value.response["Error"]["Code"] == "LimitExceededException"
    assert events.list_targets_by_rule(Rule=f"{prefix}-0")["Targets"] == []
    events.put_targets(Rule=f"{prefix}-0", Targets=[{"Id": "t", "Arn": queue_arn, "RetryPolicy": {"MaximumRetryAttempts": 3}}])
    with pytest.raises(ClientError) as e:
        events.delete_rule(Name=f"{prefix}-0")
    assert e.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as e:
        events.put_targets(Rule=f"{prefix}-0", Targets=[{"Id": "t", "Arn": queue_arn, "RetryPolicy": {"MaximumRetryAttempts": 186}}])
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert events.list_targets_by_rule(Rule=f"{prefix}-0")["Targets"] == [
        {"Id": "t", "Arn": queue_arn, "RetryPolicy": {"MaximumRetryAttempts": 3}}]
    events.remove_targets(Rule=f"{prefix}-0", Ids=["t"])
    events.delete_rule(Name=f"{prefix}-0")
    with pytest.raises(ClientError) as e:
        events.describe_rule(Name=f"{prefix}-0")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    for bad in [{}, {"EventPattern": "{}", "ScheduleExpression": "rate(1 minute)"}, {"ScheduleExpression": "rate(0 minutes)"}]:
        with pytest.raises(ClientError) as e:
            events.put_rule(Name=unique("bad"), **bad)
        assert e.value.response["Error"]["Code"] in ("ValidationException", "InvalidEventPatternException")


def test_rule_to_lambda_gets_the_full_envelope(server, events, sqs):
    lam = strict_client(server)
    fn = unique("evfn")
    out_url, out_arn = target_queue(sqs)
    code = ("import boto3, json, os\n"
            "def handler(event, context):\n"
            "    boto3.client('sqs', endpoint_url=os.environ['AWS_ENDPOINT_URL']).send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps(event))\n")
    lam.create_function(FunctionName=fn, Runtime=python_runtime_of(server), Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": code})}, Timeout=30, Environment={"Variables": {"OUT": out_url}})
    fn_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{fn}"
    source = unique("tolambda")
    name = unique("rule")
    rule_arn = events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))["RuleArn"]
    events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": fn_arn}])
    lam.add_permission(FunctionName=fn, StatementId="events", Action="lambda:InvokeFunction",
                       Principal="events.amazonaws.com", SourceArn=rule_arn)
    r = events.put_events(Entries=[{"Source": source, "DetailType": "order", "Detail": json.dumps({"total": 5})}])
    [event] = collect_records(sqs, out_url, 1, timeout=60)
    assert event["id"] == r["Entries"][0]["EventId"] and event["source"] == source and event["detail"] == {"total": 5}
    assert event["detail-type"] == "order" and event["version"] == "0"


def test_lambda_destinations_to_an_event_bus(server, events, sqs):
    lam = strict_client(server)
    fn = unique("destfn")
    code = "def handler(event, context):\n    if event.get('fail'):\n        raise Exception('boom')\n    return {'ok': True}\n"
    lam.create_function(FunctionName=fn, Runtime=python_runtime_of(server), Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": code})}, Timeout=10)
    bus = unique("dest-bus")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    iam = server.client("iam")
    iam.put_role_policy(RoleName="lambda-role", PolicyName="events", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": "*"}]}))
    name, _, url = rule_to_queue(events, sqs, {"source": ["lambda"]}, bus=bus)
    lam.put_function_event_invoke_config(FunctionName=fn, MaximumRetryAttempts=0, DestinationConfig={
        "OnSuccess": {"Destination": bus_arn}, "OnFailure": {"Destination": bus_arn}})
    lam.invoke(FunctionName=fn, InvocationType="Event", Payload=json.dumps({"fail": False}))
    lam.invoke(FunctionName=fn, InvocationType="Event", Payload=json.dumps({"fail": True}))
    bodies = [json.loads(m["Body"]) for m in collect(sqs, url, 2, timeout=60)]
    by_type = {b["detail-type"]: b for b in bodies}
    assert set(by_type) == {"Lambda Function Invocation Result - Success", "Lambda Function Invocation Result - Failure"}
    success = by_type["Lambda Function Invocation Result - Success"]
    assert success["source"] == "lambda" and success["detail"]["responsePayload"] == {"ok": True}
    assert success["detail"]["requestContext"]["condition"] == "Success"
    assert by_type["Lambda Function Invocation Result - Failure"]["detail"]["requestPayload"] == {"fail": True}


def test_bus_to_bus_forwards_the_event_with_its_id(events, sqs):
    bus = unique("fwd")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    source = unique("fwdsrc")
    _, _, url = rule_to_queue(events, sqs, {"source": [source]}, bus=bus)
    name = unique("rule")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))
    events.put_targets(Rule=name, Targets=[{"Id": "bus", "Arn": bus_arn}])
    r = events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": "{}"}])
    [m] = collect(sqs, url, 1, timeout=20)
    assert json.loads(m["Body"])["id"] == r["Entries"][0]["EventId"]


def test_bus_policy_permissions(events):
    bus = unique("pol")
    events.create_event_bus(Name=bus)
    events.put_permission(EventBusName=bus, Action="events:PutEvents", Principal="111122223333", StatementId="other")
    policy = json.loads(events.describe_event_bus(Name=bus)["Policy"])
    [statement] = policy["Statement"]
    assert statement["Sid"] == "other" and statement["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    assert statement["Resource"] == f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{bus}"
    events.remove_permission(EventBusName=bus, StatementId="other")
    assert "Policy" not in events.describe_event_bus(Name=bus)
    with pytest.raises(ClientError) as e:
        events.remove_permission(EventBusName=bus, StatementId="other")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    events.delete_event_bus(Name=bus)
    with pytest.raises(ClientError) as e:
        events.describe_event_bus(Name=bus)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.slow
def test_schedule_rule_fires_the_scheduled_event(events, sqs):
    name = unique("every-minute")
    rule_arn = events.put_rule(Name=name, ScheduleExpression="rate(1 minute)")["RuleArn"]
    assert events.describe_rule(Name=name)["ScheduleExpression"] == "rate(1 minute)"
    url, arn = target_queue(sqs)
    events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": arn}])
    started = time.time()
    [m] = collect(sqs, url, 1, timeout=90)
    event = json.loads(m["Body"])
    assert event["source"] == "aws.events" and event["detail-type"] == "Scheduled Event"
    assert event["detail"] == {} and event["resources"] == [rule_arn] and event["account"] == ACCOUNT
    # The time is the due time: a minute (to the second) after the rule was created.
    fired = time.mktime(time.strptime(event["time"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert started - 5 <= fired <= started + 65
    events.disable_rule(Name=name)
    events.remove_targets(Rule=name, Ids=["q"])
    events.delete_rule(Name=name)


def test_iam_scopes_operations_to_bus_and_rule_arns(server, events):
    iam = server.client("iam")
    user = unique("evuser")
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    bus = unique("iam-bus")
    events.create_event_bus(Name=bus)
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "events:PutEvents", "Resource": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{bus}"},
        {"Effect": "Allow", "Action": ["events:PutRule", "events:PutTargets"], "Resource": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{bus}/mine-*"},
    ]}))
    client = server.client_as("events", key["AccessKeyId"], key["SecretAccessKey"])
    assert client.put_events(Entries=[{"Source": "s", "DetailType": "t", "Detail": "{}", "EventBusName": bus}])["FailedEntryCount"] == 0
    client.put_rule(Name="mine-1", EventBusName=bus, EventPattern=json.dumps({"source": ["s"]}))
    for call in (lambda: client.put_events(Entries=[{"Source": "s", "DetailType": "t", "Detail": "{}"}]),
                 lambda: client.put_rule(Name="other", EventBusName=bus, EventPattern=json.dumps({"source": ["s"]})),
                 lambda: client.put_rule(Name="mine-2", EventPattern=json.dumps({"source": ["s"]})),
                 lambda: client.put_targets(Rule="mine-1", EventBusName=bus, Targets=[
                     {"Id": "q", "Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:x", "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/any"}])):
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"


def test_archive_and_replay_carry_replay_name(events, sqs):
    bus = unique("arch-bus")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    archive = unique("arch")
    created = events.create_archive(ArchiveName=archive, EventSourceArn=bus_arn, EventPattern=json.dumps({"source": ["keep"]}),
                                    RetentionDays=7)
    assert created["State"] == "ENABLED" and created["ArchiveArn"].endswith(f":archive/{archive}")
    with pytest.raises(ClientError) as e:
        events.create_archive(ArchiveName=archive, EventSourceArn=bus_arn)
    assert e.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"
    start = time.time() - 1
    ids = [events.put_events(Entries=[{"Source": s, "DetailType": "t", "Detail": json.dumps({"i": i}), "EventBusName": bus}])["Entries"][0]["EventId"]
           for i, s in enumerate(["keep", "drop", "keep"])]
    wait_for_count = lambda: events.describe_archive(ArchiveName=archive)["EventCount"] == 2
    from conftest import wait_for
    wait_for(wait_for_count, timeout=20, what="two archived events")
    described = events.describe_archive(ArchiveName=archive)
    assert described["RetentionDays"] == 7 and described["SizeBytes"] > 0 and described["EventSourceArn"] == bus_arn
    # A rule created after the events were put sees them only through the replay.
    name, rule_arn, url = rule_to_queue(events, sqs, {"source": ["keep", "drop"]}, bus=bus)
    with pytest.raises(ClientError) as e:
        events.start_replay(ReplayName=unique("r"), EventSourceArn=created["ArchiveArn"], EventStartTime=start,
                            EventEndTime=time.time() + 1, Destination={"Arn": events.describe_event_bus()["Arn"]})
    assert e.value.response["Error"]["Code"] == "ValidationException"
    replay = unique("replay")
    started = events.start_replay(ReplayName=replay, EventSourceArn=created["ArchiveArn"], EventStartTime=start,
                                  EventEndTime=time.time() + 1, Destination={"Arn": bus_arn, "FilterArns": [rule_arn]})
    assert started["State"] in ("STARTING", "RUNNING", "COMPLETED")
    bodies = [json.loads(m["Body"]) for m in collect(sqs, url, 2, timeout=20)]
    assert sorted(b["id"] for b in bodies) == sorted([ids[0], ids[2]])
    assert {b["replay-name"] for b in bodies} == {replay} and {b["source"] for b in bodies} == {"keep"}
    wait_for(lambda: events.describe_replay(ReplayName=replay)["State"] == "COMPLETED", timeout=20, what="replay completed")
    assert [r["ReplayName"] for r in events.list_replays(NamePrefix=replay)["Replays"]] == [replay]
    with pytest.raises(ClientError) as e:
        events.cancel_replay(ReplayName=replay)
    assert e.value.response["Error"]["Code"] == "IllegalStatusException"
    events.delete_archive(ArchiveName=archive)
    with pytest.raises(ClientError) as e:
        events.describe_archive(ArchiveName=archive)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
