"""X-Ray (issue 15): the segments Lambda writes for sampled invocations, segments functions send to the daemon over
UDP, PutTraceSegments validation, BatchGetTraces, GetTraceSummaries with filter expressions, and the graphs."""
import json
import re
import tempfile
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import ROLE, Server, make_zip, wait_for

TRACE_ECHO = """
import os
def handler(event, context):
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError("boom")
    return os.environ["_X_AMZN_TRACE_ID"]
"""

# The handler sends a subsegment of its own to the daemon, as the X-Ray SDK does inside Lambda: a hand-written
# datagram (protocol header, newline, document) to AWS_XRAY_DAEMON_ADDRESS, its parent the function segment.
UDP_SENDER = """
import json, os, socket, time, binascii
def handler(event, context):
    header = os.environ["_X_AMZN_TRACE_ID"]
    fields = dict(part.split("=", 1) for part in header.split(";"))
    host, port = os.environ["AWS_XRAY_DAEMON_ADDRESS"].split(":")
    now = time.time()
    document = {"type": "subsegment", "id": binascii.hexlify(os.urandom(8)).decode(), "name": "handler-work",
                "trace_id": fields["Root"], "parent_id": fields["Parent"], "start_time": now - 0.002, "end_time": now,
                "annotations": {"order_id": "o-42"}}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(b'{"format": "json", "version": 1}\\n' + json.dumps(document).encode(), (host, int(port)))
    sock.close()
    return {"trace": header, "daemon": os.environ["AWS_XRAY_DAEMON_ADDRESS"], "id": document["id"]}
"""

HEADER = re.compile(r"Root=(1-[0-9a-f]{8}-[0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=([01])")
TIME = re.compile(r'"(start|end)_time":\d+\.\d{6}[,}]')


@pytest.fixture(scope="module")
def xray(server):
    return server.client("xray")


def trace_root():
    return f"1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"


def segment_id():
    return uuid.uuid4().hex[:16]


def invoke(lam, name, payload=b"{}"):
    r = lam.invoke(FunctionName=name, Payload=payload)
    return r, json.loads(r["Payload"].read())


def header_parts(header):
    m = HEADER.fullmatch(header)
    assert m, header
    return m.groups()


def documents(xray, root, count):
    """The documents of trace `root` once it holds `count` of them."""
    def ready():
        traces = xray.batch_get_traces(TraceIds=[root])["Traces"]
        return traces if traces and len(traces[0]["Segments"]) >= count else None
    traces = wait_for(ready, timeout=10, what=f"{count} segments of {root}")
    assert len(traces) == 1 and traces[0]["Id"] == root and traces[0]["LimitExceeded"] is False
    return [json.loads(s["Document"]) for s in traces[0]["Segments"]], traces[0]


def lambda_segments(docs):
    by_origin = {d.get("origin"): d for d in docs}
    return by_origin["AWS::Lambda"], by_origin["AWS::Lambda::Function"]


def test_active_invocation_records_lambdas_segments(lam, xray, create, name):
    arn = create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})}, TracingConfig={"Mode": "Active"})["FunctionArn"]
    _, header = invoke(lam, name)
    root, parent, sampled = header_parts(header)
    assert sampled == "1"

    docs, trace = documents(xray, root, 2)
    assert len(docs) == 2
    service, function = lambda_segments(docs)
    assert service["name"] == function["name"] == name
    assert service["trace_id"] == function["trace_id"] == root
    assert "parent_id" not in service
    # The function's segment is the Parent the function was given; it is a child of the service's.
    assert function["id"] == parent and function["parent_id"] == service["id"]
    assert service["resource_arn"] == arn and service["aws"]["request_id"]
    assert service["start_time"] <= function["start_time"] <= function["end_time"] <= service["end_time"]
    assert trace["Duration"] == pytest.approx(service["end_time"] - service["start_time"], abs=1e-5)
    names = [s["name"] for s in function["subsegments"]]
    assert names == ["Initialization", "Invocation", "Overhead"], names
    init, invocation, overhead = function["subsegments"]
    assert init["start_time"] <= init["end_time"] <= invocation["start_time"] <= invocation["end_time"] <= overhead["start_time"]
    assert overhead["end_time"] <= function["end_time"]
    assert not function.get("fault") and not function.get("error")
    raw = xray.batch_get_traces(TraceIds=[root])["Traces"][0]["Segments"]
    assert all(TIME.search(s["Document"]) for s in raw), "times are epoch seconds with microseconds"

    # A warm invocation has no Initialization.
    _, header = invoke(lam, name)
    root2, parent2, _ = header_parts(header)
    assert root2 != root
    docs, _ = documents(xray, root2, 2)
    _, function = lambda_segments(docs)
    assert function["id"] == parent2
    assert [s["name"] for s in function["subsegments"]] == ["Invocation", "Overhead"]


