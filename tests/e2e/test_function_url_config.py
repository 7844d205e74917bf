"""Function URL configurations (control plane) through boto3 and the aws CLI: CRUD, alias URLs, Lambda's errors,
deletion with the function or alias, and AddPermission's function URL conditions as GetPolicy shows them."""
import json
import re

import pytest
from botocore.exceptions import ClientError

from test_authorization import iam, new_user, policy  # noqa: F401 (fixtures)
from test_cli import aws

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
URL = re.compile(r"^http://[^/]+/$")
VALIDATION = ("InvalidParameterValueException", "ValidationException")


def strip(d):
    return {k: v for k, v in d.items() if k != "ResponseMetadata"}


def error(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


@pytest.fixture
def aliased(lam, create, name):
    """A function with version 1 and an alias `live` to it."""
    create(name)
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    return name


def test_create_get_update_list_delete(lam, create, name):
    create(name)
    cors = {"AllowCredentials": True, "AllowHeaders": ["x-custom"], "AllowMethods": ["GET", "POST"],
            "AllowOrigins": ["https://example.com"], "ExposeHeaders": ["x-out"], "MaxAge": 300}
    created = lam.create_function_url_config(FunctionName=name, AuthType="NONE", Cors=cors)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["FunctionArn"] == ARN + name and created["AuthType"] == "NONE"
    assert created["Cors"] == cors and created["InvokeMode"] == "BUFFERED"
    assert URL.match(created["FunctionUrl"]), "an origin with no path (the function sees the request path as sent)"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", created["CreationTime"])

    got = strip(lam.get_function_url_config(FunctionName=name))
    assert got["FunctionUrl"] == created["FunctionUrl"] and got["LastModifiedTime"] == created["CreationTime"]
    assert got["Cors"] == cors

    updated = strip(lam.update_function_url_config(FunctionName=name, AuthType="AWS_IAM", InvokeMode="RESPONSE_STREAM"))
    assert updated["FunctionUrl"] == created["FunctionUrl"], "an update keeps the URL"
    assert updated["AuthType"] == "AWS_IAM" and updated["InvokeMode"] == "RESPONSE_STREAM" and updated["Cors"] == cors
    assert updated["CreationTime"] == created["CreationTime"]
    assert lam.update_function_url_config(FunctionName=name, Cors={"MaxAge": 10})["Cors"] == {"MaxAge": 10}

    listed = lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"]
    assert [c["FunctionUrl"] for c in listed] == [created["FunctionUrl"]]
    assert listed[0]["AuthType"] == "AWS_IAM" and listed[0]["FunctionArn"] == ARN + name and "LastModifiedTime" in listed[0]

    assert lam.delete_function_url_config(FunctionName=name)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        lam.get_function_url_config(FunctionName=name)
    assert error(e)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        lam.delete_function_url_config(FunctionName=name)
    assert error(e)[0] == "ResourceNotFoundException"
    assert lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"] == []


def test_alias_urls_and_qualifiers(lam, aliased):
    name = aliased
    plain = lam.create_function_url_config(FunctionName=name, AuthType="NONE")
    live = lam.create_function_url_config(FunctionName=name, Qualifier="live", AuthType="AWS_IAM")
    assert live["FunctionArn"] == ARN + name + ":live" and live["FunctionUrl"] != plain["FunctionUrl"]
    assert lam.get_function_url_config(FunctionName=name + ":live")["FunctionUrl"] == live["FunctionUrl"]

    page = lam.list_function_url_configs(FunctionName=name, MaxItems=1)
    assert [c["FunctionArn"] for c in page["FunctionUrlConfigs"]] == [ARN + name] and page["NextMarker"]
    rest = lam.list_function_url_configs(FunctionName=name, Marker=page["NextMarker"])
    assert [c["FunctionArn"] for c in rest["FunctionUrlConfigs"]] == [ARN + name + ":live"] and "NextMarker" not in rest

    for qualifier in ("1", "$LATEST"):
        with pytest.raises(ClientError) as e:
            lam.create_function_url_config(FunctionName=name, Qualifier=qualifier, AuthType="NONE")
        code, message = error(e)
        assert code in VALIDATION and "'qualifier'" in message, (qualifier, message)
    with pytest.raises(ClientError) as e:
        lam.create_function_url_config(FunctionName=name, Qualifier="nope", AuthType="NONE")
    assert error(e)[0] == "ResourceNotFoundException"

    lam.delete_alias(FunctionName=name, Name="live")
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(ClientError) as e:
        lam.get_function_url_config(FunctionName=name, Qualifier="live")
    assert error(e)[0] == "ResourceNotFoundException", "deleting the alias deleted its URL"
    assert lam.get_function_url_config(FunctionName=name)["FunctionUrl"] == plain["FunctionUrl"]


@pytest.mark.parametrize("args, field", [
    ({"AuthType": "PUBLIC"}, "authType"),
    ({"AuthType": "NONE", "InvokeMode": "STREAMED"}, "invokeMode"),
    ({"AuthType": "NONE", "Cors": {"MaxAge": 86401}}, "cors.maxAge"),
    ({"AuthType": "NONE", "Cors": {"AllowMethods": ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"]}}, "cors.allowMethods"),
    ({"AuthType": "NONE", "Cors": {"AllowOrigins": ["x" * 254]}}, "cors.allowOrigins"),
    ({"AuthType": "NONE", "Cors": {"AllowHeaders": ["h"] * 101}}, "cors.allowHeaders"),
])
def test_invalid_members_name_the_field(lam, create, name, args, field):
    create(name)
    with pytest.raises(ClientError) as e:
        lam.create_function_url_config(FunctionName=name, **args)
    code, message = error(e)
    assert code in VALIDATION and f"at '{field}'" in message, message
    assert lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"] == []


def test_conflicts_and_missing_functions(lam, create, name):
    create(name)
    lam.create_function_url_config(FunctionName=name, AuthType="NONE")
    with pytest.raises(ClientError) as e:
        lam.create_function_url_config(FunctionName=name, AuthType="AWS_IAM")
    code, message = error(e)
    assert code == "ResourceConflictException" and e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "FunctionUrlConfig exists for this Lambda function" in message and ARN + name in message
    with pytest.raises(ClientError) as e:
        lam.update_function_url_config(FunctionName=name, Cors={"AllowMethods": ["OPTIONS"]})
    assert error(e)[0] in VALIDATION
    for call in (lambda: lam.create_function_url_config(FunctionName=name + "-missing", AuthType="NONE"),
                 lambda: lam.get_function_url_config(FunctionName=name + "-missing"),
                 lambda: lam.update_function_url_config(FunctionName=name + "-missing", AuthType="NONE"),
                 lambda: lam.list_function_url_configs(FunctionName=name + "-missing")):
        with pytest.raises(ClientError) as e:
            call()
        assert error(e)[0] == "ResourceNotFoundException"


def test_deleting_the_function_deletes_its_urls(lam, create, aliased):
    name = aliased
    lam.create_function_url_config(FunctionName=name, AuthType="NONE")
    lam.create_function_url_config(FunctionName=name, Qualifier="live", AuthType="NONE")
    lam.delete_function(FunctionName=name)
    create(name)
    assert lam.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"] == []
    with pytest.raises(ClientError) as e:
        lam.get_function_url_config(FunctionName=name)
    assert error(e)[0] == "ResourceNotFoundException"


def test_cli_round_trip(server, create, name):
    create(name)
    r = aws(server, "create-function-url-config", "--function-name", name, "--auth-type", "NONE")
    assert r.returncode == 0, r.stderr
    created = json.loads(r.stdout)
    assert URL.match(created["FunctionUrl"]) and created["AuthType"] == "NONE"
    r = aws(server, "get-function-url-config", "--function-name", name)
    assert r.returncode == 0 and json.loads(r.stdout)["FunctionUrl"] == created["FunctionUrl"]
    r = aws(server, "update-function-url-config", "--function-name", name, "--cors", "AllowOrigins=*,MaxAge=60")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["Cors"] == {"AllowOrigins": ["*"], "MaxAge": 60}
    r = aws(server, "list-function-url-configs", "--function-name", name)
    assert [c["FunctionUrl"] for c in json.loads(r.stdout)["FunctionUrlConfigs"]] == [created["FunctionUrl"]]
    r = aws(server, "create-function-url-config", "--function-name", name, "--auth-type", "NONE")
    assert r.returncode != 0 and "ResourceConflictException" in r.stderr
    assert aws(server, "delete-function-url-config", "--function-name", name).returncode == 0
    r = aws(server, "get-function-url-config", "--function-name", name)
    assert r.returncode != 0 and "ResourceNotFoundException" in r.stderr


def test_add_permission_function_url_conditions(server, lam, create, name):
    create(name)
    url = lam.add_permission(FunctionName=name, StatementId="url", Action="lambda:InvokeFunctionUrl", Principal="*",
                             FunctionUrlAuthType="NONE")
    assert json.loads(url["Statement"])["Condition"] == {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}
    r = aws(server, "add-permission", "--function-name", name, "--statement-id", "invoke", "--action", "lambda:InvokeFunction",
            "--principal", "*", "--invoked-via-function-url")
    assert r.returncode == 0, r.stderr
    statements = {s["Sid"]: s for s in json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"]}
    assert statements["url"] == {"Sid": "url", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
                                 "Resource": ARN + name,
                                 "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}
    assert statements["invoke"] == {"Sid": "invoke", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                                    "Resource": ARN + name,
                                    "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}}

    with pytest.raises(ClientError) as e:
        lam.add_permission(FunctionName=name, StatementId="wrong", Action="lambda:GetFunction", Principal="*",
                           InvokedViaFunctionUrl=True)
    assert error(e)[0] in VALIDATION
    with pytest.raises(ClientError) as e:
        lam.add_permission(FunctionName=name, StatementId="bad", Action="lambda:InvokeFunctionUrl", Principal="*",
                           FunctionUrlAuthType="PUBLIC")
    assert error(e)[0] in VALIDATION and "functionUrlAuthType" in error(e)[1]


def test_auth_type_condition_key_limits_who_may_open_a_public_url(new_user, lam, create, name):
    """`lambda:FunctionUrlAuthType` in an identity policy: the user may create and update only AWS_IAM URLs."""
    create(name)
    only_iam = {"Effect": "Allow", "Action": ["lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig"],
                "Resource": ARN + name, "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}}
    read = {"Effect": "Allow", "Action": ["lambda:GetFunctionUrlConfig", "lambda:ListFunctionUrlConfigs",
                                          "lambda:DeleteFunctionUrlConfig"], "Resource": ARN + name}
    _, _, _, client = new_user(urls=policy(only_iam, read))
    user = client()
    with pytest.raises(ClientError) as e:
        user.create_function_url_config(FunctionName=name, AuthType="NONE")
    assert error(e)[0] == "AccessDeniedException"
    created = user.create_function_url_config(FunctionName=name, AuthType="AWS_IAM")
    with pytest.raises(ClientError) as e:
        user.update_function_url_config(FunctionName=name, AuthType="NONE")
    assert error(e)[0] == "AccessDeniedException"
    assert user.update_function_url_config(FunctionName=name, Cors={"MaxAge": 1})["AuthType"] == "AWS_IAM", \
        "an update that keeps the auth type is judged by the current one"
    assert user.get_function_url_config(FunctionName=name)["FunctionUrl"] == created["FunctionUrl"]
    assert len(user.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"]) == 1
    user.delete_function_url_config(FunctionName=name)
    with pytest.raises(ClientError) as e:
        user.create_function_url_config(FunctionName=name, Qualifier="live", AuthType="AWS_IAM")
    assert error(e)[0] == "AccessDeniedException", "a qualified call is authorized on the qualified ARN"
