"""The Prometheus scrape, `GET /metrics`: read by prometheus_client's own text parser, as Prometheus would. Counts are
asserted per function (every test names its own), so the shared server's other traffic does not disturb them."""
import json
import tempfile
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import Server, make_zip, wait_for
from http_support import function_code, public_url, request

CODE = make_zip({"app.py": (
    "import time\n"
    "def handler(event, context):\n"
    "    time.sleep(event.get('sleep', 0))\n"
    "    if event.get('fail'):\n"
    "        raise ValueError('asked to fail')\n"
    "    return event\n")})


def scrape(endpoint, token=None):
    """The parsed scrape: {family name: family}; asserts the content type Prometheus expects."""
    req = urllib.request.Request(endpoint + "/metrics")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    return {family.name: family for family in text_string_to_metric_families(text)}


def sample(families, family, name=None, **labels):
    """The value of the one sample of `family` (sample `name`, default the family's) whose labels include `labels`;
    None when there is none."""
    found = [s.value for s in families[family].samples if s.name == (name or family)
             and all(s.labels.get(k) == v for k, v in labels.items())] if family in families else []
    assert len(found) <= 1, f"{family} {labels} matches {len(found)} samples"
    return found[0] if found else None


def test_invocations_errors_throttles_and_duration(server, slam, name, python_runtime):
    lam = slam
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role="arn:aws:iam::000000000000:role/lambda-role",
                        Handler="app.handler", Code={"ZipFile": CODE})
    for i in range(3):
        assert "FunctionError" not in lam.invoke(FunctionName=name, Payload=json.dumps({"i": i}))
    failed = lam.invoke(FunctionName=name, Payload=json.dumps({"fail": True}))
    assert failed["FunctionError"] == "Unhandled"
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    with pytest.raises(lam.exceptions.TooManyRequestsException):
        lam.invoke(FunctionName=name, Payload=b"{}")
    lam.delete_function_concurrency(FunctionName=name)

    m = scrape(server.endpoint)
    series = dict(function=name, resource=name, version="$LATEST")
    # prometheus_client names counter families without `_total` and their samples with it.
    assert sample(m, "swiftlet_invocations", "swiftlet_invocations_total", **series) == 4
    assert sample(m, "swiftlet_errors", "swiftlet_errors_total", kind="function", **series) == 1
    assert sample(m, "swiftlet_errors", "swiftlet_errors_total", kind="platform", **series) == 0
    assert sample(m, "swiftlet_throttles", "swiftlet_throttles_total", **series) == 1
    assert sample(m, "swiftlet_cold_starts", "swiftlet_cold_starts_total", **series) == 1
    assert m["swiftlet_invocation_duration_seconds"].type == "histogram"
    assert sample(m, "swiftlet_invocation_duration_seconds", "swiftlet_invocation_duration_seconds_count", **series) == 4
    assert sample(m, "swiftlet_invocation_duration_seconds", "swiftlet_invocation_duration_seconds_bucket",
                  le="+Inf", **series) == 4
    assert sample(m, "swiftlet_invocation_duration_seconds", "swiftlet_invocation_duration_seconds_bucket",
                  le="900.0", **series) == 4
    assert 0 < sample(m, "swiftlet_invocation_duration_seconds", "swiftlet_invocation_duration_seconds_sum", **series) < 60
    assert sample(m, "swiftlet_init_duration_seconds", "swiftlet_init_duration_seconds_count", **series) == 1

    # One warm environment, not running anything (idle, or frozen once idle long enough).
    idle = sample(m, "swiftlet_environments", function=name, version="$LATEST", state="idle") or 0
    frozen = sample(m, "swiftlet_environments", function=name, version="$LATEST", state="frozen") or 0
    assert idle + frozen == 1
    assert sample(m, "swiftlet_environments", function=name, state="busy") is None
    assert m["swiftlet_unreserved_concurrent_executions"].type == "gauge"

    # The edge counted the API calls by service, operation and status.
    assert sample(m, "swiftlet_http_requests", "swiftlet_http_requests_total",
                  service="lambda", operation="Invoke", status="200") >= 4
    assert sample(m, "swiftlet_http_requests", "swiftlet_http_requests_total",
                  service="lambda", operation="Invoke", status="429") >= 1
    assert sample(m, "swiftlet_http_requests", "swiftlet_http_requests_total",
                  service="lambda", operation="PutFunctionConcurrency", status="200") >= 1
    assert sample(m, "swiftlet_http_request_duration_seconds", "swiftlet_http_request_duration_seconds_count",
                  service="lambda", operation="Invoke") >= 5


