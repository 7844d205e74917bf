"""Swiftlet's runtime interface client for Python: runs a Lambda handler behind the Runtime API.

Started as `python3 /var/runtime/python/bootstrap.py` (any CPython 3.8+, stdlib only) with
`_HANDLER`, `LAMBDA_TASK_ROOT` and `AWS_LAMBDA_RUNTIME_API` set, plus the usual `AWS_LAMBDA_*`
variables that end up on the context object.

What a function sees is meant to be what AWS Lambda's managed Python runtimes show it: the handler
string and its init errors, the context object, the error document and its log line, the `logging`
set-up, `_X_AMZN_TRACE_ID`. Choices worth knowing:

* Startup cost is kept low: only `json`, `os`, `sys`, `time` and the C `_socket` module are loaded
  up front. The Runtime API client is a keep-alive HTTP/1.1 client on a raw socket (`http.client`
  would pull in `ssl` and `email`, tens of milliseconds); an invocation's answer and the next
  `GET /invocation/next` go out in one write (HTTP/1.1 pipelining), so an invocation costs one round
  trip and two system calls. `traceback` is loaded on the first error.
  `logging` is configured the moment anything imports it (a one-shot import hook), so the root
  logger has Lambda's handler before the user's module-level code runs, exactly as on AWS, while a
  function that never uses `logging` does not pay for importing it.
* `sys.exit()` (or any other `BaseException` that is not an `Exception`) inside the handler ends the
  process, as on AWS; the platform then answers the invocation with `Runtime.ExitError`.
* `context.memory_limit_in_mb` is a string, as AWS's runtime reads it straight from the environment.
* Stdout and stderr are line buffered (AWS flushes every write); both are flushed before the
  response is posted so that the invocation's log is complete.
* A stem cell (`_SWIFTLET_STEM_CELL=1`) is this runtime started before its function is known: it
  imports everything above, warms the paths every init takes first, connects to its Runtime API, says "R"
  on stdin (a socket), then waits there for one line of JSON, `{"env": {...}, "cwd": ...}`, sent while
  the platform attaches the function's code at /var/task. It takes that environment as its own
  (os.environ and the C environment, the time zone), waits for "G" (the code is attached), puts stdin
  back on /dev/null, enters the function's directory and continues exactly as a freshly started runtime:
  no code of any function ran before.
* SnapStart (`_SWIFTLET_TEMPLATE_FD` set): this runtime is a version's template. It runs the function's
  init once, then the `snapshot_restore_py` before-snapshot hooks (last registered first), and
  forks a copy for every new environment of the version (snapstart.py). A copy takes its
  environment from the platform, gets fresh `random` state (Python reseeds it in every forked child),
  runs the after-restore hooks in registration order and serves the Runtime API as any runtime.
  `snapshot_restore_py` is importable in every Python function, as in AWS's runtimes.
* The runtime's own error log lines use "\\n" between lines and plain spaces for indentation (AWS's
  stdout sink uses "\\r" and U+00A0, its telemetry sink "\\n"); each line is a log line here.
"""

import json
import os
import sys
import time

import _socket

_THIS_FILE = os.path.abspath(__file__)
_THIS_DIR = os.path.dirname(_THIS_FILE)
_CODE_FILE = sys._getframe().f_code.co_filename  # how this file's frames name it in tracebacks

_environ = os.environ