def test_a_function_error_is_a_fault_of_the_function_segment(lam, xray, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})}, TracingConfig={"Mode": "Active"})
    started = time.time() - 5
    r = lam.invoke(FunctionName=name, Payload=b'{"fail": true}')
    assert r["FunctionError"] == "Unhandled"
    _, header = invoke(lam, name)  # a successful one next to it
    ok_root = header_parts(header)[0]

    summaries = xray.get_trace_summaries(StartTime=started, EndTime=time.time() + 5,
                                         FilterExpression=f'service("{name}") AND fault')["TraceSummaries"]
    assert len(summaries) == 1 and summaries[0]["Id"] != ok_root
    assert summaries[0]["HasFault"] is True
    docs, _ = documents(xray, summaries[0]["Id"], 2)
    _, function = lambda_segments(docs)
    assert function["fault"] is True
    invocation = next(s for s in function["subsegments"] if s["name"] == "Invocation")
    assert invocation["fault"] is True and invocation["cause"]["exceptions"][0]["type"]

    ok = xray.get_trace_summaries(StartTime=started, EndTime=time.time() + 5,
                                  FilterExpression=f'service("{name}") AND !fault')["TraceSummaries"]
    assert [s["Id"] for s in ok] == [ok_root]
    assert ok[0]["EntryPoint"]["Name"] == name and ok[0]["EntryPoint"]["Type"] == "AWS::Lambda"


@pytest.fixture(scope="module")
def plain_server():
    """A server running functions as plain processes (no sandbox): they reach the daemon on the host's loopback."""
    with tempfile.TemporaryDirectory(prefix="swiftlet-xray-plain-") as data_dir:
        s = Server(data_dir, flags=("--isolation", "plain"))
        yield s
        assert s.stop() == 0


def test_a_segment_a_plain_process_function_sends_over_udp_nests_under_its_segment(plain_server, name):
    assert plain_server.health["isolation"].startswith("plain"), plain_server.health["isolation"]
    lam = plain_server.client()
    runtime = [r for r in plain_server.health["runtimes"] if r.startswith("python")][-1]
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": UDP_SENDER})}, TracingConfig={"Mode": "Active"})
    check_udp_segment(lam, plain_server.client("xray"), name)


def test_a_segment_the_function_sends_over_udp_nests_under_the_function_segment(lam, xray, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": UDP_SENDER})}, TracingConfig={"Mode": "Active"})
    check_udp_segment(lam, xray, name)


def check_udp_segment(lam, xray, name):
    r, body = invoke(lam, name)
    assert "FunctionError" not in r, body
    host, _ = body["daemon"].split(":")
    assert host.startswith("127.")
    root, parent, _ = header_parts(body["trace"])

    def nested():
        docs, _ = documents(xray, root, 2)
        _, function = lambda_segments(docs)
        return next((s for s in function.get("subsegments", []) if s["name"] == "handler-work"), None)
    work = wait_for(nested, timeout=10, what="the function's own subsegment")
    assert work["id"] == body["id"] and work["annotations"] == {"order_id": "o-42"}

    found = xray.get_trace_summaries(StartTime=time.time() - 60, EndTime=time.time() + 5,
                                     FilterExpression='annotation.order_id = "o-42"')["TraceSummaries"]
    assert root in [s["Id"] for s in found]


def test_passthrough_with_an_unsampled_header_records_nothing(server, xray, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})})
    root = trace_root()
    lam = server.client()
    lam.meta.events.register("before-sign.lambda.Invoke", lambda request, **kw: request.headers.__setitem__(
        "X-Amzn-Trace-Id", f"Root={root};Parent=53995c3f42cd8ad8;Sampled=0"))
    _, header = invoke(lam, name)
    assert header_parts(header)[::2] == (root, "0")
    answer = xray.batch_get_traces(TraceIds=[root])
    assert answer["Traces"] == [] and answer["UnprocessedTraceIds"] == [root]

    # Without any header, PassThrough does not sample either.
    _, header = invoke(server.client(), name)
    other, _, sampled = header_parts(header)
    assert sampled == "0"
    assert xray.batch_get_traces(TraceIds=[other])["Traces"] == []


