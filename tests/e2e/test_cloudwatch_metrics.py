"""CloudWatch metrics through boto3's `cloudwatch` client (botocore speaks smithy RPC v2 CBOR to it by default; the
JSON 1.0 protocol is exercised too): Lambda's AWS/Lambda metrics, PutMetricData round trips with statistics and
percentiles, ListMetrics, EMF lines in function logs, and the errors."""
import datetime
import json
import time
import uuid

import botocore.config
import botocore.session
import pytest
from botocore.exceptions import ClientError

from conftest import make_zip, wait_for


@pytest.fixture(scope="module")
def cw(server):
    return server.client("cloudwatch")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def window(minutes=10):
    now = utcnow()
    return now - datetime.timedelta(minutes=minutes), now + datetime.timedelta(minutes=1)


def stats(cw, namespace, metric, dimensions, statistics=("Sum",), extended=None, period=60, unit=None):
    start, end = window()
    args = dict(Namespace=namespace, MetricName=metric, Dimensions=dimensions, StartTime=start, EndTime=end, Period=period)
    if extended:
        args["ExtendedStatistics"] = list(extended)
    else:
        args["Statistics"] = list(statistics)
    if unit:
        args["Unit"] = unit
    return cw.get_metric_statistics(**args)["Datapoints"]


def total(points, key="Sum"):
    return sum(p[key] for p in points)


def test_client_speaks_cbor_by_default(cw):
    assert cw.meta.service_model.protocol == "smithy-rpc-v2-cbor"


def test_lambda_invocations_errors_duration_and_throttles(lam, create, name, cw):
    code = "def handler(event, context):\n    if event.get('fail'):\n        raise ValueError('no')\n    return 1\n"
    create(name, Code={"ZipFile": make_zip({"app.py": code})})
    for _ in range(3):
        lam.invoke(FunctionName=name, Payload=b"{}")
    lam.invoke(FunctionName=name, Payload=json.dumps({"fail": True}).encode())
    dims = [{"Name": "FunctionName", "Value": name}]
    points = wait_for(lambda: (p := stats(cw, "AWS/Lambda", "Invocations", dims)) and total(p) == 4 and p, what="4 invocations")
    assert all(p["Unit"] == "Count" for p in points)
    assert total(stats(cw, "AWS/Lambda", "Errors", dims)) == 1
    duration = stats(cw, "AWS/Lambda", "Duration", dims, statistics=("SampleCount", "Average", "Maximum", "Minimum"))
    assert sum(p["SampleCount"] for p in duration) == 4
    assert all(0 < p["Minimum"] <= p["Average"] <= p["Maximum"] < 30_000 for p in duration)
    assert all(p["Unit"] == "Milliseconds" for p in duration)
    p99 = stats(cw, "AWS/Lambda", "Duration", dims, extended=("p50", "p99"))
    assert all(set(p["ExtendedStatistics"]) == {"p50", "p99"} for p in p99)
    # The Resource dimension and the account-wide series hold the same invocations.
    resource = [{"Name": "FunctionName", "Value": name}, {"Name": "Resource", "Value": name}]
    assert total(stats(cw, "AWS/Lambda", "Invocations", resource)) == 4
    assert total(stats(cw, "AWS/Lambda", "Invocations", [])) >= 4

    # Reserved concurrency 0: every invoke is throttled and counted.
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    with pytest.raises(ClientError):
        lam.invoke(FunctionName=name, Payload=b"{}")
    # (the client retries a throttle once: one or two throttles)
    wait_for(lambda: total(stats(cw, "AWS/Lambda", "Throttles", dims)) >= 1, what="a throttle")
    assert total(stats(cw, "AWS/Lambda", "Invocations", dims)) == 4

    # The same through GetMetricData, newest first, with labels and ids.
    start, end = window()
    result = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
        {"Id": "inv", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Invocations", "Dimensions": dims},
                                      "Period": 60, "Stat": "Sum"}},
        {"Id": "err", "Label": "errors", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors",
                                                                    "Dimensions": dims}, "Period": 60, "Stat": "Sum"}},
        {"Id": "p90", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Duration", "Dimensions": dims},
                                     "Period": 60, "Stat": "p90"}},
        {"Id": "hidden", "ReturnData": False, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors",
                                                                         "Dimensions": dims}, "Period": 60, "Stat": "Sum"}},
    ])["MetricDataResults"]
    by_id = {r["Id"]: r for r in result}
    assert set(by_id) == {"inv", "err", "p90"}
    assert sum(by_id["inv"]["Values"]) == 4 and by_id["inv"]["Label"] == "Invocations"
    assert by_id["err"]["Label"] == "errors" and sum(by_id["err"]["Values"]) == 1
    assert all(r["StatusCode"] == "Complete" for r in result)
    ts = by_id["inv"]["Timestamps"]
    assert ts == sorted(ts, reverse=True)
    assert all(isinstance(t, datetime.datetime) for t in ts)


