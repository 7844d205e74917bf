"""LoggingConfig (issue 15): JSON application logs with level filtering in Swiftlet's Python and Node runtimes,
JSON system records, Text unchanged, and Lambda's refusals."""
import base64
import json

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip, wait_for

PY_LOGGING = """
import logging
logger = logging.getLogger()

def handler(event, context):
    logger.info("info line")
    logger.warning("warning line")
    try:
        raise KeyError("missing")
    except KeyError:
        logger.error("caught it", exc_info=True) if event.get("exception") else None
    print("plain print")
    return {"requestId": context.aws_request_id}
"""

NODE_LOGGING = """
exports.handler = async (event, context) => {
  console.debug("debug line");
  console.info("info line");
  console.log("log line");
  console.warn("warn line");
  console.error("error line", new TypeError("bad thing"));
  return { requestId: context.awsRequestId };
};
"""


def invoke_tail(lam, name, payload=None):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode(), LogType="Tail")
    body = json.loads(r["Payload"].read())
    assert "FunctionError" not in r, body
    return body, base64.b64decode(r["LogResult"]).decode().splitlines()


def json_lines(lines):
    out = []
    for line in lines:
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict):
            out.append(doc)
    return out


def app_records(lines):
    return [d for d in json_lines(lines) if "level" in d]


def system_records(lines):
    return [d for d in json_lines(lines) if str(d.get("type", "")).startswith("platform.")]


@pytest.fixture
def node_runtime(server):
    runtimes = [r for r in server.health["runtimes"] if r.startswith("nodejs")]
    if not runtimes:
        pytest.skip("no node on this host")
    return runtimes[-1]


def test_create_with_json_and_warn_is_reported(lam, create, name):
    created = create(name, LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN"})
    expected = {"LogFormat": "JSON", "ApplicationLogLevel": "WARN", "SystemLogLevel": "INFO", "LogGroup": f"/aws/lambda/{name}"}
    assert created["LoggingConfig"] == expected
    assert lam.get_function_configuration(FunctionName=name)["LoggingConfig"] == expected
    assert lam.get_function(FunctionName=name)["Configuration"]["LoggingConfig"] == expected
    version = lam.publish_version(FunctionName=name)
    assert version["LoggingConfig"] == expected
    lam.update_function_configuration(FunctionName=name, LoggingConfig={"LogFormat": "Text"})
    assert lam.get_function_configuration(FunctionName=name, Qualifier=version["Version"])["LoggingConfig"] == expected
    assert lam.get_function_configuration(FunctionName=name)["LoggingConfig"] == {
        "LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}


def test_text_is_the_default(lam, create, name):
    assert create(name)["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}


def test_python_json_logs_filtered_at_warn(lam, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_LOGGING})},
           LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN"})
    out, lines = invoke_tail(lam, name)
    request_id = out["requestId"]
    records = app_records(lines)
    # Python names the level as `logging` does, as AWS's runtime writes it.
    assert [r["level"] for r in records] == ["WARNING"], lines
    warning = records[0]
    assert warning["message"] == "warning line"
    assert warning["requestId"] == request_id
    assert warning["logger"] == "root"
    assert warning["timestamp"].endswith("Z") and warning["timestamp"][:2] == "20"
    assert not any("info line" in line for line in lines)
    # print() output stays a plain line.
    assert "plain print" in lines

    # System records replace START/END/REPORT.
    assert not any(line.startswith(("START RequestId", "END RequestId", "REPORT RequestId")) for line in lines)
    system = system_records(lines)
    assert [s["type"] for s in system] == ["platform.start", "platform.report"], lines
    assert system[0]["record"] == {"requestId": request_id, "version": "$LATEST"}
    report = system[1]["record"]
    assert report["requestId"] == request_id and report["status"] == "success"
    metrics = report["metrics"]
    assert {"durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs"} <= set(metrics)
    assert metrics["memorySizeMB"] == 128 and metrics["billedDurationMs"] >= 1
    assert system[0]["time"].endswith("Z")

    # A warm invoke has no init duration.
    out, lines = invoke_tail(lam, name)
    warm = system_records(lines)[-1]["record"]
    assert warm["requestId"] == out["requestId"] and "initDurationMs" not in warm["metrics"]


def test_python_exception_fields_in_json(lam, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_LOGGING})},
           LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "ERROR"})
    out, lines = invoke_tail(lam, name, {"exception": True})
    records = app_records(lines)
    assert [r["level"] for r in records] == ["ERROR"], lines
    error = records[0]
    assert error["message"] == "caught it" and error["requestId"] == out["requestId"]
    assert error["errorType"] == "KeyError" and error["errorMessage"] == "'missing'"
    assert isinstance(error["stackTrace"], list) and error["stackTrace"]


