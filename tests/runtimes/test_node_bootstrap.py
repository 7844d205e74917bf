"""Swiftlet's Node.js bootstrap against a mock Runtime API: handler styles, modules, context, errors, logs."""
import json
import os
import re
import time

import pytest

from runtime_harness import node_available, start  # noqa: F401 (pytest fixtures)

TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"

pytestmark = pytest.mark.usefixtures("node_available")


def node(start, files, handler="index.handler", env=None, **kw):
    return start("node", files, handler, env, **kw)


def log_line(level, request_id, message):
    return re.compile(r"%s\t%s\t%s\t%s" % (TIMESTAMP, re.escape(str(request_id)), level, re.escape(message)))


HELLO = """
let count = 0;
console.log("init ran");
exports.handler = async (event, context) => {
  count += 1;
  console.log("hello", event.name);
  return { greeting: `hello ${event.name}`, count, pid: process.pid };
};
"""


def test_hello_world_and_warm_state(start):
    s = node(start, {"index.js": HELLO})
    first = s.invoke({"name": "world"})
    assert first.kind == "response" and first.content_type == "application/json"
    assert first.json["greeting"] == "hello world" and first.json["count"] == 1
    second = s.invoke({"name": "again"})
    third = s.invoke({"name": "and again"})
    assert (second.json["count"], third.json["count"]) == (2, 3), "module state survives between invocations"
    assert first.json["pid"] == third.json["pid"]
    s.process.wait_for_line("hello and again")
    assert s.output.count("init ran") == 1
    assert s.api.connections == 1, "one keep-alive connection for everything"


def test_undefined_result_is_null(start):
    s = node(start, {"index.js": "exports.handler = async () => {};"})
    assert s.invoke().raw == b"null"


def test_callback_handler(start):
    code = """
exports.handler = (event, context, callback) => {
  setTimeout(() => callback(null, { callback: true, echo: event }), 5);
};
exports.fails = (event, context, callback) => callback(new TypeError("bad input"));
exports.failsWithString = (event, context, callback) => callback("just a string");
exports.succeed = (event, context) => { context.succeed({ via: "succeed" }); };
exports.fail = (event, context) => { context.fail(new Error("via fail")); };
exports.done = (event, context) => { context.done(null, "via done"); };
exports.twice = (event, context, callback) => { callback(null, 1); callback(null, 2); };
"""
    s = node(start, {"index.js": code})
    assert s.invoke({"a": 1}).json == {"callback": True, "echo": {"a": 1}}
    out = node(start, {"index.js": code}, "index.fails").invoke()
    assert out.error_type == "TypeError" and out.json["errorMessage"] == "bad input"
    out = node(start, {"index.js": code}, "index.failsWithString").invoke()
    assert out.json == {"errorType": "string", "errorMessage": "just a string", "trace": []}
    assert node(start, {"index.js": code}, "index.succeed").invoke().json == {"via": "succeed"}
    out = node(start, {"index.js": code}, "index.fail").invoke()
    assert out.kind == "error" and out.json["errorMessage"] == "via fail"
    assert node(start, {"index.js": code}, "index.done").invoke().json == "via done"
    s = node(start, {"index.js": code}, "index.twice")
    assert s.invoke().json == 1
    assert s.invoke().json == 1, "later calls of the callback are ignored"


def test_callback_waits_for_empty_event_loop(start):
    code = """
exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = event.wait;
  setTimeout(() => console.log("timer fired", event.n), event.delay);
  callback(null, { waits: context.callbackWaitsForEmptyEventLoop, n: event.n });
};
exports.probe = async (event, context) => context.callbackWaitsForEmptyEventLoop;
"""
    s = node(start, {"index.js": code})
    started = time.monotonic()
    out = s.invoke({"wait": True, "delay": 400, "n": 1})
    assert out.json == {"waits": True, "n": 1}
    assert time.monotonic() - started >= 0.4, "the response waited for the timer"
    s.process.wait_for_line("timer fired 1")
    started = time.monotonic()
    out = s.invoke({"wait": False, "delay": 5000, "n": 2})
    assert out.json == {"waits": False, "n": 2}
    assert time.monotonic() - started < 4, "the response did not wait for the timer"
    assert node(start, {"index.js": code}, "index.probe").invoke().json is True, "true by default"