def _log_settings():
    """AWS_LAMBDA_LOG_FORMAT is JSON; AWS_LAMBDA_LOG_LEVEL (TRACE is DEBUG to `logging`)."""
    level = (_environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    return (_environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON", "DEBUG" if level == "TRACE" else level


_LOG_FORMAT_JSON, _LOG_LEVEL = _log_settings()

# The invocation being handled; the `logging` handler tags its records with it.
_request_id = None
_tenant_id = None
_logging_configured = [False]
_interpreter_paths = []  # sys.path as the interpreter set it up, without this runtime's directories


# --------------------------------------------------------------------------------------------
# Process set-up


def _set_sys_path():
    """User code first, then layers, then the interpreter's own paths; never this runtime's files."""
    task_root = _environ.get("LAMBDA_TASK_ROOT") or "/var/task"
    version = "%d.%d" % sys.version_info[:2]
    layer_site = "/opt/python/lib/python%s/site-packages" % version
    front = [task_root, layer_site, "/opt/python"]
    # The platform's AWS SDK (boto3), after the function's own code and layers, as on Lambda.
    sdk = _environ.get("_SWIFTLET_PYTHON_SDK")
    platform = [sdk] if sdk else []
    drop = {_THIS_DIR, os.path.dirname(_THIS_DIR), ""}
    rest = []
    for entry in sys.path:
        normalized = os.path.normpath(entry) if entry else ""
        if normalized in drop or entry in front or normalized in front or entry in rest or entry in platform:
            continue
        rest.append(entry)
    sys.path[:] = front + platform + rest
    _interpreter_paths[:] = rest
    # Like AWS, `.pth` files in the code and layer directories are honoured.
    site = sys.modules.get("site")
    if site is not None:
        for directory in front:
            try:
                if os.path.isdir(directory) and any(n.endswith(".pth") for n in os.listdir(directory)):
                    site.addsitedir(directory)
            except Exception:
                pass


def _set_up_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            if (stream.encoding or "").lower().replace("-", "") != "utf8":
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
            stream.reconfigure(line_buffering=True)
        except (AttributeError, ValueError, OSError):
            pass


def _flush_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


# --------------------------------------------------------------------------------------------
# The `logging` module: Lambda's handler on the root logger


def _configure_logging(logging):
    """Adds Lambda's handler to the root logger, as AWS's runtime does before loading the function."""
    if _logging_configured[0] or not hasattr(logging, "Handler"):
        return
    _logging_configured[0] = True
    logging.Formatter.converter = time.gmtime

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _request_id or ""
            record.tenant_id = _tenant_id
            return True

    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            try:
                text = self.format(record)
                if not text.endswith("\n"):
                    text += "\n"
                sys.stdout.write(text)
            except RecursionError:
                raise
            except Exception:
                self.handleError(record)

    handler = LambdaLoggerHandler()
    if _LOG_FORMAT_JSON:
        handler.setFormatter(_json_log_formatter(logging))
    else:
        handler.setFormatter(logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = getattr(logging, "_nameToLevel", {}).get(_LOG_LEVEL)
    if _LOG_LEVEL and level is not None:
        root.setLevel(level)
    root.addHandler(handler)


_RESERVED_RECORD_FIELDS = frozenset((
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info",
    "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread",
    "threadName", "processName", "process", "aws_request_id", "tenant_id", "taskName"))


def _json_log_formatter(logging):
    """Lambda's JSON log format (AWS_LAMBDA_LOG_FORMAT=JSON) for `logging` records."""

    class JsonFormatter(logging.Formatter):
        def format(self, record):
            level = min(50, max(0, record.levelno)) // 10 * 10
            doc = {
                "timestamp": _iso_time(record.created),
                "level": logging.getLevelName(level),
                "message": record.getMessage(),
                "logger": record.name,
            }
            if record.exc_info:
                import traceback
                doc["stackTrace"] = traceback.format_tb(record.exc_info[2])
                doc["errorType"] = record.exc_info[0].__name__
                doc["errorMessage"] = str(record.exc_info[1])
                doc["location"] = "%s:%s:%s" % (record.pathname, record.funcName, record.lineno)
            doc["requestId"] = getattr(record, "aws_request_id", None)
            if getattr(record, "tenant_id", None) is not None:
                doc["tenantId"] = record.tenant_id
            for key, value in record.__dict__.items():
                if key not in _RESERVED_RECORD_FIELDS and key not in doc:
                    doc[key] = value
            doc = {k: v for k, v in doc.items() if v is not None}
            return json.dumps(doc, ensure_ascii=False, default=str) + "\n"

    return JsonFormatter()


class _LoggingImportHook(object):
    """A meta path finder for `logging` alone: lets the regular finders locate it and wraps the
    loader so that the module is configured as soon as it has executed; then leaves sys.meta_path."""

    busy = False

    def find_spec(self, name, path=None, target=None):
        if name != "logging" or self.busy:
            return None
        self.busy = True
        try:
            # The interpreter's own `logging` first, as on AWS where it was imported before the
            # code directory went onto sys.path (a function's own logging.py does not replace it).
            spec = None
            for finder in sys.meta_path:
                if getattr(finder, "__name__", None) == "PathFinder" and _interpreter_paths:
                    spec = finder.find_spec(name, _interpreter_paths)
                    break
            if spec is None:
                for finder in list(sys.meta_path):
                    find = getattr(finder, "find_spec", None)
                    spec = find(name, path, target) if find is not None and finder is not self else None
                    if spec is not None:
                        break
                else:
                    return None
        finally:
            self.busy = False
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            _late_logging_configuration[0] = True
            return spec
        spec.loader = _ConfiguringLoader(spec.loader, self)
        return spec


class _ConfiguringLoader(object):
    def __init__(self, loader, hook):
        self.loader = loader
        self.hook = hook

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        try:
            sys.meta_path.remove(self.hook)
        except ValueError:
            pass
        _configure_logging(module)

    def __getattr__(self, name):
        return getattr(self.loader, name)


# Set when the hook could not wrap the loader: configure once the import is over.
_late_logging_configuration = [False]


def _install_logging_hook():
    if "logging" in sys.modules:
        _configure_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _LoggingImportHook())


def _check_late_logging():
    if _late_logging_configuration[0] and "logging" in sys.modules:
        _late_logging_configuration[0] = False
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _LoggingImportHook)]
        _configure_logging(sys.modules["logging"])