def test_a_sampled_caller_header_is_continued_under_the_callers_segment(server, xray, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})})
    root = trace_root()
    lam = server.client()
    lam.meta.events.register("before-sign.lambda.Invoke", lambda request, **kw: request.headers.__setitem__(
        "X-Amzn-Trace-Id", f"Root={root};Parent=53995c3f42cd8ad8;Sampled=1"))
    _, header = invoke(lam, name)
    _, parent, _ = header_parts(header)
    docs, _ = documents(xray, root, 2)
    service, function = lambda_segments(docs)
    assert service["parent_id"] == "53995c3f42cd8ad8" and function["id"] == parent


def put(xray, *docs):
    return xray.put_trace_segments(TraceSegmentDocuments=[json.dumps(d) for d in docs])["UnprocessedTraceSegments"]


def test_put_trace_segments_then_summaries_through_filter_expressions(xray):
    now = time.time()
    tag = uuid.uuid4().hex[:8]
    roots = [trace_root() for _ in range(4)]
    frontend = f"frontend-{tag}"
    # 0: fast and fine; 1: slow with a 500 fault; 2: a 404 error; 3: a throttled call through a backend.
    for i, (duration, status, flags) in enumerate([(0.1, 200, {}), (3.0, 500, {"fault": True}),
                                                   (0.5, 404, {"error": True}), (1.2, 429, {"throttle": True, "error": True})]):
        seg = {"name": frontend, "id": segment_id(), "trace_id": roots[i], "start_time": now - 10, "end_time": now - 10 + duration,
               "http": {"request": {"method": "GET", "url": f"https://example.com/orders/{i}"}, "response": {"status": status}},
               "annotations": {"tag": tag, "index": i, "premium": i % 2 == 1}, **flags}
        docs = [seg]
        if i == 3:
            docs.append({"name": f"backend-{tag}", "id": segment_id(), "trace_id": roots[i], "parent_id": seg["id"],
                         "start_time": now - 9.9, "end_time": now - 9.0, "origin": "AWS::EC2::Instance"})
        assert put(xray, *docs) == []

    def ids(expression):
        out = xray.get_trace_summaries(StartTime=now - 60, EndTime=now + 5, FilterExpression=expression)
        return sorted(roots.index(s["Id"]) for s in out["TraceSummaries"] if s["Id"] in roots)

    assert ids(f'annotation.tag = "{tag}"') == [0, 1, 2, 3]
    assert ids(f'service("{frontend}")') == [0, 1, 2, 3]
    assert ids(f'service("{frontend}") AND responsetime > 1') == [1, 3]
    assert ids(f'annotation.tag = "{tag}" and duration >= 3') == [1]
    assert ids(f'annotation.tag = "{tag}" AND fault') == [1]
    assert ids(f'annotation.tag = "{tag}" AND error') == [2, 3]
    assert ids(f'annotation.tag = "{tag}" AND throttle') == [3]
    assert ids(f'annotation.tag = "{tag}" AND ok') == [0]
    assert ids(f'annotation.tag = "{tag}" AND http.status = 500') == [1]
    assert ids(f'annotation.tag = "{tag}" AND http.status >= 400 AND !fault') == [2, 3]
    assert ids(f'annotation.tag = "{tag}" AND annotation.index < 2') == [0, 1]
    assert ids(f'annotation.tag = "{tag}" AND annotation.premium = true') == [1, 3]
    assert ids(f'annotation.tag = "{tag}" AND (http.status = 500 OR http.status = 404)') == [1, 2]
    assert ids(f'annotation.tag = "{tag}" AND http.url ENDSWITH "/2"') == [2]
    assert ids(f'service("backend-{tag}")') == [3]
    assert ids(f'service(id(name: "backend-{tag}", type: "AWS::EC2::Instance"))') == [3]

    summary = next(s for s in xray.get_trace_summaries(StartTime=now - 60, EndTime=now + 5,
                                                       FilterExpression=f'annotation.tag = "{tag}" AND fault')["TraceSummaries"])
    assert summary["Http"]["HttpStatus"] == 500 and summary["Http"]["HttpMethod"] == "GET"
    assert summary["Duration"] == pytest.approx(3.0) and summary["ResponseTime"] == pytest.approx(3.0)
    assert summary["Annotations"]["tag"][0]["AnnotationValue"]["StringValue"] == tag
    assert summary["Annotations"]["index"][0]["AnnotationValue"]["NumberValue"] == 1
    assert summary["ServiceIds"][0]["Name"] == frontend and summary["EntryPoint"]["Name"] == frontend

    # Outside the time range there is nothing; by event time the same traces are found.
    assert xray.get_trace_summaries(StartTime=now - 7200, EndTime=now - 3600,
                                    FilterExpression=f'annotation.tag = "{tag}"')["TraceSummaries"] == []
    by_event = xray.get_trace_summaries(StartTime=now - 11, EndTime=now - 9.95, TimeRangeType="Event",
                                        FilterExpression=f'annotation.tag = "{tag}"')["TraceSummaries"]
    assert sorted(roots.index(s["Id"]) for s in by_event) == [0, 1, 2, 3]

    graph = xray.get_trace_graph(TraceIds=[roots[3]])["Services"]
    by_name = {s["Name"]: s for s in graph}
    assert set(by_name) == {frontend, f"backend-{tag}"}
    assert by_name[frontend]["Root"] is True
    assert [e["ReferenceId"] for e in by_name[frontend]["Edges"]] == [by_name[f"backend-{tag}"]["ReferenceId"]]


