"""Aliases through boto3: CRUD, routing configuration, weighted traffic, and moving an alias under load."""
import concurrent.futures
import json
import math
import re
import threading
import time

import boto3
import pytest
from botocore.config import Config

from conftest import make_zip, wait_for

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"

CODE = """
import os
MARK = {mark!r}

def handler(event, context):
    return {{"mark": MARK, "version": os.environ.get("AWS_LAMBDA_FUNCTION_VERSION"),
             "arn": context.invoked_function_arn, "stage": os.environ.get("STAGE")}}
"""


def code(mark):
    return make_zip({"app.py": CODE.format(mark=mark)})


def invoke(lam, function_name, **kw):
    r = lam.invoke(FunctionName=function_name, Payload=b"{}", **kw)
    body = r["Payload"].read()
    return r, (json.loads(body) if body else None)


def strict_client(server):
    """A client that never retries, so every failed call reaches the test."""
    return boto3.client("lambda", endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def strip(d):
    return {k: v for k, v in d.items() if k != "ResponseMetadata"}


@pytest.fixture
def two_versions(lam, create, name):
    """A function with version 1 (mark one, STAGE=staging) and version 2 (mark two, STAGE=prod)."""
    create(name, Code={"ZipFile": code("one")}, Environment={"Variables": {"STAGE": "staging"}})
    assert lam.publish_version(FunctionName=name)["Version"] == "1"
    lam.update_function_code(FunctionName=name, ZipFile=code("two"))
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"STAGE": "prod"}})
    assert lam.publish_version(FunctionName=name)["Version"] == "2"
    return name


def test_alias_lifecycle(lam, two_versions):
    name = two_versions
    created = lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1", Description="the live one")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["AliasArn"] == f"{ARN}{name}:live"
    assert created["Name"] == "live" and created["FunctionVersion"] == "1" and created["Description"] == "the live one"
    assert re.fullmatch(r"[0-9a-f-]{36}", created["RevisionId"])
    assert not created.get("RoutingConfig", {}).get("AdditionalVersionWeights")

    got = lam.get_alias(FunctionName=name, Name="live")
    assert strip(got) == strip(created)

    moved = lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2", Description="moved",
                             RevisionId=created["RevisionId"])
    assert moved["FunctionVersion"] == "2" and moved["Description"] == "moved"
    assert moved["AliasArn"] == f"{ARN}{name}:live"
    assert moved["RevisionId"] != created["RevisionId"]
    assert strip(lam.get_alias(FunctionName=name, Name="live")) == strip(moved)

    with pytest.raises(lam.exceptions.PreconditionFailedException) as e:
        lam.update_alias(FunctionName=name, Name="live", FunctionVersion="1", RevisionId=created["RevisionId"])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] == "2", "a refused update changes nothing"

    weighted = lam.update_alias(FunctionName=name, Name="live", FunctionVersion="1",
                                RoutingConfig={"AdditionalVersionWeights": {"2": 0.25}})
    assert weighted["FunctionVersion"] == "1"
    assert weighted["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.25}}
    assert weighted["Description"] == "moved", "fields left out of UpdateAlias keep their values"
    assert lam.get_alias(FunctionName=name, Name="live")["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.25}}

    cleared = lam.update_alias(FunctionName=name, Name="live", RoutingConfig={"AdditionalVersionWeights": {}})
    assert not cleared.get("RoutingConfig", {}).get("AdditionalVersionWeights")
    assert cleared["FunctionVersion"] == "1"

    deleted = lam.delete_alias(FunctionName=name, Name="live")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.get_alias(FunctionName=name, Name="live")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.invoke(FunctionName=name, Qualifier="live", Payload=b"{}")
    assert lam.list_aliases(FunctionName=name)["Aliases"] == []


def test_alias_errors(server, two_versions):
    lam = server.client(parameter_validation=False)
    name = two_versions
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")

    with pytest.raises(lam.exceptions.ResourceConflictException) as e:
        lam.create_alias(FunctionName=name, Name="live", FunctionVersion="2")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] == "1"

    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.create_alias(FunctionName=name, Name="nine", FunctionVersion="9")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.create_alias(FunctionName=name, Name="nine", FunctionVersion="1",
                         RoutingConfig={"AdditionalVersionWeights": {"9": 0.5}})
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.update_alias(FunctionName=name, Name="live", FunctionVersion="9")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.create_alias(FunctionName=name + "-missing", Name="live", FunctionVersion="1")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_alias(FunctionName=name, Name="nope")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.update_alias(FunctionName=name, Name="nope", FunctionVersion="1")

    invalid_routing = [
        {"1": 0.5},             # the alias's own version
        {"1": 0.2, "2": 0.2},   # more than one additional version
    ]
    for weights in invalid_routing:
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
            lam.create_alias(FunctionName=name, Name="bad", FunctionVersion="1",
                             RoutingConfig={"AdditionalVersionWeights": weights})
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.create_alias(FunctionName=name, Name="bad", FunctionVersion="$LATEST",
                         RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})

    # Out-of-range weights and a numeric alias name break the model's constraints: a 400 either way.
    for kwargs in [dict(Name="bad", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"2": 1.5}}),
                   dict(Name="bad", FunctionVersion="1", RoutingConfig={"AdditionalVersionWeights": {"2": -0.1}}),
                   dict(Name="123", FunctionVersion="1")]:
        with pytest.raises(lam.exceptions.ClientError) as e:
            lam.create_alias(FunctionName=name, **kwargs)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400, kwargs
        assert e.value.response["Error"]["Code"] in ("InvalidParameterValueException", "ValidationException")
    assert sorted(a["Name"] for a in lam.list_aliases(FunctionName=name)["Aliases"]) == ["live"]

    latest = lam.create_alias(FunctionName=name, Name="edge", FunctionVersion="$LATEST")
    assert latest["FunctionVersion"] == "$LATEST"
    r, out = invoke(lam, name, Qualifier="edge")
    assert r["ExecutedVersion"] == "$LATEST" and out["arn"] == f"{ARN}{name}:edge"


