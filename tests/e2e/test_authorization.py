"""Policies enforced on every request by a caller other than root, through boto3 with IAM users' keys and role
sessions: identity policies (user, group, role), explicit denies, resource policies (AddPermission), STS."""
import json
import uuid

import pytest

from conftest import ROLE, make_zip

ACCOUNT = "000000000000"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def deny(action, resource="*"):
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def function_arn(name):
    return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"


@pytest.fixture
def iam(server):
    return server.client("iam")


@pytest.fixture
def new_user(server, iam):
    """Creates a user with an access key; returns (name, arn, client factory)."""
    made = []

    def _make(**inline):
        name = "u-" + uuid.uuid4().hex[:10]
        user = iam.create_user(UserName=name)["User"]
        key = iam.create_access_key(UserName=name)["AccessKey"]
        for policy_name, document in inline.items():
            iam.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=document)
        made.append(name)

        def client(service="lambda"):
            return server.client_as(service, key["AccessKeyId"], key["SecretAccessKey"])
        return name, user["Arn"], key, client
    yield _make


@pytest.fixture
def fn(lam, python_runtime):
    name = "authz-" + uuid.uuid4().hex[:10]
    lam.create_function(FunctionName=name, Runtime=python_runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip()})
    return name


def denied_message(principal, action, resource, explicit=None):
    head = f"User: {principal} is not authorized to perform: {action} on resource: {resource}"
    if explicit == "identity":
        return head + " with an explicit deny in an identity-based policy"
    if explicit == "resource":
        return head + " with an explicit deny in a resource-based policy"
    return head + f" because no identity-based policy allows the {action} action"


def assert_denied(call, message, code="AccessDeniedException"):
    with pytest.raises(Exception) as raised:
        call()
    error = raised.value.response["Error"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Code"] == code
    assert error["Message"] == message


def test_a_user_allowed_one_action_on_one_function_is_denied_everything_else(new_user, fn, lam, python_runtime):
    other = "authz-other-" + uuid.uuid4().hex[:8]
    lam.create_function(FunctionName=other, Runtime=python_runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip()})
    _, arn, _, client = new_user(get=policy(allow("lambda:GetFunction", function_arn(fn))))
    user_lam = client()

    assert user_lam.get_function(FunctionName=fn)["Configuration"]["FunctionName"] == fn
    assert_denied(lambda: user_lam.get_function(FunctionName=other),
                  denied_message(arn, "lambda:GetFunction", function_arn(other)))
    assert_denied(lambda: user_lam.invoke(FunctionName=fn, Payload=b"{}"),
                  denied_message(arn, "lambda:InvokeFunction", function_arn(fn)))
    assert_denied(lambda: user_lam.list_functions(), denied_message(arn, "lambda:ListFunctions", "*"))
    assert_denied(lambda: user_lam.update_function_configuration(FunctionName=fn, Timeout=9),
                  denied_message(arn, "lambda:UpdateFunctionConfiguration", function_arn(fn)))
    # Nothing was changed by the denied update.
    assert lam.get_function_configuration(FunctionName=fn)["Timeout"] == 3
    # A qualified call names the qualified ARN, which the policy does not cover.
    assert_denied(lambda: user_lam.get_function(FunctionName=fn, Qualifier="$LATEST"),
                  denied_message(arn, "lambda:GetFunction", function_arn(fn) + ":$LATEST"))


def test_a_group_policy_applies_to_its_members(iam, new_user, fn):
    name, arn, _, client = new_user()
    group = "g-" + uuid.uuid4().hex[:8]
    iam.create_group(GroupName=group)
    user_lam = client()
    assert_denied(lambda: user_lam.get_function_configuration(FunctionName=fn),
                  denied_message(arn, "lambda:GetFunctionConfiguration", function_arn(fn)))
    iam.put_group_policy(GroupName=group, PolicyName="read", PolicyDocument=policy(allow("lambda:GetFunction*")))
    iam.add_user_to_group(GroupName=group, UserName=name)
    assert user_lam.get_function_configuration(FunctionName=fn)["FunctionName"] == fn
    iam.remove_user_from_group(GroupName=group, UserName=name)
    assert_denied(lambda: user_lam.get_function_configuration(FunctionName=fn),
                  denied_message(arn, "lambda:GetFunctionConfiguration", function_arn(fn)))