def test_sync_handler_without_callback_answers_null(start):
    # As on AWS: a non-async handler's return value is ignored; once the event loop is empty the
    # invocation succeeds with null.
    code = "exports.handler = (event) => { setTimeout(() => console.log('later'), 20); return 42; };"
    s = node(start, {"index.js": code})
    assert s.invoke().raw == b"null"
    s.process.wait_for_line("later")


def test_async_handler_that_never_settles(start):
    code = "exports.handler = async () => new Promise(() => {});"
    s = node(start, {"index.js": code})
    out = s.invoke()
    assert out.error_type == "Runtime.NodeJsExit"
    assert out.json["errorMessage"].startswith("The Lambda runtime client detected an unexpected Node.js exit code.")
    assert s.invoke().error_type == "Runtime.NodeJsExit", "the runtime carries on"


def test_promise_returning_non_async_function(start):
    code = "exports.handler = (event) => new Promise((resolve) => setTimeout(() => resolve({ later: event.x }), 10));"
    assert node(start, {"index.js": code}).invoke({"x": 3}).json == {"later": 3}


@pytest.mark.parametrize("files,handler", [
    ({"index.mjs": "export const handler = async (e) => ({ kind: 'mjs', e });"}, "index.handler"),
    ({"index.js": "export const handler = async (e) => ({ kind: 'esm js', e });",
      "package.json": '{"type": "module"}'}, "index.handler"),
    ({"index.cjs": "exports.handler = async (e) => ({ kind: 'cjs', e });"}, "index.handler"),
    ({"index.js": "module.exports.handler = async (e) => ({ kind: 'commonjs js', e });",
      "package.json": '{"type": "commonjs"}'}, "index.handler"),
    ({"src/lib/app.mjs": "import { helper } from './helper.mjs'; export const handler = async (e) => ({ kind: helper(), e });",
      "src/lib/helper.mjs": "export const helper = () => 'nested esm';"}, "src/lib/app.handler"),
    ({"src/app.js": "const { helper } = require('./helper'); exports.handler = async (e) => ({ kind: helper(), e });",
      "src/helper.js": "exports.helper = () => 'nested cjs';"}, "src/app.handler"),
    ({"index.js": "exports.handlers = { v1: { main: async (e) => ({ kind: 'nested export', e }) } };"}, "index.handlers.v1.main"),
])
def test_module_kinds_and_paths(start, files, handler):
    out = node(start, files, handler).invoke({"x": 1})
    assert out.kind == "response", out
    assert out.json["e"] == {"x": 1}


def test_esm_top_level_await(start):
    files = {"index.mjs": "const value = await Promise.resolve('awaited at init');\nexport const handler = async () => value;"}
    assert node(start, files).invoke().json == "awaited at init"


CONTEXT = """
exports.handler = async (event, context) => ({
  functionName: context.functionName,
  functionVersion: context.functionVersion,
  invokedFunctionArn: context.invokedFunctionArn,
  memoryLimitInMB: context.memoryLimitInMB,
  awsRequestId: context.awsRequestId,
  logGroupName: context.logGroupName,
  logStreamName: context.logStreamName,
  identity: context.identity ?? "undefined",
  clientContext: context.clientContext ?? "undefined",
  remaining: context.getRemainingTimeInMillis(),
  callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
  traceId: process.env._X_AMZN_TRACE_ID ?? null,
  keys: Object.keys(context),
});
"""


