"""IAM through boto3 and the aws CLI: users, access keys, groups, roles, inline and managed policies, paging,
AWS's error codes and messages, and persistence across a restart."""
import json
import os
import shutil
import subprocess
import tempfile
import uuid

import boto3
import botocore.auth
import pytest
import requests
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from conftest import Server

ACCOUNT = "000000000000"
LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def allow(*actions, resource="*"):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": resource}]}


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def iam(server):
    return server.client("iam")


def error_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def client_for(server, key, service="iam"):
    return boto3.client(service, endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                        config=Config(retries={"max_attempts": 1}))


def test_user_lifecycle_with_tags_and_rename(iam):
    name, renamed = unique("user"), unique("renamed")
    created = iam.create_user(UserName=name, Path="/e2e/", Tags=[{"Key": "team", "Value": "infra"}])["User"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/e2e/{name}"
    assert created["UserId"].startswith("AIDA")
    assert created["CreateDate"].tzinfo is not None
    got = iam.get_user(UserName=name)["User"]
    assert got["Tags"] == [{"Key": "team", "Value": "infra"}]
    assert name in [u["UserName"] for u in iam.list_users(PathPrefix="/e2e/")["Users"]]
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as e:
        iam.create_user(UserName=name)
    assert error_of(e) == ("EntityAlreadyExists", f"User with name {name} already exists.")

    iam.tag_user(UserName=name, Tags=[{"Key": "env", "Value": "prod"}])
    iam.untag_user(UserName=name, TagKeys=["team"])
    assert iam.list_user_tags(UserName=name)["Tags"] == [{"Key": "env", "Value": "prod"}]

    iam.update_user(UserName=name, NewUserName=renamed)
    assert iam.get_user(UserName=renamed)["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/e2e/{renamed}"
    iam.delete_user(UserName=renamed)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        iam.get_user(UserName=renamed)
    assert error_of(e) == ("NoSuchEntity", f"The user with name {renamed} cannot be found.")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_access_keys_sign_requests_and_record_their_last_use(server, iam):
    name = unique("keys")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40 and key["Status"] == "Active"
    second = iam.create_access_key(UserName=name)["AccessKey"]
    with pytest.raises(iam.exceptions.LimitExceededException) as e:
        iam.create_access_key(UserName=name)
    assert error_of(e) == ("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
    listed = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert {k["AccessKeyId"] for k in listed} == {key["AccessKeyId"], second["AccessKeyId"]}
    assert "SecretAccessKey" not in listed[0]

    never = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
    assert never["UserName"] == name
    assert never["AccessKeyLastUsed"]["ServiceName"] == "N/A" and "LastUsedDate" not in never["AccessKeyLastUsed"]

    # The new key signs; what it may do is what its user's policies allow.
    iam.put_user_policy(UserName=name, PolicyName="self", PolicyDocument=json.dumps(allow("iam:GetUser", "iam:ListAccessKeys")))
    as_user = client_for(server, key)
    me = as_user.get_user()["User"]
    assert me["UserName"] == name
    assert {k["AccessKeyId"] for k in as_user.list_access_keys()["AccessKeyMetadata"]} == {key["AccessKeyId"], second["AccessKeyId"]}
    with pytest.raises(as_user.exceptions.ClientError) as e:
        as_user.create_user(UserName=unique("nope"))
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    used = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
    assert used["ServiceName"] == "iam" and used["Region"] == "us-east-1" and "LastUsedDate" in used

    iam.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    with pytest.raises(as_user.exceptions.ClientError) as e:
        as_user.get_user()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"

    with pytest.raises(iam.exceptions.DeleteConflictException) as e:
        iam.delete_user(UserName=name)
    assert error_of(e) == ("DeleteConflict", "Cannot delete entity, must delete access keys first.")
    for k in (key, second):
        iam.delete_access_key(UserName=name, AccessKeyId=k["AccessKeyId"])
    with pytest.raises(iam.exceptions.DeleteConflictException) as e:
        iam.delete_user(UserName=name)
    assert error_of(e) == ("DeleteConflict", "Cannot delete entity, must delete policies first.")
    iam.delete_user_policy(UserName=name, PolicyName="self")
    iam.delete_user(UserName=name)


def test_roles_and_their_trust_policies(iam):
    name = unique("role")
    role = iam.create_role(RoleName=name, Path="/service-role/", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST),
                           Description="runs functions", MaxSessionDuration=7200, Tags=[{"Key": "app", "Value": "orders"}])["Role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/service-role/{name}"
    assert role["RoleId"].startswith("AROA")
    assert role["AssumeRolePolicyDocument"] == LAMBDA_TRUST, "botocore decodes the URL-encoded document"
    got = iam.get_role(RoleName=name)["Role"]
    assert got["MaxSessionDuration"] == 7200 and got["Description"] == "runs functions"
    assert got["Tags"] == [{"Key": "app", "Value": "orders"}]
    assert name in [r["RoleName"] for r in iam.list_roles(PathPrefix="/service-role/")["Roles"]]

    iam.update_role(RoleName=name, MaxSessionDuration=43200)
    assert iam.update_role_description(RoleName=name, Description="new")["Role"]["Description"] == "new"
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]}
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust))
    got = iam.get_role(RoleName=name)["Role"]
    assert got["AssumeRolePolicyDocument"] == trust and got["MaxSessionDuration"] == 43200
    iam.tag_role(RoleName=name, Tags=[{"Key": "env", "Value": "dev"}])
    iam.untag_role(RoleName=name, TagKeys=["app"])
    assert iam.list_role_tags(RoleName=name)["Tags"] == [{"Key": "env", "Value": "dev"}]

    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as e:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    assert error_of(e) == ("EntityAlreadyExists", f"Role with name {name} already exists.")
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException) as e:
        iam.create_role(RoleName=unique("bad"), AssumeRolePolicyDocument=json.dumps(allow("s3:*")))
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(iam.exceptions.ClientError) as e:
        iam.create_role(RoleName=unique("long"), AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST), MaxSessionDuration=50000)
    assert error_of(e)[0] == "ValidationError"
    assert "Member must have value less than or equal to 43200" in error_of(e)[1]

    iam.attach_role_policy(RoleName=name, PolicyArn=BASIC_EXECUTION)
    with pytest.raises(iam.exceptions.DeleteConflictException) as e:
        iam.delete_role(RoleName=name)
    assert error_of(e) == ("DeleteConflict", "Cannot delete entity, must detach all policies first.")
    iam.detach_role_policy(RoleName=name, PolicyArn=BASIC_EXECUTION)
    iam.delete_role(RoleName=name)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        iam.get_role(RoleName=name)
    assert error_of(e) == ("NoSuchEntity", f"The role with name {name} cannot be found.")


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_inline_policies(iam, kind):
    name = unique(kind)
    if kind == "user":
        iam.create_user(UserName=name)
    elif kind == "group":
        iam.create_group(GroupName=name)
    else:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    K = kind.capitalize()
    owner = {f"{K}Name": name}
    put, get = getattr(iam, f"put_{kind}_policy"), getattr(iam, f"get_{kind}_policy")
    listing, delete = getattr(iam, f"list_{kind}_policies"), getattr(iam, f"delete_{kind}_policy")

    put(**owner, PolicyName="read", PolicyDocument=json.dumps(allow("s3:GetObject")))
    put(**owner, PolicyName="read", PolicyDocument=json.dumps(allow("sqs:ReceiveMessage")))
    put(**owner, PolicyName="admin", PolicyDocument=json.dumps(allow("*")))
    got = get(**owner, PolicyName="read")
    assert got[f"{K}Name"] == name and got["PolicyName"] == "read"
    assert got["PolicyDocument"] == allow("sqs:ReceiveMessage")
    assert listing(**owner)["PolicyNames"] == ["admin", "read"]
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        get(**owner, PolicyName="nope")
    assert error_of(e) == ("NoSuchEntity", f"The {kind} policy with name nope cannot be found.")
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
        put(**owner, PolicyName="bad", PolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}')

    quota = {"user": 2048, "group": 5120, "role": 10240}[kind]
    big = allow(*[f"s3:GetObject{i:05d}" for i in range(quota // 20)])
    with pytest.raises(iam.exceptions.LimitExceededException) as e:
        put(**owner, PolicyName="big", PolicyDocument=json.dumps(big))
    assert error_of(e) == ("LimitExceeded", f"Maximum policy size of {quota} bytes exceeded for {kind} {name}")

    delete(**owner, PolicyName="read")
    delete(**owner, PolicyName="admin")
    assert listing(**owner)["PolicyNames"] == []


def test_managed_policies_versions_and_attachments(iam):
    name, role, user = unique("policy"), unique("role"), unique("user")
    policy = iam.create_policy(PolicyName=name, Path="/e2e/", PolicyDocument=json.dumps(allow("lambda:*")),
                               Description="deploys", Tags=[{"Key": "t", "Value": "1"}])["Policy"]
    arn = policy["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:policy/e2e/{name}"
    assert policy["DefaultVersionId"] == "v1" and policy["AttachmentCount"] == 0 and policy["IsAttachable"]
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as e:
        iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(allow("lambda:*")))
    assert error_of(e) == ("EntityAlreadyExists", f"A policy called {name} already exists. Duplicate names are not allowed.")

    for i in range(2, 6):
        version = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow(f"lambda:Get{i}")),
                                            SetAsDefault=(i == 3))["PolicyVersion"]
        assert version["VersionId"] == f"v{i}" and version["IsDefaultVersion"] == (i == 3)
    with pytest.raises(iam.exceptions.LimitExceededException) as e:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:*")))
    assert "A managed policy can have up to 5 versions" in error_of(e)[1]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
    assert iam.get_policy_version(PolicyArn=arn, VersionId="v3")["PolicyVersion"]["Document"] == allow("lambda:Get3")
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]] == ["v5", "v4", "v3", "v2", "v1"]
    with pytest.raises(iam.exceptions.DeleteConflictException) as e:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v3")
    assert error_of(e) == ("DeleteConflict", "Cannot delete the default version of a policy.")
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
    for v in ["v1", "v2", "v3", "v4"]:
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)

    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    iam.create_user(UserName=user)
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    iam.attach_role_policy(RoleName=role, PolicyArn=BASIC_EXECUTION)
    iam.attach_user_policy(UserName=user, PolicyArn=arn)
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert attached == [{"PolicyName": name, "PolicyArn": arn},
                        {"PolicyName": "AWSLambdaBasicExecutionRole", "PolicyArn": BASIC_EXECUTION}]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == [role]
    assert [u["UserName"] for u in entities["PolicyUsers"]] == [user]
    assert entities["PolicyGroups"] == []
    assert arn in [p["Arn"] for p in iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]]

    with pytest.raises(iam.exceptions.DeleteConflictException) as e:
        iam.delete_policy(PolicyArn=arn)
    assert error_of(e) == ("DeleteConflict", "Cannot delete a policy attached to entities.")
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        iam.attach_role_policy(RoleName=role, PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/none")
    assert error_of(e) == ("NoSuchEntity", f"Policy arn:aws:iam::{ACCOUNT}:policy/none does not exist or is not attachable.")
    with pytest.raises(iam.exceptions.InvalidInputException) as e:
        iam.attach_role_policy(RoleName=role, PolicyArn="AWSLambdaBasicExecutionRole")
    assert error_of(e) == ("InvalidInput", "ARN AWSLambdaBasicExecutionRole is not valid.")

    iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    iam.detach_role_policy(RoleName=role, PolicyArn=BASIC_EXECUTION)
    iam.detach_user_policy(UserName=user, PolicyArn=arn)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        iam.detach_user_policy(UserName=user, PolicyArn=arn)
    assert error_of(e) == ("NoSuchEntity", f"Policy {arn} was not found.")
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "u", "Value": "2"}])
    iam.untag_policy(PolicyArn=arn, TagKeys=["t"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "u", "Value": "2"}]
    iam.delete_policy(PolicyArn=arn)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        iam.get_policy(PolicyArn=arn)
    assert error_of(e) == ("NoSuchEntity", f"Policy {arn} was not found.")
    iam.delete_role(RoleName=role)
    iam.delete_user(UserName=user)