def test_put_metric_data_round_trip_with_statistics_and_percentiles(cw):
    ns = "Test/" + uuid.uuid4().hex[:8]
    dims = [{"Name": "Route", "Value": "/orders"}]
    now = utcnow()
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Latency", "Dimensions": dims, "Timestamp": now, "Values": [10, 20, 30, 40], "Counts": [1, 1, 1, 97],
         "Unit": "Milliseconds"},
        {"MetricName": "Latency", "Dimensions": dims, "Timestamp": now, "Value": 5, "Unit": "Milliseconds"},
        {"MetricName": "Batch", "Dimensions": dims, "Timestamp": now,
         "StatisticValues": {"SampleCount": 4, "Sum": 10, "Minimum": 1, "Maximum": 4}, "Unit": "Count"},
    ])
    points = stats(cw, ns, "Latency", dims, statistics=("SampleCount", "Sum", "Minimum", "Maximum", "Average"))
    assert len(points) == 1
    p = points[0]
    assert (p["SampleCount"], p["Sum"], p["Minimum"], p["Maximum"]) == (101, 10 + 20 + 30 + 40 * 97 + 5, 5, 40)
    assert p["Average"] == pytest.approx(p["Sum"] / 101)
    assert p["Unit"] == "Milliseconds"
    ext = stats(cw, ns, "Latency", dims, extended=("p50", "p99", "p0.0", "p100"))[0]["ExtendedStatistics"]
    assert ext["p50"] == pytest.approx(40, rel=0.02) and ext["p99"] == pytest.approx(40, rel=0.02)
    assert ext["p0.0"] == 5 and ext["p100"] == 40
    batch = stats(cw, ns, "Batch", dims, statistics=("SampleCount", "Sum", "Average"))[0]
    assert (batch["SampleCount"], batch["Sum"], batch["Average"]) == (4, 10, 2.5)
    # Percentiles of statistic sets cannot be told: the datapoint has none.
    assert "ExtendedStatistics" not in stats(cw, ns, "Batch", dims, extended=("p50",))[0]
    # Unit filter.
    assert stats(cw, ns, "Latency", dims, unit="Seconds") == []
    # ListMetrics, with dimension filters.
    listed = cw.list_metrics(Namespace=ns)["Metrics"]
    assert sorted(m["MetricName"] for m in listed) == ["Batch", "Latency"]
    assert listed[0]["Dimensions"] == dims
    assert cw.list_metrics(Namespace=ns, Dimensions=[{"Name": "Route", "Value": "/other"}])["Metrics"] == []
    assert len(cw.list_metrics(Namespace=ns, MetricName="Latency", Dimensions=[{"Name": "Route"}])["Metrics"]) == 1
    # High resolution: 1-second periods.
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Hi", "Value": v, "StorageResolution": 1, "Timestamp": now}
                                                 for v in (1, 2, 3)])
    hi = stats(cw, ns, "Hi", [], statistics=("Sum",), period=1)
    assert total(hi) == 6


