"""Synchronous invoke through boto3 against real execution environments."""
import base64
import concurrent.futures
import json
import os
import time

import pytest

from conftest import ROLE, make_zip, wait_for


def invoke(lam, name, payload=None, **kw):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload if payload is not None else {}).encode(), **kw)
    body = r["Payload"].read()
    return r, (json.loads(body) if body else None)


def tail(r):
    return base64.b64decode(r["LogResult"]).decode()


PY_HELLO = """
import os
count = 0
print("init ran")

def handler(event, context):
    global count
    count += 1
    print("hello from", context.function_name)
    return {"name": event.get("name"), "count": count, "stream": context.log_stream_name,
            "remaining": context.get_remaining_time_in_millis(), "requestId": context.aws_request_id,
            "arn": context.invoked_function_arn, "memory": context.memory_limit_in_mb,
            "env": {k: os.environ.get(k) for k in ["_HANDLER", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                    "AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
                    "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "TZ", "LANG", "PATH", "MY_VAR",
                    "AWS_EXECUTION_ENV", "_X_AMZN_TRACE_ID"]}}
"""


def test_python_hello_cold_then_warm(lam, create, name, server):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_HELLO})}, Environment={"Variables": {"MY_VAR": "mine"}})
    r, out = invoke(lam, name, {"name": "x"}, LogType="Tail")
    assert r["StatusCode"] == 200
    assert "FunctionError" not in r
    assert r["ExecutedVersion"] == "$LATEST"
    assert out["name"] == "x" and out["count"] == 1
    assert out["requestId"] == r["ResponseMetadata"]["RequestId"]
    assert out["arn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert 2000 < out["remaining"] <= 3000
    env = out["env"]
    assert env["_HANDLER"] == "app.handler" and env["AWS_LAMBDA_FUNCTION_NAME"] == name
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128" and env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_REGION"] == "us-east-1" and env["MY_VAR"] == "mine"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == f"/aws/lambda/{name}"
    assert env["AWS_LAMBDA_LOG_STREAM_NAME"] == out["stream"] and "[$LATEST]" in out["stream"]
    assert env["TZ"] == ":UTC" and env["LANG"] == "en_US.UTF-8" and env["_X_AMZN_TRACE_ID"].startswith("Root=1-")
    if server.health["isolation"].startswith("sandbox"):
        assert env["AWS_LAMBDA_RUNTIME_API"] == "127.0.0.1:9001" and env["LAMBDA_TASK_ROOT"] == "/var/task"
    log = tail(r)
    lines = log.strip().split("\n")
    assert lines[0].startswith(f"START RequestId: {out['requestId']} Version: $LATEST")
    assert f"hello from {name}" in log
    assert lines[-2] == f"END RequestId: {out['requestId']}"
    report = lines[-1]
    assert report.startswith(f"REPORT RequestId: {out['requestId']}\tDuration: ")
    for field in ["Billed Duration: ", "Memory Size: 128 MB", "Max Memory Used: ", "Init Duration: "]:
        assert field in report

    r2, out2 = invoke(lam, name, {"name": "y"}, LogType="Tail")
    assert out2["count"] == 2, "module state survives in a warm environment"
    assert out2["stream"] == out["stream"]
    assert "Init Duration" not in tail(r2)
    assert "LogResult" not in invoke(lam, name)[0]


def test_logs_are_kept_in_the_store(lam, create, name, server):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_HELLO})})
    r, out = invoke(lam, name)
    logs = server.client("logs")

    def stored():
        # Through the CloudWatch Logs API, as a user reads them.
        try:
            events = logs.get_log_events(logGroupName=f"/aws/lambda/{name}", logStreamName=out["stream"],
                                         startFromHead=True)["events"]
        except logs.exceptions.ResourceNotFoundException:
            return []
        return [e["message"].rstrip("\n") for e in events]
    messages = wait_for(lambda: (lambda m: m if any(x.startswith("REPORT") for x in m) else None)(stored()), timeout=10, what="logs")
    assert "init ran" in messages
    assert messages.index("init ran") < next(i for i, m in enumerate(messages) if m.startswith("START"))
    assert any(m.startswith(f"hello from {name}") for m in messages)


def test_handler_exception(lam, create, name):
    code = "def handler(event, context):\n    raise ValueError('boom')\n"
    create(name, Code={"ZipFile": make_zip({"app.py": code})})
    r, out = invoke(lam, name, LogType="Tail")
    assert r["StatusCode"] == 200 and r["FunctionError"] == "Unhandled"
    assert out["errorType"] == "ValueError" and out["errorMessage"] == "boom"
    assert isinstance(out["stackTrace"], list) and any("app.py" in f for f in out["stackTrace"])
    assert "[ERROR] ValueError: boom" in tail(r)


