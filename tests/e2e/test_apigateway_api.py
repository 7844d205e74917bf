"""API Gateway v2 HTTP APIs' control plane through boto3 `apigatewayv2` and the aws CLI."""
import json
import os
import shutil
import subprocess

import pytest
from botocore.exceptions import ClientError

FN = "arn:aws:lambda:us-east-1:000000000000:function:shop"
INVOKE_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FN}/invocations"


@pytest.fixture(scope="module")
def apigw(server):
    return server.client("apigatewayv2")


@pytest.fixture
def api(apigw):
    created = apigw.create_api(Name="explicit", ProtocolType="HTTP")
    yield created["ApiId"]
    try:
        apigw.delete_api(ApiId=created["ApiId"])
    except ClientError:
        pass


def error_of(call, **kwargs):
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response


def test_quick_create(apigw):
    created = apigw.create_api(Name="shop", ProtocolType="HTTP", Target=FN, Tags={"team": "web"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    api_id = created["ApiId"]
    assert len(api_id) == 10 and all(c in "abcdefghijklmnopqrstuvwxyz0123456789" for c in api_id)
    # The endpoint registry's URL for the API, without AWS's trailing slash.
    assert created["ApiEndpoint"].startswith("http") and not created["ApiEndpoint"].endswith("/")
    assert created["ProtocolType"] == "HTTP"
    assert created["RouteSelectionExpression"] == "${request.method} ${request.path}"
    assert created["Tags"] == {"team": "web"}
    assert created["CreatedDate"].year >= 2024

    [integration] = apigw.get_integrations(ApiId=api_id)["Items"]
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"] == FN
    assert integration["PayloadFormatVersion"] == "2.0"
    assert integration["TimeoutInMillis"] == 30000
    assert integration["ApiGatewayManaged"] is True
    [route] = apigw.get_routes(ApiId=api_id)["Items"]
    assert route["RouteKey"] == "$default"
    assert route["Target"] == "integrations/" + integration["IntegrationId"]
    [stage] = apigw.get_stages(ApiId=api_id)["Items"]
    assert stage["StageName"] == "$default" and stage["AutoDeploy"] is True
    deployment = apigw.get_deployment(ApiId=api_id, DeploymentId=stage["DeploymentId"])
    assert deployment["AutoDeployed"] is True and deployment["DeploymentStatus"] == "DEPLOYED"

    keyed = apigw.create_api(Name="keyed", ProtocolType="HTTP", Target=FN, RouteKey="GET /items/{id}")
    assert [r["RouteKey"] for r in apigw.get_routes(ApiId=keyed["ApiId"])["Items"]] == ["GET /items/{id}"]

    apigw.delete_api(ApiId=api_id)
    apigw.delete_api(ApiId=keyed["ApiId"])
    response = error_of(apigw.get_api, ApiId=api_id)
    assert response["Error"]["Code"] == "NotFoundException"


def test_api_update_and_cors(apigw, api):
    updated = apigw.update_api(ApiId=api, Name="renamed", Description="d",
                               CorsConfiguration={"AllowOrigins": ["https://example.com"], "AllowMethods": ["GET"], "MaxAge": 60})
    assert updated["Name"] == "renamed" and updated["Description"] == "d"
    assert updated["CorsConfiguration"] == {"AllowOrigins": ["https://example.com"], "AllowMethods": ["GET"], "MaxAge": 60}
    apigw.delete_cors_configuration(ApiId=api)
    assert "CorsConfiguration" not in apigw.get_api(ApiId=api)
    response = error_of(apigw.update_api, ApiId=api, CorsConfiguration={"AllowOrigins": ["*"], "AllowCredentials": True})
    assert response["Error"]["Code"] == "BadRequestException"


def test_routes_integrations_stages_deployments(apigw, api):
    integration = apigw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=INVOKE_URI,
                                           PayloadFormatVersion="1.0", TimeoutInMillis=5000)
    assert integration["ResponseMetadata"]["HTTPStatusCode"] == 201
    iid = integration["IntegrationId"]
    assert len(iid) == 7 and integration["PayloadFormatVersion"] == "1.0" and integration["TimeoutInMillis"] == 5000
    assert apigw.update_integration(ApiId=api, IntegrationId=iid, PayloadFormatVersion="2.0")["PayloadFormatVersion"] == "2.0"
    assert apigw.get_integration(ApiId=api, IntegrationId=iid)["IntegrationUri"] == INVOKE_URI

    route = apigw.create_route(ApiId=api, RouteKey="GET /items/{id}", Target=f"integrations/{iid}")
    assert route["RouteKey"] == "GET /items/{id}" and route["AuthorizationType"] == "NONE"
    rid = route["RouteId"]
    assert apigw.update_route(ApiId=api, RouteId=rid, RouteKey="ANY /items/{id}")["RouteKey"] == "ANY /items/{id}"
    assert apigw.get_route(ApiId=api, RouteId=rid)["Target"] == f"integrations/{iid}"

    # Deleting an integration a route uses is refused.
    assert error_of(apigw.delete_integration, ApiId=api, IntegrationId=iid)["Error"]["Code"] == "BadRequestException"

    stage = apigw.create_stage(ApiId=api, StageName="prod", StageVariables={"color": "blue"}, Tags={"env": "prod"})
    assert stage["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert stage["StageVariables"] == {"color": "blue"} and "DeploymentId" not in stage
    deployment = apigw.create_deployment(ApiId=api, StageName="prod", Description="first")
    assert deployment["ResponseMetadata"]["HTTPStatusCode"] == 201 and deployment["AutoDeployed"] is False
    assert apigw.get_stage(ApiId=api, StageName="prod")["DeploymentId"] == deployment["DeploymentId"]
    assert [d["DeploymentId"] for d in apigw.get_deployments(ApiId=api)["Items"]] == [deployment["DeploymentId"]]
    response = error_of(apigw.delete_deployment, ApiId=api, DeploymentId=deployment["DeploymentId"])
    assert response["Error"]["Code"] == "BadRequestException"

    auto = apigw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    assert auto["DeploymentId"] != deployment["DeploymentId"]
    apigw.create_route(ApiId=api, RouteKey="POST /orders", Target=f"integrations/{iid}")
    again = apigw.get_stage(ApiId=api, StageName="$default")
    assert again["DeploymentId"] != auto["DeploymentId"]
    assert apigw.get_stage(ApiId=api, StageName="prod")["DeploymentId"] == deployment["DeploymentId"]
    assert error_of(apigw.create_deployment, ApiId=api, StageName="$default")["Error"]["Code"] == "BadRequestException"

    updated = apigw.update_stage(ApiId=api, StageName="prod", StageVariables={"color": "red"}, Description="p")
    assert updated["StageVariables"] == {"color": "red"} and updated["Description"] == "p"
    assert apigw.get_tags(ResourceArn=f"arn:aws:apigateway:us-east-1::/apis/{api}/stages/prod")["Tags"] == {"env": "prod"}

    apigw.delete_stage(ApiId=api, StageName="prod")
    apigw.delete_deployment(ApiId=api, DeploymentId=deployment["DeploymentId"])
    apigw.delete_route(ApiId=api, RouteId=rid)
    for item in apigw.get_routes(ApiId=api)["Items"]:
        apigw.delete_route(ApiId=api, RouteId=item["RouteId"])
    apigw.delete_integration(ApiId=api, IntegrationId=iid)
    assert apigw.get_integrations(ApiId=api)["Items"] == []
    assert error_of(apigw.get_stage, ApiId=api, StageName="prod")["Error"]["Code"] == "NotFoundException"


def test_authorizers(apigw, api):
    authorizer = apigw.create_authorizer(
        ApiId=api, Name="auth", AuthorizerType="REQUEST", AuthorizerUri=INVOKE_URI,
        IdentitySource=["$request.header.Authorization"], AuthorizerPayloadFormatVersion="2.0",
        EnableSimpleResponses=True)
    assert authorizer["ResponseMetadata"]["HTTPStatusCode"] == 201
    aid = authorizer["AuthorizerId"]
    assert authorizer["AuthorizerResultTtlInSeconds"] == 300 and authorizer["EnableSimpleResponses"] is True
    assert apigw.update_authorizer(ApiId=api, AuthorizerId=aid, AuthorizerResultTtlInSeconds=0)["AuthorizerResultTtlInSeconds"] == 0
    assert apigw.get_authorizer(ApiId=api, AuthorizerId=aid)["IdentitySource"] == ["$request.header.Authorization"]
    route = apigw.create_route(ApiId=api, RouteKey="GET /secret", AuthorizationType="CUSTOM", AuthorizerId=aid)
    assert route["AuthorizerId"] == aid
    assert error_of(apigw.delete_authorizer, ApiId=api, AuthorizerId=aid)["Error"]["Code"] == "BadRequestException"

    # AWS's rules: simple responses need payload 2.0; the TTL is at most an hour.
    response = error_of(apigw.create_authorizer, ApiId=api, Name="v1", AuthorizerType="REQUEST", AuthorizerUri=INVOKE_URI,
                        IdentitySource=[], AuthorizerPayloadFormatVersion="1.0", EnableSimpleResponses=True)
    assert response["Error"]["Code"] == "BadRequestException"
    response = error_of(apigw.create_authorizer, ApiId=api, Name="long", AuthorizerType="REQUEST", AuthorizerUri=INVOKE_URI,
                        IdentitySource=["$request.header.x"], AuthorizerPayloadFormatVersion="2.0",
                        AuthorizerResultTtlInSeconds=3601)
    assert response["Error"]["Code"] == "BadRequestException"
    jwt = apigw.create_authorizer(ApiId=api, Name="jwt", AuthorizerType="JWT", IdentitySource=["$request.header.Authorization"],
                                  JwtConfiguration={"Issuer": "https://issuer.example.com", "Audience": ["a"]})
    assert jwt["JwtConfiguration"] == {"Issuer": "https://issuer.example.com", "Audience": ["a"]}
    assert len(apigw.get_authorizers(ApiId=api)["Items"]) == 2
    apigw.delete_route(ApiId=api, RouteId=route["RouteId"])
    apigw.delete_authorizer(ApiId=api, AuthorizerId=aid)


def test_errors(apigw, api):
    response = error_of(apigw.get_api, ApiId="nosuchapi0")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert response["Error"]["Code"] == "NotFoundException"
    assert response["Error"]["Message"] == "Invalid API identifier specified 000000000000:nosuchapi0"
    response = error_of(apigw.get_route, ApiId=api, RouteId="nope123")
    assert response["Error"]["Code"] == "NotFoundException" and "nope123" in response["Error"]["Message"]

    response = error_of(apigw.create_route, ApiId=api, RouteKey="GET items")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == "BadRequestException"
    assert "route key" in response["Error"]["Message"]
    assert isinstance(apigw.exceptions.BadRequestException, type)
    with pytest.raises(apigw.exceptions.BadRequestException):
        apigw.create_route(ApiId=api, RouteKey="GET /{proxy+}/x")
    apigw.create_route(ApiId=api, RouteKey="GET /dup")
    with pytest.raises(apigw.exceptions.ConflictException):
        apigw.create_route(ApiId=api, RouteKey="GET /dup")
    with pytest.raises(apigw.exceptions.BadRequestException):
        apigw.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    with pytest.raises(apigw.exceptions.BadRequestException):
        apigw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=FN, PayloadFormatVersion="3.0")
    with pytest.raises(apigw.exceptions.BadRequestException):
        apigw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=FN, PayloadFormatVersion="2.0",
                                 TimeoutInMillis=30001)