# --------------------------------------------------------------------------------------------
# Errors


class _Fault(Exception):
    """An error the runtime reports with its own type (Runtime.*)."""

    def __init__(self, error_type, message, trace=None):
        Exception.__init__(self, message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


def _error_document(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace or [],
    }


def _describe(value):
    try:
        return str(value)
    except Exception:
        return "<unprintable %s object>" % type(value).__name__


def _user_stack_trace(tb):
    """traceback.format_list entries for the frames of `tb`, this file's own frames left out."""
    import traceback
    frames = [f for f in traceback.extract_tb(tb) if f.filename != _CODE_FILE and f.filename != _THIS_FILE]
    return traceback.format_list(frames)


def _document_for_exception(exc, request_id=None):
    return _error_document(_describe(exc), type(exc).__name__, _user_stack_trace(exc.__traceback__), request_id)


def _iso_time(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % (int(seconds * 1000) % 1000)


def _log_error(doc):
    """The runtime's log line for an error, in Lambda's text (or JSON) format."""
    if _LOG_FORMAT_JSON:
        entry = {"timestamp": _iso_time(time.time()), "level": "ERROR"}
        entry.update(doc)
        text = json.dumps(entry, ensure_ascii=False) + "\n"
    else:
        head = "[ERROR]"
        if doc.get("errorType"):
            head += " " + doc["errorType"]
        if doc.get("errorMessage"):
            head += (":" if doc.get("errorType") else "") + " " + doc["errorMessage"]
        lines = [head, "Traceback (most recent call last):"]
        for entry in doc.get("stackTrace") or []:
            lines.extend(entry.splitlines() if entry else [""])
        text = "\n".join(lines) + "\n"
    try:
        sys.stdout.write(text)
    except Exception:
        try:
            sys.__stdout__.write(text)
        except Exception:
            pass
    _flush_output()


# --------------------------------------------------------------------------------------------
# The Runtime API


class _RuntimeAPI(object):
    """A keep-alive HTTP/1.1 client of the Runtime API on one raw socket: the invoke loop's hot path,
    so it only understands what the Runtime API sends (a status line, headers, a Content-Length or
    chunked body)."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        if not host:
            host, port = address, "80"
        host = host.strip("[]")
        self.family = _socket.AF_INET6 if ":" in host else _socket.AF_INET
        self.address = (host, int(port))
        prefix = "/2018-06-01/runtime"
        host_header = "Host: %s\r\n" % address
        self.next_request = ("GET %s/invocation/next HTTP/1.1\r\n%s\r\n" % (prefix, host_header)).encode()
        self.response_head = ("POST %s/invocation/%%s/response HTTP/1.1\r\n%sContent-Type: %%s\r\n"
                              "Content-Length: %%d\r\n\r\n" % (prefix, host_header))
        self.error_head = ("POST %s/invocation/%%s/error HTTP/1.1\r\n%sContent-Type: application/json\r\n"
                           "Lambda-Runtime-Function-Error-Type: %%s\r\nContent-Length: %%d\r\n\r\n" % (prefix, host_header))
        self.init_error_head = ("POST %s/init/error HTTP/1.1\r\n%sContent-Type: application/json\r\n"
                                "Lambda-Runtime-Function-Error-Type: %%s\r\nContent-Length: %%d\r\n\r\n" % (prefix, host_header))
        self.sock = None
        self.buf = b""
        self.next_pending = False

    def _connect(self):
        sock = _socket.socket(self.family, _socket.SOCK_STREAM)
        try:
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
            sock.connect(self.address)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
        self.buf = b""

    def _close(self):
        self.next_pending = False
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None
        self.buf = b""

    def _send(self, head, body, tail):
        sock = self.sock
        if body and len(body) > 65536:
            sock.sendall(head)
            sock.sendall(body)
            if tail:
                sock.sendall(tail)
        else:
            sock.sendall(head + body + tail)

    def _exchange(self, head, body=b"", then_next=False):
        """Sends one request and returns (status, headers with lower-case names, body). With
        `then_next`, a GET next is pipelined behind it on the same write (one round trip per
        invocation instead of two); its answer is read by `_pipelined_next`."""
        tail = self.next_request if then_next else b""
        for attempt in (0, 1):
            fresh = self.sock is None
            try:
                if fresh:
                    self._connect()
                self._send(head, body, tail)
                answer = self._read_response()
                self.next_pending = bool(tail) and self.sock is not None
                return answer
            except OSError:
                self._close()
                # A keep-alive connection the server had already closed: once more on a new one.
                if attempt or fresh:
                    raise

    def _pipelined_next(self):
        if self.next_pending:
            self.next_pending = False
            try:
                status, headers, body = self._read_response()
                if status == 200 and headers.get("lambda-runtime-aws-request-id"):
                    return headers, body
            except OSError:
                self._close()
        return self.next()

    def _read_response(self):
        sock = self.sock
        buf = self.buf
        end = buf.find(b"\r\n\r\n")
        while end < 0:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionResetError("the Runtime API closed the connection")
            buf += chunk
            end = buf.find(b"\r\n\r\n", max(0, len(buf) - len(chunk) - 3))
        lines = buf[:end].decode("utf-8", "replace").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        start = end + 4
        length = headers.get("content-length")
        if length is not None:
            length = int(length)
            if len(buf) - start >= length:
                body = buf[start:start + length]
                self.buf = buf[start + length:]
            else:
                body = self._read_exactly(buf[start:], length)
                self.buf = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = self._read_chunked(buf[start:])
        else:
            self.buf = buf[start:]
            body = b""
        if headers.get("connection", "").lower() == "close":
            self._close()
        return status, headers, body

    def _read_exactly(self, have, length):
        body = bytearray(length)
        view = memoryview(body)
        view[:len(have)] = have
        filled = len(have)
        recv_into = self.sock.recv_into
        while filled < length:
            n = recv_into(view[filled:])
            if not n:
                raise ConnectionResetError("the Runtime API closed the connection")
            filled += n
        return bytes(body)

    def _read_chunked(self, buf):
        parts = []
        while True:
            while b"\r\n" not in buf:
                buf += self._recv()
            line, _, buf = buf.partition(b"\r\n")
            size = int(line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while not (buf.startswith(b"\r\n") or b"\r\n\r\n" in buf):
                    buf += self._recv()
                self.buf = buf[2:] if buf.startswith(b"\r\n") else buf[buf.index(b"\r\n\r\n") + 4:]
                return b"".join(parts)
            while len(buf) < size + 2:
                buf += self._recv()
            parts.append(buf[:size])
            buf = buf[size + 2:]

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("the Runtime API closed the connection")
        return chunk

    def next(self):
        while True:
            status, headers, body = self._exchange(self.next_request)
            if status == 200 and headers.get("lambda-runtime-aws-request-id"):
                return headers, body
            # Anything else is the platform telling this runtime off; there is nothing to answer.
            time.sleep(0.01)

    def respond_then_next(self, request_id, body, content_type="application/json"):
        """Posts the invocation's response and waits for the next invocation."""
        head = (self.response_head % (request_id, content_type, len(body))).encode()
        self._exchange(head, body, then_next=True)
        return self._pipelined_next()

    def error_then_next(self, request_id, doc):
        """Posts the invocation's error and waits for the next invocation."""
        body = json.dumps(doc).encode()
        head = (self.error_head % (request_id, _header_value(doc.get("errorType")), len(body))).encode()
        self._exchange(head, body, then_next=True)
        return self._pipelined_next()

    def post_init_error(self, doc):
        body = json.dumps(doc).encode()
        head = (self.init_error_head % (_header_value(doc.get("errorType")), len(body))).encode()
        return self._exchange(head, body)[0]


def _header_value(text):
    text = str(text or "Unhandled")
    return "".join(c if " " <= c <= "~" else "?" for c in text)


# --------------------------------------------------------------------------------------------
# The context object


class CognitoIdentity(object):
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self, identity_id=None, pool_id=None):
        self.cognito_identity_id = identity_id
        self.cognito_identity_pool_id = pool_id

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.cognito_identity_id, self.cognito_identity_pool_id)


