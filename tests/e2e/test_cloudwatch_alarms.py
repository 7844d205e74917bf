"""CloudWatch metric alarms through boto3: PutMetricAlarm's rules, evaluation of a high-resolution metric into ALARM
and back, actions to a Lambda function (the `aws.cloudwatch` alarm event) and to an SNS topic (CloudWatch's message),
SetAlarmState, history, tags and errors."""
import datetime
import json
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip, wait_for

PRINTS_EVENT = "import json\ndef handler(event, context):\n    print('ALARM-EVENT ' + json.dumps(event))\n    return {}\n"


@pytest.fixture(scope="module")
def cw(server):
    return server.client("cloudwatch")


def state(cw, name):
    return cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["StateValue"]


def printed_alarm_events(server, function_name):
    """The alarm events PRINTS_EVENT logged so far (None while there are none)."""
    logs = server.client("logs")
    try:
        found = logs.filter_log_events(logGroupName=f"/aws/lambda/{function_name}", filterPattern='"ALARM-EVENT"')["events"]
    except logs.exceptions.ResourceNotFoundException:
        return None
    return [json.loads(e["message"].split("ALARM-EVENT ", 1)[1]) for e in found] or None


def put_value(cw, ns, value):
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Load", "Value": value, "StorageResolution": 1,
                                                  "Timestamp": datetime.datetime.now(datetime.timezone.utc)}])


