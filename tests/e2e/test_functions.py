import base64
import hashlib
import re

import pytest
import requests

from conftest import ROLE, make_zip


def test_create_returns_configuration_as_lambda_does(lam, create, name, python_runtime, server):
    code = make_zip({"app.py": "x = 1\n"})
    resp = create(name, Code={"ZipFile": code}, Description="hi", Timeout=30, MemorySize=256,
                  Environment={"Variables": {"GREETING": "hello"}}, Tags={"team": "core"})
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[0-9a-f-]{36}", resp["ResponseMetadata"]["RequestId"])
    assert resp["FunctionName"] == name
    assert resp["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert resp["Runtime"] == python_runtime
    assert resp["Role"] == ROLE
    assert resp["Handler"] == "app.handler"
    assert resp["CodeSize"] == len(code)
    assert resp["CodeSha256"] == base64.b64encode(hashlib.sha256(code).digest()).decode()
    assert resp["Description"] == "hi" and resp["Timeout"] == 30 and resp["MemorySize"] == 256
    assert resp["Environment"] == {"Variables": {"GREETING": "hello"}}
    assert resp["Version"] == "$LATEST"
    assert resp["State"] == "Active" and resp["LastUpdateStatus"] == "Successful"
    assert resp["PackageType"] == "Zip" and resp["Architectures"] == ["x86_64"]
    assert resp["EphemeralStorage"] == {"Size": 512}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", resp["LastModified"])
    assert re.fullmatch(r"[0-9a-f-]{36}", resp["RevisionId"])


def test_get_function_returns_code_location_and_tags(lam, create, name):
    code = make_zip({"app.py": "def handler(e, c):\n    return 42\n"})
    created = create(name, Code={"ZipFile": code}, Tags={"a": "1"})
    got = lam.get_function(FunctionName=name)
    assert got["Configuration"] == {k: v for k, v in created.items() if k != "ResponseMetadata"}
    assert got["Tags"] == {"a": "1"}
    assert got["Code"]["RepositoryType"] == "S3"
    download = requests.get(got["Code"]["Location"], timeout=10)
    assert download.status_code == 200
    assert download.content == code
    tampered = got["Code"]["Location"].replace("X-Amz-Expires=600", "X-Amz-Expires=6000")
    assert requests.get(tampered, timeout=10).status_code == 403


def test_get_by_arn_and_qualifier(lam, create, name):
    create(name)
    arn = f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert lam.get_function_configuration(FunctionName=arn)["FunctionName"] == name
    latest = lam.get_function_configuration(FunctionName=name, Qualifier="$LATEST")
    assert latest["FunctionArn"] == arn + ":$LATEST"
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function_configuration(FunctionName=name, Qualifier="1")


def test_missing_function_is_not_found(lam, name):
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.get_function(FunctionName=name)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert e.value.response["Error"]["Message"] == f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}"


def test_create_twice_conflicts(lam, create, name):
    create(name)
    with pytest.raises(lam.exceptions.ResourceConflictException) as e:
        create(name)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_list_functions_paginates_in_stable_order(server, create):
    lam = server.client()
    prefix = "page-" + __import__("uuid").uuid4().hex[:6]
    names = [f"{prefix}-{i:03d}" for i in range(57)]
    for n in reversed(names):
        create(n)
    seen = []
    for page in lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 20}):
        assert len(page["Functions"]) <= 20
        seen += [f["FunctionName"] for f in page["Functions"]]
    mine = [n for n in seen if n.startswith(prefix)]
    assert mine == names
    assert len(seen) == len(set(seen))
    first = lam.list_functions()
    assert len(first["Functions"]) == 50 and "NextMarker" in first


def test_update_code_and_configuration(lam, create, name):
    created = create(name)
    new_code = make_zip({"app.py": "def handler(e, c):\n    return 'v2'\n"})
    updated = lam.update_function_code(FunctionName=name, ZipFile=new_code)
    assert updated["CodeSha256"] == base64.b64encode(hashlib.sha256(new_code).digest()).decode()
    assert updated["RevisionId"] != created["RevisionId"]
    conf = lam.update_function_configuration(FunctionName=name, Timeout=60, MemorySize=1024,
                                             Environment={"Variables": {"KEY": "V"}}, RevisionId=updated["RevisionId"])
    assert conf["Timeout"] == 60 and conf["MemorySize"] == 1024 and conf["Environment"]["Variables"] == {"KEY": "V"}
    assert conf["CodeSha256"] == updated["CodeSha256"]
    with pytest.raises(lam.exceptions.PreconditionFailedException) as e:
        lam.update_function_configuration(FunctionName=name, Timeout=5, RevisionId=created["RevisionId"])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert lam.get_function_configuration(FunctionName=name)["Timeout"] == 60


def test_snapstart_values_outside_its_enum_are_refused(lam, create, name):
    """`ApplyOn: None` is what every function has; a value outside the enum changes nothing (SnapStart itself:
    test_snapstart.py)."""
    created = create(name, SnapStart={"ApplyOn": "None"})
    assert created["SnapStart"] == {"ApplyOn": "None", "OptimizationStatus": "Off"}
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.update_function_configuration(FunctionName=name, SnapStart={"ApplyOn": "Always"})
    assert "snapStart.applyOn" in e.value.response["Error"]["Message"]
    assert lam.get_function_configuration(FunctionName=name)["Timeout"] == created["Timeout"]


def test_update_code_dry_run_changes_nothing(lam, create, name):
    created = create(name)
    dry = lam.update_function_code(FunctionName=name, ZipFile=make_zip({"other.py": ""}), DryRun=True)
    assert dry["CodeSha256"] != created["CodeSha256"]
    assert lam.get_function_configuration(FunctionName=name)["CodeSha256"] == created["CodeSha256"]


def test_delete_function(lam, create, name):
    create(name)
    resp = lam.delete_function(FunctionName=name)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.delete_function(FunctionName=name)


def test_tags(lam, create, name):
    arn = create(name)["FunctionArn"]
    lam.tag_resource(Resource=arn, Tags={"env": "dev", "owner key": "a:b"})
    assert lam.list_tags(Resource=arn)["Tags"] == {"env": "dev", "owner key": "a:b"}
    # Keys with a space and a colon travel percent-encoded in the signed query string.
    lam.untag_resource(Resource=arn, TagKeys=["owner key", "env"])
    assert lam.list_tags(Resource=arn)["Tags"] == {}
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.tag_resource(Resource=arn, Tags={f"k{i}": "v" for i in range(51)})
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.list_tags(Resource=arn + "-missing")


def test_account_settings(lam, create, name):
    before = lam.get_account_settings()
    create(name)
    after = lam.get_account_settings()
    assert after["AccountUsage"]["FunctionCount"] == before["AccountUsage"]["FunctionCount"] + 1
    assert after["AccountUsage"]["TotalCodeSize"] > before["AccountUsage"]["TotalCodeSize"]
    limits = after["AccountLimit"]
    assert limits["CodeSizeZipped"] == 52428800 and limits["CodeSizeUnzipped"] == 262144000
    assert limits["ConcurrentExecutions"] >= 10