class Client(object):
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")

    def __init__(self, fields):
        for name in Client.__slots__:
            setattr(self, name, fields.get(name))

    def __repr__(self):
        return "Client([%s])" % ",".join("%s=%s" % (n, getattr(self, n)) for n in Client.__slots__)


class ClientContext(object):
    __slots__ = ("custom", "env", "client")

    def __init__(self, fields):
        self.custom = fields.get("custom")
        self.env = fields.get("env")
        client = fields.get("client")
        self.client = Client(client) if isinstance(client, dict) else client

    def __repr__(self):
        return "ClientContext([custom=%s,env=%s,client=%s])" % (self.custom, self.env, self.client)


class LambdaContext(object):
    """The handler's `context` argument, with Lambda's attribute names."""

    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, identity, tenant_id=None):
        self.aws_request_id = request_id
        self.log_group_name = _environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = _environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = _environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = _environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = _environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self.client_context = ClientContext(client_context) if isinstance(client_context, dict) else client_context
        if isinstance(identity, dict):
            self.identity = CognitoIdentity(identity.get("cognitoIdentityId"), identity.get("cognitoIdentityPoolId"))
        else:
            self.identity = CognitoIdentity()
        self._epoch_deadline_time_in_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        remaining = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return ("LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
                "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,"
                "identity=%s,tenant_id=%s])" % (
                    self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                    self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
                    self.client_context, self.identity, self.tenant_id))


