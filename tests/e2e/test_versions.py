"""Function versions through boto3: PublishVersion, ListVersionsByFunction, qualified reads, invokes and deletes."""
import base64
import hashlib
import json
import re

import pytest
import requests

from conftest import make_zip

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"

# A handler that reports what it is and which environment it runs in.
CODE = """
import os, time
MARK = {mark!r}
INIT = str(time.time_ns())
count = 0

def handler(event, context):
    global count
    count += 1
    return {{"mark": MARK, "count": count, "init": INIT,
             "env_version": os.environ.get("AWS_LAMBDA_FUNCTION_VERSION"),
             "ctx_version": context.function_version, "arn": context.invoked_function_arn,
             "stream": context.log_stream_name, "k": os.environ.get("KEY")}}
"""


def code(mark):
    return make_zip({"app.py": CODE.format(mark=mark)})


def sha(blob):
    return base64.b64encode(hashlib.sha256(blob).digest()).decode()


def invoke(lam, function_name, **kw):
    r = lam.invoke(FunctionName=function_name, Payload=b"{}", **kw)
    body = r["Payload"].read()
    return r, (json.loads(body) if body else None)


def tail(r):
    return base64.b64decode(r["LogResult"]).decode()


def version_names(lam, function_name, **kw):
    return [v["Version"] for v in lam.list_versions_by_function(FunctionName=function_name, **kw)["Versions"]]