def test_node_json_logs_filtered_at_warn(lam, create, name, node_runtime):
    create(name, Runtime=node_runtime, Handler="index.handler", Code={"ZipFile": make_zip({"index.js": NODE_LOGGING})},
           LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN"})
    out, lines = invoke_tail(lam, name)
    records = app_records(lines)
    assert [r["level"] for r in records] == ["WARN", "ERROR"], lines
    warn, error = records
    assert warn["message"] == "warn line" and warn["requestId"] == out["requestId"]
    assert warn["timestamp"].endswith("Z")
    assert error["errorType"] == "TypeError" and error["errorMessage"] == "bad thing"
    assert isinstance(error["stackTrace"], list)
    assert [s["type"] for s in system_records(lines)] == ["platform.start", "platform.report"]

    lam.update_function_configuration(FunctionName=name, LoggingConfig={"ApplicationLogLevel": "DEBUG"})
    levels = wait_for(lambda: (lambda r: r if "DEBUG" in r else None)([r["level"] for r in app_records(invoke_tail(lam, name)[1])]),
                      timeout=10, what="DEBUG level")
    assert levels == ["DEBUG", "INFO", "INFO", "WARN", "ERROR"]


def test_system_log_level_filters_platform_records(lam, create, name):
    create(name, LoggingConfig={"LogFormat": "JSON", "SystemLogLevel": "WARN"})
    _, lines = invoke_tail(lam, name)
    assert system_records(lines) == [] and not any(line.startswith(("START", "END", "REPORT")) for line in lines)
    lam.update_function_configuration(FunctionName=name, LoggingConfig={"SystemLogLevel": "DEBUG"})

    def debug_records():
        types = [s["type"] for s in system_records(invoke_tail(lam, name)[1])]
        return types if types else None
    assert wait_for(debug_records, timeout=10, what="DEBUG system records") == [
        "platform.start", "platform.runtimeDone", "platform.report"]


def test_text_mode_unchanged(lam, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_LOGGING})})
    out, lines = invoke_tail(lam, name)
    rid = out["requestId"]
    assert lines[0] == f"START RequestId: {rid} Version: $LATEST"
    # The root logger keeps Python's WARNING level, as on AWS without a log level.
    assert any(line.startswith("[WARNING]\t") and line.endswith(f"\t{rid}\twarning line") for line in lines), lines
    assert not any("info line" in line for line in lines)
    assert f"END RequestId: {rid}" in lines
    assert any(line.startswith(f"REPORT RequestId: {rid}\tDuration: ") for line in lines)
    assert json_lines(lines) == []


def test_update_switches_formats_both_ways(lam, create, name):
    create(name, Code={"ZipFile": make_zip({"app.py": PY_LOGGING})})
    updated = lam.update_function_configuration(FunctionName=name, LoggingConfig={"LogFormat": "JSON"})
    assert updated["LoggingConfig"] == {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO",
                                        "LogGroup": f"/aws/lambda/{name}"}

    def levels():
        found = [r["level"] for r in app_records(invoke_tail(lam, name)[1])]
        return found if found else None
    assert wait_for(levels, timeout=10, what="JSON logs") == ["INFO", "WARNING"]

    lam.update_function_configuration(FunctionName=name, LoggingConfig={"LogFormat": "Text"})

    def text_start():
        lines = invoke_tail(lam, name)[1]
        return lines if lines[0].startswith("START RequestId: ") else None
    lines = wait_for(text_start, timeout=10, what="text logs")
    assert json_lines(lines) == []