def _parse_json_header(value, name):
    try:
        return json.loads(value)
    except Exception as e:
        raise _Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse %s JSON: %s" % (name, _describe(e)))


# --------------------------------------------------------------------------------------------
# Marshalling


def _make_marshaller():
    """Returns marshal(result) -> (bytes, content type), raising _Fault(Runtime.MarshalError)."""
    # AWS's python3.12 runtime alone writes non-ASCII characters as they are.
    ensure_ascii = _environ.get("AWS_EXECUTION_ENV") != "AWS_Lambda_python3.12"
    marker = "\x00swiftlet-decimal\x00"
    used_decimal = [False]

    def default(value):
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(value, decimal.Decimal):
            # Written as the number it holds, digit for digit, as AWS's encoder does.
            if value.is_nan():
                return float("nan")
            used_decimal[0] = True
            return marker + str(value) + marker
        raise TypeError("Object of type %s is not JSON serializable" % value.__class__.__name__)

    encode = json.JSONEncoder(default=default, ensure_ascii=ensure_ascii).encode

    def undo_markers(text):
        import re
        pattern = re.escape(json.dumps(marker)[1:-1])
        return re.sub('"%s([^"\\\\]*)%s"' % (pattern, pattern), lambda m: m.group(1), text)

    def marshal(result):
        if isinstance(result, bytes):
            return result, "application/unknown"
        try:
            text = encode(result)
        except Exception as e:
            used_decimal[0] = False
            raise _Fault("Runtime.MarshalError", "Unable to marshal response: %s" % _describe(e))
        if used_decimal[0]:
            used_decimal[0] = False
            text = undo_markers(text)
        return text.encode("utf-8"), "application/json"

    return marshal


# --------------------------------------------------------------------------------------------
# Loading the handler


def _load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise _Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, e))
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise _Fault("Runtime.BuiltInModuleConflict",
                     "Cannot use built-in module %s as a handler module" % module_name)
    import importlib
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise _Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, _describe(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise _Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, _describe(e)), trace)
    finally:
        _check_late_logging()
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))


