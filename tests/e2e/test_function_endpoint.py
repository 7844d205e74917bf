"""Swiftlet's endpoint inside a sandboxed function: `AWS_ENDPOINT_URL` names a listener on the environment's own
loopback that the server relays to its API, so boto3 in the function (shipped in a layer, as a function would
ship a pinned copy) reaches every service signed with the execution role's credentials."""
import io
import json
import os
import sysconfig
import uuid
import zipfile

import pytest

from conftest import LAMBDA_TRUST, make_zip

ACCOUNT = "000000000000"

FUNCTION = '''
import os, socket
import boto3

def handler(event, context):
    out = {"endpoint": os.environ["AWS_ENDPOINT_URL"],
           "arn": boto3.client("sts").get_caller_identity()["Arn"], "sends": {}}
    sqs = boto3.client("sqs")
    for url in event["queues"]:
        try:
            sqs.send_message(QueueUrl=url, MessageBody="from a sandbox")
            out["sends"][url] = "ok"
        except Exception as e:
            out["sends"][url] = e.response["Error"]["Code"]
    # Nothing else of the host is reachable: the server's own port on the host's other addresses is not here.
    s = socket.socket()
    s.settimeout(1)
    out["other_port"] = s.connect_ex(("127.0.0.1", event["other_port"]))
    return out
'''

SERVICES = ("sts", "sqs")


def boto3_layer_zip():
    """boto3 and its dependencies from the test's venv under `python/`, with botocore's models cut to what the
    function uses (the full set is ~30 MB)."""
    site = sysconfig.get_paths()["purelib"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for top in ("boto3", "botocore", "jmespath", "s3transfer", "dateutil", "urllib3", "six.py"):
            root = os.path.join(site, top)
            if os.path.isfile(root):
                z.write(root, "python/" + top)
                continue
            for base, dirs, files in os.walk(root):
                rel = os.path.relpath(base, site)
                parts = rel.split(os.sep)
                if parts[:2] == ["botocore", "data"] and len(parts) >= 3 and parts[2] not in SERVICES:
                    dirs[:] = []
                    continue
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                for f in files:
                    z.write(os.path.join(base, f), "python/" + os.path.join(rel, f))
    return buf.getvalue()


def test_a_sandboxed_function_calls_the_platform_with_its_role(server, lam, sqs, python_runtime):
    if not server.health["isolation"].startswith("sandbox"):
        pytest.skip("the relayed endpoint is how sandboxed functions reach the platform; plain ones use the listener")
    if not python_runtime.startswith("python"):
        pytest.skip("no Python runtime on this host")
    iam = server.client("iam")
    a = sqs.create_queue(QueueName="ep-a-" + uuid.uuid4().hex[:6])["QueueUrl"]
    b = sqs.create_queue(QueueName="ep-b-" + uuid.uuid4().hex[:6])["QueueUrl"]
    a_arn = sqs.get_queue_attributes(QueueUrl=a, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    role = "ep-" + uuid.uuid4().hex[:6]
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="send", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": a_arn}]}))
    layer = lam.publish_layer_version(LayerName="boto3", Content={"ZipFile": boto3_layer_zip()},
                                      CompatibleRuntimes=[python_runtime])
    name = "ep-" + uuid.uuid4().hex[:6]
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role=role_arn, Handler="app.handler", Timeout=30,
                        MemorySize=512, Layers=[layer["LayerVersionArn"]], Code={"ZipFile": make_zip({"app.py": FUNCTION})})
    port = int(server.endpoint.rsplit(":", 1)[1])
    out = lam.invoke(FunctionName=name, Payload=json.dumps({"queues": [a, b], "other_port": port + 1}).encode())
    result = json.loads(out["Payload"].read())
    assert "FunctionError" not in out, result
    assert result["endpoint"] == f"http://127.0.0.1:{port}"
    assert result["arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{name}"
    assert result["sends"] == {a: "ok", b: "AccessDenied"}
    assert result["other_port"] != 0
    got = sqs.receive_message(QueueUrl=a)["Messages"]
    assert got[0]["Body"] == "from a sandbox"


FLOOD = '''
import os, select, socket, time

def handler(event, context):
    port = int(os.environ["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
    sockets = []
    for _ in range(event["count"]):
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        sockets.append(s)
    # Refused connections are closed by the relay at once; the others stay open and silent.
    closed, deadline = set(), time.time() + 2
    while time.time() < deadline:
        readable, _, _ = select.select([s for s in sockets if s not in closed], [], [], 0.2)
        for s in readable:
            if s.recv(1) == b"":
                closed.add(s)
    return {"opened": len(sockets), "closed_by_peer": len(closed)}
'''


def test_a_function_cannot_flood_the_server_through_its_endpoint(server, lam, python_runtime):
    """Connections through one environment's relay are capped, so a function cannot use up the server's descriptors."""
    if not server.health["isolation"].startswith("sandbox"):
        pytest.skip("the relayed endpoint exists in sandboxes only")
    name = "flood-" + uuid.uuid4().hex[:6]
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role=f"arn:aws:iam::{ACCOUNT}:role/lambda-role",
                        Handler="app.handler", Timeout=60, Code={"ZipFile": make_zip({"app.py": FLOOD})})
    out = lam.invoke(FunctionName=name, Payload=json.dumps({"count": 200}).encode())
    result = json.loads(out["Payload"].read())
    assert "FunctionError" not in out, result
    assert result["opened"] == 200
    assert result["closed_by_peer"] >= 200 - 128, result
    assert lam.get_function(FunctionName=name)["Configuration"]["FunctionName"] == name


SDK_PROBE = '''
import boto3

def handler(event, context):
    out = {"version": boto3.__version__, "file": boto3.__file__}
    if event.get("call"):
        out["arn"] = boto3.client("sts").get_caller_identity()["Arn"]
    return out
'''


def test_python_functions_get_the_platforms_boto3_after_their_own(server, lam, python_runtime):
    """As Lambda's Python runtime, the platform offers boto3 (installed by scripts/install-python-sdk); a copy in the
    function's zip comes first."""
    if server.health.get("pythonSDK", "none").startswith("none"):
        pytest.skip(server.health.get("pythonSDK"))
    if not python_runtime.startswith("python"):
        pytest.skip("no Python runtime on this host")
    name = "sdk-" + uuid.uuid4().hex[:6]
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role=f"arn:aws:iam::{ACCOUNT}:role/lambda-role",
                        Handler="app.handler", Timeout=30, MemorySize=512, Code={"ZipFile": make_zip({"app.py": SDK_PROBE})})
    out = lam.invoke(FunctionName=name, Payload=json.dumps({"call": True}).encode())
    result = json.loads(out["Payload"].read())
    assert "FunctionError" not in out, result
    assert server.health["pythonSDK"] == f"boto3 {result['version']}"
    assert result["arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/lambda-role/{name}"

    own = "own-" + uuid.uuid4().hex[:6]
    lam.create_function(FunctionName=own, Runtime=python_runtime, Role=f"arn:aws:iam::{ACCOUNT}:role/lambda-role",
                        Handler="app.handler", Code={"ZipFile": make_zip({
                            "app.py": SDK_PROBE, "boto3/__init__.py": "__version__ = '0.0-own'\n"})})
    result = json.loads(lam.invoke(FunctionName=own, Payload=b"{}")["Payload"].read())
    assert result["version"] == "0.0-own"