def test_alarm_goes_to_alarm_and_invokes_its_function(lam, create, name, cw, server):
    fn = create(name, Code={"ZipFile": make_zip({"app.py": PRINTS_EVENT})})["FunctionArn"]
    alarm = "alarm-" + uuid.uuid4().hex[:8]
    alarm_arn = f"arn:aws:cloudwatch:us-east-1:000000000000:alarm:{alarm}"
    lam.add_permission(FunctionName=name, StatementId="alarms", Action="lambda:InvokeFunction",
                       Principal="lambda.alarms.cloudwatch.amazonaws.com", SourceArn=alarm_arn)
    ns = "Alarm/" + uuid.uuid4().hex[:6]
    cw.put_metric_alarm(AlarmName=alarm, Namespace=ns, MetricName="Load", Statistic="Maximum", Period=10, EvaluationPeriods=1,
                        Threshold=5, ComparisonOperator="GreaterThanThreshold", AlarmActions=[fn], OKActions=[fn],
                        Tags=[{"Key": "team", "Value": "ops"}])
    described = cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]
    assert described["StateValue"] == "INSUFFICIENT_DATA" and described["AlarmArn"] == alarm_arn
    assert described["Threshold"] == 5 and described["AlarmActions"] == [fn] and described["ActionsEnabled"] is True
    assert cw.list_tags_for_resource(ResourceARN=alarm_arn)["Tags"] == [{"Key": "team", "Value": "ops"}]

    put_value(cw, ns, 10)
    wait_for(lambda: state(cw, alarm) == "ALARM", timeout=30, what="ALARM")
    reason = cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]["StateReason"]
    assert reason.startswith("Threshold Crossed") and "greater than the threshold (5.0)" in reason

    def alarm_events():
        return printed_alarm_events(server, name)
    event = wait_for(alarm_events, timeout=30, what="the alarm event in the function's log")[0]
    assert event["source"] == "aws.cloudwatch" and event["alarmArn"] == alarm_arn
    assert event["alarmData"]["state"]["value"] == "ALARM" and event["alarmData"]["previousState"]["value"] == "INSUFFICIENT_DATA"
    assert event["alarmData"]["configuration"]["metrics"][0]["metricStat"]["metric"]["name"] == "Load"

    # SetAlarmState: OK now (its OK action runs too), until the next evaluation puts it back.
    cw.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="testing")
    history = cw.describe_alarm_history(AlarmName=alarm, HistoryItemType="StateUpdate")["AlarmHistoryItems"]
    assert history[0]["HistorySummary"] == "Alarm updated from ALARM to OK"
    assert any(h["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to ALARM" for h in history)
    wait_for(lambda: (e := alarm_events()) and len(e) >= 2 and e, timeout=30, what="the OK event")
    # The next evaluation decides again from the data: a new breaching value puts it back in ALARM.
    put_value(cw, ns, 12)
    wait_for(lambda: state(cw, alarm) == "ALARM", timeout=30, what="ALARM again")
    assert [a["AlarmName"] for a in cw.describe_alarms(StateValue="ALARM", AlarmNamePrefix=alarm)["MetricAlarms"]] == [alarm]
    assert cw.describe_alarms_for_metric(Namespace=ns, MetricName="Load")["MetricAlarms"][0]["AlarmName"] == alarm
    cw.delete_alarms(AlarmNames=[alarm])
    assert cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"] == []


def test_missing_data_and_disabled_actions(cw):
    alarm = "quiet-" + uuid.uuid4().hex[:8]
    ns = "Quiet/" + uuid.uuid4().hex[:6]
    cw.put_metric_alarm(AlarmName=alarm, Namespace=ns, MetricName="Load", Statistic="Sum", Period=10, EvaluationPeriods=2,
                        Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="breaching",
                        ActionsEnabled=False)
    # No data at all, treated as breaching: ALARM.
    wait_for(lambda: state(cw, alarm) == "ALARM", timeout=30, what="ALARM from missing data")
    cw.put_metric_alarm(AlarmName=alarm, Namespace=ns, MetricName="Load", Statistic="Sum", Period=10, EvaluationPeriods=2,
                        Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="notBreaching")
    wait_for(lambda: state(cw, alarm) == "OK", timeout=30, what="OK when missing data does not breach")
    cw.delete_alarms(AlarmNames=[alarm])


def test_alarm_errors_name_the_field(cw):
    def code(**kw):
        args = dict(AlarmName="bad", Namespace="N", MetricName="M", Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                    ComparisonOperator="GreaterThanThreshold")
        args.update(kw)
        args = {k: v for k, v in args.items() if v is not None}
        with pytest.raises(ClientError) as e:
            cw.put_metric_alarm(**args)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    c, m = code(Period=45)
    assert c == "InvalidParameterValue" and "Period" in m
    c, m = code(Statistic=None, ExtendedStatistic=None)
    assert c == "InvalidParameterCombination" and "Statistic" in m
    c, m = code(Statistic="Median")
    assert c == "InvalidParameterValue" and "Statistic" in m
    c, m = code(DatapointsToAlarm=3)
    assert c == "ValidationError" and "DatapointsToAlarm" in m
    c, m = code(TreatMissingData="sometimes")
    assert c == "ValidationError" and "TreatMissingData" in m
    c, m = code(AlarmActions=["arn:aws:ec2:us-east-1:000000000000:instance/i-1"])
    assert c == "ValidationError" and "AlarmActions" in m
    with pytest.raises(ClientError) as e:
        cw.set_alarm_state(AlarmName="no-such-alarm", StateValue="OK", StateReason="x")
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        cw.delete_alarms(AlarmNames=["no-such-alarm"])
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"
    assert cw.describe_alarms(AlarmNamePrefix="bad")["MetricAlarms"] == []


def test_alarm_action_publishes_cloudwatchs_message_to_a_topic(cw, server):
    sns = server.client("sns")
    sqs = server.client("sqs")
    topic = sns.create_topic(Name="alarms-" + uuid.uuid4().hex[:8])["TopicArn"]
    queue_url = sqs.create_queue(QueueName="alarm-inbox-" + uuid.uuid4().hex[:8])["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}]})})
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    alarm = "to-topic-" + uuid.uuid4().hex[:8]
    cw.put_metric_alarm(AlarmName=alarm, Namespace="Topic/" + alarm, MetricName="Load", Statistic="Maximum", Period=10,
                        EvaluationPeriods=1, Threshold=5, ComparisonOperator="GreaterThanThreshold", AlarmActions=[topic])
    cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="drill")

    def message():
        got = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages")
        return got and json.loads(got[0]["Body"])
    body = wait_for(message, timeout=30, what="the alarm's message in the topic's queue")
    assert body["AlarmName"] == alarm and body["NewStateValue"] == "ALARM" and body["OldStateValue"] == "INSUFFICIENT_DATA"
    assert body["NewStateReason"] == "drill" and body["Region"] == "US East (N. Virginia)"
    assert body["Trigger"]["MetricName"] == "Load" and body["Trigger"]["Threshold"] == 5
    cw.delete_alarms(AlarmNames=[alarm])


def test_alarm_on_metric_math(cw):
    alarm = "math-" + uuid.uuid4().hex[:8]
    ns = "MathAlarm/" + uuid.uuid4().hex[:6]
    metrics = [
        {"Id": "m1", "ReturnData": False,
         "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "Load"}, "Period": 10, "Stat": "Maximum"}},
        {"Id": "e1", "Expression": "m1 * 2", "Label": "double load", "ReturnData": True},
    ]
    for extra, code in (({"MetricName": "Load", "Namespace": ns}, "InvalidParameterCombination"),
                        ({"Statistic": "Sum"}, "InvalidParameterCombination")):
        with pytest.raises(ClientError) as err:
            cw.put_metric_alarm(AlarmName=alarm, Metrics=metrics, EvaluationPeriods=1, Threshold=10,
                                ComparisonOperator="GreaterThanThreshold", **extra)
        assert err.value.response["Error"]["Code"] == code
    both = [dict(metrics[0], ReturnData=True), metrics[1]]
    with pytest.raises(ClientError) as err:
        cw.put_metric_alarm(AlarmName=alarm, Metrics=both, EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold")
    assert err.value.response["Error"]["Code"] == "ValidationError" and "return data" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        cw.put_metric_alarm(AlarmName=alarm, Metrics=[metrics[0], dict(metrics[1], Expression="m1 * nope")], EvaluationPeriods=1,
                            Threshold=10, ComparisonOperator="GreaterThanThreshold")
    assert err.value.response["Error"]["Code"] == "ValidationError" and "nope" in err.value.response["Error"]["Message"]

    cw.put_metric_alarm(AlarmName=alarm, Metrics=metrics, EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold")
    described = cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]
    assert "MetricName" not in described and "Period" not in described
    assert [m["Id"] for m in described["Metrics"]] == ["m1", "e1"] and described["Metrics"][1]["Expression"] == "m1 * 2"
    # 4 doubled is 8, under the threshold; 6 doubled is 12, over it.
    put_value(cw, ns, 4)
    wait_for(lambda: state(cw, alarm) == "OK", timeout=30, what="OK from the expression's value")
    put_value(cw, ns, 6)
    wait_for(lambda: state(cw, alarm) == "ALARM", timeout=30, what="ALARM from the expression's value")
    cw.delete_alarms(AlarmNames=[alarm])


def test_composite_alarm_follows_its_rule_and_acts(lam, create, name, cw, server):
    fn = create(name, Code={"ZipFile": make_zip({"app.py": PRINTS_EVENT})})["FunctionArn"]
    suffix = uuid.uuid4().hex[:8]
    errors, latency, composite = f"errors-{suffix}", f"latency-{suffix}", f"service-{suffix}"
    composite_arn = f"arn:aws:cloudwatch:us-east-1:000000000000:alarm:{composite}"
    lam.add_permission(FunctionName=name, StatementId="composite", Action="lambda:InvokeFunction",
                       Principal="lambda.alarms.cloudwatch.amazonaws.com", SourceArn=composite_arn)
    ns = "Composite/" + suffix
    for child in (errors, latency):
        # `ignore` keeps a state SetAlarmState gave while no data arrives.
        cw.put_metric_alarm(AlarmName=child, Namespace=ns, MetricName=child, Statistic="Sum", Period=10, EvaluationPeriods=1,
                            Threshold=1, ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore")
    for rule, needle in ((f"ALARM({errors}) AND ALARM(nope-{suffix})", f"nope-{suffix}"), (f"ALARM({errors}) XOR OK(x)", "XOR"),
                         (f"ALARM({composite})", composite)):
        with pytest.raises(ClientError) as err:
            cw.put_composite_alarm(AlarmName=composite, AlarmRule=rule)
        assert err.value.response["Error"]["Code"] == "ValidationError" and needle in err.value.response["Error"]["Message"], rule
    rule = f'ALARM("{errors}") OR ALARM(arn:aws:cloudwatch:us-east-1:000000000000:alarm:{latency})'
    cw.put_composite_alarm(AlarmName=composite, AlarmRule=rule, AlarmActions=[fn], OKActions=[fn],
                           Tags=[{"Key": "team", "Value": "ops"}])
    assert cw.describe_alarms(AlarmNames=[composite])["CompositeAlarms"] == [], "without AlarmTypes only metric alarms"
    described = cw.describe_alarms(AlarmNames=[composite], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"][0]
    assert described["AlarmRule"] == rule and described["AlarmArn"] == composite_arn
    parents = cw.describe_alarms(ParentsOfAlarmName=errors, AlarmTypes=["CompositeAlarm", "MetricAlarm"])
    assert [a["AlarmName"] for a in parents["CompositeAlarms"]] == [composite] and parents["MetricAlarms"] == []
    children = cw.describe_alarms(ChildrenOfAlarmName=composite, AlarmTypes=["MetricAlarm"])["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in children) == sorted([errors, latency])
    assert cw.list_tags_for_resource(ResourceARN=composite_arn)["Tags"] == [{"Key": "team", "Value": "ops"}]

    def composite_state():
        return cw.describe_alarms(AlarmNames=[composite], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"][0]["StateValue"]
    cw.set_alarm_state(AlarmName=errors, StateValue="OK", StateReason="quiet")
    cw.set_alarm_state(AlarmName=latency, StateValue="OK", StateReason="quiet")
    wait_for(lambda: composite_state() == "OK", timeout=30, what="the composite OK")
    cw.set_alarm_state(AlarmName=latency, StateValue="ALARM", StateReason="slow")
    wait_for(lambda: composite_state() == "ALARM", timeout=30, what="the composite in ALARM")
    alarm = cw.describe_alarms(AlarmNames=[composite], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"][0]
    assert json.loads(alarm["StateReasonData"])["triggeringAlarms"]

    def alarm_events():
        return printed_alarm_events(server, name)
    events = wait_for(lambda: (e := alarm_events()) and any(x["alarmData"]["state"]["value"] == "ALARM" for x in e) and e,
                      timeout=30, what="the composite's ALARM event")
    event = [x for x in events if x["alarmData"]["state"]["value"] == "ALARM"][0]
    assert event["alarmArn"] == composite_arn and event["alarmData"]["configuration"]["alarmRule"] == rule
    history = cw.describe_alarm_history(AlarmName=composite, AlarmTypes=["CompositeAlarm"], HistoryItemType="StateUpdate")
    assert any(h["HistorySummary"] == "Alarm updated from OK to ALARM" and h["AlarmType"] == "CompositeAlarm"
               for h in history["AlarmHistoryItems"])
    cw.delete_alarms(AlarmNames=[composite, errors, latency])
    assert cw.describe_alarms(AlarmNames=[composite], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"] == []