def test_an_explicit_deny_wins_over_any_allow(iam, new_user, fn):
    _, arn, _, client = new_user(all=policy(allow("lambda:*")),
                                 no=policy(deny("lambda:Invoke*", function_arn(fn))))
    user_lam = client()
    assert user_lam.get_function(FunctionName=fn)["Configuration"]["FunctionName"] == fn
    assert_denied(lambda: user_lam.invoke(FunctionName=fn, Payload=b"{}"),
                  denied_message(arn, "lambda:InvokeFunction", function_arn(fn), explicit="identity"))


def test_a_managed_policy_attached_to_a_user_grants_what_it_says(iam, new_user, fn):
    name, arn, _, client = new_user()
    created = iam.create_policy(PolicyName="p-" + uuid.uuid4().hex[:8],
                                PolicyDocument=policy(allow(["lambda:GetFunction", "lambda:UpdateFunctionConfiguration"],
                                                            function_arn(fn))))
    iam.attach_user_policy(UserName=name, PolicyArn=created["Policy"]["Arn"])
    user_lam = client()
    assert user_lam.update_function_configuration(FunctionName=fn, Timeout=7)["Timeout"] == 7
    iam.detach_user_policy(UserName=name, PolicyArn=created["Policy"]["Arn"])
    assert_denied(lambda: user_lam.get_function(FunctionName=fn),
                  denied_message(arn, "lambda:GetFunction", function_arn(fn)))


def test_a_function_policy_naming_a_user_lets_it_invoke(lam, new_user, fn):
    _, arn, _, client = new_user()
    user_lam = client()
    assert_denied(lambda: user_lam.invoke(FunctionName=fn, Payload=b'{"a": 1}'),
                  denied_message(arn, "lambda:InvokeFunction", function_arn(fn)))
    lam.add_permission(FunctionName=fn, StatementId="user", Action="lambda:InvokeFunction", Principal=arn)
    out = user_lam.invoke(FunctionName=fn, Payload=b'{"a": 1}')
    assert json.loads(out["Payload"].read()) == {"a": 1}
    # The resource policy grants invoking only.
    assert_denied(lambda: user_lam.get_function(FunctionName=fn),
                  denied_message(arn, "lambda:GetFunction", function_arn(fn)))
    lam.remove_permission(FunctionName=fn, StatementId="user")
    assert_denied(lambda: user_lam.invoke(FunctionName=fn, Payload=b"{}"),
                  denied_message(arn, "lambda:InvokeFunction", function_arn(fn)))


def test_a_function_policy_allowing_everyone_lets_any_user_invoke(lam, new_user, fn):
    _, arn, _, client = new_user()
    lam.add_permission(FunctionName=fn, StatementId="everyone", Action="lambda:InvokeFunction", Principal="*")
    assert client().invoke(FunctionName=fn, Payload=b"{}")["StatusCode"] == 200


def test_a_deny_in_a_queue_policy_wins_over_the_identity_policy(sqs, new_user):
    q = sqs.create_queue(QueueName="authz-deny-" + uuid.uuid4().hex[:6])["QueueUrl"]
    q_arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    _, arn, _, client = new_user(all=policy(allow("sqs:*")))
    sqs.set_queue_attributes(QueueUrl=q, Attributes={"Policy": policy(
        {"Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage", "Resource": q_arn})})
    user_sqs = client("sqs")
    assert "Attributes" in user_sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])
    assert_denied(lambda: user_sqs.send_message(QueueUrl=q, MessageBody="x"),
                  denied_message(arn, "sqs:SendMessage", q_arn, explicit="resource"), code="AccessDenied")


