"""SigV4 as AWS enforces it, with requests signed by botocore itself."""
import datetime
import hashlib
import json
from unittest import mock

import botocore.auth
import pytest
import requests
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def signed(server, method, path, body=b"", key=None, secret=None, region="us-east-1", when=None, headers=None):
    url = server.endpoint + path
    request = AWSRequest(method=method, url=url, data=body, headers=headers or {})
    creds = Credentials(key or server.access_key, secret or server.secret_key)
    if when is None:
        botocore.auth.SigV4Auth(creds, "lambda", region).add_auth(request)
    else:
        with mock.patch.object(botocore.auth.datetime, "datetime", wraps=datetime.datetime) as dt:
            dt.utcnow.return_value = when.replace(tzinfo=None)
            dt.now.return_value = when
            botocore.auth.SigV4Auth(creds, "lambda", region).add_auth(request)
    return requests.request(method, url, data=body, headers=dict(request.headers), timeout=10)


def error_type(response):
    return response.headers.get("x-amzn-ErrorType")


def test_signed_request_succeeds(server):
    r = signed(server, "GET", "/2015-03-31/functions/?MaxItems=5")
    assert r.status_code == 200
    assert "Functions" in r.json()
    assert r.headers["x-amzn-RequestId"]


def test_unsigned_request_is_refused(server):
    r = requests.get(server.endpoint + "/2015-03-31/functions/", timeout=10)
    assert r.status_code == 403
    assert error_type(r) == "MissingAuthenticationTokenException"


def test_unknown_access_key(server):
    r = signed(server, "GET", "/2015-03-31/functions/", key="AKIAUNKNOWNUNKNOWN00")
    assert r.status_code == 403
    assert error_type(r) == "UnrecognizedClientException"


def test_wrong_secret(server):
    r = signed(server, "GET", "/2015-03-31/functions/", secret="x" * 40)
    assert r.status_code == 403
    assert error_type(r) == "InvalidSignatureException"


def test_clock_skew_over_five_minutes(server):
    when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=6)
    r = signed(server, "GET", "/2015-03-31/functions/", when=when)
    assert r.status_code == 403
    assert error_type(r) == "InvalidSignatureException"
    assert r.json()["message"].startswith("Signature expired")


def test_body_changed_after_signing(server):
    body = json.dumps({"FunctionName": "x"}).encode()
    request = AWSRequest(method="POST", url=server.endpoint + "/2015-03-31/functions", data=body,
                         headers={"Content-Type": "application/json"})
    botocore.auth.SigV4Auth(Credentials(server.access_key, server.secret_key), "lambda", "us-east-1").add_auth(request)
    r = requests.post(request.url, data=body.replace(b"x", b"y"), headers=dict(request.headers), timeout=10)
    assert r.status_code == 403
    assert error_type(r) == "InvalidSignatureException"


def test_wrong_region_scope(server):
    r = signed(server, "GET", "/2015-03-31/functions/", region="eu-west-1")
    assert r.status_code == 403
    assert error_type(r) == "InvalidSignatureException"


def test_unknown_operation_is_aws_shaped(server):
    r = signed(server, "GET", "/2015-03-31/no-such-thing")
    assert r.status_code == 404
    assert error_type(r) == "UnknownOperationException"
    assert r.headers["content-type"].startswith("application/json")


def test_encoded_query_marker_through_boto3(server, create):
    lam = server.client()
    for i in range(3):
        create(f"marker-{i}-" + hashlib.md5(str(i).encode()).hexdigest()[:6])
    page = lam.list_functions(MaxItems=1)
    marker = page["NextMarker"]
    # Markers are base64: '+', '/' and '=' must survive query encoding and signing.
    nxt = lam.list_functions(Marker=marker + "", MaxItems=1)
    assert nxt["Functions"][0]["FunctionName"] != page["Functions"][0]["FunctionName"]


def test_unknown_path_still_checks_the_signature(server):
    r = signed(server, "GET", "/2015-03-31/no-such-thing", secret="y" * 40)
    assert r.status_code == 403
    assert error_type(r) == "InvalidSignatureException"


def test_unknown_json_target_is_json_shaped(server):
    body = b"{}"
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=body,
                         headers={"X-Amz-Target": "AmazonNothing.DoThing", "Content-Type": "application/x-amz-json-1.1"})
    botocore.auth.SigV4Auth(Credentials(server.access_key, server.secret_key), "nothing", "us-east-1").add_auth(request)
    r = requests.post(request.url, data=body, headers=dict(request.headers), timeout=10)
    assert r.status_code == 404
    assert r.json()["__type"] == "UnknownOperationException"
