"""Swiftlet's runtime interface client for Python: runs a handler behind the Lambda Runtime API.

Started as `python3 /var/runtime/python/bootstrap.py` with `_HANDLER`, `LAMBDA_TASK_ROOT` and
`AWS_LAMBDA_RUNTIME_API` set. Stdlib only; imports kept to what the invoke loop needs.
"""
import json
import os
import sys
import time

_RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))


def _fix_sys_path():
    """User code first, then layers, then the interpreter's own paths; never this runtime's directory."""
    task_root = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
    version = "%d.%d" % sys.version_info[:2]
    rest = [p for p in sys.path if p not in ("", _RUNTIME_DIR, os.path.dirname(_RUNTIME_DIR)) and p != task_root]
    sys.path[:] = [task_root, "/opt/python/lib/python%s/site-packages" % version, "/opt/python"] + rest


class RuntimeClient:
    """Keep-alive HTTP/1.1 client of the Runtime API on a raw socket: the invoke loop's hot path, so it
    parses only what the Runtime API sends (status line, headers, Content-Length body)."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host, int(port))
        self.host = address.encode()
        self.sock = None
        self.buf = b""

    def _connect(self):
        import socket
        self.sock = socket.create_connection(self.address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _call(self, method, path, body=b"", headers=None):
        extra = "".join("%s: %s\r\n" % kv for kv in headers.items()).encode() if headers else b""
        request = b"%s /2018-06-01/runtime%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n%s\r\n" % (
            method, path.encode(), self.host, len(body), extra) + body
        for attempt in (0, 1):
            try:
                if self.sock is None:
                    self._connect()
                self.sock.sendall(request)
                return self._read_response()
            except (ConnectionError, OSError):
                if self.sock is not None:
                    self.sock.close()
                self.sock = None
                if attempt:
                    raise

    def _read_response(self):
        buf = self.buf
        recv = self.sock.recv
        while True:
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            chunk = recv(65536)
            if not chunk:
                raise ConnectionError("Runtime API closed the connection")
            buf += chunk
        lines = buf[:end].split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower().decode()] = value.strip().decode()
        length = int(headers.get("content-length", "0"))
        start = end + 4
        while len(buf) - start < length:
            chunk = recv(max(65536, length - (len(buf) - start)))
            if not chunk:
                raise ConnectionError("Runtime API closed the connection")
            buf += chunk
        self.buf = buf[start + length:]
        return status, headers, buf[start:start + length]

    def next(self):
        return self._call(b"GET", "/invocation/next")

    def respond(self, request_id, body):
        return self._call(b"POST", "/invocation/%s/response" % request_id, body)

    def error(self, request_id, error):
        return self._post_error("/invocation/%s/error" % request_id, error)

    def init_error(self, error):
        return self._post_error("/init/error", error)

    def _post_error(self, path, error):
        body = json.dumps(error).encode()
        headers = {"Lambda-Runtime-Function-Error-Type": error.get("errorType", "Unhandled"),
                   "Content-Type": "application/json"}
        return self._call(b"POST", path, body, headers)


class CognitoIdentity:
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self, identity_id=None, pool_id=None):
        self.cognito_identity_id = identity_id
        self.cognito_identity_pool_id = pool_id


class Client:
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")

    def __init__(self, d):
        self.installation_id = d.get("installation_id")
        self.app_title = d.get("app_title")
        self.app_version_name = d.get("app_version_name")
        self.app_version_code = d.get("app_version_code")
        self.app_package_name = d.get("app_package_name")


class ClientContext:
    __slots__ = ("client", "custom", "env")

    def __init__(self, d):
        client = d.get("client")
        self.client = Client(client) if client else None
        self.custom = d.get("custom")
        self.env = d.get("env")


class LambdaContext:
    """The `context` argument, with Lambda's attribute names."""

    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
    function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
    memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
    log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
    log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")

    def __init__(self, request_id, deadline_ms, arn, client_context, cognito):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self._deadline_ms = deadline_ms
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        c = json.loads(cognito) if cognito else {}
        self.identity = CognitoIdentity(c.get("cognitoIdentityId"), c.get("cognitoIdentityPoolId"))

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)


