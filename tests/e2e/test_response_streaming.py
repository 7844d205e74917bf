"""Response streaming (issue 13): InvokeWithResponseStream with Node's streamifyResponse and a custom runtime that
streams over the Runtime API, mid-stream errors, timeouts, limits, and plain Invoke of streaming functions."""
import base64
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip, wait_for

NODE_STREAMING = r"""
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  responseStream.setContentType("text/plain");
  responseStream.write("first:" + "x".repeat(1024));
  await sleep(event.pause ?? 1000);
  responseStream.write("second");
  console.log("streamed for", context.awsRequestId);
  responseStream.end();
});
exports.fails = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write("partial");
  await sleep(20);
  throw new Error("boom mid-stream");
});
exports.failsFirst = awslambda.streamifyResponse(async () => {
  throw new TypeError("nothing written");
});
exports.slow = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write("before the timeout");
  await sleep(5000);
  responseStream.end("never");
});
exports.http = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { "x-a": "b" } });
  stream.write("body");
  stream.end();
});
exports.buffered = async (event) => ({ buffered: event });
"""

# A custom runtime in Python that streams its response over the Runtime API by hand: chunked POST with the streaming
# mode header, an error after the first bytes as trailers.
PYTHON_STREAMING_BOOTSTRAP = r"""#!/usr/bin/python3
import base64, json, os, socket, time
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
sock = socket.create_connection((host, int(port)))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
reader = sock.makefile("rb")

def response():
    status = int(reader.readline().split()[1])
    headers = {}
    while True:
        line = reader.readline().decode().strip()
        if not line:
            break
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    return status, headers, reader.read(int(headers.get("content-length", "0")))

def chunk(data):
    sock.sendall(b"%x\r\n" % len(data) + data + b"\r\n")

while True:
    sock.sendall(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n")
    _, headers, body = response()
    rid = headers["lambda-runtime-aws-request-id"]
    event = json.loads(body)
    sock.sendall((f"POST /2018-06-01/runtime/invocation/{rid}/response HTTP/1.1\r\nHost: runtime\r\n"
                  "Content-Type: application/x-ndjson\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n").encode())
    for i, part in enumerate(event.get("parts", [])):
        if i:
            time.sleep(event.get("pause", 0))
        chunk((json.dumps(part) + "\n").encode())
    block = b"y" * 65536
    for _ in range(event.get("blocks", 0)):
        chunk(block)
    trailers = b""
    if event.get("fail"):
        doc = json.dumps({"errorMessage": "python broke", "errorType": "PyStreamError", "stackTrace": []})
        trailers = (b"Lambda-Runtime-Function-Error-Type: PyStreamError\r\n"
                    b"Lambda-Runtime-Function-Error-Body: " + base64.b64encode(doc.encode()) + b"\r\n")
    sock.sendall(b"0\r\n" + trailers + b"\r\n")
    status, _, _ = response()
    print(f"posted {status}", flush=True)
"""


@pytest.fixture
def node_runtime(server):
    runtimes = [r for r in server.health["runtimes"] if r.startswith("nodejs")]
    if not runtimes:
        pytest.skip("no node on this host")
    return runtimes[-1]


def node_function(create, name, node_runtime, handler="index.handler", **overrides):
    create(name, Runtime=node_runtime, Handler=handler, Code={"ZipFile": make_zip({"index.js": NODE_STREAMING})}, **overrides)


def python_function(create, name, **overrides):
    create(name, Runtime="provided.al2023", Handler="x",
           Code={"ZipFile": make_zip({"bootstrap": PYTHON_STREAMING_BOOTSTRAP}, executables={"bootstrap"})}, **overrides)


