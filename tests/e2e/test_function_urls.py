"""Function URLs answering plain HTTP: auth types, the payload 2.0 event, response mapping, CORS, errors, addressing."""
import base64
import json
import re
import time
import urllib.parse

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest

from conftest import wait_for
from http_support import ECHO, function_code, public_url, request


def test_url_is_directly_requestable_and_the_event_is_payload_2_0(lam, create, name, server):
    create(name, Code=function_code(ECHO))
    url = public_url(lam, name)
    assert re.fullmatch(r"http://127\.\d+\.\d+\.\d+:\d+/", url), url
    assert lam.get_function_url_config(FunctionName=name)["FunctionUrl"] == url
    before = time.time()
    r = request(url, "POST", "items/7?x=1&x=2&y=%20z",
                headers={"Cookie": "a=1; b=2", "X-Rep": "1", "Content-Type": "application/json", "User-Agent": "t/1"},
                body=b'{"k": "v"}')
    assert r.status == 200, r.body
    event = r.json()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/items/7"
    assert event["rawQueryString"] == "x=1&x=2&y=%20z"
    assert event["cookies"] == ["a=1", "b=2"]
    assert "cookie" not in event["headers"]
    assert event["headers"]["x-rep"] == "1"
    assert event["headers"]["user-agent"] == "t/1"
    assert all(k == k.lower() for k in event["headers"])
    assert event["queryStringParameters"] == {"x": "1,2", "y": " z"}
    assert event["body"] == '{"k": "v"}' and event["isBase64Encoded"] is False
    ctx = event["requestContext"]
    assert ctx["accountId"] == "000000000000"
    assert len(ctx["apiId"]) == 32 and ctx["apiId"].isalnum()
    assert ctx["domainName"] == f"{ctx['apiId']}.lambda-url.us-east-1.localhost"
    assert ctx["domainPrefix"] == ctx["apiId"]
    assert ctx["http"] == {"method": "POST", "path": "/items/7", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                           "userAgent": "t/1"}
    assert ctx["requestId"] == r.header("x-amzn-RequestId")
    assert ctx["routeKey"] == "$default" and ctx["stage"] == "$default"
    assert re.fullmatch(r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000", ctx["time"])
    assert before * 1000 - 1000 <= ctx["timeEpoch"] <= time.time() * 1000 + 1000
    assert "authorizer" not in ctx


def test_binary_bodies_arrive_base64_and_repeated_headers_join(lam, create, name):
    create(name, Code=function_code(ECHO))
    url = public_url(lam, name)
    blob = bytes(range(256))
    r = request(url, "PUT", "bin", headers={"Content-Type": "application/octet-stream"}, body=blob)
    event = r.json()
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == blob
    # Repeated headers are joined by commas (http.client sends both lines).
    import http.client
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
    conn.putrequest("GET", "/h")
    conn.putheader("X-Many", "a")
    conn.putheader("X-Many", "b")
    conn.endheaders()
    assert json.loads(conn.getresponse().read())["headers"]["x-many"] == "a,b"
    conn.close()


def test_response_mapping(lam, create, name):
    create(name, Code=function_code("""
import base64, json
def handler(event, context):
    kind = event["rawPath"]
    if kind == "/full":
        return {"statusCode": 418, "headers": {"x-a": "b", "content-type": "text/plain"}, "cookies": ["c=1; Path=/", "d=2"],
                "body": "short and stout"}
    if kind == "/b64":
        return {"statusCode": 200, "headers": {"content-type": "image/png"}, "isBase64Encoded": True,
                "body": base64.b64encode(bytes([0, 1, 2, 255])).decode()}
    if kind == "/plain":
        return {"hello": "world"}
    if kind == "/string":
        return "just text"
    if kind == "/bad":
        return {"statusCode": "teapot"}
    if kind == "/raise":
        raise ValueError("boom")
"""))
    url = public_url(lam, name)
    r = request(url, path="full")
    assert r.status == 418 and r.body == b"short and stout"
    assert r.header("x-a") == "b" and r.header("content-type") == "text/plain"
    assert r.all("set-cookie") == ["c=1; Path=/", "d=2"]
    r = request(url, path="b64")
    assert r.status == 200 and r.body == bytes([0, 1, 2, 255]) and r.header("content-type") == "image/png"
    r = request(url, path="plain")
    assert r.status == 200 and r.header("content-type") == "application/json" and json.loads(r.body) == {"hello": "world"}
    r = request(url, path="string")
    assert r.status == 200 and json.loads(r.body) == "just text"
    assert request(url, path="bad").status == 502
    assert request(url, path="raise").status == 502


def test_timeout_is_504(lam, create, name):
    create(name, Timeout=1, Code=function_code("import time\ndef handler(e, c):\n    time.sleep(5)\n"))
    url = public_url(lam, name)
    assert request(url).status == 504


def test_none_needs_both_permissions(lam, create, name):
    create(name, Code=function_code(ECHO))
    url = lam.create_function_url_config(FunctionName=name, AuthType="NONE")["FunctionUrl"]
    r = request(url)
    assert r.status == 403 and json.loads(r.body) == {"Message": "Forbidden"}
    lam.add_permission(FunctionName=name, StatementId="url", Action="lambda:InvokeFunctionUrl", Principal="*",
                       FunctionUrlAuthType="NONE")
    assert request(url).status == 403, "since October 2025 lambda:InvokeFunction is needed too"
    lam.add_permission(FunctionName=name, StatementId="invoke", Action="lambda:InvokeFunction", Principal="*",
                       InvokedViaFunctionUrl=True)
    assert request(url).status == 200
    # A statement for the other auth type does not count.
    lam.remove_permission(FunctionName=name, StatementId="url")
    lam.add_permission(FunctionName=name, StatementId="url", Action="lambda:InvokeFunctionUrl", Principal="*",
                       FunctionUrlAuthType="AWS_IAM")
    assert request(url).status == 403


def signed(server, url, method="GET", path="", body=b"", access_key=None, secret_key=None, token=None):
    creds = botocore.credentials.Credentials(access_key or server.access_key, secret_key or server.secret_key, token)
    full = url + path
    req = botocore.awsrequest.AWSRequest(method=method, url=full, data=body)
    botocore.auth.SigV4Auth(creds, "lambda", "us-east-1").add_auth(req)
    return request(url, method, path, headers=dict(req.headers.items()), body=body or None)


def test_aws_iam_urls_need_a_signature_and_a_permission(lam, create, name, server):
    create(name, Code=function_code(ECHO))
    url = lam.create_function_url_config(FunctionName=name, AuthType="AWS_IAM")["FunctionUrl"]
    assert request(url).status == 403
    r = signed(server, url, "POST", "signed?q=1", body=b'{"a":1}')
    assert r.status == 200, r.body
    iam_ctx = r.json()["requestContext"]["authorizer"]["iam"]
    assert iam_ctx["accountId"] == "000000000000" and iam_ctx["userArn"] == "arn:aws:iam::000000000000:root"
    assert iam_ctx["accessKey"] == server.access_key
    # A wrong signature is refused.
    bad = signed(server, url, secret_key="x" * 40)
    assert bad.status == 403
    # An IAM user needs lambda:InvokeFunctionUrl and lambda:InvokeFunction on the function.
    iam = server.client("iam")
    user = "url-" + name
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    as_user = dict(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    assert wait_for(lambda: signed(server, url, **as_user).status == 403, what="denied")
    arn = f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    iam.put_user_policy(UserName=user, PolicyName="url", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], "Resource": arn,
         "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}}]}))
    r = signed(server, url, **as_user)
    assert r.status == 200, r.body
    assert r.json()["requestContext"]["authorizer"]["iam"]["userArn"] == f"arn:aws:iam::000000000000:user/{user}"


def test_cors_preflight_is_answered_without_invoking(lam, create, name):
    create(name, Code=function_code("""
def handler(event, context):
    if event["requestContext"]["http"]["method"] == "OPTIONS":
        raise RuntimeError("preflight must not reach the function")
    return {"statusCode": 200, "headers": {"access-control-allow-origin": "https://evil.example"}, "body": "ok"}
"""))
    url = public_url(lam, name, Cors={"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"],
                                      "AllowHeaders": ["x-custom"], "ExposeHeaders": ["x-out"], "MaxAge": 300,
                                      "AllowCredentials": True})
    r = request(url, "OPTIONS", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "x-custom"})
    assert r.status == 200, r.body
    assert r.header("access-control-allow-origin") == "https://app.example"
    assert r.header("access-control-allow-methods") == "GET,POST"
    assert r.header("access-control-allow-headers") == "x-custom"
    assert r.header("access-control-max-age") == "300"
    assert r.header("access-control-allow-credentials") == "true"
    r = request(url, headers={"Origin": "https://app.example"})
    assert r.status == 200 and r.body == b"ok"
    assert r.header("access-control-allow-origin") == "https://app.example", "the configuration replaces the function's"
    assert r.header("access-control-expose-headers") == "x-out"
    r = request(url, headers={"Origin": "https://other.example"})
    assert r.header("access-control-allow-origin") == "https://evil.example"