def test_publish_version_numbers_arns_and_descriptions(lam, create, name):
    created = create(name, Code={"ZipFile": code("a")}, Description="latest description")
    v1 = lam.publish_version(FunctionName=name, Description="first")
    assert v1["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert v1["Version"] == "1"
    assert v1["FunctionArn"] == f"{ARN}{name}:1"
    assert v1["FunctionName"] == name
    assert v1["Description"] == "first"
    assert v1["CodeSha256"] == created["CodeSha256"] and v1["CodeSize"] == created["CodeSize"]
    assert v1["Runtime"] == created["Runtime"] and v1["Handler"] == created["Handler"]
    assert re.fullmatch(r"[0-9a-f-]{36}", v1["RevisionId"])

    again = lam.publish_version(FunctionName=name)
    assert again["Version"] == "1", "nothing changed since version 1, so no new version"
    assert version_names(lam, name) == ["$LATEST", "1"]

    lam.update_function_configuration(FunctionName=name, Timeout=9)
    v2 = lam.publish_version(FunctionName=name, Description="second")
    assert v2["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert v2["Version"] == "2" and v2["FunctionArn"] == f"{ARN}{name}:2"
    assert v2["Timeout"] == 9 and v2["Description"] == "second"

    listed = lam.list_versions_by_function(FunctionName=name)["Versions"]
    assert [v["Version"] for v in listed] == ["$LATEST", "1", "2"]
    assert listed[0]["Description"] == "latest description"
    assert listed[1]["Description"] == "first" and listed[1]["Timeout"] == 3
    assert listed[1]["FunctionArn"] == f"{ARN}{name}:1"
    assert listed[2]["Description"] == "second" and listed[2]["Timeout"] == 9

    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.publish_version(FunctionName=name + "-missing")


def test_publish_preconditions(lam, create, name):
    created = create(name)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.publish_version(FunctionName=name, CodeSha256=sha(b"some other code"))
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "CodeSHA256" in e.value.response["Error"]["Message"] or "CodeSha256" in e.value.response["Error"]["Message"]
    with pytest.raises(lam.exceptions.PreconditionFailedException) as e:
        lam.publish_version(FunctionName=name, RevisionId="00000000-0000-0000-0000-000000000000")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert version_names(lam, name) == ["$LATEST"], "a refused publish creates no version"

    current = lam.get_function_configuration(FunctionName=name)
    published = lam.publish_version(FunctionName=name, CodeSha256=created["CodeSha256"], RevisionId=current["RevisionId"])
    assert published["Version"] == "1"


def test_list_versions_paginates_latest_first(lam, create, name):
    create(name)
    for i in range(4):
        lam.update_function_configuration(FunctionName=name, Description=f"d{i}")
        assert lam.publish_version(FunctionName=name)["Version"] == str(i + 1)
    first = lam.list_versions_by_function(FunctionName=name, MaxItems=2)
    assert [v["Version"] for v in first["Versions"]] == ["$LATEST", "1"]
    assert first["NextMarker"]
    second = lam.list_versions_by_function(FunctionName=name, MaxItems=2, Marker=first["NextMarker"])
    assert [v["Version"] for v in second["Versions"]] == ["2", "3"]
    seen = []
    for page in lam.get_paginator("list_versions_by_function").paginate(
            FunctionName=name, PaginationConfig={"PageSize": 3}):
        assert len(page["Versions"]) <= 3
        seen += [v["Version"] for v in page["Versions"]]
    assert seen == ["$LATEST", "1", "2", "3", "4"]


def test_publish_flag_on_create_and_code_update(lam, create, name):
    first_code, second_code = code("one"), code("two")
    created = create(name, Code={"ZipFile": first_code}, Publish=True)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["Version"] == "1"
    assert version_names(lam, name) == ["$LATEST", "1"]

    updated = lam.update_function_code(FunctionName=name, ZipFile=second_code, Publish=True)
    assert updated["Version"] == "2"
    assert updated["CodeSha256"] == sha(second_code)
    assert version_names(lam, name) == ["$LATEST", "1", "2"]
    assert lam.get_function_configuration(FunctionName=name, Qualifier="1")["CodeSha256"] == sha(first_code)
    assert lam.get_function_configuration(FunctionName=name, Qualifier="2")["CodeSha256"] == sha(second_code)
    assert lam.get_function_configuration(FunctionName=name)["CodeSha256"] == sha(second_code)


def test_get_function_by_qualifier_forms(lam, create, name):
    first_code = code("one")
    create(name, Code={"ZipFile": first_code})
    lam.publish_version(FunctionName=name)
    lam.update_function_code(FunctionName=name, ZipFile=code("two"))

    by_qualifier = lam.get_function(FunctionName=name, Qualifier="1")
    conf = by_qualifier["Configuration"]
    assert conf["Version"] == "1" and conf["FunctionArn"] == f"{ARN}{name}:1"
    assert conf["CodeSha256"] == sha(first_code)
    assert requests.get(by_qualifier["Code"]["Location"], timeout=10).content == first_code, \
        "the version's code location serves the version's code"

    for function_name in [f"{name}:1", f"{ARN}{name}:1", f"000000000000:function:{name}:1"]:
        got = lam.get_function_configuration(FunctionName=function_name)
        assert got["Version"] == "1" and got["CodeSha256"] == sha(first_code), function_name
    def strip(d):
        return {k: v for k, v in d.items() if k != "ResponseMetadata"}
    assert strip(lam.get_function_configuration(FunctionName=name, Qualifier="1")) == \
        strip(lam.get_function_configuration(FunctionName=f"{name}:1"))
    latest = lam.get_function_configuration(FunctionName=name, Qualifier="$LATEST")
    assert latest["Version"] == "$LATEST" and latest["CodeSha256"] != sha(first_code)

    for call in [lambda: lam.get_function(FunctionName=name, Qualifier="7"),
                 lambda: lam.get_function_configuration(FunctionName=name, Qualifier="7"),
                 lambda: lam.get_function_configuration(FunctionName=f"{name}:7"),
                 lambda: lam.invoke(FunctionName=name, Qualifier="7", Payload=b"{}")]:
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
            call()
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert f"{name}:7" in e.value.response["Error"]["Message"]


def test_published_versions_are_immutable(lam, create, name):
    create(name, Code={"ZipFile": code("one")}, Environment={"Variables": {"KEY": "one", "OTHER": "x"}})
    lam.publish_version(FunctionName=name)
    lam.update_function_code(FunctionName=name, ZipFile=code("two"))
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"KEY": "two"}}, Timeout=20)

    v1 = lam.get_function_configuration(FunctionName=name, Qualifier="1")
    assert v1["Environment"] == {"Variables": {"KEY": "one", "OTHER": "x"}} and v1["Timeout"] == 3
    latest = lam.get_function_configuration(FunctionName=name)
    assert latest["Environment"] == {"Variables": {"KEY": "two"}} and latest["Timeout"] == 20

    r, out = invoke(lam, name)
    assert r["ExecutedVersion"] == "$LATEST"
    assert out["mark"] == "two" and out["k"] == "two" and out["env_version"] == "$LATEST"
    assert out["arn"] == f"{ARN}{name}"

    r, out = invoke(lam, name, Qualifier="1", LogType="Tail")
    assert r["StatusCode"] == 200 and r["ExecutedVersion"] == "1"
    assert out["mark"] == "one" and out["k"] == "one"
    assert out["env_version"] == "1" and out["ctx_version"] == "1"
    assert out["arn"] == f"{ARN}{name}:1"
    assert "[1]" in out["stream"]
    assert tail(r).startswith("START RequestId: ") and " Version: 1" in tail(r).split("\n")[0]

    r, out = invoke(lam, f"{name}:1")
    assert r["ExecutedVersion"] == "1" and out["mark"] == "one" and out["arn"] == f"{ARN}{name}:1"
    r, out = invoke(lam, f"{ARN}{name}:1")
    assert r["ExecutedVersion"] == "1" and out["mark"] == "one"
    r, out = invoke(lam, name, Qualifier="$LATEST")
    assert r["ExecutedVersion"] == "$LATEST" and out["mark"] == "two"