def test_json_protocol_serves_the_same(server):
    """botocore's model also offers the JSON 1.0 protocol (`X-Amz-Target: GraniteServiceVersion20100801.*`): a botocore
    client told to speak it gets the same answers and errors."""
    session = botocore.session.get_session()
    data = session.get_service_data("cloudwatch")  # the loader's cached model: the client below is made from it
    assert "json" in data["metadata"]["protocols"]
    data["metadata"]["protocol"] = "json"
    client = session.create_client("cloudwatch", endpoint_url=server.endpoint, region_name="us-east-1",
                                   aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
                                   config=botocore.config.Config(retries={"max_attempts": 0}))
    seen = []
    client.meta.events.register("before-send.cloudwatch.*", lambda request, **kw: seen.append(dict(request.headers)))
    ns = "Json/" + uuid.uuid4().hex[:6]
    client.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "M", "Value": 7}])
    assert seen[-1]["X-Amz-Target"] == b"GraniteServiceVersion20100801.PutMetricData"
    start, end = window()
    points = client.get_metric_statistics(Namespace=ns, MetricName="M", StartTime=start, EndTime=end, Period=60,
                                          Statistics=["Sum"])["Datapoints"]
    assert points[0]["Sum"] == 7 and isinstance(points[0]["Timestamp"], datetime.datetime)
    with pytest.raises(ClientError) as e:
        client.put_metric_data(Namespace="AWS/Mine", MetricData=[{"MetricName": "M", "Value": 7}])
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_query_protocol_serves_the_same(server):
    """The model's third protocol, query (`Action=…&Version=2010-08-01`, XML answers), as older SDKs and tools speak
    it: botocore told to use it reads the same metrics, statistics (a map of percentiles), metric math, alarms and
    errors."""
    session = botocore.session.get_session()
    data = session.get_service_data("cloudwatch")
    assert "query" in data["metadata"]["protocols"]
    saved = dict(data["metadata"])
    # botocore picks the first protocol it supports from `protocols`: leave it only query while the client is made.
    data["metadata"]["protocol"], data["metadata"]["protocols"] = "query", ["query"]
    try:
        client = session.create_client("cloudwatch", endpoint_url=server.endpoint, region_name="us-east-1",
                                       aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
                                       config=botocore.config.Config(retries={"max_attempts": 0}))
    finally:
        data["metadata"].clear()
        data["metadata"].update(saved)
    seen = []
    client.meta.events.register("before-send.cloudwatch.*", lambda request, **kw: seen.append(request.body))
    ns = "Query/" + uuid.uuid4().hex[:6]
    now = utcnow()
    client.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "M", "Dimensions": [{"Name": "Fn", "Value": "a"}], "Values": [1, 2, 3], "Counts": [1, 1, 2], "Timestamp": now},
        {"MetricName": "M", "Dimensions": [{"Name": "Fn", "Value": "a"}], "StatisticValues":
            {"SampleCount": 2, "Sum": 10, "Minimum": 4, "Maximum": 6}, "Timestamp": now, "Unit": "Count"},
    ])
    assert b"Action=PutMetricData" in seen[-1] and b"MetricData.member.1.Values.member.3=3" in seen[-1]
    start, end = window()
    stats = client.get_metric_statistics(Namespace=ns, MetricName="M", Dimensions=[{"Name": "Fn", "Value": "a"}],
                                         StartTime=start, EndTime=end, Period=60, Statistics=["Sum", "SampleCount", "Maximum"])
    point = stats["Datapoints"][0]
    assert point["Sum"] == 19 and point["SampleCount"] == 6 and point["Maximum"] == 6
    assert isinstance(point["Timestamp"], datetime.datetime) and stats["Label"] == "M"
    # Percentiles of a metric without statistic sets come back as a map.
    client.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "P", "Values": [1, 2, 3, 4], "Timestamp": now}])
    pct = client.get_metric_statistics(Namespace=ns, MetricName="P", StartTime=start, EndTime=end, Period=60,
                                       ExtendedStatistics=["p50", "p99"])
    assert set(pct["Datapoints"][0]["ExtendedStatistics"]) == {"p50", "p99"}
    listed = client.list_metrics(Namespace=ns, MetricName="M")["Metrics"]
    assert listed == [{"Namespace": ns, "MetricName": "M", "Dimensions": [{"Name": "Fn", "Value": "a"}]}]
    results = client.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
        {"Id": "m", "ReturnData": False, "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "M",
                                                                   "Dimensions": [{"Name": "Fn", "Value": "a"}]},
                                                        "Period": 60, "Stat": "Sum"}},
        {"Id": "twice", "Expression": "m * 2"},
    ])["MetricDataResults"]
    assert [(r["Id"], r["Values"], r["StatusCode"]) for r in results] == [("twice", [38.0], "Complete")]
    alarm = "q-" + uuid.uuid4().hex[:8]
    client.put_metric_alarm(AlarmName=alarm, Namespace=ns, MetricName="M", Statistic="Sum", Period=60, EvaluationPeriods=2,
                            Threshold=100, ComparisonOperator="GreaterThanThreshold", Dimensions=[{"Name": "Fn", "Value": "a"}],
                            Tags=[{"Key": "k", "Value": "v"}])
    described = client.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]
    assert described["Dimensions"] == [{"Name": "Fn", "Value": "a"}] and described["ActionsEnabled"] is True
    assert described["EvaluationPeriods"] == 2 and described["AlarmActions"] == []
    assert isinstance(described["StateUpdatedTimestamp"], datetime.datetime)
    client.delete_alarms(AlarmNames=[alarm])
    with pytest.raises(ClientError) as e:
        client.put_metric_data(Namespace="AWS/Mine", MetricData=[{"MetricName": "M", "Value": 7}])
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue" and "AWS/" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        client.describe_alarms(AlarmNames=[alarm], MaxRecords=500)
    assert e.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_errors_name_the_field(cw):
    def code(call):
        with pytest.raises(ClientError) as e:
            call()
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]

    c, m, s = code(lambda: cw.put_metric_data(Namespace="AWS/Lambda", MetricData=[{"MetricName": "X", "Value": 1}]))
    assert (c, s) == ("InvalidParameterValue", 400) and "Namespace" in m
    c, m, _ = code(lambda: cw.put_metric_data(Namespace="N", MetricData=[{"MetricName": "X", "Value": 1, "StatisticValues": {
        "SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}]))
    assert c == "InvalidParameterCombination" and "MetricData.member.1.Value" in m
    c, m, _ = code(lambda: cw.put_metric_data(Namespace="N", MetricData=[{"MetricName": "X", "Values": [1, 2], "Counts": [1]}]))
    assert c == "InvalidParameterValue" and "Counts" in m
    c, m, _ = code(lambda: cw.put_metric_data(Namespace="N", MetricData=[{"MetricName": "X", "Value": 1, "StorageResolution": 30}]))
    assert c == "InvalidParameterValue" and "StorageResolution" in m
    c, m, _ = code(lambda: cw.put_metric_data(Namespace="N", MetricData=[{"MetricName": "X", "Value": 1, "Unit": "Parsecs"}]))
    assert c == "InvalidParameterValue" and "Unit" in m
    old = utcnow() - datetime.timedelta(days=20)
    c, m, _ = code(lambda: cw.put_metric_data(Namespace="N", MetricData=[{"MetricName": "X", "Value": 1, "Timestamp": old}]))
    assert c == "InvalidParameterValue" and "Timestamp" in m
    start, end = window()
    c, m, _ = code(lambda: cw.get_metric_statistics(Namespace="N", MetricName="X", StartTime=start, EndTime=end, Period=61,
                                                    Statistics=["Sum"]))
    assert c == "InvalidParameterValue" and "Period" in m
    c, m, _ = code(lambda: cw.get_metric_statistics(Namespace="N", MetricName="X", StartTime=end, EndTime=start, Period=60,
                                                    Statistics=["Sum"]))
    assert c == "InvalidParameterValue" and "StartTime" in m
    c, m, _ = code(lambda: cw.get_metric_statistics(Namespace="N", MetricName="X", StartTime=start - datetime.timedelta(days=2),
                                                    EndTime=end, Period=60, Statistics=["Sum"]))
    assert c == "InvalidParameterCombination" and "1440" in m
    c, m, _ = code(lambda: cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
        {"Id": "Bad", "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "X"}, "Period": 60, "Stat": "Sum"}}]))
    assert c == "ValidationError" and "Id" in m
    c, m, _ = code(lambda: cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
        {"Id": "a", "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "X"}, "Period": 60, "Stat": "Median"}}]))
    assert c == "ValidationError" and "Stat" in m


def test_get_metric_data_pages_by_max_datapoints(cw):
    ns = "Page/" + uuid.uuid4().hex[:6]
    now = utcnow()
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "M", "Value": i, "Timestamp": now - datetime.timedelta(minutes=i)} for i in range(5)])
    start, end = window()
    query = [{"Id": "m", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "M"}, "Period": 60, "Stat": "Sum"}}]
    first = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=query, MaxDatapoints=3, ScanBy="TimestampAscending")
    assert len(first["MetricDataResults"][0]["Values"]) == 3 and "NextToken" in first
    second = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=query, MaxDatapoints=3, ScanBy="TimestampAscending",
                                NextToken=first["NextToken"])
    assert len(second["MetricDataResults"][0]["Values"]) == 2 and "NextToken" not in second
    values = first["MetricDataResults"][0]["Values"] + second["MetricDataResults"][0]["Values"]
    assert values == [4, 3, 2, 1, 0]


def test_emf_lines_in_function_logs_become_metrics(lam, create, name, cw):
    ns = "Emf/" + uuid.uuid4().hex[:6]
    code = f"""
import json, time
def handler(event, context):
    print(json.dumps({{"_aws": {{"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{{
        "Namespace": "{ns}", "Dimensions": [["service"]],
        "Metrics": [{{"Name": "Orders", "Unit": "Count"}}]}}]}}, "service": "cart", "Orders": event["n"]}}))
    return 0
"""
    create(name, Code={"ZipFile": make_zip({"app.py": code})})
    for n in (2, 3):
        lam.invoke(FunctionName=name, Payload=json.dumps({"n": n}).encode())
    dims = [{"Name": "service", "Value": "cart"}]
    points = wait_for(lambda: (p := stats(cw, ns, "Orders", dims)) and total(p) == 5 and p, what="EMF metric")
    assert points[0]["Unit"] == "Count"


def test_sqs_metrics_count_sends_receives_deletes_and_depth(server, cw):
    sqs = server.client("sqs")
    queue = "cwq-" + uuid.uuid4().hex[:8]
    url = sqs.create_queue(QueueName=queue)["QueueUrl"]
    for body in ("a", "bb", "ccc"):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    dims = [{"Name": "QueueName", "Value": queue}]
    wait_for(lambda: total(stats(cw, "AWS/SQS", "NumberOfMessagesSent", dims)) == 3, what="3 sent")
    assert total(stats(cw, "AWS/SQS", "NumberOfMessagesReceived", dims)) == len(got)
    assert total(stats(cw, "AWS/SQS", "NumberOfMessagesDeleted", dims)) == 1
    size = stats(cw, "AWS/SQS", "SentMessageSize", dims, statistics=("Average", "Maximum"))[0]
    assert (size["Average"], size["Maximum"], size["Unit"]) == (2, 3, "Bytes")
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)  # one left visible? maybe, then empty
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    wait_for(lambda: total(stats(cw, "AWS/SQS", "NumberOfEmptyReceives", dims)) >= 1, what="an empty receive")
    # Depths are sampled (every 15 s here; every minute on AWS).
    wait_for(lambda: stats(cw, "AWS/SQS", "ApproximateNumberOfMessagesNotVisible", dims, statistics=("Maximum",)),
             timeout=40, what="a sampled depth")


def test_async_invocation_metrics(lam, create, name, cw):
    create(name)
    for _ in range(2):
        assert lam.invoke(FunctionName=name, InvocationType="Event", Payload=b"{}")["StatusCode"] == 202
    dims = [{"Name": "FunctionName", "Value": name}]
    wait_for(lambda: total(stats(cw, "AWS/Lambda", "AsyncEventsReceived", dims)) == 2, what="2 async events received")
    age = wait_for(lambda: stats(cw, "AWS/Lambda", "AsyncEventAge", dims, statistics=("SampleCount", "Maximum")), what="event ages")
    assert sum(p["SampleCount"] for p in age) >= 2 and all(p["Unit"] == "Milliseconds" for p in age)
    assert stats(cw, "AWS/Lambda", "AsyncEventsDropped", dims) == []


def test_large_put_metric_data_arrives_gzip_compressed(cw):
    """botocore gzips PutMetricData bodies above 10 KB (the model's requestcompression trait); the server inflates them."""
    ns = "Gzip/" + uuid.uuid4().hex[:6]
    encodings = []
    cw.meta.events.register("before-send.cloudwatch.PutMetricData",
                            lambda request, **kw: encodings.append(request.headers.get("Content-Encoding")))
    now = utcnow()
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "M", "Dimensions": [{"Name": "I", "Value": str(i)}], "Value": i,
                                                  "Timestamp": now} for i in range(500)])
    assert encodings[-1] == b"gzip"
    assert len(cw.list_metrics(Namespace=ns)["Metrics"]) == 500
    assert total(stats(cw, ns, "M", [{"Name": "I", "Value": "499"}])) == 499


