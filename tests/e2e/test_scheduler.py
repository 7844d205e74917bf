"""EventBridge Scheduler through boto3: one-time schedules firing into SQS and Lambda, exactly once across
restarts, ActionAfterCompletion, DISABLED, dead letters, groups, tags, paging and validation."""
import datetime
import json
import tempfile
import uuid
from zoneinfo import ZoneInfo

import pytest
from botocore.exceptions import ClientError

from conftest import Server, make_zip, wait_for

ACCOUNT = "000000000000"
SCHEDULER_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
SEND_AND_INVOKE = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sqs:SendMessage", "lambda:InvokeFunction"], "Resource": "*"}]}


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_role(server, trust=SCHEDULER_TRUST, policy=SEND_AND_INVOKE):
    iam = server.client("iam")
    role = unique("sched-role")
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="send", PolicyDocument=json.dumps(policy))
    return arn


def make_queue(sqs):
    url = sqs.create_queue(QueueName=unique("sched-q"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def at_in(seconds, zone="UTC"):
    """An at() expression `seconds` from now, as a wall time of `zone`."""
    when = datetime.datetime.now(ZoneInfo(zone)) + datetime.timedelta(seconds=seconds)
    return f"at({when.strftime('%Y-%m-%dT%H:%M:%S')})"


def receive_all(sqs, url, expected, timeout=30):
    """Waits until `expected` messages arrived; returns them (deleted from the queue)."""
    got = []

    def enough():
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                     MessageAttributeNames=["All"]).get("Messages", []):
            got.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return len(got) >= expected

    wait_for(enough, timeout=timeout, what=f"{expected} message(s)")
    return got


def queue_is_empty(sqs, url):
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                                   "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return attrs["ApproximateNumberOfMessages"] == "0" and attrs["ApproximateNumberOfMessagesNotVisible"] == "0"


@pytest.fixture(scope="module")
def scheduler(server):
    return server.client("scheduler")


@pytest.fixture(scope="module")
def role(server):
    return make_role(server)


def test_at_schedule_fires_once_into_sqs_and_deletes_itself(server, scheduler, sqs, role):
    url, queue_arn = make_queue(sqs)
    name = unique("once")
    arn = scheduler.create_schedule(
        Name=name, ScheduleExpression=at_in(2), FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        Target={"Arn": queue_arn, "RoleArn": role, "Input": '{"hello": "<aws.scheduler.schedule-arn>"}'})["ScheduleArn"]
    assert arn == f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/default/{name}"
    got = scheduler.get_schedule(Name=name)
    assert got["State"] == "ENABLED" and got["ActionAfterCompletion"] == "DELETE"
    assert got["Target"]["RetryPolicy"] == {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185}

    [message] = receive_all(sqs, url, 1)
    assert json.loads(message["Body"]) == {"hello": arn}

    def deleted():
        try:
            scheduler.get_schedule(Name=name)
            return False
        except scheduler.exceptions.ResourceNotFoundException:
            return True
    wait_for(deleted, timeout=10, what="the schedule deleting itself")
    assert queue_is_empty(sqs, url)


def test_at_schedule_in_a_time_zone_keeps_itself_with_action_none(scheduler, sqs, role):
    url, queue_arn = make_queue(sqs)
    name = unique("berlin")
    scheduler.create_schedule(
        Name=name, ScheduleExpression=at_in(2, "Europe/Berlin"), ScheduleExpressionTimezone="Europe/Berlin",
        FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": queue_arn, "RoleArn": role, "Input": "plain text"})
    [message] = receive_all(sqs, url, 1)
    assert message["Body"] == "plain text"
    got = scheduler.get_schedule(Name=name)
    assert got["ScheduleExpressionTimezone"] == "Europe/Berlin" and got["State"] == "ENABLED"
    scheduler.delete_schedule(Name=name)


def test_disabled_schedule_does_not_fire(scheduler, sqs, role):
    url, queue_arn = make_queue(sqs)
    disabled, control = unique("off"), unique("on")
    scheduler.create_schedule(Name=disabled, ScheduleExpression=at_in(1), FlexibleTimeWindow={"Mode": "OFF"},
                              State="DISABLED", Target={"Arn": queue_arn, "RoleArn": role, "Input": "disabled"})
    scheduler.create_schedule(Name=control, ScheduleExpression=at_in(3), FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": queue_arn, "RoleArn": role, "Input": "control"})
    # The disabled schedule was due first: once the control message is in, nothing else may be.
    messages = receive_all(sqs, url, 1)
    assert [m["Body"] for m in messages] == ["control"]
    assert queue_is_empty(sqs, url)
    assert scheduler.get_schedule(Name=disabled)["State"] == "DISABLED"
    listed = scheduler.list_schedules(NamePrefix=disabled, State="DISABLED")["Schedules"]
    assert [s["Name"] for s in listed] == [disabled]


def test_a_role_not_allowed_to_send_dead_letters(server, scheduler, sqs):
    url, queue_arn = make_queue(sqs)
    dlq_url, dlq_arn = make_queue(sqs)
    # The role may send to the dead-letter queue only, not to the target queue.
    limited = make_role(server, policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": dlq_arn}]})
    name = unique("dlq")
    arn = scheduler.create_schedule(
        Name=name, ScheduleExpression=at_in(1), FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": queue_arn, "RoleArn": limited, "Input": "denied", "DeadLetterConfig": {"Arn": dlq_arn}})["ScheduleArn"]
    [letter] = receive_all(sqs, dlq_url, 1)
    assert letter["Body"] == "denied"
    attributes = letter["MessageAttributes"]
    assert attributes["ERROR_CODE"]["StringValue"] == "AccessDeniedException"
    assert attributes["SCHEDULE_ARN"]["StringValue"] == arn
    assert attributes["TARGET_ARN"]["StringValue"] == queue_arn
    assert queue_is_empty(sqs, url)


def test_lambda_target_invokes_the_function_with_the_input(server, scheduler, role, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": "import json\ndef handler(event, context):\n"
                                                      "    print('EVENT ' + json.dumps(event, sort_keys=True))\n"})})
    function_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"
    scheduler.create_schedule(Name=unique("fn"), ScheduleExpression=at_in(2), FlexibleTimeWindow={"Mode": "OFF"},
                              ActionAfterCompletion="DELETE",
                              Target={"Arn": function_arn, "RoleArn": role, "Input": '{"job": "nightly"}'})
    logs = server.client("logs")

    def logged():
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}", filterPattern='"EVENT"')["events"]
        except logs.exceptions.ResourceNotFoundException:
            return None
        return events or None
    events = wait_for(logged, timeout=60, what="the function's log line")
    assert [e["message"].strip() for e in events] == ['EVENT {"job": "nightly"}']


def test_client_token_makes_create_idempotent(scheduler, sqs, role):
    _, queue_arn = make_queue(sqs)
    name = unique("idem")
    args = dict(Name=name, ScheduleExpression="rate(5 minutes)", FlexibleTimeWindow={"Mode": "OFF"}, State="DISABLED",
                Target={"Arn": queue_arn, "RoleArn": role}, ClientToken="token-" + name)
    first = scheduler.create_schedule(**args)["ScheduleArn"]
    assert scheduler.create_schedule(**args)["ScheduleArn"] == first
    args["ClientToken"] = "other-" + name
    with pytest.raises(scheduler.exceptions.ConflictException) as raised:
        scheduler.create_schedule(**args)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    scheduler.delete_schedule(Name=name)


def test_groups_tags_paging_and_group_deletion(scheduler, sqs, role):
    _, queue_arn = make_queue(sqs)
    assert scheduler.get_schedule_group(Name="default")["State"] == "ACTIVE"
    group = unique("grp")
    group_arn = scheduler.create_schedule_group(Name=group, Tags=[{"Key": "team", "Value": "ops"}])["ScheduleGroupArn"]
    assert group_arn == f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/{group}"
    with pytest.raises(scheduler.exceptions.ConflictException):
        scheduler.create_schedule_group(Name=group)
    scheduler.tag_resource(ResourceArn=group_arn, Tags=[{"Key": "env", "Value": "test"}])
    assert scheduler.list_tags_for_resource(ResourceArn=group_arn)["Tags"] == [
        {"Key": "env", "Value": "test"}, {"Key": "team", "Value": "ops"}]
    scheduler.untag_resource(ResourceArn=group_arn, TagKeys=["team"])
    assert scheduler.list_tags_for_resource(ResourceArn=group_arn)["Tags"] == [{"Key": "env", "Value": "test"}]

    names = [f"s{i}" for i in range(5)]
    for n in names:
        scheduler.create_schedule(Name=n, GroupName=group, ScheduleExpression="cron(0 3 * * ? *)", State="DISABLED",
                                  FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},
                                  Target={"Arn": queue_arn, "RoleArn": role})
    assert scheduler.get_schedule(Name="s0", GroupName=group)["FlexibleTimeWindow"] == {
        "Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15}
    seen, token = [], None
    while True:
        page = scheduler.list_schedules(GroupName=group, MaxResults=2, **({"NextToken": token} if token else {}))
        assert len(page["Schedules"]) <= 2
        seen += [s["Name"] for s in page["Schedules"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == names
    paginated = [s["Name"] for p in scheduler.get_paginator("list_schedules").paginate(GroupName=group, PaginationConfig={"PageSize": 3})
                 for s in p["Schedules"]]
    assert paginated == names
    assert group in [g["Name"] for g in scheduler.list_schedule_groups(NamePrefix=group[:6])["ScheduleGroups"]]

    scheduler.delete_schedule_group(Name=group)
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name="s0", GroupName=group)
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule_group(Name=group)
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.list_schedules(GroupName=group)


def test_update_replaces_the_schedule(scheduler, sqs, role):
    url, queue_arn = make_queue(sqs)
    name = unique("upd")
    scheduler.create_schedule(Name=name, ScheduleExpression="rate(1 day)", FlexibleTimeWindow={"Mode": "OFF"}, State="DISABLED",
                              Description="before", Target={"Arn": queue_arn, "RoleArn": role})
    scheduler.update_schedule(Name=name, ScheduleExpression=at_in(2), FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": queue_arn, "RoleArn": role, "Input": "updated"})
    got = scheduler.get_schedule(Name=name)
    assert got["State"] == "ENABLED" and "Description" not in got
    [message] = receive_all(sqs, url, 1)
    assert message["Body"] == "updated"
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException) as raised:
        scheduler.update_schedule(Name=unique("missing"), ScheduleExpression="rate(1 day)", FlexibleTimeWindow={"Mode": "OFF"},
                                  Target={"Arn": queue_arn, "RoleArn": role})
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


@pytest.mark.parametrize("overrides, field", [
    ({"ScheduleExpression": "rate(1 minutes)"}, "singular"),
    ({"ScheduleExpression": "cron(0 10 * * * *)"}, "day-of-week"),
    ({"ScheduleExpression": "at(2026-02-30T10:00:00)"}, "not a valid date"),
    ({"ScheduleExpressionTimezone": "Mars/Olympus"}, "ScheduleExpressionTimezone"),
    ({"FlexibleTimeWindow": {"Mode": "FLEXIBLE"}}, "MaximumWindowInMinutes"),
    ({"FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 2000}}, "maximumWindowInMinutes"),
    ({"Target": {"Arn": "QUEUE", "RoleArn": "ROLE", "RetryPolicy": {"MaximumRetryAttempts": 186}}}, "maximumRetryAttempts"),
    ({"Target": {"Arn": "QUEUE", "RoleArn": "ROLE", "RetryPolicy": {"MaximumEventAgeInSeconds": 100000}}}, "maximumEventAgeInSeconds"),
    ({"Target": {"Arn": "QUEUE", "RoleArn": "not-a-role"}}, "roleArn"),
    ({"Target": {"Arn": "arn:aws:ecs:us-east-1:000000000000:cluster/c", "RoleArn": "ROLE"}}, "Target.Arn"),
    ({"Target": {"Arn": "arn:aws:events:us-east-1:000000000000:event-bus/default", "RoleArn": "ROLE"}}, "EventBridgeParameters"),
    ({"Target": {"Arn": "arn:aws:lambda:us-east-1:000000000000:function:f", "RoleArn": "ROLE", "Input": "not json"}}, "Input"),
])
def test_validation_errors_name_the_field_and_store_nothing(scheduler, sqs, role, overrides, field):
    _, queue_arn = make_queue(sqs)
    name = unique("bad")
    args = dict(Name=name, ScheduleExpression="rate(5 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
                Target={"Arn": queue_arn, "RoleArn": role})
    args.update(overrides)
    target = dict(args["Target"])
    target["Arn"] = queue_arn if target["Arn"] == "QUEUE" else target["Arn"]
    target["RoleArn"] = role if target["RoleArn"] == "ROLE" else target["RoleArn"]
    args["Target"] = target
    with pytest.raises(ClientError) as raised:
        scheduler.create_schedule(**args)
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert field in error["Message"]
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.get_schedule(Name=name)


def test_missing_schedule_and_group_are_not_found(scheduler, sqs, role):
    _, queue_arn = make_queue(sqs)
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException) as raised:
        scheduler.get_schedule(Name=unique("nope"))
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.delete_schedule(Name=unique("nope"))
    with pytest.raises(scheduler.exceptions.ResourceNotFoundException):
        scheduler.create_schedule(Name=unique("x"), GroupName=unique("nogroup"), ScheduleExpression="rate(5 minutes)",
                                  FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": queue_arn, "RoleArn": role})
    with pytest.raises(scheduler.exceptions.ValidationException):
        scheduler.delete_schedule_group(Name="default")


def aws_cli(server, *args):
    """The unmodified aws CLI with the server's credentials."""
    import os
    import shutil
    import subprocess
    exe = shutil.which("aws")
    assert exe, "the aws CLI must be installed"
    env = {**os.environ, "AWS_SHARED_CREDENTIALS_FILE": os.path.join(server.data_dir, "credentials"),
           "AWS_CONFIG_FILE": "/dev/null", "AWS_DEFAULT_REGION": "us-east-1"}
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]:
        env.pop(k, None)
    return subprocess.run([exe, "--endpoint-url", server.endpoint, "--output", "json", "scheduler", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_cli_creates_a_schedule_in_a_time_zone_that_fires(server, sqs, role):
    url, queue_arn = make_queue(sqs)
    name = unique("remind")
    r = aws_cli(server, "create-schedule", "--name", name, "--schedule-expression", at_in(2, "Europe/Berlin"),
                "--schedule-expression-timezone", "Europe/Berlin", "--flexible-time-window", "Mode=OFF",
                "--target", f"Arn={queue_arn},RoleArn={role},Input=from-cli", "--action-after-completion", "DELETE")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ScheduleArn"].endswith(f":schedule/default/{name}")
    [message] = receive_all(sqs, url, 1)
    assert message["Body"] == "from-cli"
    r = aws_cli(server, "create-schedule", "--name", unique("bad"), "--schedule-expression", "rate(5 minutes)",
                "--schedule-expression-timezone", "Not/AZone", "--flexible-time-window", "Mode=OFF",
                "--target", f"Arn={queue_arn},RoleArn={role}")
    assert r.returncode != 0 and "ValidationException" in r.stderr and "ScheduleExpressionTimezone" in r.stderr


def test_creating_a_schedule_needs_pass_role_for_its_target_role(server, sqs, role):
    _, queue_arn = make_queue(sqs)
    iam = server.client("iam")
    user = unique("sched-user")
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    iam.put_user_policy(UserName=user, PolicyName="scheduler", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "scheduler:*", "Resource": "*"}]}))
    as_user = server.client_as("scheduler", key["AccessKeyId"], key["SecretAccessKey"])
    args = dict(ScheduleExpression="rate(1 day)", FlexibleTimeWindow={"Mode": "OFF"}, State="DISABLED",
                Target={"Arn": queue_arn, "RoleArn": role})

    def create():
        return as_user.create_schedule(Name=unique("passrole"), **args)

    with pytest.raises(ClientError) as raised:
        create()
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "iam:PassRole" in raised.value.response["Error"]["Message"]
    iam.put_user_policy(UserName=user, PolicyName="pass", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": role,
                                                "Condition": {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}}]}))
    assert create()["ScheduleArn"].startswith("arn:aws:scheduler:us-east-1:000000000000:schedule/default/passrole-")
    # Reading needs its own action on the schedule's ARN: a user allowed only on another group is denied.
    iam.put_user_policy(UserName=user, PolicyName="scheduler", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "scheduler:GetSchedule",
                                                "Resource": "arn:aws:scheduler:us-east-1:000000000000:schedule/other/*"}]}))
    with pytest.raises(ClientError) as raised:
        as_user.get_schedule(Name="anything")
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"