@pytest.mark.parametrize("files,handler,error_type", [
    ({"app.py": "x = 1\n"}, "missing.handler", "Runtime.ImportModuleError"),
    ({"app.py": "x = 1\n"}, "app.nope", "Runtime.HandlerNotFound"),
    ({"app.py": "def handler(:\n"}, "app.handler", "Runtime.UserCodeSyntaxError"),
])
def test_python_init_errors(lam, create, name, files, handler, error_type):
    create(name, Code={"ZipFile": make_zip(files)}, Handler=handler)
    r, out = invoke(lam, name)
    assert r["FunctionError"] == "Unhandled"
    assert out["errorType"] == error_type


def test_crash_answers_exit_error_and_next_call_gets_fresh_environment(lam, create, name):
    code = "import os\ncount = 0\ndef handler(event, context):\n    global count\n    count += 1\n    if event.get('die'):\n        os._exit(3)\n    return count\n"
    create(name, Code={"ZipFile": make_zip({"app.py": code})})
    assert invoke(lam, name)[1] == 1
    r, out = invoke(lam, name, {"die": True})
    assert r["FunctionError"] == "Unhandled"
    assert out["errorType"] == "Runtime.ExitError"
    assert "Runtime exited with error: exit status 3" in out["errorMessage"]
    assert invoke(lam, name)[1] == 1, "a fresh environment after the crash"


