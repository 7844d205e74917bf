"""Swiftlet's Python bootstrap against a mock Runtime API: results, context, errors, logs."""
import base64
import json
import os
import re

import pytest

import runtime_harness
from runtime_harness import start  # noqa: F401 (a pytest fixture)

TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def py(start, files, handler="app.handler", env=None, **kw):
    return start("python", files, handler, env, **kw)


HELLO = """
import os
count = 0
print("init ran")

def handler(event, context):
    global count
    count += 1
    print("hello", event.get("name"))
    return {"greeting": "hello " + event.get("name", "?"), "count": count, "pid": os.getpid()}
"""


def test_hello_world_and_warm_state(start):
    s = py(start, {"app.py": HELLO})
    first = s.invoke({"name": "world"})
    assert first.kind == "response"
    assert first.json["greeting"] == "hello world" and first.json["count"] == 1
    assert first.content_type == "application/json"
    second = s.invoke({"name": "again"})
    third = s.invoke({"name": "and again"})
    assert (second.json["count"], third.json["count"]) == (2, 3), "module state survives between invocations"
    assert first.json["pid"] == third.json["pid"]
    s.process.wait_for_line("hello and again")
    assert s.output.count("init ran") == 1
    assert s.api.connections == 1, "one keep-alive connection for everything"


def test_result_none_is_null_and_other_json_values(start):
    code = ("import decimal\n"
            "def none(e, c):\n    return None\n"
            "def text(e, c):\n    return 'héllo'\n"
            "def number(e, c):\n    return decimal.Decimal('12.50')\n"
            "def raw(e, c):\n    return b'not json'\n"
            "def echo(e, c):\n    return e\n")
    s = py(start, {"app.py": code}, "app.none")
    assert s.invoke().raw == b"null"
    for handler, expected in [("text", b'"h\\u00e9llo"'), ("number", b"12.50"), ("raw", b"not json")]:
        s2 = py(start, {"app.py": code}, "app." + handler)
        assert s2.invoke().raw == expected, handler
    s3 = py(start, {"app.py": code}, "app.echo")
    assert s3.invoke({"a": [1, 2.5, None, True], "b": "ü"}).json == {"a": [1, 2.5, None, True], "b": "ü"}


def test_python312_writes_unicode_as_is(start):
    code = "def handler(e, c):\n    return 'héllo'\n"
    s = py(start, {"app.py": code}, env={"AWS_EXECUTION_ENV": "AWS_Lambda_python3.12"})
    assert s.invoke().raw == '"héllo"'.encode()


CONTEXT = """
def handler(event, context):
    cc = context.client_context
    return {
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "aws_request_id": context.aws_request_id,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "remaining": context.get_remaining_time_in_millis(),
        "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
        "client_context": None if cc is None else {
            "custom": cc.custom, "env": cc.env,
            "client": None if cc.client is None else [cc.client.installation_id, cc.client.app_title,
                                                      cc.client.app_version_name, cc.client.app_version_code,
                                                      cc.client.app_package_name]},
        "repr": repr(context),
    }
"""