def test_assume_role_then_calls_act_as_the_role(server, iam, new_user, fn):
    role = "r-" + uuid.uuid4().hex[:8]
    name, user_arn, _, client = new_user(assume=policy(allow("sts:AssumeRole")))
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="list", PolicyDocument=policy(allow("lambda:ListFunctions")))

    sts = client("sts")
    assert sts.get_caller_identity()["Arn"] == user_arn
    assumed = sts.assume_role(RoleArn=role_arn, RoleSessionName="deploy", DurationSeconds=900)
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/deploy"
    assert assumed["AssumedRoleUser"]["Arn"] == session_arn
    c = assumed["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA")
    as_role = lambda service: server.client_as(service, c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    identity = as_role("sts").get_caller_identity()
    assert identity["Arn"] == session_arn
    assert identity["UserId"].startswith("AROA") and identity["UserId"].endswith(":deploy")
    assert any(f["FunctionName"] == fn for f in as_role("lambda").list_functions()["Functions"])
    assert_denied(lambda: as_role("lambda").get_function(FunctionName=fn),
                  denied_message(session_arn, "lambda:GetFunction", function_arn(fn)))


def test_assume_role_needs_the_trust_policy(iam, new_user):
    role = "r-" + uuid.uuid4().hex[:8]
    _, user_arn, _, client = new_user(assume=policy(allow("sts:AssumeRole")))
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    assert_denied(lambda: client("sts").assume_role(RoleArn=role_arn, RoleSessionName="s1"),
                  f"User: {user_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                  code="AccessDenied")


def test_a_trust_policy_naming_the_user_needs_no_identity_policy(iam, new_user):
    role = "r-" + uuid.uuid4().hex[:8]
    _, user_arn, _, client = new_user()
    trust = policy({"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "sts:AssumeRole"})
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    assumed = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="direct")
    assert assumed["AssumedRoleUser"]["Arn"].endswith(f":assumed-role/{role}/direct")


def test_a_deactivated_or_deleted_key_is_refused_at_once(iam, new_user, fn):
    name, _, key, client = new_user(all=policy(allow("lambda:*")))
    user_lam = client()
    assert user_lam.get_function(FunctionName=fn)
    iam.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    with pytest.raises(Exception) as raised:
        user_lam.get_function(FunctionName=fn)
    assert raised.value.response["Error"]["Code"] == "UnrecognizedClientException"
    iam.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Active")
    assert user_lam.get_function(FunctionName=fn)
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    with pytest.raises(Exception) as raised:
        user_lam.get_function(FunctionName=fn)
    assert raised.value.response["Error"]["Code"] == "UnrecognizedClientException"
    # The query services name the same failure their own way.
    with pytest.raises(Exception) as raised:
        client("sts").get_caller_identity()
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_a_forged_session_token_is_refused(server, new_user):
    _, _, key, client = new_user()
    c = client("sts").get_session_token()["Credentials"]
    forged = c["SessionToken"][:-8] + ("A" * 8 if not c["SessionToken"].endswith("A" * 8) else "B" * 8)
    with pytest.raises(Exception) as raised:
        server.client_as("sts", c["AccessKeyId"], c["SecretAccessKey"], forged).get_caller_identity()
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"
    # The real token works and acts as the user.
    ident = server.client_as("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).get_caller_identity()
    assert ident["Arn"].endswith(":user/" + ident["Arn"].split("/")[-1])


def test_sqs_operations_need_their_permission_on_the_queue(server, sqs, new_user):
    a = sqs.create_queue(QueueName="authz-a-" + uuid.uuid4().hex[:6])["QueueUrl"]
    b = sqs.create_queue(QueueName="authz-b-" + uuid.uuid4().hex[:6])["QueueUrl"]
    a_arn = sqs.get_queue_attributes(QueueUrl=a, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    b_arn = sqs.get_queue_attributes(QueueUrl=b, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    _, arn, _, client = new_user(send=policy(allow("sqs:SendMessage", a_arn)))
    user_sqs = client("sqs")
    assert user_sqs.send_message(QueueUrl=a, MessageBody="hi")["MessageId"]
    assert user_sqs.send_message_batch(QueueUrl=a, Entries=[{"Id": "1", "MessageBody": "x"}])["Successful"]
    assert_denied(lambda: user_sqs.send_message(QueueUrl=b, MessageBody="hi"),
                  denied_message(arn, "sqs:SendMessage", b_arn), code="AccessDenied")
    assert_denied(lambda: user_sqs.receive_message(QueueUrl=a),
                  denied_message(arn, "sqs:ReceiveMessage", a_arn), code="AccessDenied")
    # A queue policy naming the user grants what the identity policy does not.
    sqs.set_queue_attributes(QueueUrl=b, Attributes={"Policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sqs:SendMessage", "Resource": b_arn})})
    assert user_sqs.send_message(QueueUrl=b, MessageBody="now allowed")["MessageId"]


def test_a_session_policy_limits_an_assumed_role(server, iam, new_user, fn):
    role = "r-" + uuid.uuid4().hex[:8]
    _, _, _, client = new_user(assume=policy(allow("sts:AssumeRole")))
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="all", PolicyDocument=policy(allow("lambda:*")))
    assumed = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="narrow",
                                        Policy=policy(allow("lambda:GetFunction")))
    assert assumed["PackedPolicySize"] > 0
    c = assumed["Credentials"]
    session_lam = server.client_as("lambda", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    assert session_lam.get_function(FunctionName=fn)["Configuration"]["FunctionName"] == fn
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/narrow"
    assert_denied(lambda: session_lam.list_functions(),
                  f"User: {session_arn} is not authorized to perform: lambda:ListFunctions on resource: * "
                  "because no session policy allows the lambda:ListFunctions action")
    with pytest.raises(Exception) as raised:
        client("sts").assume_role(RoleArn=role_arn, RoleSessionName="bad", Policy='{"Statement": "nope"}')
    assert raised.value.response["Error"]["Code"] == "MalformedPolicyDocument"


def test_iam_names_are_authorized_as_the_entities_they_find(iam, new_user):
    """Names match without case and a Path parameter names nothing but a new entity: neither moves a request
    into a resource pattern the target is not in."""
    admin = "adm-" + uuid.uuid4().hex[:6]
    iam.create_user(UserName=admin)
    _, arn, _, client = new_user(sandbox=policy(allow("iam:*", f"arn:aws:iam::{ACCOUNT}:user/sandbox/*")))
    user_iam = client("iam")
    for name in (admin, admin.upper()):
        assert_denied(lambda: user_iam.create_access_key(UserName=name),
                      denied_message(arn, "iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/{admin}"), code="AccessDenied")
    assert iam.list_access_keys(UserName=admin)["AccessKeyMetadata"] == []
    created = user_iam.create_user(UserName="sb-" + uuid.uuid4().hex[:6], Path="/sandbox/")["User"]
    assert created["Arn"].startswith(f"arn:aws:iam::{ACCOUNT}:user/sandbox/")


def test_code_and_layer_downloads_need_the_read_permission(server, lam, new_user, fn):
    import urllib.request
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    layer = lam.publish_layer_version(LayerName="dl-" + uuid.uuid4().hex[:6], Content={"ZipFile": make_zip({"x.txt": "x"})})
    sha_hex = __import__("base64").b64decode(lam.get_function(FunctionName=fn)["Configuration"]["CodeSha256"]).hex()
    _, _, key, _ = new_user()
    for path in (f"/_swiftlet/layer/{layer['LayerVersionArn'].split(':')[6]}/{layer['Version']}",
                 f"/_swiftlet/code/{fn}/{sha_hex}"):
        req = AWSRequest(method="GET", url=server.endpoint + path)
        SigV4Auth(Credentials(key["AccessKeyId"], key["SecretAccessKey"]), "lambda", "us-east-1").add_auth(req)
        prepared = req.prepare()
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(urllib.request.Request(prepared.url, headers=dict(prepared.headers)))
        assert raised.value.code == 403
    # The presigned URL GetFunction hands out still works.
    with urllib.request.urlopen(lam.get_function(FunctionName=fn)["Code"]["Location"]) as r:
        assert r.status == 200


def test_a_version_number_is_authorized_however_it_is_written(lam, new_user, fn):
    lam.publish_version(FunctionName=fn)
    _, arn, _, client = new_user(all=policy(allow("lambda:*")),
                                 no=policy(deny("lambda:InvokeFunction", function_arn(fn) + ":1")))
    for qualifier in ("1", "01"):
        assert_denied(lambda: client().invoke(FunctionName=fn, Qualifier=qualifier, Payload=b"{}"),
                      denied_message(arn, "lambda:InvokeFunction", function_arn(fn) + ":1", explicit="identity"))


def test_tags_of_another_accounts_arn_are_not_ours(lam, fn):
    foreign = f"arn:aws:lambda:us-east-1:999999999999:function:{fn}"
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.tag_resource(Resource=foreign, Tags={"a": "b"})
    assert lam.list_tags(Resource=function_arn(fn))["Tags"] == {}


def test_a_permissions_boundary_limits_what_policies_grant(iam, server, fn):
    boundary = iam.create_policy(PolicyName="b-" + uuid.uuid4().hex[:6],
                                 PolicyDocument=policy(allow("lambda:GetFunction")))["Policy"]["Arn"]
    name = "bounded-" + uuid.uuid4().hex[:6]
    arn = iam.create_user(UserName=name, PermissionsBoundary=boundary)["User"]["Arn"]
    iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=policy(allow("lambda:*")))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    user_lam = server.client_as("lambda", key["AccessKeyId"], key["SecretAccessKey"])
    assert user_lam.get_function(FunctionName=fn)["Configuration"]["FunctionName"] == fn
    assert_denied(lambda: user_lam.list_functions(),
                  f"User: {arn} is not authorized to perform: lambda:ListFunctions on resource: * "
                  "because no permissions boundary allows the lambda:ListFunctions action")


def test_a_session_does_not_pass_to_a_role_created_again(server, iam, new_user):
    role = "again-" + uuid.uuid4().hex[:6]
    _, _, _, client = new_user(assume=policy(allow("sts:AssumeRole")))
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    c = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="old")["Credentials"]
    session = server.client_as("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    assert session.get_caller_identity()["Arn"].endswith(f"/{role}/old")
    iam.delete_role(RoleName=role)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
    with pytest.raises(Exception) as raised:
        session.get_caller_identity()
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_get_session_token_credentials_cannot_call_iam(server, new_user):
    _, _, _, client = new_user(all=policy(allow("iam:*")))
    assert client("iam").list_users()["Users"]
    c = client("sts").get_session_token()["Credentials"]
    with pytest.raises(Exception) as raised:
        server.client_as("iam", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).list_users()
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"
    with pytest.raises(Exception) as raised:
        server.client_as("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).get_session_token()
    assert raised.value.response["Error"]["Code"] == "AccessDenied"


def test_a_queue_policy_must_be_a_valid_policy(sqs):
    q = sqs.create_queue(QueueName="badpolicy-" + uuid.uuid4().hex[:6])["QueueUrl"]
    with pytest.raises(Exception) as raised:
        sqs.set_queue_attributes(QueueUrl=q, Attributes={"Policy": '{"Statement": [{"Effect": "Allow"}]}'})
    assert raised.value.response["Error"]["Code"] == "InvalidAttributeValue"
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"]


def test_assume_role_sees_the_callers_source_ip(iam, new_user):
    role = "ip-" + uuid.uuid4().hex[:6]
    _, arn, _, client = new_user(assume=policy(allow("sts:AssumeRole"),
                                               {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "*",
                                                "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}}))
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    with pytest.raises(Exception) as raised:
        client("sts").assume_role(RoleArn=role_arn, RoleSessionName="from-loopback")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"


def test_tags_are_condition_keys(lam, python_runtime, new_user, sqs):
    """aws:ResourceTag/… carries the function's or queue's tags, aws:RequestTag/… and aws:TagKeys what a request sets."""
    blue, red = ("tag-" + uuid.uuid4().hex[:8] for _ in range(2))
    for name, team in ((blue, "blue"), (red, "red")):
        lam.create_function(FunctionName=name, Runtime=python_runtime, Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": make_zip()}, Tags={"team": team})
    _, arn, _, client = new_user(read=policy(
        {"Effect": "Allow", "Action": ["lambda:GetFunction", "lambda:TagResource"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}},
        {"Effect": "Deny", "Action": "lambda:TagResource", "Resource": "*",
         "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}}))
    user_lam = client()
    assert user_lam.get_function(FunctionName=blue)["Configuration"]["FunctionName"] == blue
    assert_denied(lambda: user_lam.get_function(FunctionName=red),
                  denied_message(arn, "lambda:GetFunction", function_arn(red)))
    user_lam.tag_resource(Resource=function_arn(blue), Tags={"cost": "1"})
    assert_denied(lambda: user_lam.tag_resource(Resource=function_arn(blue), Tags={"team": "red"}),
                  denied_message(arn, "lambda:TagResource", function_arn(blue), explicit="identity"))
    assert lam.list_tags(Resource=function_arn(blue))["Tags"] == {"team": "blue", "cost": "1"}

    q = sqs.create_queue(QueueName="tagged-" + uuid.uuid4().hex[:6], tags={"team": "blue"})["QueueUrl"]
    _, arn2, _, client2 = new_user(send=policy(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}))
    q_arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert_denied(lambda: client2("sqs").send_message(QueueUrl=q, MessageBody="x"),
                  denied_message(arn2, "sqs:SendMessage", q_arn), code="AccessDenied")
    sqs.tag_queue(QueueUrl=q, Tags={"team": "red"})
    assert client2("sqs").send_message(QueueUrl=q, MessageBody="x")["MessageId"]