def test_paging(apigw):
    ids = [apigw.create_api(Name=f"page-{i}", ProtocolType="HTTP")["ApiId"] for i in range(5)]
    try:
        seen, token, pages = [], None, 0
        while True:
            kwargs = {"MaxResults": "2"}
            if token:
                kwargs["NextToken"] = token
            page = apigw.get_apis(**kwargs)
            assert len(page["Items"]) <= 2
            seen += [item["ApiId"] for item in page["Items"]]
            pages += 1
            token = page.get("NextToken")
            if not token:
                break
        assert set(ids) <= set(seen) and len(seen) == len(set(seen)) and pages >= 3
        paginated = [item["ApiId"] for p in apigw.get_paginator("get_apis").paginate(PaginationConfig={"PageSize": "2"})
                     for item in p["Items"]]
        assert paginated == seen
        assert error_of(apigw.get_apis, NextToken="bogus")["Error"]["Code"] == "BadRequestException"

        for n in range(3):
            apigw.create_route(ApiId=ids[0], RouteKey=f"GET /r{n}")
        first = apigw.get_routes(ApiId=ids[0], MaxResults="2")
        rest = apigw.get_routes(ApiId=ids[0], MaxResults="2", NextToken=first["NextToken"])
        assert len(first["Items"]) == 2 and len(rest["Items"]) == 1 and "NextToken" not in rest
    finally:
        for api_id in ids:
            apigw.delete_api(ApiId=api_id)


