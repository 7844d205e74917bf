"""HTTP APIs answering plain HTTP: quick create, routes with path parameters (payload 1.0 and 2.0), greedy routes,
route priority, stages, CORS, Lambda REQUEST authorizers with caching, and API Gateway's own error answers."""
import json
import re

import pytest

from conftest import ROLE
from http_support import ECHO, function_code, request

ACCOUNT = "000000000000"


@pytest.fixture(scope="module")
def apigw(server):
    return server.client("apigatewayv2")


def fn_arn(name):
    return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"


def allow_apigateway(lam, name, api_id=None, statement="apigw"):
    extra = {"SourceArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/*"} if api_id else {}
    lam.add_permission(FunctionName=name, StatementId=statement, Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com", **extra)


def test_quick_create_serves_every_path_with_payload_2_0(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    api = apigw.create_api(Name="shop-" + name, ProtocolType="HTTP", Target=fn_arn(name))
    endpoint = api["ApiEndpoint"]
    assert re.fullmatch(r"http://127\.\d+\.\d+\.\d+:\d+", endpoint), endpoint
    # Without the function's permission API Gateway cannot invoke it.
    r = request(endpoint + "/", path="anything")
    assert r.status == 500 and r.json() == {"message": "Internal Server Error"}
    allow_apigateway(lam, name, api["ApiId"])
    r = request(endpoint + "/", path="anything/else?a=1")
    assert r.status == 200, r.body
    assert r.header("apigw-requestid")
    event = r.json()
    assert event["version"] == "2.0" and event["routeKey"] == "$default"
    assert event["rawPath"] == "/anything/else" and event["rawQueryString"] == "a=1"
    ctx = event["requestContext"]
    assert ctx["apiId"] == api["ApiId"] and ctx["stage"] == "$default"
    assert ctx["domainName"] == f"{api['ApiId']}.execute-api.us-east-1.localhost"
    assert ctx["http"]["method"] == "GET" and ctx["http"]["path"] == "/anything/else"


def test_routes_path_parameters_priority_and_payload_1_0(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    api = apigw.create_api(Name="routes-" + name, ProtocolType="HTTP")
    api_id = api["ApiId"]
    allow_apigateway(lam, name, api_id)
    v2 = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn(name),
                                  PayloadFormatVersion="2.0")["IntegrationId"]
    v1 = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn(name),
                                  PayloadFormatVersion="1.0")["IntegrationId"]
    apigw.create_route(ApiId=api_id, RouteKey="GET /items/{id}", Target="integrations/" + v2)
    apigw.create_route(ApiId=api_id, RouteKey="GET /items/special", Target="integrations/" + v2)
    apigw.create_route(ApiId=api_id, RouteKey="ANY /files/{proxy+}", Target="integrations/" + v2)
    apigw.create_route(ApiId=api_id, RouteKey="POST /v1/{thing}", Target="integrations/" + v1)
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    base = api["ApiEndpoint"] + "/"

    event = request(base, path="items/7").json()
    assert event["routeKey"] == "GET /items/{id}" and event["pathParameters"] == {"id": "7"}
    event = request(base, path="items/special").json()
    assert event["routeKey"] == "GET /items/special" and "pathParameters" not in event
    event = request(base, "DELETE", "files/a/b/c.txt").json()
    assert event["routeKey"] == "ANY /files/{proxy+}" and event["pathParameters"] == {"proxy": "a/b/c.txt"}
    r = request(base, "POST", "v1/widget?q=1&q=2", headers={"X-H": "v", "Content-Type": "text/plain"}, body=b"payload")
    event = r.json()
    assert event["version"] == "1.0"
    assert event["resource"] == "/v1/{thing}" and event["path"] == "/v1/widget" and event["httpMethod"] == "POST"
    assert event["pathParameters"] == {"thing": "widget"}
    assert event["queryStringParameters"] == {"q": "2"} and event["multiValueQueryStringParameters"] == {"q": ["1", "2"]}
    assert event["multiValueHeaders"]["X-H"] == ["v"] and event["body"] == "payload" and event["isBase64Encoded"] is False
    assert event["requestContext"]["stage"] == "$default" and event["requestContext"]["resourcePath"] == "/v1/{thing}"
    assert event["stageVariables"] is None

    # No route: API Gateway's own 404; a method the route does not take: 404 too.
    for method, path in [("GET", "nothing/here"), ("PUT", "items/7")]:
        r = request(base, method, path)
        assert r.status == 404 and r.json() == {"message": "Not Found"}


def test_payload_1_0_responses_need_a_status_code(lam, create, name, apigw):
    create(name, Code=function_code("""
def handler(event, context):
    if event["path"] == "/ok":
        return {"statusCode": 202, "multiValueHeaders": {"x-m": ["1", "2"]}, "body": "fine"}
    if event["path"] == "/raise":
        raise RuntimeError("no")
    return {"body": "no status"}
"""))
    api = apigw.create_api(Name="v1-" + name, ProtocolType="HTTP")
    api_id = api["ApiId"]
    allow_apigateway(lam, name, api_id)
    integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn(name),
                                           PayloadFormatVersion="1.0")["IntegrationId"]
    apigw.create_route(ApiId=api_id, RouteKey="$default", Target="integrations/" + integration)
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    base = api["ApiEndpoint"] + "/"
    r = request(base, path="ok")
    assert r.status == 202 and r.body == b"fine" and r.all("x-m") == ["1", "2"]
    r = request(base, path="bad")
    assert r.status == 502 and r.json() == {"message": "Internal Server Error"}
    assert request(base, path="raise").status == 502


