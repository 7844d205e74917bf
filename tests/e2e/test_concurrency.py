"""Reserved and provisioned concurrency through boto3, against a server with a small account limit of its own."""
import base64
import concurrent.futures
import json
import tempfile
import time
import uuid

import boto3
import pytest
from botocore.config import Config

from conftest import ROLE, Server, make_zip, wait_for

ACCOUNT_LIMIT = 20
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


@pytest.fixture(scope="module")
def small():
    with tempfile.TemporaryDirectory(prefix="swiftlet-concurrency-") as data_dir:
        s = Server(data_dir, flags=["--max-concurrency", str(ACCOUNT_LIMIT)])
        yield s
        assert s.stop() == 0, "graceful shutdown must exit 0"


def strict_client(server):
    """A client that never retries, so a throttle reaches the test as it was answered."""
    return boto3.client("lambda", endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=60))


@pytest.fixture
def slam(small):
    return strict_client(small)


@pytest.fixture
def make_fn(small, slam):
    runtimes = [r for r in small.health["runtimes"] if r.startswith("python")]
    runtime = runtimes[-1] if runtimes else "provided.al2023"

    def _make(code=None, **overrides):
        function_name = "fn-" + uuid.uuid4().hex[:12]
        args = dict(FunctionName=function_name, Runtime=runtime, Role=ROLE, Handler="app.handler",
                    Code={"ZipFile": make_zip({"app.py": code or PROBE})}, Timeout=10)
        args.update(overrides)
        slam.create_function(**args)
        return function_name
    return _make


PROBE = """
import os, time
INIT_TYPE = os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE")
INIT_AT = time.time()

def handler(event, context):
    started = time.time()
    time.sleep(event.get("sleep", 0))
    return {"init_type": INIT_TYPE, "init_at": INIT_AT, "started": started, "stream": context.log_stream_name,
            "version": os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")}
"""


def invoke(lam, function_name, payload=None, **kw):
    r = lam.invoke(FunctionName=function_name, Payload=json.dumps(payload or {}).encode(), **kw)
    body = r["Payload"].read()
    return r, (json.loads(body) if body else None)


def unreserved(lam):
    return lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]


def assert_throttled(err, reason="ReservedFunctionConcurrentInvocationLimitExceeded"):
    response = err.response
    assert response["Error"]["Code"] == "TooManyRequestsException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response.get("Reason") == reason, response


def wait_ready(lam, function_name, qualifier, timeout=30):
    def ready():
        config = lam.get_provisioned_concurrency_config(FunctionName=function_name, Qualifier=qualifier)
        assert config["Status"] != "FAILED", config
        return config if config["Status"] == "READY" else None
    return wait_for(ready, timeout=timeout, interval=0.1, what=f"provisioned concurrency on {qualifier}")


def test_reserved_concurrency_crud_and_account_pool(slam, make_fn):
    fn = make_fn()
    limits = slam.get_account_settings()["AccountLimit"]
    assert limits["ConcurrentExecutions"] == ACCOUNT_LIMIT
    before = limits["UnreservedConcurrentExecutions"]
    assert "ReservedConcurrentExecutions" not in slam.get_function_concurrency(FunctionName=fn)
    assert "ReservedConcurrentExecutions" not in slam.get_function(FunctionName=fn).get("Concurrency", {})

    put = slam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=5)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert put["ReservedConcurrentExecutions"] == 5
    assert slam.get_function_concurrency(FunctionName=fn)["ReservedConcurrentExecutions"] == 5
    assert slam.get_function(FunctionName=fn)["Concurrency"] == {"ReservedConcurrentExecutions": 5}
    limits = slam.get_account_settings()["AccountLimit"]
    assert limits["UnreservedConcurrentExecutions"] == before - 5
    assert limits["ConcurrentExecutions"] == ACCOUNT_LIMIT

    slam.put_function_concurrency(FunctionName=f"{ARN}{fn}", ReservedConcurrentExecutions=3)
    assert slam.get_function_concurrency(FunctionName=fn)["ReservedConcurrentExecutions"] == 3
    assert unreserved(slam) == before - 3

    deleted = slam.delete_function_concurrency(FunctionName=fn)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "ReservedConcurrentExecutions" not in slam.get_function_concurrency(FunctionName=fn)
    assert "ReservedConcurrentExecutions" not in slam.get_function(FunctionName=fn).get("Concurrency", {})
    assert unreserved(slam) == before

    with pytest.raises(slam.exceptions.InvalidParameterValueException):
        slam.put_function_concurrency(FunctionName=f"{ARN}{fn}:$LATEST", ReservedConcurrentExecutions=1)
    for call in [lambda: slam.put_function_concurrency(FunctionName=fn + "-missing", ReservedConcurrentExecutions=1),
                 lambda: slam.get_function_concurrency(FunctionName=fn + "-missing"),
                 lambda: slam.delete_function_concurrency(FunctionName=fn + "-missing")]:
        with pytest.raises(slam.exceptions.ResourceNotFoundException):
            call()