def test_context_fields(start):
    s = node(start, {"index.js": CONTEXT})
    rid = s.api.enqueue({}, timeout_ms=5000, trace_id="Root=1-abc;Sampled=1")
    out = s.api.result(rid).json
    assert out["functionName"] == "fn" and out["functionVersion"] == "$LATEST"
    assert out["invokedFunctionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:fn"
    assert out["memoryLimitInMB"] == "256"
    assert out["awsRequestId"] == rid
    assert out["logGroupName"] == "/aws/lambda/fn" and out["logStreamName"].endswith("0123456789abcdef")
    assert out["identity"] == "undefined" and out["clientContext"] == "undefined"
    assert 3000 < out["remaining"] <= 5000
    assert out["callbackWaitsForEmptyEventLoop"] is True
    assert out["traceId"] == "Root=1-abc;Sampled=1"
    for key in ["callbackWaitsForEmptyEventLoop", "succeed", "fail", "done", "functionVersion", "functionName",
                "memoryLimitInMB", "logGroupName", "logStreamName", "clientContext", "identity",
                "invokedFunctionArn", "awsRequestId", "getRemainingTimeInMillis"]:
        assert key in out["keys"]
    out = s.invoke({}, trace_id=None,
                   client_context={"custom": {"k": "v"}, "env": {"platform": "x"}, "client": {"app_title": "T"}},
                   cognito_identity={"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"}).json
    assert out["clientContext"] == {"custom": {"k": "v"}, "env": {"platform": "x"}, "client": {"app_title": "T"}}
    assert out["identity"] == {"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"}
    assert out["traceId"] is None, "removed when an invocation has no trace id"


def test_handler_error(start):
    code = """
function helper() { throw new Error("boom"); }
exports.handler = async () => helper();
class ValidationError extends Error { constructor(m) { super(m); this.name = "ValidationError"; this.field = "x"; } }
exports.custom = async () => { throw new ValidationError("bad field"); };
exports.string = async () => { throw "thrown string"; };
exports.object = async () => { throw { some: "object" }; };
exports.rejectNothing = () => Promise.reject();
exports.sync = (event, context, callback) => { throw new RangeError("sync throw"); };
"""
    s = node(start, {"index.js": code})
    rid = s.api.enqueue({})
    out = s.api.result(rid)
    assert out.kind == "error" and out.error_type == "Error"
    doc = out.json
    assert list(doc) == ["errorType", "errorMessage", "trace"]
    assert doc["errorType"] == "Error" and doc["errorMessage"] == "boom"
    assert doc["trace"][0] == "Error: boom"
    assert doc["trace"][1].startswith("    at helper (%s:2:" % os.path.join(s.task_root, "index.js"))
    line = s.process.wait_for_line("Invoke Error")
    prefix = "\t".join(line.split("\t")[:4])
    assert re.fullmatch(r"%s\t%s\tERROR\tInvoke Error " % (TIMESTAMP, rid), prefix), line
    logged = json.loads(line.split("\t", 4)[4])
    assert logged["errorType"] == "Error" and logged["errorMessage"] == "boom" and logged["stack"][0] == "Error: boom"

    out = node(start, {"index.js": code}, "index.custom").invoke()
    assert out.error_type == "ValidationError" and out.json["errorMessage"] == "bad field"
    assert node(start, {"index.js": code}, "index.string").invoke().json == {
        "errorType": "string", "errorMessage": "thrown string", "trace": []}
    assert node(start, {"index.js": code}, "index.object").invoke().json == {
        "errorType": "object", "errorMessage": "[object Object]", "trace": []}
    assert node(start, {"index.js": code}, "index.rejectNothing").invoke().json == {
        "errorType": "string", "errorMessage": "handled", "trace": []}
    out = node(start, {"index.js": code}, "index.sync").invoke()
    assert out.error_type == "RangeError" and out.json["errorMessage"] == "sync throw"
    assert s.invoke().kind == "error", "the runtime carries on after an error"


def test_marshal_error(start):
    code = "exports.handler = async () => { const a = {}; a.self = a; return a; };\nexports.big = async () => 10n;"
    for handler in ["index.handler", "index.big"]:
        s = node(start, {"index.js": code}, handler)
        out = s.invoke()
        assert out.kind == "error" and out.json["errorMessage"] == "Unable to stringify response body"
        assert out.json["errorType"] == "Error"
        assert s.invoke().kind == "error", "the runtime carries on"


def test_unhandled_rejection_during_invoke(start):
    code = "exports.handler = async () => { Promise.reject(new Error('nobody caught me')); await new Promise((r) => setTimeout(r, 1000)); return 'late'; };"
    s = node(start, {"index.js": code})
    rid = s.api.enqueue({})
    out = s.api.result(rid)
    assert out.error_type == "Runtime.UnhandledPromiseRejection"
    assert out.json["errorMessage"] == "Error: nobody caught me"
    assert out.json["trace"][0] == "Runtime.UnhandledPromiseRejection: Error: nobody caught me"
    assert s.process.wait_exit() == 128
    s.process.wait_for_line("Unhandled Promise Rejection")


def test_uncaught_exception_during_invoke(start):
    code = "exports.handler = (e, c, cb) => { setTimeout(() => { throw new TypeError('from a timer'); }, 1); };"
    s = node(start, {"index.js": code})
    rid = s.api.enqueue({})
    out = s.api.result(rid)
    assert out.error_type == "TypeError" and out.json["errorMessage"] == "from a timer"
    assert s.process.wait_exit() == 129
    line = s.process.wait_for_line("Uncaught Exception")
    assert re.match(r"%s\t%s\tERROR\tUncaught Exception \t\{" % (TIMESTAMP, rid), line), line


@pytest.mark.parametrize("files,handler,error_type,message", [
    ({"other.js": ""}, "index.handler", "Runtime.ImportModuleError", "Error: Cannot find module 'index'\nRequire stack:\n- "),
    ({"index.js": "require('not-installed-anywhere');"}, "index.handler", "Runtime.ImportModuleError",
     "Error: Cannot find module 'not-installed-anywhere'\nRequire stack:\n- "),
    ({"index.js": "exports.other = () => 1;"}, "index.nope", "Runtime.HandlerNotFound", "index.nope is undefined or not exported"),
    ({"index.js": "exports.value = 5;"}, "index.value", "Runtime.HandlerNotFound", "index.value is not a function"),
    ({"index.js": ""}, "index", "Runtime.MalformedHandlerName", "Bad handler"),
    ({"index.js": ""}, "../index.handler", "Runtime.MalformedHandlerName",
     "'../index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names."),
    ({"index.js": "exports.handler = async (=> 1;"}, "index.handler", "Runtime.UserCodeSyntaxError", "SyntaxError: "),
    ({"index.mjs": "export const handler = async (=> 1;"}, "index.handler", "Runtime.UserCodeSyntaxError", "SyntaxError: "),
    ({"index.js": "throw new Error('init failed');"}, "index.handler", "Error", "init failed"),
])
def test_init_errors(start, files, handler, error_type, message):
    s = node(start, files, handler)
    error = s.api.init_error()
    assert error.error_type == error_type
    doc = error.json
    assert doc["errorType"] == error_type and doc["errorMessage"].startswith(message), doc
    assert doc["trace"][0].startswith(error_type + ": " + message.split("\n")[0]) if error_type.startswith("Runtime.") else True
    assert s.process.wait_exit() != 0
    assert s.api.next_calls == 0, "an init failure never asks for an invocation"
    line = s.process.wait_for_line("Uncaught Exception")
    assert re.match(r"%s\tundefined\tERROR\tUncaught Exception \t\{" % TIMESTAMP, line), line


def test_esm_import_of_missing_package(start):
    s = node(start, {"index.mjs": "import 'not-installed-anywhere';\nexport const handler = async () => 1;"})
    doc = s.api.init_error().json
    assert doc["errorType"] == "Error"
    assert doc["errorMessage"].startswith("Cannot find package 'not-installed-anywhere' imported from ")


def test_unhandled_rejection_at_init(start):
    s = node(start, {"index.js": "Promise.reject(new Error('at init'));\nexports.handler = async () => 1;"})
    error = s.api.init_error()
    assert error.error_type == "Runtime.UnhandledPromiseRejection"
    assert error.json["errorMessage"] == "Error: at init"
    assert s.process.wait_exit() == 128


def test_console_prefix(start):
    code = """
console.log("at init");
exports.handler = async (event) => {
  console.log("log %s", "formatted", { a: 1 });
  console.info("info");
  console.warn("warn");
  console.error("error");
  console.debug("debug");
  console.trace("trace");
  console.log();
  return "ok";
};
"""
    s = node(start, {"index.js": code})
    rid = s.api.enqueue({})
    assert s.api.result(rid).json == "ok"
    s.process.wait_for_line("\tTRACE\t")
    s.process.wait_for_line("\tINFO\tundefined")
    lines = s.process.output_lines()
    expected = [("INFO", "undefined", "at init"), ("INFO", rid, "log formatted { a: 1 }"), ("INFO", rid, "info"),
                ("WARN", rid, "warn"), ("ERROR", rid, "error"), ("DEBUG", rid, "debug"), ("TRACE", rid, "trace"),
                ("INFO", rid, "undefined")]
    for level, request_id, message in expected:
        pattern = log_line(level, request_id, message)
        assert any(pattern.fullmatch(l) for l in lines), (level, message, lines)


def test_console_level_filter(start):
    code = "exports.handler = async () => { console.debug('hidden'); console.info('shown info'); console.error('shown error'); return 1; };"
    s = node(start, {"index.js": code}, env={"AWS_LAMBDA_LOG_LEVEL": "INFO"})
    rid = s.api.enqueue({})
    s.api.result(rid)
    s.process.wait_for_line("shown error")
    assert "hidden" not in s.output and "shown info" in s.output


def test_console_json_format(start):
    code = "exports.handler = async () => { console.info('hello', 'json'); console.warn({ k: 'v' }); return 1; };"
    s = node(start, {"index.js": code}, env={"AWS_LAMBDA_LOG_FORMAT": "JSON"})
    rid = s.api.enqueue({})
    s.api.result(rid)
    docs = [json.loads(s.process.wait_for_line('"level":"INFO"')), json.loads(s.process.wait_for_line('"level":"WARN"'))]
    assert docs[0]["message"] == "hello json" and docs[0]["requestId"] == rid
    assert docs[1]["message"] == {"k": "v"}
    assert re.fullmatch(TIMESTAMP, docs[0]["timestamp"])


def test_streaming_handler_streams_its_response(start):
    code = """
exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  responseStream.setContentType("text/plain");
  responseStream.write("hello ");
  responseStream.write(context.functionName);
  responseStream.end();
});
"""
    out = node(start, {"index.js": code}).invoke()
    assert out.kind == "response" and out.raw == b"hello fn" and out.content_type == "text/plain"
    assert out.headers.get("Lambda-Runtime-Function-Response-Mode") == "streaming"


def test_many_invocations_on_one_connection(start):
    s = node(start, {"index.js": "exports.handler = async (e) => e.i * 2;"})
    ids = [s.api.enqueue({"i": i}) for i in range(200)]
    assert [s.api.result(rid).json for rid in ids] == [i * 2 for i in range(200)]
    assert s.api.connections == 1


def test_large_event_and_result(start):
    s = node(start, {"index.js": "exports.handler = async (e) => ({ size: e.data.length, data: e.data });"})
    data = "x" * (5 * 1024 * 1024)
    assert s.invoke({"data": data}, timeout=30).json == {"size": len(data), "data": data}


def test_loop_throughput():
    """A bounded sanity check of the loop's speed (the real figure comes from bench_loop.py)."""
    import bench_loop
    rate = bench_loop.measure("node", iterations=2000, warmup=200, limit=60)[0]
    assert rate > 1000, "%.0f invocations/s" % rate