# --------------------------------------------------------------------------------------------
# Main loop


def _init(api):
    try:
        return _load_handler(_environ.get("_HANDLER", ""))
    except _Fault as fault:
        doc = _error_document(fault.message, fault.error_type, fault.trace)
    except Exception as e:
        doc = _document_for_exception(e)
    _log_error(doc)
    try:
        api.post_init_error(doc)
    finally:
        _flush_output()
        sys.exit(1)


def _serve(api, handler):
    global _request_id, _tenant_id
    environ = _environ
    marshal = _make_marshaller()
    loads = json.loads
    respond_then_next = api.respond_then_next
    stdout_flush = _flush_output
    late_logging = _late_logging_configuration

    headers, body = api.next()
    while True:
        if late_logging[0]:
            _check_late_logging()
        get = headers.get
        request_id = get("lambda-runtime-aws-request-id")
        _request_id = request_id
        _tenant_id = get("lambda-runtime-aws-tenant-id")
        trace_id = get("lambda-runtime-trace-id")
        if trace_id:
            environ["_X_AMZN_TRACE_ID"] = trace_id
        elif "_X_AMZN_TRACE_ID" in environ:
            del environ["_X_AMZN_TRACE_ID"]
        try:
            client_context = get("lambda-runtime-client-context")
            client_context = _parse_json_header(client_context, "Client Context") if client_context else None
            identity = get("lambda-runtime-cognito-identity")
            identity = _parse_json_header(identity, "Cognito Identity") if identity else None
            context = LambdaContext(request_id, int(get("lambda-runtime-deadline-ms") or 0),
                                    get("lambda-runtime-invoked-function-arn"), client_context, identity, _tenant_id)
            content_type = get("content-type")
            if content_type is None or content_type.startswith("application/json"):
                try:
                    event = loads(body)
                except Exception as e:
                    raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % _describe(e))
            else:
                event = body
            payload, payload_type = marshal(handler(event, context))
        except _Fault as fault:
            doc = _error_document(fault.message, fault.error_type, fault.trace, request_id)
        except Exception as e:
            doc = _document_for_exception(e, request_id)
        else:
            stdout_flush()
            headers, body = respond_then_next(request_id, payload, payload_type)
            continue
        _log_error(doc)
        headers, body = api.error_then_next(request_id, doc)


def _replace_environ(environment):
    """Makes `environment` the process's whole environment (os.environ and the C one), in its order. Not `clear()`:
    that pops one variable at a time from a fresh iterator, quadratic in their number (~0.1 ms here)."""
    for name in list(_environ):
        del _environ[name]
    _environ.update(environment)


def _warm_up():
    """A stem cell, before its function is known: runs once what every cold start runs first, on the runtime's
    own files and made-up values, so that the function's init does not pay for it (the interpreter's first
    compile, source import, JSON round trip and environment change each cost a process tens to hundreds of
    microseconds the first time: page faults, allocator arenas, caches). No state is kept but those caches."""
    import importlib  # its loaders, without importing `importlib.machinery` (a classic start does not)
    external = importlib._bootstrap_external
    finder = external.FileFinder(_THIS_DIR, (external.SourceFileLoader, [".py"]))
    spec = finder.find_spec("snapstart")
    if spec is not None:
        compile(spec.loader.get_data(spec.origin), spec.origin, "exec")  # not get_source: it imports tokenize
    json.loads(_make_marshaller()({"warm": [1, 2.5, "x", None, True, {"a": []}]})[0])
    _environ["_SWIFTLET_WARM"] = "1"
    del _environ["_SWIFTLET_WARM"]
    time.tzset()


