"""Execution roles: Lambda refuses a role it cannot assume, and a function calls the platform as
`assumed-role/<role>/<function>` with its role's permissions. The function uses boto3 from the test's own venv, so
its server runs plain processes (a sandboxed function cannot read the host's site-packages)."""
import json
import sysconfig
import tempfile
import uuid

import pytest

from conftest import LAMBDA_TRUST, ROLE, Server, make_zip, wait_for

ACCOUNT = "000000000000"

FUNCTION = '''
import os, sys
sys.path.append(os.environ["TEST_SITE_PACKAGES"])
import boto3

def handler(event, context):
    out = {"endpoint": os.environ.get("AWS_ENDPOINT_URL"),
           "arn": boto3.client("sts").get_caller_identity()["Arn"], "sends": {}}
    sqs = boto3.client("sqs")
    for url in event.get("queues", []):
        try:
            sqs.send_message(QueueUrl=url, MessageBody="from a function")
            out["sends"][url] = "ok"
        except Exception as e:
            out["sends"][url] = e.response["Error"]["Code"]
    return out
'''


def wait_until_expired(sts):
    """Waits until calls with `sts`'s session credentials answer ExpiredToken."""
    def expired():
        try:
            sts.get_caller_identity()
            return False
        except Exception as e:
            return e.response["Error"]["Code"] == "ExpiredToken"
    wait_for(expired, timeout=15, interval=0.2, what="the session to expire")


@pytest.fixture(scope="module")
def plain_server():
    with tempfile.TemporaryDirectory(prefix="swiftlet-role-") as data_dir:
        s = Server(data_dir, flags=("--isolation", "plain", "--max-session-seconds", "3"))
        yield s
        assert s.stop() == 0


def test_create_function_refuses_a_role_lambda_cannot_assume(server, lam, python_runtime):
    iam = server.client("iam")
    name = "fn-" + uuid.uuid4().hex[:8]
    for role in (f"arn:aws:iam::{ACCOUNT}:role/does-not-exist",):
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
            lam.create_function(FunctionName=name, Runtime=python_runtime, Role=role, Handler="app.handler",
                                Code={"ZipFile": make_zip()})
        assert raised.value.response["Error"]["Message"] == "The role defined for the function cannot be assumed by Lambda."
    untrusting = "ec2-" + uuid.uuid4().hex[:6]
    arn = iam.create_role(RoleName=untrusting, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.create_function(FunctionName=name, Runtime=python_runtime, Role=arn, Handler="app.handler",
                            Code={"ZipFile": make_zip()})
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip()})
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_function_configuration(FunctionName=name, Role=arn)
    assert lam.get_function_configuration(FunctionName=name)["Role"] == ROLE


