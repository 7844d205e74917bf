import pytest
from botocore.config import Config

from conftest import ROLE, make_zip


@pytest.mark.parametrize("overrides, field", [
    ({"Timeout": 901}, "timeout"),
    ({"Timeout": 0}, "timeout"),
    ({"MemorySize": 10241}, "memorySize"),
    ({"MemorySize": 64}, "memorySize"),
    ({"EphemeralStorage": {"Size": 10241}}, "ephemeralStorage.size"),
    ({"Description": "d" * 257}, "description"),
    ({"Handler": "bad handler"}, "handler"),
    ({"Role": "arn:aws:iam::123:role/short-account"}, "role"),
    ({"Environment": {"Variables": {"1BAD": "x"}}}, "environment.variables"),
    ({"TracingConfig": {"Mode": "Sometimes"}}, "tracingConfig.mode"),
    ({"Runtime": "python2.7"}, "runtime"),
])
def test_bad_field_is_refused_naming_it(server, python_runtime, name, overrides, field):
    lam = server.client(parameter_validation=False)
    args = dict(FunctionName=name, Runtime=python_runtime, Role=ROLE, Handler="app.handler", Code={"ZipFile": make_zip()})
    args.update(overrides)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.create_function(**args)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert f"'{field}'" in e.value.response["Error"]["Message"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name)


def test_bad_name_is_refused(server):
    lam = server.client(parameter_validation=False)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.create_function(FunctionName="bad name!", Runtime="provided.al2023", Role=ROLE, Handler="x",
                            Code={"ZipFile": make_zip()})
    assert "'functionName'" in e.value.response["Error"]["Message"]


def test_unknown_runtime_lists_available(lam, server, name):
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.create_function(FunctionName=name, Runtime="java21", Role=ROLE, Handler="x", Code={"ZipFile": make_zip()})
    message = e.value.response["Error"]["Message"]
    for runtime in server.health["runtimes"]:
        assert runtime in message


def test_reserved_environment_keys(lam, create, name):
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        create(name, Environment={"Variables": {"AWS_REGION": "x", "FINE": "y"}})
    assert "Reserved keys used in this request: AWS_REGION" in e.value.response["Error"]["Message"]


def test_environment_over_4kb(lam, create, name):
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        create(name, Environment={"Variables": {"BIG": "x" * 5000}})
    assert "4KB" in e.value.response["Error"]["Message"]


def test_invalid_zip(lam, create, name):
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        create(name, Code={"ZipFile": b"this is not a zip"})
    assert "unzip" in e.value.response["Error"]["Message"]


def test_zip_over_50mb_is_too_large(lam, create, name):
    big = b"\0" * (50 * 1024 * 1024 + 1)
    with pytest.raises(lam.exceptions.ClientError) as e:
        create(name, Code={"ZipFile": big})
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert e.value.response["Error"]["Code"] == "RequestEntityTooLargeException"


def test_rejected_update_leaves_function_unchanged(server, create, name):
    lam = server.client(parameter_validation=False)
    before = create(name, Timeout=10)
    for bad in [{"Timeout": 1000}, {"MemorySize": 50}, {"Environment": {"Variables": {"_HANDLER": "x"}}}]:
        with pytest.raises(lam.exceptions.InvalidParameterValueException):
            lam.update_function_configuration(FunctionName=name, **bad)
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_function_code(FunctionName=name, ZipFile=b"junk")
    after = lam.get_function_configuration(FunctionName=name)
    for key in ["Timeout", "MemorySize", "CodeSha256", "RevisionId", "Environment"]:
        assert after.get(key) == before.get(key)


def test_s3_code_is_refused_clearly(lam, create, name):
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        create(name, Code={"S3Bucket": "my-bucket", "S3Key": "k.zip"})
    assert "ZipFile" in e.value.response["Error"]["Message"]