def test_custom_log_group_reaches_the_function(lam, create, name):
    code = "import os\ndef handler(e, c):\n    return {'group': os.environ['AWS_LAMBDA_LOG_GROUP_NAME'], 'ctx': c.log_group_name,\n" \
           "            'format': os.environ.get('AWS_LAMBDA_LOG_FORMAT'), 'level': os.environ.get('AWS_LAMBDA_LOG_LEVEL'),\n" \
           "            'requestId': c.aws_request_id}\n"
    create(name, Code={"ZipFile": make_zip({"app.py": code})},
           LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "FATAL", "LogGroup": "/custom/orders"})
    out, _ = invoke_tail(lam, name)
    assert out["group"] == out["ctx"] == "/custom/orders"
    assert out["format"] == "JSON" and out["level"] == "FATAL"
    assert lam.get_function_configuration(FunctionName=name)["LoggingConfig"]["LogGroup"] == "/custom/orders"


@pytest.mark.parametrize("config, text_level", [
    ({"LogFormat": "Text", "ApplicationLogLevel": "WARN"}, True),
    ({"ApplicationLogLevel": "WARN"}, True),
    ({"SystemLogLevel": "DEBUG"}, True),
    ({"LogFormat": "JSON", "SystemLogLevel": "ERROR"}, False),
])
def test_invalid_combinations_refused(lam, create, name, config, text_level):
    with pytest.raises(ClientError) as e:
        create(name, LoggingConfig=config)
    err = e.value.response["Error"]
    assert err["Code"] == "InvalidParameterValueException"
    if text_level:
        assert "LogLevel is not supported when LogFormat is set to \"Text\"" in err["Message"]
    else:
        assert "loggingConfig.systemLogLevel" in err["Message"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name)


def test_update_refuses_a_level_on_a_text_function(lam, create, name):
    create(name)
    with pytest.raises(ClientError) as e:
        lam.update_function_configuration(FunctionName=name, LoggingConfig={"ApplicationLogLevel": "DEBUG"})
    assert e.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert lam.get_function_configuration(FunctionName=name)["LoggingConfig"]["LogFormat"] == "Text"


def test_stream_holds_init_records_in_order(lam, create, name, server):
    """The log stream (read through the CloudWatch Logs API) has the environment's init records before the first
    invocation's, DEBUG ones included at SystemLogLevel DEBUG."""
    logs = server.client("logs")
    create(name, LoggingConfig={"LogFormat": "JSON", "SystemLogLevel": "DEBUG"})
    out, _ = invoke_tail(lam, name, {})
    group = f"/aws/lambda/{name}"

    def records():
        try:
            streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
        except logs.exceptions.ResourceNotFoundException:
            return None
        messages = [e["message"] for st in streams for e in logs.get_log_events(
            logGroupName=group, logStreamName=st["logStreamName"], startFromHead=True)["events"]]
        types = [d["type"] for d in json_lines(messages) if "type" in d]
        return (types, json_lines(messages)) if "platform.report" in types else None
    types, docs = wait_for(records, timeout=10, what="stored system records")
    assert types == ["platform.initStart", "platform.initRuntimeDone", "platform.start", "platform.runtimeDone",
                     "platform.report"]
    init = docs[0]["record"]
    assert init["initializationType"] == "on-demand" and init["phase"] == "init"
    assert init["functionName"] == name and init["functionVersion"] == "$LATEST"
    assert init["runtimeVersion"].startswith("python:")