def test_alias_url_runs_the_alias_version(lam, create, name):
    create(name, Code=function_code("def handler(e, c):\n    return {'version': c.function_version, 'arn': c.invoked_function_arn}\n"))
    v1 = lam.publish_version(FunctionName=name)["Version"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=v1)
    url = public_url(lam, name, qualifier="live")
    body = request(url).json()
    assert body["version"] == v1 and body["arn"].endswith(f"function:{name}:live")


def test_host_header_routing_on_the_ingress_port(lam, create, name):
    create(name, Code=function_code(ECHO))
    url = public_url(lam, name)
    parsed = urllib.parse.urlsplit(url)
    url_id = request(url).json()["requestContext"]["apiId"]
    shared = f"http://127.0.0.1:{parsed.port}/"
    r = request(shared, path="via-host", headers={"Host": f"{url_id}.lambda-url.us-east-1.localhost:{parsed.port}"})
    assert r.status == 200 and r.json()["rawPath"] == "/via-host"
    assert request(shared, headers={"Host": "nobody.lambda-url.us-east-1.localhost"}).status == 404


def test_keep_alive_and_limits(lam, create, name):
    import http.client
    create(name, Code=function_code(ECHO))
    url = public_url(lam, name)
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
    for i in range(3):
        assert request(url, path=f"n{i}", connection=conn).json()["rawPath"] == f"/n{i}"
    conn.close()
    # An event over the 6 MB payload (a 5 MB binary body is 6.7 MB of base64): 413 once read.
    r = request(url, "POST", body=b"\x00" * (5 * 1024 * 1024), headers={"Content-Type": "application/octet-stream"})
    assert r.status == 413
    # A body over the limit is refused from its Content-Length, before it is read.
    for size in (6 * 1024 * 1024 + 1, 50 * 1024 * 1024):
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
        conn.putrequest("POST", "/big")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        r = conn.getresponse()
        assert r.status == 413
        conn.close()