def test_tags(apigw, api):
    arn = f"arn:aws:apigateway:us-east-1::/apis/{api}"
    assert apigw.tag_resource(ResourceArn=arn, Tags={"a": "1", "b": "2"})["ResponseMetadata"]["HTTPStatusCode"] == 201
    apigw.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert apigw.get_tags(ResourceArn=arn)["Tags"] == {"b": "2"}
    assert apigw.get_api(ApiId=api)["Tags"] == {"b": "2"}
    response = error_of(apigw.get_tags, ResourceArn="arn:aws:apigateway:us-east-1::/apis/nosuchapi0")
    assert response["Error"]["Code"] == "NotFoundException"


def test_cli_quick_create(server, apigw):
    exe = shutil.which("aws")
    assert exe, "the aws CLI must be installed"
    env = {**os.environ, "AWS_SHARED_CREDENTIALS_FILE": os.path.join(server.data_dir, "credentials"),
           "AWS_CONFIG_FILE": "/dev/null", "AWS_DEFAULT_REGION": "us-east-1"}
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]:
        env.pop(k, None)
    r = subprocess.run([exe, "--endpoint-url", server.endpoint, "--output", "json", "apigatewayv2", "create-api",
                        "--name", "shop", "--protocol-type", "HTTP", "--target", FN],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    created = json.loads(r.stdout)
    assert created["ApiEndpoint"].startswith("http") and not created["ApiEndpoint"].endswith("/")
    assert apigw.get_api(ApiId=created["ApiId"])["ApiEndpoint"] == created["ApiEndpoint"]
    r = subprocess.run([exe, "--endpoint-url", server.endpoint, "--output", "json", "apigatewayv2", "get-api",
                        "--api-id", "nosuchapi0"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode != 0 and "NotFoundException" in r.stderr
    apigw.delete_api(ApiId=created["ApiId"])


def test_iam_actions(server, apigw, api):
    """A user may do what `apigateway:<method>` on the path's ARN allows, and nothing else."""
    import uuid
    iam = server.client("iam")
    name = "apigw-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "apigateway:GET",
                       "Resource": ["arn:aws:apigateway:us-east-1::/apis", f"arn:aws:apigateway:us-east-1::/apis/{api}/*"]}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    user = server.client_as("apigatewayv2", key["AccessKeyId"], key["SecretAccessKey"])
    assert api in [item["ApiId"] for item in user.get_apis()["Items"]]
    assert user.get_routes(ApiId=api)["Items"] == []
    for call, kwargs in [(user.get_api, {"ApiId": api}), (user.create_api, {"Name": "x", "ProtocolType": "HTTP"}),
                         (user.create_route, {"ApiId": api, "RouteKey": "GET /x"})]:
        with pytest.raises(ClientError) as info:
            call(**kwargs)
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