def test_event_bus_target_puts_an_event_that_a_rule_routes(server, scheduler, sqs):
    events = server.client("events")
    url, queue_arn = make_queue(sqs)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                                "Action": "sqs:SendMessage", "Resource": queue_arn}]})})
    source = unique("my.scheduler")
    rule = unique("from-scheduler")
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": [source], "detail-type": ["tick"]}))
    events.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": queue_arn}])
    bus_role = make_role(server, policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "events:PutEvents", "Resource": "*"}]})
    arn = scheduler.create_schedule(
        Name=unique("to-bus"), ScheduleExpression=at_in(1), FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": "arn:aws:events:us-east-1:000000000000:event-bus/default", "RoleArn": bus_role,
                "Input": '{"job": 7}', "EventBridgeParameters": {"Source": source, "DetailType": "tick"}})["ScheduleArn"]
    [message] = receive_all(sqs, url, 1)
    event = json.loads(message["Body"])
    assert event["source"] == source and event["detail-type"] == "tick"
    assert event["detail"] == {"job": 7}
    assert event["resources"] == [arn]
    events.remove_targets(Rule=rule, Ids=["q"])
    events.delete_rule(Name=rule)


def test_topic_target_publishes_the_input(server, scheduler, sqs):
    sns = server.client("sns")
    url, queue_arn = make_queue(sqs)
    topic = sns.create_topic(Name=unique("sched-topic"))["TopicArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                                                "Action": "sqs:SendMessage", "Resource": queue_arn}]})})
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    publisher = make_role(server, policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sns:Publish", "Resource": topic}]})
    scheduler.create_schedule(Name=unique("to-topic"), ScheduleExpression=at_in(1), FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": topic, "RoleArn": publisher, "Input": "topic message"})
    [message] = receive_all(sqs, url, 1)
    assert message["Body"] == "topic message"


def test_fifo_queue_target_uses_the_message_group(scheduler, sqs, role):
    url = sqs.create_queue(QueueName=unique("sched-fifo") + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    scheduler.create_schedule(Name=unique("fifo"), ScheduleExpression=at_in(1), FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": queue_arn, "RoleArn": role, "Input": "in order",
                                      "SqsParameters": {"MessageGroupId": "group-1"}})
    got = []

    def arrived():
        got.extend(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, AttributeNames=["MessageGroupId"]).get("Messages", []))
        return got
    [message] = wait_for(arrived, timeout=30, what="the FIFO message")
    assert message["Body"] == "in order" and message["Attributes"]["MessageGroupId"] == "group-1"


def test_rate_schedule_without_start_date_fires_at_once(scheduler, sqs, role):
    url, queue_arn = make_queue(sqs)
    name = unique("rate")
    scheduler.create_schedule(Name=name, ScheduleExpression="rate(1 hour)", FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": queue_arn, "RoleArn": role, "Input": "tick"})
    [message] = receive_all(sqs, url, 1)
    assert message["Body"] == "tick"
    scheduler.delete_schedule(Name=name)
    assert queue_is_empty(sqs, url)
