"""TracingConfig and trace id propagation (issue 15): the mode's round trip and refusals, and `X-Amzn-Trace-Id`
reaching the function as `_X_AMZN_TRACE_ID`, through Invoke and through a function URL."""
import json
import re

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip
from http_support import public_url, request

TRACE_ECHO = """
import json, os
def handler(event, context):
    trace = os.environ.get("_X_AMZN_TRACE_ID")
    if isinstance(event, dict) and "rawPath" in event:
        return {"statusCode": 200, "headers": {"content-type": "application/json"},
                "body": json.dumps({"trace": trace, "header": event["headers"].get("x-amzn-trace-id")})}
    return trace
"""

ROOT = "1-5759e988-bd862e3fe1be46a994272793"
CUSTOM = f"Root={ROOT};Sampled=1"
GENERATED = re.compile(r"Root=(1-[0-9a-f]{8}-[0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=([01])")


def with_trace_header(lam, header):
    """Has every Invoke of `lam` carry `X-Amzn-Trace-Id: header`."""
    lam.meta.events.register("before-sign.lambda.Invoke",
                             lambda request, **kw: request.headers.__setitem__("X-Amzn-Trace-Id", header))


def invoke_trace(lam, name):
    r = lam.invoke(FunctionName=name, Payload=b"{}")
    assert "FunctionError" not in r, r
    return json.loads(r["Payload"].read())


def parts(trace):
    m = GENERATED.fullmatch(trace or "")
    assert m, trace
    return m.groups()


def test_tracing_config_defaults_round_trips_and_is_validated(lam, create, name):
    created = create(name)
    assert created["TracingConfig"] == {"Mode": "PassThrough"}
    assert lam.get_function(FunctionName=name)["Configuration"]["TracingConfig"] == {"Mode": "PassThrough"}
    updated = lam.update_function_configuration(FunctionName=name, TracingConfig={"Mode": "Active"})
    assert updated["TracingConfig"] == {"Mode": "Active"}
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)
    assert lam.get_function_configuration(FunctionName=name)["TracingConfig"] == {"Mode": "Active"}
    # An update that does not name it keeps it.
    lam.update_function_configuration(FunctionName=name, Timeout=5)
    assert lam.get_function_configuration(FunctionName=name)["TracingConfig"] == {"Mode": "Active"}

    with pytest.raises(ClientError) as e:
        lam.update_function_configuration(FunctionName=name, TracingConfig={"Mode": "Sometimes"})
    err = e.value.response["Error"]
    assert err["Code"] == "InvalidParameterValueException"
    assert "Value 'Sometimes' at 'tracingConfig.mode'" in err["Message"] and "Member must satisfy enum value set: [Active, PassThrough]" in err["Message"]
    with pytest.raises(ClientError) as e:
        create(name + "-bad", TracingConfig={"Mode": "Off"})
    assert e.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert lam.get_function_configuration(FunctionName=name)["TracingConfig"] == {"Mode": "Active"}

    other = create(name + "-active", TracingConfig={"Mode": "Active"})
    assert other["TracingConfig"] == {"Mode": "Active"}
    lam.delete_function(FunctionName=name + "-active")


def test_invoke_keeps_the_callers_root_and_sampling_decision(server, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})})
    lam = server.client()
    with_trace_header(lam, CUSTOM)
    root, parent, sampled = parts(invoke_trace(lam, name))
    assert (root, sampled) == (ROOT, "1")
    root2, parent2, _ = parts(invoke_trace(lam, name))
    assert root2 == ROOT and parent2 != parent

    unsampled = server.client()
    with_trace_header(unsampled, f"Root={ROOT};Parent=53995c3f42cd8ad8;Sampled=0")
    root, parent, sampled = parts(invoke_trace(unsampled, name))
    assert (root, sampled) == (ROOT, "0") and parent != "53995c3f42cd8ad8"


def test_invoke_without_a_header_generates_a_trace_sampled_by_mode(lam, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})})
    root, _, sampled = parts(invoke_trace(lam, name))
    assert sampled == "0" and root != ROOT
    root2, _, _ = parts(invoke_trace(lam, name))
    assert root2 != root

    lam.update_function_configuration(FunctionName=name, TracingConfig={"Mode": "Active"})
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)
    _, _, sampled = parts(invoke_trace(lam, name))
    assert sampled == "1"


def test_invoke_with_a_malformed_header_starts_a_new_trace(server, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})}, TracingConfig={"Mode": "Active"})
    lam = server.client()
    with_trace_header(lam, "Root=not-a-trace;Sampled=0")
    root, _, sampled = parts(invoke_trace(lam, name))
    assert root != "not-a-trace" and sampled == "1"


def test_function_url_propagates_the_trace_header(lam, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": TRACE_ECHO})})
    url = public_url(lam, name)

    r = request(url, "GET", headers={"X-Amzn-Trace-Id": CUSTOM})
    assert r.status == 200, r.body
    body = r.json()
    root, _, sampled = parts(body["trace"])
    assert (root, sampled) == (ROOT, "1")
    assert body["header"] == CUSTOM

    r = request(url, "GET")
    assert r.status == 200, r.body
    body = r.json()
    root, _, sampled = parts(body["trace"])
    assert sampled == "0" and root != ROOT
    assert body["header"] == f"Root={root}"

    lam.update_function_configuration(FunctionName=name, TracingConfig={"Mode": "Active"})
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)
    body = request(url, "GET").json()
    root, _, sampled = parts(body["trace"])
    assert sampled == "1" and body["header"] == f"Root={root}"