def test_deleted_url_stops_answering_and_throttling_is_429(lam, create, name):
    create(name, Code=function_code("import time\ndef handler(e, c):\n    time.sleep(1)\n    return 'ok'\n"))
    url = public_url(lam, name)
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    r = request(url)
    assert r.status == 429, r.body
    lam.delete_function_url_config(FunctionName=name)
    with pytest.raises(OSError):
        request(url)


def test_status_codes_without_bodies_keep_the_connection_usable(lam, create, name):
    import http.client
    create(name, Code=function_code("""
def handler(event, context):
    if event["rawPath"] == "/empty":
        return {"statusCode": 204, "body": "this must not reach the wire"}
    if event["rawPath"] == "/info":
        return {"statusCode": 101, "body": "x"}
    return {"statusCode": 200, "body": "next"}
"""))
    url = public_url(lam, name)
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
    r = request(url, path="empty", connection=conn)
    assert r.status == 204 and r.body == b""
    r = request(url, path="after", connection=conn)
    assert r.status == 200 and r.body == b"next", "the 204's body must not have been written"
    assert request(url, path="info", connection=conn).status == 502
    conn.close()


def test_event_headers_carry_forwarding_facts(lam, create, name):
    create(name, Code=function_code(ECHO))
    url = public_url(lam, name)
    headers = request(url, headers={"X-Forwarded-For": "198.51.100.7"}).json()["headers"]
    assert headers["x-forwarded-for"] == "198.51.100.7, 127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-port"] == str(urllib.parse.urlsplit(url).port)
    assert headers["x-amzn-trace-id"].startswith("Root=1-")