def test_context_fields(start):
    s = py(start, {"app.py": CONTEXT})
    rid = s.api.enqueue({}, timeout_ms=5000, arn="arn:aws:lambda:us-east-1:123456789012:function:fn:live")
    out = s.api.result(rid).json
    assert out["function_name"] == "fn" and out["function_version"] == "$LATEST"
    assert out["invoked_function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:fn:live"
    assert out["memory_limit_in_mb"] == "256", "AWS's runtime hands the environment variable over as it is"
    assert out["aws_request_id"] == rid
    assert out["log_group_name"] == "/aws/lambda/fn"
    assert out["log_stream_name"] == "2024/01/01/[$LATEST]0123456789abcdef"
    assert 3000 < out["remaining"] <= 5000
    assert out["identity"] == [None, None] and out["client_context"] is None
    assert out["repr"].startswith("LambdaContext([aws_request_id=%s," % rid)


def test_context_client_context_identity_and_expired_deadline(start):
    s = py(start, {"app.py": CONTEXT})
    client_context = {"client": {"installation_id": "i-1", "app_title": "T", "app_version_name": "1.0",
                                 "app_version_code": "100", "app_package_name": "com.example"},
                      "custom": {"k": "v"}, "env": {"platform": "Android"}}
    out = s.invoke({}, client_context=client_context, deadline_ms=1000,
                   cognito_identity={"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"}).json
    assert out["client_context"] == {"custom": {"k": "v"}, "env": {"platform": "Android"},
                                     "client": ["i-1", "T", "1.0", "100", "com.example"]}
    assert out["identity"] == ["id-1", "pool-1"]
    assert out["remaining"] == 0, "a deadline in the past leaves no time, never a negative one"


def test_bad_client_context_is_an_invocation_error(start):
    s = py(start, {"app.py": CONTEXT})
    out = s.invoke({}, client_context="{not json")
    assert out.kind == "error" and out.error_type == "Runtime.LambdaContextUnmarshalError"
    assert out.json["errorMessage"].startswith("Unable to parse Client Context JSON: ")
    assert s.invoke({}).kind == "response", "the runtime carries on"


def test_trace_id_environment_variable(start):
    code = "import os\ndef handler(e, c):\n    return os.environ.get('_X_AMZN_TRACE_ID')\n"
    s = py(start, {"app.py": code}, env={"_X_AMZN_TRACE_ID": "stale"})
    assert s.invoke({}, trace_id="Root=1-abc;Parent=def;Sampled=1").json == "Root=1-abc;Parent=def;Sampled=1"
    assert s.invoke({}, trace_id="Root=1-xyz").json == "Root=1-xyz"
    assert s.invoke({}, trace_id=None).json is None, "removed when an invocation has no trace id"


def test_handler_in_subdirectory_and_package(start):
    files = {
        "path/to/mod.py": "def handler(e, c):\n    return 'from path/to/mod'\n",
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/mod.py": "from . import helper\ndef handler(e, c):\n    return helper.VALUE\n",
        "pkg/sub/helper.py": "VALUE = 'from pkg.sub.mod'\n",
    }
    assert py(start, files, "path/to/mod.handler").invoke().json == "from path/to/mod"
    assert py(start, files, "pkg.sub.mod.handler").invoke().json == "from pkg.sub.mod"


def test_sys_path_order_and_user_modules_named_like_the_runtime(start):
    files = {
        "bootstrap.py": "import sys\nNAME = 'user bootstrap'\n"
                        "def handler(e, c):\n    import runtime\n    return {'name': NAME, 'runtime': runtime.NAME, 'path': sys.path}\n",
        "runtime.py": "NAME = 'user runtime'\n",
    }
    s = py(start, files, "bootstrap.handler")
    out = s.invoke().json
    assert out["name"] == "user bootstrap" and out["runtime"] == "user runtime"
    path = out["path"]
    version = "%d.%d" % tuple(int(x) for x in re.search(r"python(\d+)\.(\d+)", " ".join(path)).groups())
    assert path[:3] == [s.task_root, "/opt/python/lib/python%s/site-packages" % version, "/opt/python"]
    runtime_dir = os.path.dirname(os.path.abspath(runtime_harness.PYTHON_BOOTSTRAP))
    assert runtime_dir not in path and os.path.dirname(runtime_dir) not in path
    assert any(p.endswith("lib-dynload") for p in path), "the interpreter's own paths follow"


def test_pth_files_in_the_code_directory_are_honoured(start):
    files = {"vendor/extra_mod.py": "VALUE = 42\n", "extra.pth": "vendor\n",
             "app.py": "def handler(e, c):\n    import extra_mod\n    return extra_mod.VALUE\n"}
    assert py(start, files).invoke().json == 42


@pytest.mark.parametrize("files,handler,error_type,message", [
    ({"app.py": "x = 1\n"}, "app", "Runtime.MalformedHandlerName",
     "Bad handler 'app': not enough values to unpack (expected 2, got 1)"),
    ({"other.py": "x = 1\n"}, "app.handler", "Runtime.ImportModuleError",
     "Unable to import module 'app': No module named 'app'"),
    ({"app.py": "import not_installed_anywhere\n"}, "app.handler", "Runtime.ImportModuleError",
     "Unable to import module 'app': No module named 'not_installed_anywhere'"),
    ({"app.py": "x = 1\n"}, "app.nope", "Runtime.HandlerNotFound", "Handler 'nope' missing on module 'app'"),
    ({"app.py": "x = 1\n"}, "sys.handler", "Runtime.BuiltInModuleConflict", "Cannot use built-in module sys as a handler module"),
])
def test_init_errors(start, files, handler, error_type, message):
    s = py(start, files, handler)
    error = s.api.init_error()
    assert error.error_type == error_type
    assert error.json == {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}
    assert s.process.wait_exit() == 1
    assert s.api.next_calls == 0, "an init failure never asks for an invocation"
    lines = s.process.output_lines()
    assert "[ERROR] %s: %s" % (error_type, message) in lines
    assert lines[lines.index("[ERROR] %s: %s" % (error_type, message)) + 1] == "Traceback (most recent call last):"


def test_init_syntax_error(start):
    s = py(start, {"app.py": "x = 1\n\ndef handler(:\n    pass\n"})
    error = s.api.init_error()
    assert error.error_type == "Runtime.UserCodeSyntaxError"
    doc = error.json
    assert re.fullmatch(r"Syntax error in module 'app': .* \(app\.py, line 3\)", doc["errorMessage"]), doc
    assert doc["stackTrace"] == ['  File "%s" Line 3\n    def handler(:\n' % os.path.join(s.task_root, "app.py")]
    assert s.process.wait_exit() == 1
    s.process.wait_for_line(lambda l: l.startswith("[ERROR] Runtime.UserCodeSyntaxError: Syntax error in module 'app'"))


def test_exception_at_import_time_keeps_its_type(start):
    # Like AWS: only ImportError and SyntaxError are wrapped; anything else is reported as itself.
    s = py(start, {"app.py": "import os\nTABLE = os.environ['NO_SUCH_VARIABLE']\ndef handler(e, c):\n    pass\n"})
    doc = s.api.init_error().json
    assert doc["errorType"] == "KeyError" and doc["errorMessage"] == "'NO_SUCH_VARIABLE'"
    assert any("app.py\", line 2, in <module>" in frame for frame in doc["stackTrace"])
    assert not any("bootstrap.py" in frame for frame in doc["stackTrace"])
    assert s.process.wait_exit() == 1
    s.process.wait_for_line("[ERROR] KeyError: 'NO_SUCH_VARIABLE'")


RAISES = """
def helper():
    raise ValueError("boom")

def handler(event, context):
    helper()
"""


def test_handler_exception(start):
    s = py(start, {"app.py": RAISES})
    rid = s.api.enqueue({})
    out = s.api.result(rid)
    assert out.kind == "error" and out.error_type == "ValueError"
    app = os.path.join(s.task_root, "app.py")
    doc = out.json
    assert list(doc) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert doc["errorMessage"] == "boom" and doc["errorType"] == "ValueError" and doc["requestId"] == rid
    frames = doc["stackTrace"]
    assert len(frames) == 2, frames
    assert frames[0].startswith('  File "%s", line 6, in handler\n    helper()\n' % app)
    assert frames[1].startswith('  File "%s", line 3, in helper\n    raise ValueError("boom")\n' % app)
    # The log: Lambda's [ERROR] line, then the traceback.
    s.process.wait_for_line(lambda l: "in helper" in l)
    lines = s.process.output_lines()
    at = lines.index("[ERROR] ValueError: boom")
    assert lines[at + 1] == "Traceback (most recent call last):"
    assert lines[at + 2] == '  File "%s", line 6, in handler' % app
    assert lines[at + 3] == "    helper()"
    assert s.invoke({}).kind == "error", "the environment keeps serving after an error"


def test_exception_with_empty_message_and_custom_class(start):
    code = "class MyError(Exception):\n    pass\ndef handler(e, c):\n    raise MyError()\n"
    out = py(start, {"app.py": code}).invoke()
    assert out.error_type == "MyError" and out.json["errorMessage"] == ""


def test_marshal_error(start):
    code = "def handler(e, c):\n    return {1, 2}\n"
    s = py(start, {"app.py": code})
    rid = s.api.enqueue({})
    out = s.api.result(rid)
    assert out.error_type == "Runtime.MarshalError"
    assert out.json == {"errorMessage": "Unable to marshal response: Object of type set is not JSON serializable",
                        "errorType": "Runtime.MarshalError", "requestId": rid, "stackTrace": []}
    s.process.wait_for_line("[ERROR] Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON serializable")


def test_unmarshal_error(start):
    s = py(start, {"app.py": "def handler(e, c):\n    return e\n"})
    out = s.invoke(raw_body=b"{oops")
    assert out.error_type == "Runtime.UnmarshalError"
    assert out.json["errorMessage"].startswith("Unable to unmarshal input: Expecting property name")


def test_sys_exit_ends_the_process(start):
    code = "import sys\ndef handler(e, c):\n    print('leaving')\n    sys.exit(3)\n"
    s = py(start, {"app.py": code})
    rid = s.api.enqueue({})
    assert s.process.wait_exit() == 3
    assert not s.api.outcomes.get(rid), "nothing is posted; the platform reports Runtime.ExitError"
    s.process.wait_for_line("leaving")


LOGGING = """
import logging
logger = logging.getLogger()
logger.warning("at import")
logger.info("info at import is below the default level")
logging.basicConfig(level=logging.DEBUG, format="%(message)s")  # a no-op, as on AWS

def handler(event, context):
    logger.warning("warned %s", event["n"])
    logging.getLogger("child").error("from a child logger")
    logger.info("info from the handler")
    try:
        1 / 0
    except ZeroDivisionError:
        logger.exception("caught")
    return {"handlers": len(logging.getLogger().handlers), "level": logging.getLogger().level}
"""


def test_logging_format(start):
    s = py(start, {"app.py": LOGGING})
    rid = s.api.enqueue({"n": 7})
    out = s.api.result(rid).json
    assert out == {"handlers": 1, "level": 30}
    s.process.wait_for_line("caught")
    s.process.wait_for_line("ZeroDivisionError: division by zero")
    lines = s.process.output_lines()
    assert any(re.fullmatch(r"\[WARNING\]\t%s\t\tat import" % TIMESTAMP, l) for l in lines), lines
    assert any(re.fullmatch(r"\[WARNING\]\t%s\t%s\twarned 7" % (TIMESTAMP, rid), l) for l in lines), lines
    assert any(re.fullmatch(r"\[ERROR\]\t%s\t%s\tfrom a child logger" % (TIMESTAMP, rid), l) for l in lines), lines
    assert any(re.fullmatch(r"\[ERROR\]\t%s\t%s\tcaught" % (TIMESTAMP, rid), l) for l in lines), lines
    assert not any("info" in l for l in lines), "INFO is below the root logger's default level"


def test_logging_level_from_environment(start):
    s = py(start, {"app.py": LOGGING}, env={"AWS_LAMBDA_LOG_LEVEL": "debug"})
    rid = s.api.enqueue({"n": 1})
    assert s.api.result(rid).json == {"handlers": 1, "level": 10}
    s.process.wait_for_line(lambda l: re.fullmatch(r"\[INFO\]\t%s\t%s\tinfo from the handler" % (TIMESTAMP, rid), l))


def test_logging_json_format(start):
    code = "import logging\ndef handler(e, c):\n    logging.getLogger('app').info('hi %s', 'there', extra={'k': 1})\n"
    s = py(start, {"app.py": code}, env={"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "INFO"})
    rid = s.api.enqueue({})
    s.api.result(rid)
    line = s.process.wait_for_line('"message": "hi there"')
    doc = json.loads(line)
    assert doc["level"] == "INFO" and doc["logger"] == "app" and doc["requestId"] == rid and doc["k"] == 1
    assert re.fullmatch(TIMESTAMP, doc["timestamp"])


def test_logging_imported_only_inside_the_handler(start):
    code = "def handler(e, c):\n    import logging\n    logging.getLogger().warning('late')\n    return len(logging.getLogger().handlers)\n"
    s = py(start, {"app.py": code})
    rid = s.api.enqueue({})
    assert s.api.result(rid).json == 1
    s.process.wait_for_line(lambda l: re.fullmatch(r"\[WARNING\]\t%s\t%s\tlate" % (TIMESTAMP, rid), l))


def test_print_and_stderr_reach_the_log_before_the_response(start):
    code = ("import sys\ndef handler(e, c):\n    print('to stdout', e['n'])\n    sys.stderr.write('to stderr %d\\n' % e['n'])\n"
            "    sys.stdout.write('partial line ' + str(e['n']))\n    return e['n']\n")
    s = py(start, {"app.py": code})
    for n in range(3):
        assert s.invoke({"n": n}).json == n
    # Flushed before the response was posted, though no newline ended it.
    s.process.wait_for_text("partial line 2")
    text = s.output
    assert "to stdout 0" in text and "to stderr 2" in text and "partial line 0to stdout 1" in text


def test_large_event_and_result(start):
    code = "def handler(e, c):\n    return {'size': len(e['data']), 'data': e['data']}\n"
    s = py(start, {"app.py": code})
    data = base64.b64encode(os.urandom(3 * 1024 * 1024)).decode()
    out = s.invoke({"data": data}, timeout=30)
    assert out.json == {"size": len(data), "data": data}


def test_many_invocations_on_one_connection(start):
    code = "def handler(e, c):\n    return e['i'] * 2\n"
    s = py(start, {"app.py": code})
    ids = [s.api.enqueue({"i": i}) for i in range(200)]
    assert [s.api.result(rid).json for rid in ids] == [i * 2 for i in range(200)]
    assert s.api.connections == 1


def test_loop_throughput(start):
    """A bounded sanity check of the loop's speed (the real figure comes from bench_loop.py)."""
    import bench_loop
    rate = bench_loop.measure("python", iterations=2000, warmup=200, limit=60)[0]
    assert rate > 1000, "%.0f invocations/s" % rate


def test_logging_submodule_import_and_a_user_file_named_logging(start):
    files = {
        "logging.py": "raise RuntimeError('the function has its own logging.py')\n",
        "app.py": "import logging.handlers\nimport logging\n"
                  "def handler(e, c):\n    logging.getLogger().warning('configured')\n"
                  "    return [len(logging.getLogger().handlers), logging.__file__ is not None]\n",
    }
    s = py(start, files)
    rid = s.api.enqueue({})
    assert s.api.result(rid).json == [1, True]
    s.process.wait_for_line(lambda l: re.fullmatch(r"\[WARNING\]\t%s\t%s\tconfigured" % (TIMESTAMP, rid), l))


def test_client_context_empty_object(start):
    code = "def handler(e, c):\n    cc = c.client_context\n    return None if cc is None else [cc.custom, cc.env, cc.client]\n"
    assert py(start, {"app.py": code}).invoke({}, client_context={}).json == [None, None, None]
