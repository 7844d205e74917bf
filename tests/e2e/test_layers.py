"""Layers through boto3: publishing, reading, listing, deleting, attaching to functions, and what a function sees in /opt."""
import base64
import hashlib
import json
import re
import uuid

import pytest
import requests

from conftest import make_zip

LAYER_ARN = "arn:aws:lambda:us-east-1:000000000000:layer:"
DATE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000"


def sha(blob):
    return base64.b64encode(hashlib.sha256(blob).digest()).decode()


def strip(d):
    return {k: v for k, v in d.items() if k != "ResponseMetadata"}


def invoke(lam, function_name, payload=None, **kw):
    r = lam.invoke(FunctionName=function_name, Payload=json.dumps(payload or {}).encode(), **kw)
    body = r["Payload"].read()
    return r, (json.loads(body) if body else None)


@pytest.fixture
def layer_name():
    return "layer-" + uuid.uuid4().hex[:12]


@pytest.fixture
def publish(lam):
    def _publish(layer, files=None, **kw):
        return lam.publish_layer_version(LayerName=layer, Content={"ZipFile": make_zip(files or {"python/x.py": "X = 1\n"})},
                                         **kw)
    return _publish


def test_publish_and_read_a_layer_version(lam, layer_name, python_runtime):
    blob = make_zip({"python/helper.py": "VALUE = 'from the layer'\n"})
    published = lam.publish_layer_version(
        LayerName=layer_name, Description="helpers", Content={"ZipFile": blob},
        CompatibleRuntimes=[python_runtime], CompatibleArchitectures=["x86_64"], LicenseInfo="MIT")
    assert published["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert published["LayerArn"] == f"{LAYER_ARN}{layer_name}"
    assert published["LayerVersionArn"] == f"{LAYER_ARN}{layer_name}:1"
    assert published["Version"] == 1
    assert published["Description"] == "helpers" and published["LicenseInfo"] == "MIT"
    assert published["CompatibleRuntimes"] == [python_runtime]
    assert published["CompatibleArchitectures"] == ["x86_64"]
    assert re.fullmatch(DATE, published["CreatedDate"])
    content = published["Content"]
    assert content["CodeSha256"] == sha(blob) and content["CodeSize"] == len(blob)
    download = requests.get(content["Location"], timeout=10)
    assert download.status_code == 200 and download.content == blob

    def comparable(d):
        d = strip(d)
        d["Content"] = {k: v for k, v in d["Content"].items() if k != "Location"}
        return d

    got = lam.get_layer_version(LayerName=layer_name, VersionNumber=1)
    assert comparable(got) == comparable(published)
    assert comparable(lam.get_layer_version(LayerName=published["LayerArn"], VersionNumber=1)) == comparable(published)
    by_arn = lam.get_layer_version_by_arn(Arn=published["LayerVersionArn"])
    assert comparable(by_arn) == comparable(published)

    second = lam.publish_layer_version(LayerName=layer_name, Content={"ZipFile": blob})
    assert second["Version"] == 2 and second["LayerVersionArn"] == f"{LAYER_ARN}{layer_name}:2"
    assert second["Content"]["CodeSha256"] == sha(blob), "identical content still makes a new version"

    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.get_layer_version(LayerName=layer_name, VersionNumber=3)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_layer_version_by_arn(Arn=f"{LAYER_ARN}{layer_name}:3")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_layer_version(LayerName=layer_name + "-missing", VersionNumber=1)


def test_list_layers_and_versions_with_filters(lam, layer_name, publish, python_runtime):
    publish(layer_name, CompatibleRuntimes=[python_runtime], Description="v1")
    publish(layer_name, CompatibleRuntimes=["nodejs20.x"], Description="v2")

    def entry(**kw):
        found = [layer for page in lam.get_paginator("list_layers").paginate(**kw)
                 for layer in page["Layers"] if layer["LayerName"] == layer_name]
        assert len(found) <= 1
        return found[0] if found else None

    unfiltered = entry()
    assert unfiltered["LayerArn"] == f"{LAYER_ARN}{layer_name}"
    latest = unfiltered["LatestMatchingVersion"]
    assert latest["Version"] == 2 and latest["LayerVersionArn"] == f"{LAYER_ARN}{layer_name}:2"
    assert latest["Description"] == "v2" and re.fullmatch(DATE, latest["CreatedDate"])
    assert entry(CompatibleRuntime=python_runtime)["LatestMatchingVersion"]["Version"] == 1
    assert entry(CompatibleRuntime="nodejs20.x")["LatestMatchingVersion"]["Version"] == 2
    assert entry(CompatibleRuntime="java21") is None

    versions = lam.list_layer_versions(LayerName=layer_name)["LayerVersions"]
    assert sorted(v["Version"] for v in versions) == [1, 2]
    for v in versions:
        assert v["LayerVersionArn"] == f"{LAYER_ARN}{layer_name}:{v['Version']}"
    only_python = lam.list_layer_versions(LayerName=layer_name, CompatibleRuntime=python_runtime)["LayerVersions"]
    assert [v["Version"] for v in only_python] == [1]
    first = lam.list_layer_versions(LayerName=layer_name, MaxItems=1)
    assert len(first["LayerVersions"]) == 1 and first["NextMarker"]
    rest = lam.list_layer_versions(LayerName=layer_name, MaxItems=1, Marker=first["NextMarker"])
    assert {first["LayerVersions"][0]["Version"], rest["LayerVersions"][0]["Version"]} == {1, 2}

    assert lam.list_layer_versions(LayerName=layer_name + "-missing")["LayerVersions"] == []


def test_delete_layer_version(lam, layer_name, publish):
    publish(layer_name)
    publish(layer_name)
    deleted = lam.delete_layer_version(LayerName=layer_name, VersionNumber=1)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_layer_version(LayerName=layer_name, VersionNumber=1)
    again = lam.delete_layer_version(LayerName=layer_name, VersionNumber=1)
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 204, "deleting a deleted layer version is not an error"
    assert [v["Version"] for v in lam.list_layer_versions(LayerName=layer_name)["LayerVersions"]] == [2]

    lam.delete_layer_version(LayerName=layer_name, VersionNumber=2)
    assert lam.list_layer_versions(LayerName=layer_name)["LayerVersions"] == []
    assert all(layer["LayerName"] != layer_name
               for page in lam.get_paginator("list_layers").paginate() for layer in page["Layers"])
    assert publish(layer_name)["Version"] == 3, "layer version numbers are never reused"


def test_function_layers_configuration(server, lam, create, name, layer_name, publish):
    one = publish(layer_name + "-a", {"python/a.py": "A = 1\n"})
    two = publish(layer_name + "-b", {"python/b.py": "B = 2\n" + "#" * 500})
    created = create(name, Layers=[one["LayerVersionArn"], two["LayerVersionArn"]])
    expected = [{"Arn": one["LayerVersionArn"], "CodeSize": one["Content"]["CodeSize"]},
                {"Arn": two["LayerVersionArn"], "CodeSize": two["Content"]["CodeSize"]}]
    assert created["Layers"] == expected
    assert lam.get_function_configuration(FunctionName=name)["Layers"] == expected
    assert lam.get_function(FunctionName=name)["Configuration"]["Layers"] == expected

    updated = lam.update_function_configuration(FunctionName=name, Layers=[two["LayerVersionArn"]])
    assert updated["Layers"] == expected[1:]
    cleared = lam.update_function_configuration(FunctionName=name, Layers=[])
    assert not cleared.get("Layers")
    assert not lam.get_function_configuration(FunctionName=name).get("Layers")

    lax = server.client(parameter_validation=False)
    six = [publish(f"{layer_name}-{i}")["LayerVersionArn"] for i in range(6)]
    one_v2 = publish(layer_name + "-a")
    refused = [
        six,                                                         # more than five layers
        [f"{LAYER_ARN}{layer_name}-nope:1"],                         # a layer that does not exist
        [f"{one['LayerArn']}:9"],                                    # a version that does not exist
        [one["LayerVersionArn"], one_v2["LayerVersionArn"]],         # two versions of one layer
    ]
    for layers in refused:
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
            lax.update_function_configuration(FunctionName=name, Layers=layers)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400, layers
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        create(name + "-six", Layers=six)
    assert "layer" in e.value.response["Error"]["Message"].lower()
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name + "-six")
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        create(name + "-nope", Layers=[f"{LAYER_ARN}{layer_name}-nope:1"])
    assert f"{layer_name}-nope" in e.value.response["Error"]["Message"]
    assert not lam.get_function_configuration(FunctionName=name).get("Layers"), "refused updates change nothing"

    # A function keeps working with a layer version deleted after it was attached.
    lam.update_function_configuration(FunctionName=name, Layers=[one["LayerVersionArn"]])
    lam.delete_layer_version(LayerName=layer_name + "-a", VersionNumber=1)
    assert lam.get_function_configuration(FunctionName=name)["Layers"] == expected[:1]