def test_get_metric_data_with_metric_math(cw):
    ns = "Math/" + uuid.uuid4().hex[:6]
    now = utcnow().replace(second=30, microsecond=0)
    data = []
    for minute, (errors, calls) in enumerate([(1, 10), (3, 12), (0, 8)]):
        t = now - datetime.timedelta(minutes=minute)
        data += [{"MetricName": "Errors", "Value": errors, "Timestamp": t}, {"MetricName": "Calls", "Value": calls, "Timestamp": t}]
    cw.put_metric_data(Namespace=ns, MetricData=data)
    start, end = window()

    def stat(i, name):
        return {"Id": i, "ReturnData": False, "MetricStat": {"Metric": {"Namespace": ns, "MetricName": name}, "Period": 60, "Stat": "Sum"}}
    results = cw.get_metric_data(StartTime=start, EndTime=end, ScanBy="TimestampAscending", MetricDataQueries=[
        stat("e", "Errors"), stat("c", "Calls"),
        {"Id": "rate", "Expression": "100 * e / c", "Label": "error rate"},
        {"Id": "both", "Expression": "SUM(METRICS())"},
        {"Id": "twice", "Expression": "rate * 2"},
    ])["MetricDataResults"]
    by_id = {r["Id"]: r for r in results}
    assert set(by_id) == {"rate", "both", "twice"}
    assert by_id["rate"]["Label"] == "error rate"
    assert by_id["rate"]["Values"] == pytest.approx([0, 25, 10])
    assert by_id["both"]["Values"] == [8, 15, 11]
    assert by_id["twice"]["Values"] == pytest.approx([0, 50, 20])
    for bad, needle in (("e / nope", "nope"), ("SQRT(e)", "SQRT"), ("e +", "ends"), ("x1", "x1")):
        with pytest.raises(ClientError) as err:
            cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[stat("e", "Errors"), {"Id": "x1", "Expression": bad}])
        assert err.value.response["Error"]["Code"] == "ValidationError" and needle in err.value.response["Error"]["Message"]


