"""Function resource policies through boto3: AddPermission, GetPolicy, RemovePermission, per qualifier."""
import json

import pytest

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def policy_of(lam, function_name, **kw):
    got = lam.get_policy(FunctionName=function_name, **kw)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert got["RevisionId"]
    document = json.loads(got["Policy"])
    assert document["Version"] == "2012-10-17" and document["Id"] == "default"
    return document["Statement"], got["RevisionId"]


def test_statement_shapes_for_each_kind_of_principal(lam, create, name):
    create(name)
    fn_arn = f"{ARN}{name}"
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.get_policy(FunctionName=name)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    s3 = lam.add_permission(FunctionName=name, StatementId="s3", Action="lambda:InvokeFunction",
                            Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::my-bucket",
                            SourceAccount="123456789012")
    assert s3["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert isinstance(s3["Statement"], str)
    s3_statement = {"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                    "Action": "lambda:InvokeFunction", "Resource": fn_arn,
                    "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"},
                                  "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::my-bucket"}}}
    assert json.loads(s3["Statement"]) == s3_statement

    account = lam.add_permission(FunctionName=name, StatementId="xaccount", Action="lambda:InvokeFunction",
                                 Principal="123456789012")
    account_statement = {"Sid": "xaccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                         "Action": "lambda:InvokeFunction", "Resource": fn_arn}
    assert json.loads(account["Statement"]) == account_statement

    anyone = lam.add_permission(FunctionName=name, StatementId="anyone", Action="lambda:InvokeFunction", Principal="*",
                                SourceAccount="123456789012")
    anyone_statement = {"Sid": "anyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                        "Resource": fn_arn, "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}}}
    assert json.loads(anyone["Statement"]) == anyone_statement

    sns = lam.add_permission(FunctionName=name, StatementId="sns-only-arn", Action="lambda:InvokeFunction",
                             Principal="sns.amazonaws.com", SourceArn="arn:aws:sns:us-east-1:123456789012:topic")
    sns_statement = {"Sid": "sns-only-arn", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                     "Action": "lambda:InvokeFunction", "Resource": fn_arn,
                     "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic"}}}
    assert json.loads(sns["Statement"]) == sns_statement

    statements, _ = policy_of(lam, name)
    assert statements == [s3_statement, account_statement, anyone_statement, sns_statement]