class _FaultError(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def _trace_of(exc, skip_runtime_frames=True):
    import traceback
    frames = traceback.extract_tb(exc.__traceback__)
    if skip_runtime_frames:
        frames = [f for f in frames if not f.filename.startswith(_RUNTIME_DIR)]
    return traceback.format_list(frames)


def _log_error(error_type, message, trace):
    text = "[ERROR] %s: %s" % (error_type, message)
    if trace:
        text += "\nTraceback (most recent call last):\n" + "".join(trace)
    sys.stdout.write(text.rstrip("\n") + "\n")
    sys.stdout.flush()


def _load_handler(handler):
    try:
        module_path, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise _FaultError("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, e))
    module_name = module_path.replace("/", ".")
    if module_name.startswith("."):
        raise _FaultError("Runtime.MalformedHandlerName", "Bad handler '%s': Empty module name" % handler)
    import importlib
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise _FaultError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e), _trace_of(e))
    except SyntaxError as e:
        raise _FaultError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e), _trace_of(e))
    except Exception as e:
        raise _FaultError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e), _trace_of(e))
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _FaultError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))


class _LambdaLogHandler:
    """Formats `logging` records as Lambda's text format: [LEVEL]\\t<time>\\t<request id>\\t<message>."""


def _install_logging(current):
    """Formats `logging` records as Lambda's text format: [LEVEL]\t<time>\t<request id>\t<message>."""
    import logging

    class Handler(logging.Handler):
        def emit(self, record):
            try:
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % (record.msecs,)
                line = "[%s]\t%s\t%s\t%s\n" % (record.levelname, stamp, current[0], self.format(record))
                sys.stdout.write(line)
                sys.stdout.flush()
            except Exception:
                self.handleError(record)

    root = logging.getLogger()
    root.handlers[:] = [Handler()]
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    root.setLevel(getattr(logging, level, logging.WARNING) if level else logging.WARNING)


def main():
    _fix_sys_path()
    # Every line reaches the log as it is printed, even if the process dies right after.
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    current = [None]
    try:
        handler = _load_handler(os.environ.get("_HANDLER", ""))
        # Lambda's text log format for the logging module, when the function uses it (importing
        # logging costs milliseconds of cold start, so functions that don't, don't pay for it).
        if "logging" in sys.modules:
            _install_logging(current)
    except _FaultError as e:
        _log_error(e.error_type, e.message, e.trace)
        client.init_error({"errorMessage": e.message, "errorType": e.error_type, "requestId": "", "stackTrace": e.trace})
        sys.exit(1)

    environ = os.environ
    dumps = json.dumps
    loads = json.loads
    while True:
        _, headers, body = client.next()
        request_id = headers.get("lambda-runtime-aws-request-id")
        current[0] = request_id
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            environ["_X_AMZN_TRACE_ID"] = trace
        else:
            environ.pop("_X_AMZN_TRACE_ID", None)
        context = LambdaContext(request_id, int(headers.get("lambda-runtime-deadline-ms", "0")),
                                headers.get("lambda-runtime-invoked-function-arn"),
                                headers.get("lambda-runtime-client-context"),
                                headers.get("lambda-runtime-cognito-identity"))
        try:
            event = loads(body) if body else {}
            result = handler(event, context)
        except SystemExit:
            # Lambda reports a handler that exits the interpreter as the runtime exiting.
            sys.stdout.flush()
            raise
        except Exception as e:
            error_type = type(e).__name__
            trace_lines = _trace_of(e)
            _log_error(error_type, str(e), trace_lines)
            client.error(request_id, {"errorMessage": str(e), "errorType": error_type, "requestId": request_id,
                                      "stackTrace": trace_lines})
            continue
        try:
            payload = dumps(result).encode()
        except (TypeError, ValueError) as e:
            message = "Unable to marshal response: %s" % e
            _log_error("Runtime.MarshalError", message, [])
            client.error(request_id, {"errorMessage": message, "errorType": "Runtime.MarshalError",
                                      "requestId": request_id, "stackTrace": []})
            continue
        sys.stdout.flush()
        client.respond(request_id, payload)


if __name__ == "__main__":
    main()