def test_summaries_are_paged(xray):
    now = time.time()
    tag = uuid.uuid4().hex[:8]
    docs = [{"name": "paged", "id": segment_id(), "trace_id": trace_root(), "start_time": now - 5, "end_time": now - 4,
             "annotations": {"page_tag": tag}} for _ in range(105)]
    assert put(xray, *docs) == []
    seen, token, pages = [], None, 0
    while True:
        args = dict(StartTime=now - 60, EndTime=now + 5, FilterExpression=f'annotation.page_tag = "{tag}"')
        if token:
            args["NextToken"] = token
        page = xray.get_trace_summaries(**args)
        pages += 1
        seen += [s["Id"] for s in page["TraceSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    assert pages >= 2 and sorted(seen) == sorted(d["trace_id"] for d in docs)


def test_invalid_segments_are_unprocessed_with_the_field_named(xray):
    now = time.time()
    root = trace_root()
    good = {"name": "ok", "id": segment_id(), "trace_id": root, "start_time": now - 1, "end_time": now}
    cases = [
        ({k: v for k, v in good.items() if k != "id"}, None, "MissingId", "id"),
        ({**good, "id": "xyz"}, "xyz", "InvalidId", "id"),
        ({**good, "id": segment_id(), "name": "bad?name!"}, ..., "InvalidName", "name"),
        ({**good, "id": segment_id(), "trace_id": "1-abc"}, ..., "InvalidTraceId", "trace_id"),
        ({k: v for k, v in {**good, "id": segment_id()}.items() if k != "trace_id"}, ..., "MissingTraceId", "trace_id"),
        ({k: v for k, v in {**good, "id": segment_id()}.items() if k != "end_time"}, ..., "MissingEndTime", "end_time"),
        ({**good, "id": segment_id(), "start_time": "yesterday"}, ..., "InvalidStartTime", "start_time"),
        ({**good, "id": segment_id(), "type": "subsegment"}, ..., "MissingParentId", "parent_id"),
        ({**good, "id": segment_id(), "subsegments": [{"id": segment_id(), "name": "child", "start_time": now}]},
         ..., "MissingEndTime", "end_time"),
    ]
    answer = xray.put_trace_segments(TraceSegmentDocuments=[json.dumps(good)] + [json.dumps(c[0]) for c in cases] + ["not json"])
    unprocessed = answer["UnprocessedTraceSegments"]
    assert len(unprocessed) == len(cases) + 1
    for (doc, expected_id, code, field), got in zip(cases, unprocessed):
        assert got["ErrorCode"] == code, (doc, got)
        assert field in got["Message"], got
        if expected_id is ...:
            assert got["Id"] == doc["id"]
        elif expected_id is None:
            assert "Id" not in got
    assert "subsegment" in unprocessed[-2]["Message"]
    assert unprocessed[-1]["ErrorCode"] and "Id" not in unprocessed[-1]
    # The valid one was stored.
    assert [t["Id"] for t in xray.batch_get_traces(TraceIds=[root])["Traces"]] == [root]


def test_requests_that_are_wrong_name_the_member(xray):
    roots = [trace_root() for _ in range(6)]
    with pytest.raises(ClientError) as e:
        xray.batch_get_traces(TraceIds=roots)
    err = e.value.response["Error"]
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err["Code"] == "InvalidRequestException" and "traceIds" in err["Message"] and "5" in err["Message"]

    with pytest.raises(ClientError) as e:
        xray.batch_get_traces(TraceIds=["not-a-trace"])
    assert e.value.response["Error"]["Code"] == "InvalidRequestException" and "TraceIds" in e.value.response["Error"]["Message"]

    with pytest.raises(ClientError) as e:
        xray.get_trace_summaries(StartTime=time.time() - 60, EndTime=time.time(), FilterExpression="responsetime >")
    err = e.value.response["Error"]
    assert err["Code"] == "InvalidRequestException" and "FilterExpression" in err["Message"]

    with pytest.raises(ClientError) as e:
        xray.get_trace_summaries(StartTime=time.time(), EndTime=time.time() - 60)
    assert "EndTime" in e.value.response["Error"]["Message"]

    with pytest.raises(ClientError) as e:
        xray.get_trace_summaries(StartTime=time.time() - 60, EndTime=time.time(), NextToken="garbage")
    assert "NextToken" in e.value.response["Error"]["Message"]


def test_an_asynchronous_invoke_continues_the_callers_trace(server, xray, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})})
    root = trace_root()
    lam = server.client()
    lam.meta.events.register("before-sign.lambda.Invoke", lambda request, **kw: request.headers.__setitem__(
        "X-Amzn-Trace-Id", f"Root={root};Parent=53995c3f42cd8ad8;Sampled=1"))
    assert lam.invoke(FunctionName=name, InvocationType="Event", Payload=b"{}")["StatusCode"] == 202
    docs, _ = documents(xray, root, 2)
    service, function = lambda_segments(docs)
    assert service["parent_id"] == "53995c3f42cd8ad8" and function["parent_id"] == service["id"]
    # The service's view starts when the event was queued: its dwell time, then the attempt that ran it.
    dwell, attempt = service["subsegments"]
    assert (dwell["name"], attempt["name"]) == ("Dwell Time", "Attempt #1")
    assert service["start_time"] == dwell["start_time"] <= dwell["end_time"] == attempt["start_time"] <= function["start_time"]


def test_each_operation_needs_its_xray_permission(server):
    iam = server.client("iam")
    user = "u-" + uuid.uuid4().hex[:10]
    arn = iam.create_user(UserName=user)["User"]["Arn"]
    key = iam.create_access_key(UserName=user)["AccessKey"]
    iam.put_user_policy(UserName=user, PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "xray:BatchGetTraces", "Resource": "*"}]}))
    client = server.client_as("xray", key["AccessKeyId"], key["SecretAccessKey"])

    def allowed():
        try:
            return client.batch_get_traces(TraceIds=[trace_root()])
        except ClientError as e:
            if e.response["Error"]["Code"] == "AccessDeniedException":
                return None
            raise
    assert wait_for(allowed, timeout=10, what="the user's policy")["Traces"] == []
    with pytest.raises(ClientError) as e:
        client.put_trace_segments(TraceSegmentDocuments=[])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert e.value.response["Error"]["Message"] == (
        f"User: {arn} is not authorized to perform: xray:PutTraceSegments on resource: * "
        "because no identity-based policy allows the xray:PutTraceSegments action")
