"""OpenTelemetry export (issue 15): with --otlp-endpoint (or SWIFTLET_OTLP_ENDPOINT) set, the spans of a sampled invocation's platform phases
reach an OTLP/HTTP JSON collector (here a receiver on 127.0.0.1) in the same trace the function saw."""
import json
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROLE, Server, make_zip, wait_for

ECHO = "import os\ndef handler(event, context):\n    return os.environ['_X_AMZN_TRACE_ID']\n"


class Collector(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def collector():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def exporting(collector):
    with tempfile.TemporaryDirectory(prefix="swiftlet-otlp-") as data_dir:
        s = Server(data_dir, flags=("--otlp-endpoint", collector, "--xray-daemon-port", "0"))
        yield s
        assert s.stop() == 0


def spans_of(trace_hex):
    return [span for path, ctype, body in Collector.received for rs in body["resourceSpans"]
            for ss in rs["scopeSpans"] for span in ss["spans"] if span["traceId"] == trace_hex]


def test_a_sampled_invocations_phases_are_exported_as_spans(exporting):
    lam = exporting.client()
    runtime = [r for r in exporting.health["runtimes"] if r.startswith("python")][-1]
    lam.create_function(FunctionName="otlp-fn", Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": ECHO})}, TracingConfig={"Mode": "Active"})
    header = json.loads(lam.invoke(FunctionName="otlp-fn", Payload=b"{}")["Payload"].read())
    fields = dict(part.split("=", 1) for part in header.split(";"))
    trace_hex = fields["Root"][2:].replace("-", "")

    spans = wait_for(lambda: (lambda s: s if len(s) >= 5 else None)(spans_of(trace_hex)), timeout=15, what="exported spans")
    path, ctype, body = next(r for r in Collector.received if any(
        sp["traceId"] == trace_hex for rs in r[2]["resourceSpans"] for ss in rs["scopeSpans"] for sp in ss["spans"]))
    assert path == "/v1/traces" and ctype == "application/json"
    resource = {a["key"]: a["value"]["stringValue"] for a in body["resourceSpans"][0]["resource"]["attributes"]}
    assert resource["service.name"] == "swiftlet"

    by_name = {}
    for span in spans:
        by_name.setdefault(span["name"], []).append(span)
    service, function = sorted(by_name["otlp-fn"], key=lambda s: s["kind"], reverse=True)
    assert service["kind"] == 2 and "parentSpanId" not in service
    assert function["spanId"] == fields["Parent"] and function["parentSpanId"] == service["spanId"]
    for phase in ("Initialization", "Invocation", "Overhead"):
        (span,) = by_name[phase]
        assert span["parentSpanId"] == function["spanId"]
        assert int(function["startTimeUnixNano"]) <= int(span["startTimeUnixNano"]) <= int(span["endTimeUnixNano"]) <= int(function["endTimeUnixNano"])
    assert all(s["status"]["code"] == 1 for s in spans)


def test_bad_tracing_flags_are_refused():
    import subprocess
    from conftest import BIN
    for flags in (["--xray-daemon-port", "nope"], ["--otlp-endpoint", "ftp://x"]):
        r = subprocess.run([BIN, "serve", "--port", "0", *flags], capture_output=True, text=True, timeout=30)
        assert r.returncode != 0 and flags[0] in r.stderr