def test_duplicate_remove_and_empty_policy(lam, create, name):
    create(name)
    lam.add_permission(FunctionName=name, StatementId="one", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
    lam.add_permission(FunctionName=name, StatementId="two", Action="lambda:InvokeFunction", Principal="sqs.amazonaws.com")
    with pytest.raises(lam.exceptions.ResourceConflictException) as e:
        lam.add_permission(FunctionName=name, StatementId="one", Action="lambda:InvokeFunction",
                           Principal="sns.amazonaws.com")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "one" in e.value.response["Error"]["Message"]
    statements, _ = policy_of(lam, name)
    assert [s["Sid"] for s in statements] == ["one", "two"]
    assert statements[0]["Principal"] == {"Service": "s3.amazonaws.com"}, "a refused statement changes nothing"

    removed = lam.remove_permission(FunctionName=name, StatementId="one")
    assert removed["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert [s["Sid"] for s in policy_of(lam, name)[0]] == ["two"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.remove_permission(FunctionName=name, StatementId="one")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    lam.remove_permission(FunctionName=name, StatementId="two")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=name)
    lam.add_permission(FunctionName=name, StatementId="one", Action="lambda:InvokeFunction", Principal="sns.amazonaws.com")
    assert [s["Sid"] for s in policy_of(lam, name)[0]] == ["one"], "a removed statement id can be used again"


def test_revision_ids_guard_policy_changes(lam, create, name):
    create(name)
    wrong = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(lam.exceptions.PreconditionFailedException) as e:
        lam.add_permission(FunctionName=name, StatementId="one", Action="lambda:InvokeFunction",
                           Principal="s3.amazonaws.com", RevisionId=wrong)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=name)

    current = lam.get_function_configuration(FunctionName=name)["RevisionId"]
    lam.add_permission(FunctionName=name, StatementId="one", Action="lambda:InvokeFunction",
                       Principal="s3.amazonaws.com", RevisionId=current)
    _, revision = policy_of(lam, name)
    lam.add_permission(FunctionName=name, StatementId="two", Action="lambda:InvokeFunction",
                       Principal="s3.amazonaws.com", RevisionId=revision)
    _, newer = policy_of(lam, name)
    assert newer != revision
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.remove_permission(FunctionName=name, StatementId="one", RevisionId=revision)
    lam.remove_permission(FunctionName=name, StatementId="one", RevisionId=newer)
    assert [s["Sid"] for s in policy_of(lam, name)[0]] == ["two"]


def test_policies_are_per_qualifier(lam, create, name):
    create(name)
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    lam.add_permission(FunctionName=name, StatementId="same", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
    for qualifier in ["1", "live"]:
        with pytest.raises(lam.exceptions.ResourceNotFoundException):
            lam.get_policy(FunctionName=name, Qualifier=qualifier)

    lam.add_permission(FunctionName=name, Qualifier="1", StatementId="same", Action="lambda:InvokeFunction",
                       Principal="s3.amazonaws.com")
    lam.add_permission(FunctionName=f"{name}:live", StatementId="same", Action="lambda:InvokeFunction",
                       Principal="123456789012")
    unqualified, _ = policy_of(lam, name)
    version, _ = policy_of(lam, name, Qualifier="1")
    alias, _ = policy_of(lam, name, Qualifier="live")
    assert [(s["Sid"], s["Resource"]) for s in unqualified] == [("same", f"{ARN}{name}")]
    assert [(s["Sid"], s["Resource"]) for s in version] == [("same", f"{ARN}{name}:1")]
    assert [(s["Sid"], s["Resource"], s["Principal"]) for s in alias] == \
        [("same", f"{ARN}{name}:live", {"AWS": "arn:aws:iam::123456789012:root"})]
    assert policy_of(lam, f"{name}:live")[0] == alias

    lam.remove_permission(FunctionName=name, Qualifier="1", StatementId="same")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=name, Qualifier="1")
    assert policy_of(lam, name)[0] == unqualified, "removing from a version leaves the function's policy alone"
    assert policy_of(lam, name, Qualifier="live")[0] == alias


def test_policy_errors(server, lam, create, name):
    create(name)
    for call in [lambda: lam.get_policy(FunctionName=name + "-missing"),
                 lambda: lam.add_permission(FunctionName=name + "-missing", StatementId="s", Principal="*",
                                            Action="lambda:InvokeFunction"),
                 lambda: lam.remove_permission(FunctionName=name + "-missing", StatementId="s"),
                 lambda: lam.remove_permission(FunctionName=name, StatementId="never-added"),
                 lambda: lam.add_permission(FunctionName=name, Qualifier="9", StatementId="s", Principal="*",
                                            Action="lambda:InvokeFunction"),
                 lambda: lam.add_permission(FunctionName=f"{name}:nosuchalias", StatementId="s", Principal="*",
                                            Action="lambda:InvokeFunction"),
                 lambda: lam.get_policy(FunctionName=name, Qualifier="9")]:
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
            call()
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    lax = server.client(parameter_validation=False)
    with pytest.raises(lax.exceptions.ClientError) as e:
        lax.add_permission(FunctionName=name, StatementId="not.valid", Action="lambda:InvokeFunction",
                           Principal="s3.amazonaws.com")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert e.value.response["Error"]["Code"] in ("InvalidParameterValueException", "ValidationException")
    with pytest.raises(lax.exceptions.InvalidParameterValueException):
        lax.add_permission(FunctionName=f"{name}:live", Qualifier="1", StatementId="s", Action="lambda:InvokeFunction",
                           Principal="s3.amazonaws.com")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=name)