def test_an_alias_is_its_own_resource(server, lam, name, python_runtime):
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role="arn:aws:iam::000000000000:role/lambda-role",
                        Handler="app.handler", Code={"ZipFile": CODE}, Publish=True)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    lam.invoke(FunctionName=name, Qualifier="live", Payload=b"{}")
    lam.invoke(FunctionName=name + ":live", Payload=b"{}")
    m = scrape(server.endpoint)
    assert sample(m, "swiftlet_invocations", "swiftlet_invocations_total",
                  function=name, resource=name + ":live", version="1") == 2
    assert sample(m, "swiftlet_environments", function=name, version="1", state="idle") in (1, None)


def test_queue_depths_and_async_backlog(server, name, python_runtime):
    sqs = server.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)["Messages"]
    assert len(received) == 1
    m = scrape(server.endpoint)
    assert sample(m, "swiftlet_queue_messages", queue=name, state="visible") == 2
    assert sample(m, "swiftlet_queue_messages", queue=name, state="in_flight") == 1
    assert sample(m, "swiftlet_queue_messages", queue=name, state="delayed") == 1
    assert sample(m, "swiftlet_http_requests", "swiftlet_http_requests_total",
                  service="sqs", operation="SendMessage", status="200") >= 4
    # A deleted queue leaves the scrape.
    sqs.delete_queue(QueueUrl=url)
    assert sample(scrape(server.endpoint), "swiftlet_queue_messages", queue=name, state="visible") is None

    # The async backlog gauges exist as a family even when empty; a function's events show until they finish.
    # An event shows in the backlog from its acceptance until it finishes (here: while the function sleeps).
    lam = server.client()
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role="arn:aws:iam::000000000000:role/lambda-role",
                        Handler="app.handler", Code={"ZipFile": CODE}, Timeout=10)
    assert lam.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"sleep": 4}))["StatusCode"] == 202

    def backlog(events):
        def check():
            m = scrape(server.endpoint)
            return m if sample(m, "swiftlet_async_events", function=name) == events else None
        return check
    m = wait_for(backlog(1), what="the async event in the backlog gauge")
    assert 0 <= sample(m, "swiftlet_async_event_oldest_age_seconds", function=name) < 30
    wait_for(backlog(None), what="the finished event to leave the backlog gauge")
    m = scrape(server.endpoint)
    assert sample(m, "swiftlet_invocations", "swiftlet_invocations_total", function=name, resource=name, version="$LATEST") == 1


def test_function_url_requests_are_counted(server, lam, name, python_runtime):
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role="arn:aws:iam::000000000000:role/lambda-role",
                        Handler="app.handler", Code=function_code("def handler(e, c):\n    return {'statusCode': 201}\n"))
    url = public_url(lam, name)
    before = sample(scrape(server.endpoint), "swiftlet_ingress_requests", "swiftlet_ingress_requests_total",
                    kind="function_url", status="201") or 0
    for _ in range(2):
        assert request(url).status == 201
    m = scrape(server.endpoint)
    assert sample(m, "swiftlet_ingress_requests", "swiftlet_ingress_requests_total", kind="function_url", status="201") == before + 2
    assert sample(m, "swiftlet_ingress_request_duration_seconds", "swiftlet_ingress_request_duration_seconds_count",
                  kind="function_url") >= 2


def test_metrics_token_is_required_when_configured():
    with tempfile.TemporaryDirectory(prefix="swiftlet-metrics-") as data_dir:
        s = Server(data_dir, flags=["--metrics-token", "t"])
        try:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "t"}):
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(urllib.request.Request(s.endpoint + "/metrics", headers=headers), timeout=10)
                assert refused.value.code == 401
            m = scrape(s.endpoint, token="t")
            # The refused scrapes were counted too.
            assert sample(m, "swiftlet_http_requests", "swiftlet_http_requests_total",
                          service="swiftlet", operation="Metrics", status="401") == 3
        finally:
            assert s.stop() == 0


def test_store_latency_and_pending_deliveries_are_exposed(server, lam, name, python_runtime):
    lam.list_functions()  # some statements ran
    m = scrape(server.endpoint)
    count = sample(m, "swiftlet_store_statement_duration_seconds", name="swiftlet_store_statement_duration_seconds_count")
    assert count and count > 0
    assert sample(m, "swiftlet_deliveries_pending") is not None