def test_reservations_keep_a_minimum_unreserved_pool(slam, make_fn):
    limits = slam.get_account_settings()["AccountLimit"]
    total, free = limits["ConcurrentExecutions"], limits["UnreservedConcurrentExecutions"]
    minimum = min(100, max(1, total // 10))
    big, other = make_fn(), make_fn()
    try:
        assert slam.put_function_concurrency(FunctionName=big, ReservedConcurrentExecutions=free - minimum)[
            "ReservedConcurrentExecutions"] == free - minimum
        assert unreserved(slam) == minimum
        with pytest.raises(slam.exceptions.InvalidParameterValueException) as e:
            slam.put_function_concurrency(FunctionName=other, ReservedConcurrentExecutions=1)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        message = e.value.response["Error"]["Message"]
        assert "ReservedConcurrentExecutions" in message and str(minimum) in message
        slam.put_function_concurrency(FunctionName=other, ReservedConcurrentExecutions=0)  # takes nothing from the pool
        for too_many in [free - minimum + 1, total, total + 1]:
            with pytest.raises(slam.exceptions.InvalidParameterValueException):
                slam.put_function_concurrency(FunctionName=big, ReservedConcurrentExecutions=too_many)
        assert slam.get_function_concurrency(FunctionName=big)["ReservedConcurrentExecutions"] == free - minimum
        assert unreserved(slam) == minimum
    finally:
        slam.delete_function_concurrency(FunctionName=big)
        slam.delete_function_concurrency(FunctionName=other)
    assert unreserved(slam) == free


def test_reserved_concurrency_throttles_the_call_over_it(small, slam, make_fn):
    fn = make_fn()
    slam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=2)
    clients = [strict_client(small) for _ in range(3)]

    def call(client):
        started = time.monotonic()
        try:
            r, out = invoke(client, fn, {"sleep": 1.5})
            return "ok", time.monotonic() - started, out
        except client.exceptions.TooManyRequestsException as e:
            return "throttled", time.monotonic() - started, e

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        outcomes = list(pool.map(call, clients))
    kinds = sorted(kind for kind, _, _ in outcomes)
    assert kinds == ["ok", "ok", "throttled"], outcomes
    (_, elapsed, err), = [o for o in outcomes if o[0] == "throttled"]
    assert_throttled(err)
    assert elapsed < 1.0, "a throttle is answered at once, not after a running call finishes"
    assert len({out["stream"] for kind, _, out in outcomes if kind == "ok"}) == 2

    r, out = invoke(slam, fn)
    assert r["StatusCode"] == 200, "capacity is given back when calls finish"


def test_reserved_zero_throttles_every_call(slam, make_fn):
    fn = make_fn()
    slam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=0)
    for _ in range(3):
        with pytest.raises(slam.exceptions.TooManyRequestsException) as e:
            invoke(slam, fn)
        assert_throttled(e.value)
    slam.delete_function_concurrency(FunctionName=fn)
    r, out = invoke(slam, fn)
    assert r["StatusCode"] == 200 and out["init_type"] == "on-demand"


def test_provisioned_environments_are_initialized_before_the_first_call(small, slam, make_fn):
    fn = make_fn()
    assert slam.publish_version(FunctionName=fn)["Version"] == "1"
    put = slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="1", ProvisionedConcurrentExecutions=3)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert put["RequestedProvisionedConcurrentExecutions"] == 3
    assert put["Status"] in ("IN_PROGRESS", "READY")
    assert 0 <= put.get("AllocatedProvisionedConcurrentExecutions", 0) <= 3

    config = wait_ready(slam, fn, "1")
    assert config["RequestedProvisionedConcurrentExecutions"] == 3
    assert config["AllocatedProvisionedConcurrentExecutions"] == 3
    assert config["AvailableProvisionedConcurrentExecutions"] == 3
    assert config["LastModified"]
    listed = slam.list_provisioned_concurrency_configs(FunctionName=fn)["ProvisionedConcurrencyConfigs"]
    assert len(listed) == 1
    assert listed[0]["FunctionArn"] == f"{ARN}{fn}:1" and listed[0]["Status"] == "READY"
    assert listed[0]["RequestedProvisionedConcurrentExecutions"] == 3

    before_calls = time.time()
    clients = [strict_client(small) for _ in range(3)]
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda c: invoke(c, fn, {"sleep": 0.3}, Qualifier="1", LogType="Tail"), clients))
    for r, out in answers:
        assert r["ExecutedVersion"] == "1" and out["version"] == "1"
        assert out["init_type"] == "provisioned-concurrency"
        assert out["init_at"] < before_calls, "the environment was initialized before any call was made"
        report = base64.b64decode(r["LogResult"]).decode().strip().split("\n")[-1]
        assert report.startswith("REPORT RequestId: ") and "Init Duration" not in report
    assert len({out["stream"] for _, out in answers}) == 3, "three calls ran in three provisioned environments"

    r, out = invoke(slam, fn)
    assert r["ExecutedVersion"] == "$LATEST" and out["init_type"] == "on-demand"

    deleted = slam.delete_provisioned_concurrency_config(FunctionName=fn, Qualifier="1")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(slam.exceptions.ProvisionedConcurrencyConfigNotFoundException) as e:
        slam.get_provisioned_concurrency_config(FunctionName=fn, Qualifier="1")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert slam.list_provisioned_concurrency_configs(FunctionName=fn)["ProvisionedConcurrencyConfigs"] == []
    again = slam.delete_provisioned_concurrency_config(FunctionName=fn, Qualifier="1")
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert invoke(slam, fn, Qualifier="1")[0]["StatusCode"] == 200