def test_metric_math_functions(cw):
    ns = "MathFn/" + uuid.uuid4().hex[:6]
    now = utcnow().replace(second=30, microsecond=0)
    # Four minutes ago 2 errors of 10 calls, a minute with calls only, two minutes ago 4 of 20, then 0 of 5.
    data = []
    for minute, errors, calls in ((4, 2, 10), (3, None, 8), (2, 4, 20), (1, 0, 5)):
        t = now - datetime.timedelta(minutes=minute)
        data.append({"MetricName": "Calls", "Value": calls, "Timestamp": t})
        if errors is not None:
            data.append({"MetricName": "Errors", "Value": errors, "Timestamp": t})
    cw.put_metric_data(Namespace=ns, MetricData=data)
    start, end = now - datetime.timedelta(minutes=4, seconds=30), now - datetime.timedelta(seconds=30)

    def stat(i, name):
        return {"Id": i, "ReturnData": False, "MetricStat": {"Metric": {"Namespace": ns, "MetricName": name}, "Period": 60, "Stat": "Sum"}}
    results = cw.get_metric_data(StartTime=start, EndTime=end, ScanBy="TimestampAscending", MetricDataQueries=[
        stat("e", "Errors"), stat("c", "Calls"),
        {"Id": "filled", "Expression": "FILL(e, 0)"},
        {"Id": "guarded", "Expression": "IF(c > 0, 100 * FILL(e, 0) / c, 0)"},
        {"Id": "total", "Expression": "SUM(e)"},
        {"Id": "growth", "Expression": "DIFF(c)"},
        {"Id": "each", "Expression": "METRICS()"},
        {"Id": "big", "Expression": "IF(c >= 10 AND e > 1, 1, 0)"},
    ])["MetricDataResults"]
    by_id = {}
    for r in results:
        by_id.setdefault(r["Id"], []).append(r)
    assert by_id["filled"][0]["Values"] == [2, 0, 4, 0]
    assert by_id["guarded"][0]["Values"] == pytest.approx([20, 0, 20, 0])
    assert by_id["total"][0]["Values"] == [6, 6, 6, 6], "a number becomes a series over the period grid"
    assert by_id["growth"][0]["Values"] == [-2, 12, -15]
    assert sorted(r["Label"] for r in by_id["each"]) == ["Calls", "Errors"], "an array returns one result per series"
    assert by_id["big"][0]["Values"] == [1, 1, 0]
    with pytest.raises(ClientError) as err:
        cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[stat("e", "Errors"), {"Id": "x", "Expression": "FILL(e)"}])
    assert err.value.response["Error"]["Code"] == "ValidationError" and "FILL takes 2 arguments" in err.value.response["Error"]["Message"]