def test_named_stages_and_stage_variables(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    api = apigw.create_api(Name="stages-" + name, ProtocolType="HTTP")
    api_id = api["ApiId"]
    allow_apigateway(lam, name, api_id)
    integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn(name),
                                           PayloadFormatVersion="2.0")["IntegrationId"]
    apigw.create_route(ApiId=api_id, RouteKey="GET /hello", Target="integrations/" + integration)
    apigw.create_stage(ApiId=api_id, StageName="prod", StageVariables={"color": "blue"})
    base = api["ApiEndpoint"] + "/"
    # Not deployed yet.
    assert request(base, path="prod/hello").status == 404
    deployment = apigw.create_deployment(ApiId=api_id)["DeploymentId"]
    apigw.update_stage(ApiId=api_id, StageName="prod", DeploymentId=deployment)
    event = request(base, path="prod/hello").json()
    assert event["requestContext"]["stage"] == "prod" and event["stageVariables"] == {"color": "blue"}
    assert event["rawPath"] == "/prod/hello" and event["routeKey"] == "GET /hello"
    # A route added later is not served until the next deployment (the stage does not auto-deploy).
    apigw.create_route(ApiId=api_id, RouteKey="GET /later", Target="integrations/" + integration)
    assert request(base, path="prod/later").status == 404
    apigw.update_stage(ApiId=api_id, StageName="prod", DeploymentId=apigw.create_deployment(ApiId=api_id)["DeploymentId"])
    assert request(base, path="prod/later").status == 200
    # No $default stage: paths outside a stage find nothing.
    assert request(base, path="hello").status == 404