def test_warm_latest_environment_never_serves_a_version(lam, create, name):
    create(name, Code={"ZipFile": code("same")})
    lam.publish_version(FunctionName=name)
    _, a = invoke(lam, name)
    _, b = invoke(lam, name)
    assert (a["count"], b["count"]) == (1, 2) and a["init"] == b["init"], "$LATEST is warm"
    r, v = invoke(lam, name, Qualifier="1")
    assert r["ExecutedVersion"] == "1"
    assert v["count"] == 1 and v["init"] != a["init"], "version 1 got its own environment"
    assert v["env_version"] == "1"
    _, c = invoke(lam, name)
    assert c["count"] == 3 and c["init"] == a["init"] and c["env_version"] == "$LATEST"
    _, w = invoke(lam, name, Qualifier="1")
    assert w["count"] == 2 and w["init"] == v["init"]


def test_delete_versions(lam, create, name):
    create(name, Code={"ZipFile": code("one")})
    lam.publish_version(FunctionName=name)
    lam.update_function_configuration(FunctionName=name, Description="two")
    lam.publish_version(FunctionName=name)

    deleted = lam.delete_function(FunctionName=name, Qualifier="2")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name, Qualifier="2")
    assert lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]["Version"] == "1"
    assert lam.get_function(FunctionName=name)["Configuration"]["Version"] == "$LATEST"
    assert version_names(lam, name) == ["$LATEST", "1"]

    lam.update_function_configuration(FunctionName=name, Description="three")
    assert lam.publish_version(FunctionName=name)["Version"] == "3", "version numbers are never reused"

    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(lam.exceptions.ResourceConflictException) as e:
        lam.delete_function(FunctionName=name, Qualifier="1")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "live" in e.value.response["Error"]["Message"]
    assert lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]["Version"] == "1"
    r, out = invoke(lam, name, Qualifier="1")
    assert r["ExecutedVersion"] == "1" and out["mark"] == "one"

    assert lam.delete_function(FunctionName=name)["ResponseMetadata"]["HTTPStatusCode"] == 204
    for call in [lambda: lam.get_function(FunctionName=name, Qualifier="1"),
                 lambda: lam.get_function(FunctionName=name, Qualifier="3"),
                 lambda: lam.list_versions_by_function(FunctionName=name),
                 lambda: lam.get_alias(FunctionName=name, Name="live"),
                 lambda: lam.invoke(FunctionName=name, Qualifier="1", Payload=b"{}")]:
        with pytest.raises(lam.exceptions.ResourceNotFoundException):
            call()

    recreated = create(name, Publish=True)
    assert recreated["Version"] == "1", "a new function of the same name starts again at version 1"
    assert version_names(lam, name) == ["$LATEST", "1"]
    assert lam.list_aliases(FunctionName=name)["Aliases"] == []


def test_list_functions_with_all_versions(lam, create, name):
    create(name, Publish=True)
    lam.update_function_configuration(FunctionName=name, Timeout=5)
    lam.publish_version(FunctionName=name)
    pages = lam.get_paginator("list_functions").paginate(FunctionVersion="ALL")
    mine = [f["Version"] for page in pages for f in page["Functions"] if f["FunctionName"] == name]
    assert mine == ["$LATEST", "1", "2"]
    plain = [f["Version"] for page in lam.get_paginator("list_functions").paginate()
             for f in page["Functions"] if f["FunctionName"] == name]
    assert plain == ["$LATEST"]