LAYER_PROBE = """
import importlib, os, subprocess

def handler(event, context):
    out = {}
    for module in event["modules"]:
        out[module] = getattr(importlib.import_module(module), "WHO", None)
    if event.get("bin"):
        run = subprocess.run([event["bin"]], capture_output=True, text=True)
        out["bin"] = run.stdout.strip()
        out["opt"] = {p: os.path.exists(p) for p in ["/opt/bin/" + event["bin"], "/opt/python/shared.py"]}
    return out
"""


def test_layer_python_packages_import_and_later_layers_win(lam, create, name, layer_name, publish):
    first = publish(layer_name + "-first", {"python/shared.py": "WHO = 'first'\n", "python/onlyfirst.py": "WHO = 'only-first'\n",
                                            "python/pkg/__init__.py": "WHO = 'package'\n"})
    second = publish(layer_name + "-second", {"python/shared.py": "WHO = 'second'\n"})
    probe = {"ZipFile": make_zip({"app.py": LAYER_PROBE})}
    create(name, Code=probe, Layers=[first["LayerVersionArn"], second["LayerVersionArn"]])
    r, out = invoke(lam, name, {"modules": ["shared", "onlyfirst", "pkg"]})
    assert "FunctionError" not in r, out
    assert out == {"shared": "second", "onlyfirst": "only-first", "pkg": "package"}

    create(name + "-rev", Code=probe, Layers=[second["LayerVersionArn"], first["LayerVersionArn"]])
    r, out = invoke(lam, name + "-rev", {"modules": ["shared"]})
    assert out == {"shared": "first"}, "the later layer's copy of a module wins"

    # Function code is not a layer: its own module shadows every layer's.
    create(name + "-own", Code={"ZipFile": make_zip({"app.py": LAYER_PROBE, "shared.py": "WHO = 'function'\n"})},
           Layers=[first["LayerVersionArn"], second["LayerVersionArn"]])
    assert invoke(lam, name + "-own", {"modules": ["shared"]})[1] == {"shared": "function"}