def test_provisioned_concurrency_on_an_alias(slam, make_fn):
    fn = make_fn()
    slam.publish_version(FunctionName=fn)
    slam.create_alias(FunctionName=fn, Name="live", FunctionVersion="1")
    put = slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="live", ProvisionedConcurrentExecutions=1)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    wait_ready(slam, fn, "live")
    listed = slam.list_provisioned_concurrency_configs(FunctionName=fn)["ProvisionedConcurrencyConfigs"]
    assert [c["FunctionArn"] for c in listed] == [f"{ARN}{fn}:live"]
    with pytest.raises(slam.exceptions.ResourceConflictException) as e:
        slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="1", ProvisionedConcurrentExecutions=1)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409

    r, out = invoke(slam, fn, Qualifier="live")
    assert r["ExecutedVersion"] == "1" and out["init_type"] == "provisioned-concurrency"

    slam.delete_alias(FunctionName=fn, Name="live")
    assert slam.list_provisioned_concurrency_configs(FunctionName=fn)["ProvisionedConcurrencyConfigs"] == [], \
        "deleting the alias deletes its provisioned concurrency"
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.get_provisioned_concurrency_config(FunctionName=fn, Qualifier="live")


def test_provisioned_concurrency_errors(small, slam, make_fn):
    fn = make_fn()
    slam.publish_version(FunctionName=fn)
    with pytest.raises(slam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        slam.get_provisioned_concurrency_config(FunctionName=fn, Qualifier="1")
    assert slam.list_provisioned_concurrency_configs(FunctionName=fn)["ProvisionedConcurrencyConfigs"] == []
    for call in [lambda: slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="$LATEST",
                                                                 ProvisionedConcurrentExecutions=1),
                 lambda: slam.get_provisioned_concurrency_config(FunctionName=fn, Qualifier="$LATEST")]:
        with pytest.raises(slam.exceptions.InvalidParameterValueException) as e:
            call()
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    for qualifier in ["9", "nosuchalias"]:
        with pytest.raises(slam.exceptions.ResourceNotFoundException):
            slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier=qualifier, ProvisionedConcurrentExecutions=1)
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.put_provisioned_concurrency_config(FunctionName=fn + "-missing", Qualifier="1",
                                                ProvisionedConcurrentExecutions=1)
    with pytest.raises(slam.exceptions.ResourceNotFoundException):
        slam.list_provisioned_concurrency_configs(FunctionName=fn + "-missing")

    lax = boto3.client("lambda", endpoint_url=small.endpoint, region_name="us-east-1",
                       aws_access_key_id=small.access_key, aws_secret_access_key=small.secret_key,
                       config=Config(retries={"total_max_attempts": 1}, parameter_validation=False))
    with pytest.raises(lax.exceptions.ClientError) as e:
        lax.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="1", ProvisionedConcurrentExecutions=0)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(slam.exceptions.InvalidParameterValueException):
        slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="1",
                                                ProvisionedConcurrentExecutions=ACCOUNT_LIMIT + 1)
    with pytest.raises(slam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        slam.get_provisioned_concurrency_config(FunctionName=fn, Qualifier="1")


def test_provisioned_concurrency_comes_out_of_reserved(slam, make_fn):
    fn = make_fn()
    slam.publish_version(FunctionName=fn)
    slam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=2)
    try:
        with pytest.raises(slam.exceptions.InvalidParameterValueException) as e:
            slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="1", ProvisionedConcurrentExecutions=3)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        with pytest.raises(slam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
            slam.get_provisioned_concurrency_config(FunctionName=fn, Qualifier="1")

        slam.put_provisioned_concurrency_config(FunctionName=fn, Qualifier="1", ProvisionedConcurrentExecutions=2)
        wait_ready(slam, fn, "1")
        with pytest.raises(slam.exceptions.InvalidParameterValueException):
            slam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=1)
        assert slam.get_function_concurrency(FunctionName=fn)["ReservedConcurrentExecutions"] == 2

        with pytest.raises(slam.exceptions.TooManyRequestsException) as e:
            invoke(slam, fn)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429, \
            "all of the reservation is provisioned to version 1, none is left for $LATEST"
        r, out = invoke(slam, fn, Qualifier="1")
        assert r["ExecutedVersion"] == "1" and out["init_type"] == "provisioned-concurrency"
    finally:
        slam.delete_provisioned_concurrency_config(FunctionName=fn, Qualifier="1")
        slam.delete_function_concurrency(FunctionName=fn)