def test_provisioned_concurrency_metrics(lam, create, name, cw):
    """Invocations through an alias with provisioned concurrency count as ProvisionedConcurrencyInvocations while a
    provisioned environment is free and as -SpilloverInvocations when all are busy; ProvisionedConcurrentExecutions
    and -Utilization say how many were busy."""
    create(name, MemorySize=256, Code={"ZipFile": make_zip({"app.py": "import time\ndef handler(e, c):\n    time.sleep(e.get('s', 0))\n    return 1\n"})})
    version = lam.publish_version(FunctionName=name)["Version"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=1)

    def ready():
        config = lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
        assert config["Status"] != "FAILED", config
        return config["Status"] == "READY"
    wait_for(ready, timeout=60, what="provisioned concurrency ready")
    for _ in range(3):
        lam.invoke(FunctionName=name, Qualifier="live", Payload=b"{}")
    # Two at once: one on the provisioned environment, the other spills over.
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: lam.invoke(FunctionName=name, Qualifier="live", Payload=b'{"s": 1}'), range(2)))
    resource = [{"Name": "FunctionName", "Value": name}, {"Name": "Resource", "Value": f"{name}:live"}]

    def sums():
        on = total(stats(cw, "AWS/Lambda", "ProvisionedConcurrencyInvocations", resource))
        spilled = total(stats(cw, "AWS/Lambda", "ProvisionedConcurrencySpilloverInvocations", resource))
        return (on, spilled) if on + spilled >= 5 else None
    on, spilled = wait_for(sums, timeout=30, what="provisioned invocation counts")
    assert on == 4 and spilled == 1
    executions = stats(cw, "AWS/Lambda", "ProvisionedConcurrentExecutions", resource, statistics=("Maximum",))
    utilization = stats(cw, "AWS/Lambda", "ProvisionedConcurrencyUtilization", resource, statistics=("Maximum",))
    assert max(p["Maximum"] for p in executions) == 1 and max(p["Maximum"] for p in utilization) == 1.0
    by_function = stats(cw, "AWS/Lambda", "ProvisionedConcurrencyInvocations", [{"Name": "FunctionName", "Value": name}])
    assert total(by_function) == 4
    lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