def test_list_aliases_filters_and_paginates(lam, two_versions):
    name = two_versions
    for alias, version in [("alpha", "1"), ("beta", "1"), ("gamma", "2")]:
        lam.create_alias(FunctionName=name, Name=alias, FunctionVersion=version)
    listed = lam.list_aliases(FunctionName=name)["Aliases"]
    assert sorted(a["Name"] for a in listed) == ["alpha", "beta", "gamma"]
    for a in listed:
        assert a["AliasArn"] == f"{ARN}{name}:{a['Name']}" and a["RevisionId"]
    assert sorted(a["Name"] for a in lam.list_aliases(FunctionName=name, FunctionVersion="1")["Aliases"]) == \
        ["alpha", "beta"]
    assert [a["Name"] for a in lam.list_aliases(FunctionName=name, FunctionVersion="2")["Aliases"]] == ["gamma"]

    first = lam.list_aliases(FunctionName=name, MaxItems=1)
    assert len(first["Aliases"]) == 1 and first["NextMarker"]
    seen = []
    for page in lam.get_paginator("list_aliases").paginate(FunctionName=name, PaginationConfig={"PageSize": 1}):
        assert len(page["Aliases"]) <= 1
        seen += [a["Name"] for a in page["Aliases"]]
    assert sorted(seen) == ["alpha", "beta", "gamma"] and len(seen) == 3

    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.list_aliases(FunctionName=name + "-missing")


def test_invoke_and_read_through_an_alias(lam, two_versions):
    name = two_versions
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    for function_name, kwargs in [(name, dict(Qualifier="live")), (f"{name}:live", {}), (f"{ARN}{name}:live", {})]:
        r, out = invoke(lam, function_name, **kwargs)
        assert r["StatusCode"] == 200 and r["ExecutedVersion"] == "1", kwargs
        assert out["mark"] == "one" and out["version"] == "1" and out["stage"] == "staging"
        assert out["arn"] == f"{ARN}{name}:live", "the handler sees the ARN it was invoked by"

    conf = lam.get_function_configuration(FunctionName=name, Qualifier="live")
    assert conf["FunctionArn"] == f"{ARN}{name}:live"
    assert conf["Version"] == "1" and conf["Environment"] == {"Variables": {"STAGE": "staging"}}
    by_arn = lam.get_function(FunctionName=f"{ARN}{name}:live")["Configuration"]
    assert by_arn["Version"] == "1" and by_arn["FunctionArn"] == f"{ARN}{name}:live"

    lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2")
    r, out = invoke(lam, name, Qualifier="live")
    assert r["ExecutedVersion"] == "2" and out["mark"] == "two" and out["stage"] == "prod"
    assert lam.get_function_configuration(FunctionName=name, Qualifier="live")["Version"] == "2"


def test_weighted_routing_splits_traffic(server, lam, two_versions):
    name = two_versions
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1",
                     RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})
    n, p = 1000, 0.1
    local = threading.local()

    def one(_):
        if not hasattr(local, "client"):
            local.client = strict_client(server)
        r, out = invoke(local.client, name, Qualifier="live")
        assert "FunctionError" not in r, out
        return r["ExecutedVersion"], out["version"], out["mark"]

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, range(n)))
    assert all(executed == seen for executed, seen, _ in results), "ExecutedVersion names the version that ran"
    assert all((mark == "one") == (executed == "1") for executed, _, mark in results)
    assert {executed for executed, _, _ in results} <= {"1", "2"}
    twos = sum(1 for executed, _, _ in results if executed == "2")
    sigma = math.sqrt(n * p * (1 - p))
    assert abs(twos - n * p) <= 4.5 * sigma, f"{twos} of {n} went to version 2 with weight {p}"


def test_moving_an_alias_under_load_drops_nothing(server, lam, two_versions):
    name = two_versions
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    stop = threading.Event()
    results, errors = [], []
    lock = threading.Lock()

    def hammer():
        client = strict_client(server)
        while not stop.is_set():
            started = time.monotonic()
            try:
                r, out = invoke(client, f"{name}:live")
                outcome = (started, r["ExecutedVersion"], out["mark"], r.get("FunctionError"))
                with lock:
                    results.append(outcome)
            except Exception as exc:  # every failure counts against the switch
                with lock:
                    errors.append(repr(exc))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: len(results) >= 40 or errors, timeout=20, what="load on version 1")
        assert errors == [], errors[:3]
        lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2")
        switched = time.monotonic()
        wait_for(lambda: sum(1 for started, *_ in results if started > switched) >= 40 or errors, timeout=20,
                 what="load after the switch")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert errors == [], errors[:3]
    assert all(function_error is None for *_, function_error in results)
    before = [v for started, v, _, _ in results if started < switched]
    after = [(v, mark) for started, v, mark, _ in results if started > switched]
    assert "1" in before
    assert after and all(v == "2" and mark == "two" for v, mark in after), \
        "every call that started after UpdateAlias returned ran version 2"