def test_timeout_kills_and_reports(lam, create, name):
    code = "import time\ncount = 0\ndef handler(event, context):\n    global count\n    count += 1\n    if event.get('sleep'):\n        time.sleep(30)\n    return count\n"
    create(name, Code={"ZipFile": make_zip({"app.py": code})}, Timeout=1)
    assert invoke(lam, name)[1] == 1
    started = time.monotonic()
    r, out = invoke(lam, name, {"sleep": True}, LogType="Tail")
    elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 3.0
    assert r["FunctionError"] == "Unhandled"
    assert out["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in out["errorMessage"]
    assert "Task timed out after 1.00 seconds" in tail(r)
    assert invoke(lam, name)[1] == 1, "the timed-out environment was replaced"


def test_invoke_errors_and_dry_run(lam, create, name):
    create(name)
    r = lam.invoke(FunctionName=name, InvocationType="DryRun")
    assert r["StatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.invoke(FunctionName=name + "-missing", Payload=b"{}")
    with pytest.raises(lam.exceptions.InvalidRequestContentException):
        lam.invoke(FunctionName=name, Payload=b"not json")
    with pytest.raises(lam.exceptions.RequestTooLargeException) as e:
        lam.invoke(FunctionName=name, Payload=b'"' + b"a" * (6 * 1024 * 1024) + b'"')
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.invoke(FunctionName=name, Qualifier="7", Payload=b"{}")


def test_client_context_reaches_the_handler(lam, create, name):
    code = "def handler(event, context):\n    c = context.client_context\n    return {'custom': c.custom if c else None}\n"
    create(name, Code={"ZipFile": make_zip({"app.py": code})})
    ctx = base64.b64encode(json.dumps({"custom": {"k": "v"}, "client": {}, "env": {}}).encode()).decode()
    r, out = invoke(lam, name, ClientContext=ctx)
    assert out == {"custom": {"k": "v"}}


NODE_CODE = """
let count = 0;
exports.handler = async (event, context) => {
  count += 1;
  console.log("node says hi");
  return { count, name: context.functionName, remaining: context.getRemainingTimeInMillis() > 0, echo: event };
};
exports.cb = (event, context, callback) => { callback(null, { callback: true }); };
exports.fail = async () => { throw new TypeError("bad node"); };
"""


@pytest.fixture
def node_runtime(server):
    runtimes = [r for r in server.health["runtimes"] if r.startswith("nodejs")]
    if not runtimes:
        pytest.skip("no node on this host")
    return runtimes[-1]


def test_node_async_callback_and_error(lam, create, name, node_runtime):
    create(name, Runtime=node_runtime, Handler="index.handler", Code={"ZipFile": make_zip({"index.js": NODE_CODE})})
    r, out = invoke(lam, name, {"a": 1}, LogType="Tail")
    assert out == {"count": 1, "name": name, "remaining": True, "echo": {"a": 1}}
    assert "\tINFO\tnode says hi" in tail(r)
    assert invoke(lam, name)[1]["count"] == 2
    lam.update_function_configuration(FunctionName=name, Handler="index.cb")
    wait_for(lambda: invoke(lam, name)[1] == {"callback": True}, timeout=10, what="callback handler")
    lam.update_function_configuration(FunctionName=name, Handler="index.fail")
    def failed():
        r, out = invoke(lam, name)
        return out if r.get("FunctionError") else None
    out = wait_for(failed, timeout=10, what="error handler")
    assert out["errorType"] == "TypeError" and out["errorMessage"] == "bad node"


SHELL_BOOTSTRAP = """#!/bin/sh
set -eu
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -LD "$HEADERS" "$API/invocation/next")"
  ID="$(grep -i Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)"
  echo "shell got $EVENT"
  curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"shell\\": $EVENT}" > /dev/null
done
"""


def test_provided_shell_bootstrap(lam, create, name):
    if not os.path.exists("/usr/bin/curl"):
        pytest.skip("curl is not installed")
    create(name, Runtime="provided.al2023", Handler="ignored",
           Code={"ZipFile": make_zip({"bootstrap": SHELL_BOOTSTRAP}, executables={"bootstrap"})})
    r, out = invoke(lam, name, {"n": 5}, LogType="Tail")
    assert out == {"shell": {"n": 5}}
    assert 'shell got {"n": 5}' in tail(r)
    assert invoke(lam, name, {"n": 6})[1] == {"shell": {"n": 6}}


def test_provided_without_bootstrap(lam, create, name):
    create(name, Runtime="provided.al2023", Handler="x", Code={"ZipFile": make_zip({"readme.txt": "no bootstrap"})})
    r, out = invoke(lam, name)
    assert r["FunctionError"] == "Unhandled"
    assert out["errorType"] == "Runtime.InvalidEntrypoint"


RUNTIME_API_PROBE = """#!/usr/bin/python3
import http.client, json, os
api = os.environ["AWS_LAMBDA_RUNTIME_API"]
conn = http.client.HTTPConnection(api)
def call(method, path, body=None):
    conn.request(method, "/2018-06-01/runtime" + path, body=body)
    r = conn.getresponse()
    return r.status, r.read(), r.headers
seen = {}
while True:
    status, event, headers = call("GET", "/invocation/next")
    rid = headers["Lambda-Runtime-Aws-Request-Id"]
    step = json.loads(event)["step"]
    if step == "statuses":
        seen["unknown"] = call("POST", "/invocation/not-a-real-id/response", b"{}")[0]
        seen["first"] = call("POST", f"/invocation/{rid}/response", json.dumps({"ok": True}).encode())[0]
        seen["second"] = call("POST", f"/invocation/{rid}/response", b"{}")[0]
    elif step == "report":
        call("POST", f"/invocation/{rid}/response", json.dumps(seen).encode())
    elif step == "big":
        seen["big"] = call("POST", f"/invocation/{rid}/response", b'"' + b"x" * (7 * 1024 * 1024) + b'"')[0]
    elif step == "error":
        conn.request("POST", f"/2018-06-01/runtime/invocation/{rid}/error",
                     body=json.dumps({"errorMessage": "custom", "errorType": "MyError", "stackTrace": []}),
                     headers={"Lambda-Runtime-Function-Error-Type": "MyError"})
        r = conn.getresponse(); r.read(); seen["error"] = r.status
"""


def test_runtime_api_status_codes(lam, create, name):
    create(name, Runtime="provided.al2023", Handler="x",
           Code={"ZipFile": make_zip({"bootstrap": RUNTIME_API_PROBE}, executables={"bootstrap"})})
    assert invoke(lam, name, {"step": "statuses"})[1] == {"ok": True}
    r, out = invoke(lam, name, {"step": "big"})
    assert r["FunctionError"] == "Unhandled" and out["errorType"] == "Function.ResponseSizeTooLarge"
    r, out = invoke(lam, name, {"step": "error"})
    assert r["FunctionError"] == "Unhandled" and out == {"errorMessage": "custom", "errorType": "MyError", "stackTrace": []}
    seen = invoke(lam, name, {"step": "report"})[1]
    assert seen == {"unknown": 400, "first": 202, "second": 403, "big": 413, "error": 202}


def test_concurrent_invocations_scale_out(lam, create, name, server):
    code = ("import time\ndef handler(event, context):\n    start = time.time()\n    time.sleep(1)\n"
            "    return [context.log_stream_name, start, time.time()]\n")
    create(name, Code={"ZipFile": make_zip({"app.py": code})})
    clients = [server.client(max_pool_connections=2) for _ in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda c: invoke(c, name)[1], clients))
    assert len({stream for stream, _, _ in results}) == 8, "each concurrent call ran in its own environment"
    # All eight were running at the same moment (no wall-clock threshold: a busy machine may start them slowly).
    assert max(start for _, start, _ in results) < min(end for _, _, end in results), results