def test_aws_managed_policies_are_readable_and_attachable(iam):
    admin = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
    assert admin["PolicyName"] == "AdministratorAccess" and admin["Path"] == "/"
    version = iam.get_policy_version(PolicyArn=admin["Arn"], VersionId=admin["DefaultVersionId"])["PolicyVersion"]
    assert version["Document"]["Statement"][0] == {"Effect": "Allow", "Action": "*", "Resource": "*"}
    names = {p["PolicyName"] for p in iam.get_paginator("list_policies").paginate(Scope="AWS").build_full_result()["Policies"]}
    assert {"AdministratorAccess", "AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaRole",
            "AWSLambda_FullAccess", "AmazonSQSFullAccess", "IAMFullAccess", "PowerUserAccess"} <= names
    with pytest.raises(iam.exceptions.ClientError):
        iam.delete_policy(PolicyArn=admin["Arn"])


def test_groups_and_members(iam):
    group, alice, bob = unique("group"), unique("alice"), unique("bob")
    created = iam.create_group(GroupName=group, Path="/e2e/")["Group"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/e2e/{group}" and created["GroupId"].startswith("AGPA")
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as e:
        iam.create_group(GroupName=group)
    assert error_of(e) == ("EntityAlreadyExists", f"Group with name {group} already exists.")
    for u in (alice, bob):
        iam.create_user(UserName=u)
        iam.add_user_to_group(GroupName=group, UserName=u)
    got = iam.get_group(GroupName=group)
    assert sorted(u["UserName"] for u in got["Users"]) == sorted([alice, bob]) and got["Group"]["GroupName"] == group
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=alice)["Groups"]] == [group]
    assert group in [g["GroupName"] for g in iam.list_groups(PathPrefix="/e2e/")["Groups"]]
    iam.attach_group_policy(GroupName=group, PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")
    assert iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"][0]["PolicyName"] == "IAMFullAccess"
    with pytest.raises(iam.exceptions.DeleteConflictException) as e:
        iam.delete_group(GroupName=group)
    assert error_of(e) == ("DeleteConflict", "Cannot delete entity, must remove users from group first.")

    renamed = unique("renamed")
    iam.update_group(GroupName=group, NewGroupName=renamed)
    assert sorted(u["UserName"] for u in iam.get_group(GroupName=renamed)["Users"]) == sorted([alice, bob])
    for u in (alice, bob):
        iam.remove_user_from_group(GroupName=renamed, UserName=u)
        iam.delete_user(UserName=u)
    iam.detach_group_policy(GroupName=renamed, PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")
    iam.delete_group(GroupName=renamed)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        iam.get_group(GroupName=renamed)
    assert error_of(e) == ("NoSuchEntity", f"The group with name {renamed} cannot be found.")


def test_list_operations_page_with_markers(iam):
    prefix = f"/{unique('paging')}/"
    names = sorted(unique("page") for _ in range(7))
    for n in names:
        iam.create_user(UserName=n, Path=prefix)
    first = iam.list_users(PathPrefix=prefix, MaxItems=3)
    assert first["IsTruncated"] and len(first["Users"]) == 3 and first["Marker"]
    pages = list(iam.get_paginator("list_users").paginate(PathPrefix=prefix, PaginationConfig={"PageSize": 3}))
    assert [len(p["Users"]) for p in pages] == [3, 3, 1]
    assert [u["UserName"] for p in pages for u in p["Users"]] == names
    with pytest.raises(iam.exceptions.ClientError) as e:
        iam.list_users(Marker="not-a-marker")
    assert error_of(e)[0] == "ValidationError"
    details = iam.get_account_authorization_details(Filter=["User"])
    listed = {u["UserName"] for u in details["UserDetailList"]}
    while details.get("IsTruncated"):
        details = iam.get_account_authorization_details(Filter=["User"], Marker=details["Marker"])
        listed |= {u["UserName"] for u in details["UserDetailList"]}
    assert set(names) <= listed
    for n in names:
        iam.delete_user(UserName=n)


def test_unknown_action_is_invalid_action(server):
    body = "Action=Frobnicate&Version=2010-05-08"
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    botocore.auth.SigV4Auth(Credentials(server.access_key, server.secret_key), "iam", "us-east-1").add_auth(request)
    r = requests.post(request.url, data=body, headers=dict(request.headers), timeout=10)
    assert r.status_code == 400
    assert "<Code>InvalidAction</Code>" in r.text
    assert "Could not find operation Frobnicate for version 2010-05-08" in r.text


def test_iam_survives_a_restart():
    with tempfile.TemporaryDirectory(prefix="swiftlet-iam-restart-") as data_dir:
        first = Server(data_dir)
        try:
            iam = first.client("iam")
            iam.create_user(UserName="kept", Tags=[{"Key": "k", "Value": "v"}])
            key = iam.create_access_key(UserName="kept")["AccessKey"]
            iam.put_user_policy(UserName="kept", PolicyName="self", PolicyDocument=json.dumps(allow("iam:GetUser")))
            iam.create_role(RoleName="exec", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
            policy = iam.create_policy(PolicyName="deploy", PolicyDocument=json.dumps(allow("lambda:*")))["Policy"]
            iam.attach_role_policy(RoleName="exec", PolicyArn=policy["Arn"])
            iam.attach_role_policy(RoleName="exec", PolicyArn=BASIC_EXECUTION)
            client_for(first, key).get_user()
        finally:
            assert first.stop() == 0
        for name in os.listdir(data_dir):
            if name.startswith("swiftlet.sqlite"):
                with open(os.path.join(data_dir, name), "rb") as f:
                    assert key["SecretAccessKey"].encode() not in f.read(), "the database holds secrets only sealed"

        second = Server(data_dir)
        try:
            iam = second.client("iam")
            assert iam.get_user(UserName="kept")["User"]["Tags"] == [{"Key": "k", "Value": "v"}]
            assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="kept")["AccessKeyMetadata"]] == [key["AccessKeyId"]]
            assert client_for(second, key).get_user()["User"]["UserName"] == "kept", "the key still signs after a restart"
            used = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
            assert used["ServiceName"] == "iam"
            assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="exec")["AttachedPolicies"]] == \
                [policy["Arn"], BASIC_EXECUTION]
            assert iam.get_user_policy(UserName="kept", PolicyName="self")["PolicyDocument"] == allow("iam:GetUser")
        finally:
            assert second.stop() == 0


