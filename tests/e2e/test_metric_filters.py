"""CloudWatch Logs metric filters: PutMetricFilter on a function's log group turns matching lines into a CloudWatch
metric (JSON and space-delimited patterns, values from fields, dimensions, default values); PutLogEvents too;
DescribeMetricFilters, TestMetricFilter, DeleteMetricFilter and errors."""
import datetime
import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip, wait_for, wait_for_invoke_logs

LOGS_ORDERS = """
import json
def handler(event, context):
    print(json.dumps({"level": event["level"], "latency": event["latency"], "route": "/orders"}))
    return 0
"""


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs")


@pytest.fixture(scope="module")
def cw(server):
    return server.client("cloudwatch")


def total(cw, ns, name, dims=(), stat="Sum"):
    now = datetime.datetime.now(datetime.timezone.utc)
    points = cw.get_metric_statistics(Namespace=ns, MetricName=name, Dimensions=list(dims), Period=60, Statistics=[stat],
                                      StartTime=now - datetime.timedelta(minutes=10), EndTime=now + datetime.timedelta(minutes=1))
    return sum(p[stat] for p in points["Datapoints"]) if stat == "Sum" else [p[stat] for p in points["Datapoints"]]


def test_function_log_lines_become_metrics(lam, create, name, logs, cw):
    create(name, Code={"ZipFile": make_zip({"app.py": LOGS_ORDERS})})
    group = f"/aws/lambda/{name}"
    lam.invoke(FunctionName=name, Payload=json.dumps({"level": "INFO", "latency": 1}).encode())
    wait_for_invoke_logs(logs, group)
    ns = "Filters/" + uuid.uuid4().hex[:6]
    logs.put_metric_filter(logGroupName=group, filterName="errors", filterPattern='{ $.level = "ERROR" }',
                           metricTransformations=[{"metricName": "Errors", "metricNamespace": ns, "metricValue": "1",
                                                   "defaultValue": 0}])
    logs.put_metric_filter(logGroupName=group, filterName="latency", filterPattern='{ $.latency > 0 }',
                           metricTransformations=[{"metricName": "Latency", "metricNamespace": ns, "metricValue": "$.latency",
                                                   "unit": "Milliseconds", "dimensions": {"Route": "$.route"}}])
    for level, latency in (("ERROR", 30), ("INFO", 10), ("ERROR", 50)):
        lam.invoke(FunctionName=name, Payload=json.dumps({"level": level, "latency": latency}).encode())
    wait_for(lambda: total(cw, ns, "Errors") == 2, what="2 errors counted")
    # The default value 0 was published for every other line (START, END, REPORT, INFO lines): the count is larger.
    assert total(cw, ns, "Errors", stat="SampleCount")[0] > 3
    dims = [{"Name": "Route", "Value": "/orders"}]
    wait_for(lambda: total(cw, ns, "Latency", dims) == 90, what="latencies summed")
    assert total(cw, ns, "Latency", dims, stat="Maximum") == [50]
    described = logs.describe_metric_filters(logGroupName=group)["metricFilters"]
    assert [f["filterName"] for f in described] == ["errors", "latency"]
    assert described[1]["metricTransformations"][0]["dimensions"] == {"Route": "$.route"}
    assert logs.describe_metric_filters(metricName="Latency", metricNamespace=ns)["metricFilters"][0]["filterName"] == "latency"
    logs.delete_metric_filter(logGroupName=group, filterName="errors")
    assert [f["filterName"] for f in logs.describe_metric_filters(logGroupName=group)["metricFilters"]] == ["latency"]


def test_put_log_events_and_space_delimited_fields(logs, cw):
    group = "/test/access-" + uuid.uuid4().hex[:8]
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    ns = "Access/" + uuid.uuid4().hex[:6]
    logs.put_metric_filter(logGroupName=group, filterName="bytes", filterPattern="[ip, user, status = 2*, bytes]",
                           metricTransformations=[{"metricName": "Bytes", "metricNamespace": ns, "metricValue": "$bytes",
                                                   "dimensions": {"Status": "$status"}}])
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        {"timestamp": now, "message": "10.0.0.1 alice 200 1000"},
        {"timestamp": now + 1, "message": "10.0.0.2 bob 404 10"},
        {"timestamp": now + 2, "message": "10.0.0.3 carol 201 500"},
    ])
    wait_for(lambda: total(cw, ns, "Bytes", [{"Name": "Status", "Value": "200"}]) == 1000, what="bytes of the 200")
    assert total(cw, ns, "Bytes", [{"Name": "Status", "Value": "201"}]) == 500
    assert total(cw, ns, "Bytes", [{"Name": "Status", "Value": "404"}]) == 0
    tested = logs.test_metric_filter(filterPattern="[ip, user, status = 2*, bytes]",
                                     logEventMessages=["10.0.0.1 alice 200 1000", "10.0.0.2 bob 404 10"])["matches"]
    assert len(tested) == 1 and tested[0]["eventNumber"] == 1
    assert tested[0]["extractedValues"]["$bytes"] == "1000" and tested[0]["extractedValues"]["$1"] == "10.0.0.1"


def test_metric_filter_errors(logs):
    group = "/test/bad-" + uuid.uuid4().hex[:8]

    def code(**kw):
        args = dict(logGroupName=group, filterName="f", filterPattern="ERROR",
                    metricTransformations=[{"metricName": "M", "metricNamespace": "N", "metricValue": "1"}])
        args.update(kw)
        with pytest.raises(ClientError) as e:
            logs.put_metric_filter(**args)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    assert code()[0] == "ResourceNotFoundException"
    logs.create_log_group(logGroupName=group)
    c, m = code(filterPattern="{ $.a = }")
    assert c == "InvalidParameterException" and "filter pattern" in m.lower()
    c, m = code(metricTransformations=[{"metricName": "M", "metricNamespace": "N", "metricValue": "$.x"}])
    assert c == "InvalidParameterException" and "metricValue" in m
    c, m = code(filterName="a:b")
    assert c == "InvalidParameterException" and "filterName" in m
    with pytest.raises(ClientError) as e:
        logs.delete_metric_filter(logGroupName=group, filterName="none")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert logs.describe_metric_filters(logGroupName=group)["metricFilters"] == []