def test_a_function_calls_the_platform_as_its_role_with_its_permissions(plain_server):
    s = plain_server
    iam, lam, sqs = s.client("iam"), s.client(), s.client("sqs")
    python = [r for r in s.health["runtimes"] if r.startswith("python")]
    if not python:
        pytest.skip("no Python runtime on this host")
    a = sqs.create_queue(QueueName="role-a")["QueueUrl"]
    b = sqs.create_queue(QueueName="role-b")["QueueUrl"]
    a_arn = sqs.get_queue_attributes(QueueUrl=a, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    role = "orders-fn"
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="send", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": a_arn}]}))
    lam.create_function(FunctionName="orders", Runtime=python[-1], Role=role_arn, Handler="app.handler", Timeout=30,
                        Code={"ZipFile": make_zip({"app.py": FUNCTION})},
                        Environment={"Variables": {"TEST_SITE_PACKAGES": sysconfig.get_paths()["purelib"]}})
    out = lam.invoke(FunctionName="orders", Payload=json.dumps({"queues": [a, b]}).encode())
    result = json.loads(out["Payload"].read())
    assert "FunctionError" not in out, result
    assert result["endpoint"] == s.endpoint
    assert result["arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/orders"
    assert result["sends"] == {a: "ok", b: "AccessDenied"}
    got = sqs.receive_message(QueueUrl=a, MessageAttributeNames=["All"], AttributeNames=["All"])["Messages"]
    assert got[0]["Body"] == "from a function"
    assert got[0]["Attributes"]["SenderId"].endswith(":orders")
    # The execution role's credentials are not capped by --max-session-seconds: a second call 4 s later works.
    # A capped STS session issued now: once it has expired, so would capped function credentials have.
    c = s.client("sts").get_session_token(DurationSeconds=900)["Credentials"]
    capped = s.client_as("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])

    wait_until_expired(capped)
    out = lam.invoke(FunctionName="orders", Payload=json.dumps({"queues": [a]}).encode())
    assert json.loads(out["Payload"].read())["sends"] == {a: "ok"}


def test_session_credentials_expire(plain_server):
    s = plain_server
    iam = s.client("iam")
    iam.create_user(UserName="expiring")
    key = iam.create_access_key(UserName="expiring")["AccessKey"]
    c = s.client_as("sts", key["AccessKeyId"], key["SecretAccessKey"]).get_session_token(DurationSeconds=900)["Credentials"]
    session = s.client_as("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    assert session.get_caller_identity()["Arn"].endswith(":user/expiring")

    wait_until_expired(session)
    lam = s.client_as("lambda", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    with pytest.raises(Exception) as raised:
        lam.list_functions()
    assert raised.value.response["Error"]["Code"] == "ExpiredTokenException"


def test_the_platform_acts_with_the_functions_role(server, lam, python_runtime):
    """Lambda polls queues and sends to destinations and dead-letter queues with the function's role: a role that
    may not is refused where the setting is made, with Lambda's message."""
    iam, sqs = server.client("iam"), server.client("sqs")
    role = "bare-" + uuid.uuid4().hex[:6]
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    q = sqs.create_queue(QueueName="bare-" + uuid.uuid4().hex[:6], Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    q_arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = "bare-" + uuid.uuid4().hex[:6]
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role=role_arn, Handler="app.handler",
                        Code={"ZipFile": make_zip()})

    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.create_event_source_mapping(EventSourceArn=q_arn, FunctionName=name)
    assert raised.value.response["Error"]["Message"] == \
        "The provided execution role does not have permissions to call ReceiveMessage on SQS"
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.update_function_configuration(FunctionName=name, DeadLetterConfig={"TargetArn": q_arn})
    assert raised.value.response["Error"]["Message"] == \
        "The provided execution role does not have permissions to call SendMessage on SQS"
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.put_function_event_invoke_config(FunctionName=name, DestinationConfig={"OnFailure": {"Destination": q_arn}})

    iam.put_role_policy(RoleName=role, PolicyName="q", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": q_arn, "Action": [
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:SendMessage"]}]}))
    lam.update_function_configuration(FunctionName=name, DeadLetterConfig={"TargetArn": q_arn})
    lam.put_function_event_invoke_config(FunctionName=name, DestinationConfig={"OnFailure": {"Destination": q_arn}})
    uuid_ = lam.create_event_source_mapping(EventSourceArn=q_arn, FunctionName=name)["UUID"]
    lam.delete_event_source_mapping(UUID=uuid_)


def test_a_function_whose_role_is_gone_still_runs_without_credentials(server, lam, python_runtime):
    """As for functions created before roles were checked: the function runs, its environment gets no credentials."""
    iam = server.client("iam")
    role = "gone-" + uuid.uuid4().hex[:6]
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    name = "orphan-" + uuid.uuid4().hex[:6]
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role=arn, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": "import os\ndef handler(e, c):\n"
                                                   "    return os.environ.get('AWS_SESSION_TOKEN') is not None\n"})})
    iam.delete_role(RoleName=role)
    out = lam.invoke(FunctionName=name, Payload=b"{}")
    assert "FunctionError" not in out
    assert json.loads(out["Payload"].read()) is False