def stream(lam, name, payload=None, **kwargs):
    """The response, and its events as (arrival time, kind, value)."""
    r = lam.invoke_with_response_stream(FunctionName=name, Payload=json.dumps(payload or {}), **kwargs)
    events = []
    for event in r["EventStream"]:
        now = time.monotonic()
        if "PayloadChunk" in event:
            events.append((now, "chunk", event["PayloadChunk"]["Payload"]))
        elif "InvokeComplete" in event:
            events.append((now, "complete", event["InvokeComplete"]))
    return r, events


def body(events):
    return b"".join(value for _, kind, value in events if kind == "chunk")


def complete(events):
    assert events and events[-1][1] == "complete", events
    assert sum(1 for _, kind, _ in events if kind == "complete") == 1
    return events[-1][2]


def test_node_stream_arrives_in_order_with_log_tail(lam, create, name, node_runtime):
    node_function(create, name, node_runtime)
    r, events = stream(lam, name, {"pause": 10}, LogType="Tail")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r["ExecutedVersion"] == "$LATEST"
    assert r["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
    chunks = [value for _, kind, value in events if kind == "chunk"]
    assert chunks == [b"first:" + b"x" * 1024, b"second"]
    done = complete(events)
    assert "ErrorCode" not in done
    log = base64.b64decode(done["LogResult"]).decode()
    assert "START RequestId:" in log and "streamed for" in log and "REPORT RequestId:" in log


def test_first_chunk_arrives_before_the_function_ends(lam, create, name, node_runtime):
    node_function(create, name, node_runtime)
    stream(lam, name, {"pause": 1})  # warm: the measured run has no init in it
    _, events = stream(lam, name, {"pause": 1000})
    first = next(t for t, kind, _ in events if kind == "chunk")
    end = events[-1][0]
    # The function sleeps 1 s between its writes: the first chunk must be here well before the end.
    assert end - first >= 0.5, events
    assert body(events) == b"first:" + b"x" * 1024 + b"second"


def test_mid_stream_error_ends_with_invoke_complete_error(lam, create, name, node_runtime):
    node_function(create, name, node_runtime, handler="index.fails")
    _, events = stream(lam, name)
    assert body(events) == b"partial"
    done = complete(events)
    assert done["ErrorCode"] == "Error" and done["ErrorDetails"] == "boom mid-stream"
    # The same function through plain Invoke: an ordinary function error.
    r = lam.invoke(FunctionName=name, Payload=b"{}")
    assert r["FunctionError"] == "Unhandled"
    assert json.loads(r["Payload"].read())["errorMessage"] == "boom mid-stream"


def test_error_before_any_byte(lam, create, name, node_runtime):
    node_function(create, name, node_runtime, handler="index.failsFirst")
    _, events = stream(lam, name)
    assert body(events) == b""
    done = complete(events)
    assert done["ErrorCode"] == "TypeError" and done["ErrorDetails"] == "nothing written"


def test_timeout_mid_stream(lam, create, name, node_runtime):
    node_function(create, name, node_runtime, handler="index.slow", Timeout=1)
    _, events = stream(lam, name)
    assert body(events) == b"before the timeout"
    done = complete(events)
    assert done["ErrorCode"] == "Sandbox.Timedout" and "Task timed out after 1.00 seconds" in done["ErrorDetails"]


def test_buffered_function_gives_one_payload_chunk(lam, create, name, node_runtime):
    node_function(create, name, node_runtime, handler="index.buffered")
    _, events = stream(lam, name, {"a": 1})
    assert [kind for _, kind, _ in events] == ["chunk", "complete"]
    assert json.loads(body(events)) == {"buffered": {"a": 1}}
    assert complete(events) == {}


def test_plain_invoke_of_streaming_function_returns_whole_body(lam, create, name, node_runtime):
    node_function(create, name, node_runtime)
    r = lam.invoke(FunctionName=name, Payload=json.dumps({"pause": 10}))
    assert "FunctionError" not in r
    assert r["Payload"].read() == b"first:" + b"x" * 1024 + b"second"


def test_http_response_stream_prelude(lam, create, name, node_runtime):
    node_function(create, name, node_runtime, handler="index.http")
    _, events = stream(lam, name)
    prelude, rest = body(events).split(b"\0" * 8, 1)
    assert json.loads(prelude) == {"statusCode": 201, "headers": {"x-a": "b"}}
    assert rest == b"body"


def test_dry_run_and_invalid_invocation_type(lam, create, name, node_runtime):
    node_function(create, name, node_runtime)
    r = lam.invoke_with_response_stream(FunctionName=name, InvocationType="DryRun")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        lam.invoke_with_response_stream(FunctionName=name + "-missing")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_python_custom_runtime_streams(lam, create, name):
    python_function(create, name)
    parts = [{"n": 1}, {"n": 2}, {"n": 3}]
    _, events = stream(lam, name, {"parts": parts, "pause": 0.6}, LogType="Tail")
    chunks = [json.loads(value) for _, kind, value in events if kind == "chunk"]
    assert chunks == parts
    first = next(t for t, kind, _ in events if kind == "chunk")
    assert events[-1][0] - first >= 0.5
    # Trailers after the first bytes.
    _, events = stream(lam, name, {"parts": [{"n": 1}], "fail": True})
    assert body(events) == b'{"n": 1}\n'
    done = complete(events)
    assert done["ErrorCode"] == "PyStreamError" and done["ErrorDetails"] == "python broke"
    # Plain invoke collects the stream.
    r = lam.invoke(FunctionName=name, Payload=json.dumps({"parts": parts}))
    assert r["Payload"].read() == b"".join((json.dumps(p) + "\n").encode() for p in parts)


def test_plain_invoke_of_a_stream_over_6_mb_is_too_large(lam, create, name):
    python_function(create, name, MemorySize=512)
    r = lam.invoke(FunctionName=name, Payload=json.dumps({"blocks": 100}))  # 6.25 MiB
    assert r["FunctionError"] == "Unhandled"
    assert json.loads(r["Payload"].read())["errorType"] == "Function.ResponseSizeTooLarge"
    # The environment is still usable: the runtime heard 413 and asked for the next event.
    r = lam.invoke(FunctionName=name, Payload=json.dumps({"parts": [1]}), LogType="Tail")
    assert r["Payload"].read() == b"1\n"


def test_streamed_response_beyond_6_mb_and_bandwidth(lam, create, name):
    python_function(create, name, MemorySize=512, Timeout=60)
    started = time.monotonic()
    _, events = stream(lam, name, {"blocks": 10 * 16})  # 10 MiB: more than a buffered response may be
    elapsed = time.monotonic() - started
    assert len(body(events)) == 10 * 1024 * 1024
    assert "ErrorCode" not in complete(events)
    # Past the first 6 MiB, at most 2 MiB/s: 4 MiB more take at least 2 s (a lower bound, not a benchmark).
    assert elapsed >= 1.8, elapsed


def test_abandoned_stream_still_releases_the_environment(server, slam, create, name, node_runtime):
    node_function(create, name, node_runtime)
    slam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    r = slam.invoke_with_response_stream(FunctionName=name, Payload=json.dumps({"pause": 1000}))
    events = iter(r["EventStream"])
    assert "PayloadChunk" in next(events)
    r["EventStream"].close()  # the client goes away mid-stream

    def invoked():
        try:
            out = slam.invoke(FunctionName=name, Payload=json.dumps({"pause": 1}))
        except slam.exceptions.TooManyRequestsException:
            return None
        return out["Payload"].read()
    assert wait_for(invoked, timeout=15, what="the abandoned invocation to end") == b"first:" + b"x" * 1024 + b"second"


def test_function_that_cannot_start(lam, create, name):
    create(name, Runtime="provided.al2023", Handler="x", Code={"ZipFile": make_zip({"readme.txt": "no bootstrap"})})
    _, events = stream(lam, name)
    assert body(events) == b""
    assert complete(events)["ErrorCode"] == "Runtime.InvalidEntrypoint"