def test_cors_preflight_without_a_route(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    api = apigw.create_api(Name="cors-" + name, ProtocolType="HTTP", Target=fn_arn(name),
                           CorsConfiguration={"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET"],
                                              "AllowHeaders": ["authorization"], "MaxAge": 60})
    allow_apigateway(lam, name, api["ApiId"])
    base = api["ApiEndpoint"] + "/"
    r = request(base, "OPTIONS", "x", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"})
    assert r.status == 204
    assert r.header("access-control-allow-origin") == "https://app.example"
    assert r.header("access-control-max-age") == "60"
    r = request(base, path="x", headers={"Origin": "https://app.example"})
    assert r.status == 200 and r.header("access-control-allow-origin") == "https://app.example"


AUTHORIZER = """
import json
calls = 0
def handler(event, context):
    global calls
    calls += 1
    token = event["headers"].get("authorization", "")
    return {"isAuthorized": token == "let-me-in", "context": {"calls": calls, "who": token}}
"""

POLICY_AUTHORIZER = """
def handler(event, context):
    effect = "Allow" if event["identitySource"] == "good" else "Deny"
    return {"principalId": "user-1", "context": {"tier": "gold"}, "policyDocument": {"Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}}
"""


def test_request_authorizer_allow_deny_and_caching(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    create(name + "-auth", Code=function_code(AUTHORIZER))
    api = apigw.create_api(Name="auth-" + name, ProtocolType="HTTP")
    api_id = api["ApiId"]
    allow_apigateway(lam, name, api_id)
    allow_apigateway(lam, name + "-auth", api_id)
    authorizer = apigw.create_authorizer(
        ApiId=api_id, Name="tokens", AuthorizerType="REQUEST", AuthorizerPayloadFormatVersion="2.0",
        EnableSimpleResponses=True, IdentitySource=["$request.header.Authorization"], AuthorizerResultTtlInSeconds=300,
        AuthorizerUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn_arn(name + '-auth')}/invocations")
    integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn(name),
                                           PayloadFormatVersion="2.0")["IntegrationId"]
    apigw.create_route(ApiId=api_id, RouteKey="GET /secret", Target="integrations/" + integration,
                       AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"])
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    base = api["ApiEndpoint"] + "/"
    r = request(base, path="secret")
    assert r.status == 401 and r.json() == {"message": "Unauthorized"}
    r = request(base, path="secret", headers={"Authorization": "nope"})
    assert r.status == 403 and r.json() == {"message": "Forbidden"}
    first = request(base, path="secret", headers={"Authorization": "let-me-in"})
    assert first.status == 200, first.body
    lambda_ctx = first.json()["requestContext"]["authorizer"]["lambda"]
    assert lambda_ctx["who"] == "let-me-in"
    # Cached for the TTL: the authorizer is not called again for the same identity.
    again = request(base, path="secret", headers={"Authorization": "let-me-in"})
    assert again.json()["requestContext"]["authorizer"]["lambda"]["calls"] == lambda_ctx["calls"]


def test_request_authorizer_with_iam_policy_responses(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    create(name + "-auth", Code=function_code(POLICY_AUTHORIZER))
    api = apigw.create_api(Name="pol-" + name, ProtocolType="HTTP")
    api_id = api["ApiId"]
    allow_apigateway(lam, name, api_id)
    allow_apigateway(lam, name + "-auth", api_id)
    authorizer = apigw.create_authorizer(
        ApiId=api_id, Name="policy", AuthorizerType="REQUEST", AuthorizerPayloadFormatVersion="1.0",
        IdentitySource=["$request.querystring.token"], AuthorizerResultTtlInSeconds=0,
        AuthorizerUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn_arn(name + '-auth')}/invocations")
    integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn(name),
                                           PayloadFormatVersion="1.0")["IntegrationId"]
    apigw.create_route(ApiId=api_id, RouteKey="GET /doc", Target="integrations/" + integration,
                       AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"])
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    base = api["ApiEndpoint"] + "/"
    assert request(base, path="doc?token=bad").status == 403
    r = request(base, path="doc?token=good")
    assert r.status == 200, r.body
    authorizer_ctx = r.json()["requestContext"]["authorizer"]
    assert authorizer_ctx["principalId"] == "user-1" and authorizer_ctx["tier"] == "gold"


def test_source_arn_scoped_to_the_route(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    api = apigw.create_api(Name="scoped-" + name, ProtocolType="HTTP", Target=fn_arn(name), RouteKey="GET /items/{id}")
    api_id = api["ApiId"]
    base = api["ApiEndpoint"] + "/"
    # A permission for another route does not let API Gateway invoke this one.
    lam.add_permission(FunctionName=name, StatementId="other", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com",
                       SourceArn=f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/*/*/other")
    assert request(base, path="items/7").status == 500
    lam.add_permission(FunctionName=name, StatementId="items", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com",
                       SourceArn=f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/*/*/items/{{id}}")
    assert request(base, path="items/7").status == 200


def test_disabled_default_endpoint_is_forbidden(lam, create, name, apigw):
    create(name, Code=function_code(ECHO))
    api = apigw.create_api(Name="off-" + name, ProtocolType="HTTP", Target=fn_arn(name))
    allow_apigateway(lam, name, api["ApiId"])
    base = api["ApiEndpoint"] + "/"
    assert request(base).status == 200
    apigw.update_api(ApiId=api["ApiId"], DisableExecuteApiEndpoint=True)
    r = request(base)
    assert r.status == 403 and r.json() == {"message": "Forbidden"}


def test_credentials_role_must_trust_api_gateway_and_be_passable(lam, create, name, apigw, server):
    create(name, Code=function_code(ECHO))
    iam = server.client("iam")
    role = "apigw-" + name
    lambda_only = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(lambda_only))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="invoke", PolicyDocument=json.dumps({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]}))
    # No function policy: only the role can let API Gateway in, and only if the role trusts API Gateway.
    api = apigw.create_api(Name="creds-" + name, ProtocolType="HTTP", Target=fn_arn(name), CredentialsArn=role_arn)
    base = api["ApiEndpoint"] + "/"
    assert request(base).status == 500
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps(trust))
    assert request(base).status == 200
    # Naming a role needs iam:PassRole on it.
    user = "apigw-user-" + name[-8:]
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    iam.put_user_policy(UserName=user, PolicyName="apigw", PolicyDocument=json.dumps({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "apigateway:*", "Resource": "*"}]}))
    as_user = server.client_as("apigatewayv2", key["AccessKeyId"], key["SecretAccessKey"])
    import botocore.exceptions
    with pytest.raises(botocore.exceptions.ClientError) as denied:
        as_user.create_api(Name="escalate", ProtocolType="HTTP", Target=fn_arn(name), CredentialsArn=role_arn)
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert as_user.create_api(Name="plain", ProtocolType="HTTP", Target=fn_arn(name))["ApiId"]