def aws_iam(server, *args):
    exe = shutil.which("aws")
    assert exe, "the aws CLI must be installed"
    env = {**os.environ, "AWS_SHARED_CREDENTIALS_FILE": os.path.join(server.data_dir, "credentials"),
           "AWS_CONFIG_FILE": "/dev/null", "AWS_DEFAULT_REGION": "us-east-1"}
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]:
        env.pop(k, None)
    return subprocess.run([exe, "--endpoint-url", server.endpoint, "--output", "json", "iam", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_aws_cli(server, tmp_path):
    name = unique("cli")
    r = aws_iam(server, "create-user", "--user-name", name, "--tags", "Key=via,Value=cli")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["User"]["UserName"] == name
    r = aws_iam(server, "get-user", "--user-name", name)
    assert json.loads(r.stdout)["User"]["Tags"] == [{"Key": "via", "Value": "cli"}]
    document = tmp_path / "policy.json"
    document.write_text(json.dumps(allow("s3:GetObject")))
    r = aws_iam(server, "put-user-policy", "--user-name", name, "--policy-name", "p", "--policy-document", f"file://{document}")
    assert r.returncode == 0, r.stderr
    r = aws_iam(server, "get-user-policy", "--user-name", name, "--policy-name", "p")
    assert json.loads(r.stdout)["PolicyDocument"] == allow("s3:GetObject")
    assert name in [u["UserName"] for u in json.loads(aws_iam(server, "list-users").stdout)["Users"]]
    assert aws_iam(server, "delete-user-policy", "--user-name", name, "--policy-name", "p").returncode == 0
    assert aws_iam(server, "delete-user", "--user-name", name).returncode == 0
    r = aws_iam(server, "get-user", "--user-name", name)
    assert r.returncode != 0
    assert "NoSuchEntity" in r.stderr and f"The user with name {name} cannot be found." in r.stderr