def test_layer_bin_is_on_path_and_files_are_under_opt(server, lam, create, name, layer_name, publish):
    if not server.health["isolation"].startswith("sandbox"):
        pytest.skip("layers are only mounted at /opt in a sandbox: " + server.health["isolation"])
    layer = lam.publish_layer_version(LayerName=layer_name, Content={"ZipFile": make_zip(
        {"bin/layer-hello": "#!/bin/sh\necho hello from the layer\n", "python/shared.py": "WHO = 'opt'\n"},
        executables={"bin/layer-hello"})})
    create(name, Code={"ZipFile": make_zip({"app.py": LAYER_PROBE})}, Layers=[layer["LayerVersionArn"]])
    r, out = invoke(lam, name, {"modules": ["shared"], "bin": "layer-hello"})
    assert "FunctionError" not in r, out
    assert out["bin"] == "hello from the layer"
    assert out["shared"] == "opt"
    assert out["opt"] == {"/opt/bin/layer-hello": True, "/opt/python/shared.py": True}


def test_layer_version_permissions(lam, layer_name, publish):
    published = publish(layer_name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_layer_version_policy(LayerName=layer_name, VersionNumber=1)

    added = lam.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="xaccount",
                                             Action="lambda:GetLayerVersion", Principal="123456789012")
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert added["RevisionId"]
    xaccount = {"Sid": "xaccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "lambda:GetLayerVersion", "Resource": published["LayerVersionArn"]}
    assert json.loads(added["Statement"]) == xaccount

    public = lam.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="public",
                                              Action="lambda:GetLayerVersion", Principal="*")
    assert json.loads(public["Statement"]) == {"Sid": "public", "Effect": "Allow", "Principal": "*",
                                               "Action": "lambda:GetLayerVersion",
                                               "Resource": published["LayerVersionArn"]}

    policy = lam.get_layer_version_policy(LayerName=layer_name, VersionNumber=1)
    document = json.loads(policy["Policy"])
    assert document["Version"] == "2012-10-17" and document["Id"] == "default"
    assert document["Statement"] == [xaccount, json.loads(public["Statement"])]
    assert policy["RevisionId"] == public["RevisionId"]

    with pytest.raises(lam.exceptions.ResourceConflictException) as e:
        lam.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="xaccount",
                                         Action="lambda:GetLayerVersion", Principal="*")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="third",
                                         Action="lambda:GetLayerVersion", Principal="*",
                                         RevisionId="00000000-0000-0000-0000-000000000000")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.add_layer_version_permission(LayerName=layer_name, VersionNumber=2, StatementId="other",
                                         Action="lambda:GetLayerVersion", Principal="*")

    removed = lam.remove_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="public",
                                                  RevisionId=policy["RevisionId"])
    assert removed["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert json.loads(lam.get_layer_version_policy(LayerName=layer_name, VersionNumber=1)["Policy"])["Statement"] == \
        [xaccount]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.remove_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="public")
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.remove_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="xaccount",
                                            RevisionId="00000000-0000-0000-0000-000000000000")