def _await_function():
    """A stem cell: waits for the function's environment on stdin and takes it (see the module's doc).
    Returns its Runtime API client, connected ahead (the platform accepts the connection once it serves this
    environment's Runtime API), or None."""
    global _LOG_FORMAT_JSON, _LOG_LEVEL
    import importlib  # what loading the handler needs, ready before the function is known
    _warm_up()
    api = _environ.get("AWS_LAMBDA_RUNTIME_API")
    client = None
    if api is not None:
        client = _RuntimeAPI(api)
        try:
            client._connect()
        except OSError:
            client = None
    try:
        os.write(0, b"R")  # stdin is the platform's socket: ready
    except OSError:
        pass
    data = b""
    while b"\n" not in data:
        chunk = os.read(0, 65536)
        if not chunk:
            os._exit(0)  # the platform let this stem cell go unused
        data += chunk
    line, _, rest = data.partition(b"\n")
    message = json.loads(line)
    # What the interpreter set for itself at startup (PEP 538's locale coercion) it would set in a classic start too:
    # the platform starts functions that set LANG or LC_* the classic way.
    coerced = _environ.get("LC_CTYPE")
    _replace_environ(message["env"])
    if api is not None:
        _environ["AWS_LAMBDA_RUNTIME_API"] = api
    if coerced is not None and "LC_CTYPE" not in _environ:
        _environ["LC_CTYPE"] = coerced
    time.tzset()
    _LOG_FORMAT_JSON, _LOG_LEVEL = _log_settings()
    # The environment comes while the platform attaches the function's code; "G" says it is there (and the Runtime
    # API served). Nothing of the function's is touched before: not even its directory.
    while not rest:
        rest = os.read(0, 16)
        if not rest:
            os._exit(0)  # the platform gave up on this cell
    if rest[:1] != b"G":
        os._exit(1)
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.chdir(message["cwd"])
    importlib.invalidate_caches()
    return client


# --------------------------------------------------------------------------------------------
# SnapStart runtime hooks


def _install_snapshot_hooks():
    """`snapshot_restore_py`, as AWS's Python runtimes provide it: hooks registered at init."""
    import types
    module = types.ModuleType("snapshot_restore_py")
    before, after = [], []

    def register_before_snapshot(func, *args, **kwargs):
        before.append((func, args, kwargs))
        return func

    def register_after_restore(func, *args, **kwargs):
        after.append((func, args, kwargs))
        return func

    module.register_before_snapshot = register_before_snapshot
    module.register_after_restore = register_after_restore
    module.get_before_snapshot = lambda: before
    module.get_after_restore = lambda: after
    sys.modules["snapshot_restore_py"] = module
    return before, after


def _run_hooks(api, hooks, error_type):
    """Runs hooks; one that raises fails the environment as an init error would."""
    try:
        for func, args, kwargs in hooks:
            func(*args, **kwargs)
        return
    except Exception as e:
        doc = _document_for_exception(e)
        doc["errorType"] = error_type
    _log_error(doc)
    try:
        api.post_init_error(doc)
    finally:
        _flush_output()
        os._exit(1)


def _restored(environment):
    """A copy of a template takes its own environment, as a stem cell does."""
    global _LOG_FORMAT_JSON, _LOG_LEVEL
    coerced = _environ.get("LC_CTYPE")
    _replace_environ(environment)
    if coerced is not None and "LC_CTYPE" not in _environ:
        _environ["LC_CTYPE"] = coerced
    time.tzset()
    _LOG_FORMAT_JSON, _LOG_LEVEL = _log_settings()


def main():
    template = _environ.pop("_SWIFTLET_TEMPLATE_FD", None)
    program_fd = _environ.pop("_SWIFTLET_SECCOMP_FD", None)
    api = None
    if _environ.get("_SWIFTLET_STEM_CELL") == "1":
        api = _await_function()
    _set_sys_path()
    _set_up_streams()
    _install_logging_hook()
    before_snapshot, after_restore = _install_snapshot_hooks()
    if api is None:
        api = _RuntimeAPI(_environ["AWS_LAMBDA_RUNTIME_API"])
    if template is None:
        handler = _init(api)
        _serve(api, handler)
        return
    import importlib.util
    spec = importlib.util.spec_from_file_location("_swiftlet_snapstart", os.path.join(_THIS_DIR, "snapstart.py"))
    snapstart = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(snapstart)
    program = snapstart.read_filter(int(program_fd))
    handler = _init(api)
    environment = snapstart.become_template(
        int(template), program, lambda: _run_hooks(api, reversed(before_snapshot), "Runtime.BeforeSnapshotError"),
        _flush_output)
    _restored(environment)
    api = _RuntimeAPI(_environ["AWS_LAMBDA_RUNTIME_API"])
    _run_hooks(api, after_restore, "Runtime.AfterRestoreError")
    _serve(api, handler)


if __name__ == "__main__":
    main()
