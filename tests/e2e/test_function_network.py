"""Functions' network through boto3: a sandboxed function reaches a host the server machine routes to (a test host
in a network namespace this test makes, 198.51.100.0/24), but not the host's own services, not other environments,
and nothing at all with `--function-network none`. Root and a sandbox are needed (skipped otherwise)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import pytest

from conftest import Server, make_zip, wait_for

TEST_HOST = "198.51.100.2"
TEST_HOST_GATEWAY = "198.51.100.1"

PROBE = '''
import os, socket, time, urllib.error, urllib.request

def connect(host, port):
    s = socket.socket()
    s.settimeout(1.5)
    try:
        s.connect((host, port))
        return "connected"
    except OSError as e:
        return type(e).__name__
    finally:
        s.close()

def handler(event, context):
    action = event["action"]
    if action == "fetch":
        return {"body": urllib.request.urlopen(event["url"], timeout=5).read().decode(),
                "interfaces": sorted(name for _, name in socket.if_nameindex()),
                "resolv": open("/etc/resolv.conf").read()}
    if action == "connect":
        return {target: connect(target, event["port"]) for target in event["targets"]}
    if action == "listen":
        s = socket.socket()
        s.bind(("0.0.0.0", event["port"]))
        s.listen(8)
        # Tell the test this environment's address through the test host's request log.
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.connect((event["host"], 9))
        address = probe.getsockname()[0]
        try:
            urllib.request.urlopen(f"http://{event['host']}:8080/listening-at-{address}", timeout=5).read()
        except urllib.error.HTTPError:
            pass  # 404: the request line in the test host's log is what counts
        s.settimeout(0.2)
        accepted, deadline = 0, time.time() + event["seconds"]
        while time.time() < deadline:
            try:
                c, _ = s.accept()
                accepted += 1
                c.close()
            except socket.timeout:
                pass
        return {"address": address, "accepted": accepted}
'''


def ip(*args, check=True):
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


@pytest.fixture(scope="module")
def network_server(server):
    if not server.health["isolation"].startswith("sandbox"):
        pytest.skip("functions' network needs the sandbox (root, namespaces)")
    if not server.health.get("network", "").startswith("nat"):
        pytest.skip(f"functions have no network here: {server.health.get('network')}")
    return server


@pytest.fixture(scope="module")
def test_host():
    """A host in a network namespace of its own, routed from this machine, serving 1 KB over HTTP."""
    tag = uuid.uuid4().hex[:6]
    ns, veth = f"swltest-{tag}", f"swlt{tag}"
    www = tempfile.mkdtemp(prefix="swiftlet-www-")
    with open(os.path.join(www, "kb"), "w") as f:
        f.write("x" * 1024)
    log = open(os.path.join(www, "requests.log"), "w")
    ip("netns", "add", ns)
    server = None
    try:
        ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
        ip("addr", "add", f"{TEST_HOST_GATEWAY}/24", "dev", veth)
        ip("link", "set", veth, "up")
        ip("-n", ns, "addr", "add", f"{TEST_HOST}/24", "dev", "eth0")
        ip("-n", ns, "link", "set", "eth0", "up")
        ip("-n", ns, "link", "set", "lo", "up")
        ip("-n", ns, "route", "add", "default", "via", TEST_HOST_GATEWAY)
        server = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-m", "http.server", "8080",
                                   "--bind", TEST_HOST, "--directory", www], stdout=log, stderr=log)

        def serving():
            try:
                with socket.create_connection((TEST_HOST, 8080), timeout=0.5):
                    return True
            except OSError:
                return False
        wait_for(serving, timeout=20, what="the test host's HTTP server")
        yield {"url": f"http://{TEST_HOST}:8080/kb", "log": log.name}
    finally:
        if server:
            server.kill()
            server.wait()
        ip("netns", "del", ns, check=False)
        ip("link", "del", veth, check=False)
        log.close()


@pytest.fixture
def probe(lam, create, python_runtime):
    if not python_runtime.startswith("python"):
        pytest.skip("no Python runtime on this host")

    def _make(**overrides):
        name = "net-" + uuid.uuid4().hex[:8]
        create(name, Timeout=20, Code={"ZipFile": make_zip({"app.py": PROBE})}, **overrides)
        return name
    return _make


def call(lam, name, event):
    out = lam.invoke(FunctionName=name, Payload=json.dumps(event).encode())
    result = json.loads(out["Payload"].read())
    assert "FunctionError" not in out, result
    return result


def test_a_function_reaches_a_host_the_server_routes_to(network_server, lam, probe, test_host):
    result = call(lam, probe(), {"action": "fetch", "url": test_host["url"]})
    assert result["body"] == "x" * 1024
    assert result["interfaces"] == ["eth0", "lo"]
    with open("/etc/resolv.conf") as f:
        assert result["resolv"] == f.read(), "the host's resolver configuration is inside"


def test_a_function_cannot_reach_the_hosts_own_services(network_server, lam, probe, test_host):
    listener = socket.socket()
    listener.bind(("0.0.0.0", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            pass  # the service is up for the host itself
        gateway = network_server.health["network"].split()[1].rsplit(".", 2)[0] + ".0.1"
        result = call(lam, probe(), {"action": "connect", "port": port, "targets": [gateway, TEST_HOST_GATEWAY]})
        assert result == {gateway: "TimeoutError", TEST_HOST_GATEWAY: "TimeoutError"}, result
    finally:
        listener.close()


def test_environments_cannot_reach_each_other(network_server, lam, probe, test_host):
    listening, connecting = probe(), probe()
    answer = {}
    thread = threading.Thread(target=lambda: answer.update(call(
        lam, listening, {"action": "listen", "port": 7000, "seconds": 6, "host": TEST_HOST})))
    thread.start()
    try:
        def announced():
            with open(test_host["log"]) as f:
                lines = [line for line in f if "listening-at-" in line]
            return lines and lines[-1].split("listening-at-")[1].split()[0]
        address = wait_for(announced, timeout=15, what="the listening function's address")
        # The host reaches it (so it is listening), another environment does not.
        with socket.create_connection((address, 7000), timeout=2):
            pass
        result = call(lam, connecting, {"action": "connect", "port": 7000, "targets": [address]})
        assert result[address] in ("TimeoutError", "ConnectionRefusedError"), result
    finally:
        thread.join(30)
    assert answer["accepted"] == 1, answer


def test_function_network_none_keeps_functions_offline(python_runtime, test_host):
    if not python_runtime.startswith("python"):
        pytest.skip("no Python runtime on this host")
    with tempfile.TemporaryDirectory(prefix="swiftlet-offline-") as data_dir:
        s = Server(data_dir, flags=("--function-network", "none"))
        try:
            if not s.health["isolation"].startswith("sandbox"):
                pytest.skip("functions' network needs the sandbox")
            assert s.health["network"].startswith("none")
            lam = s.client()
            lam.create_function(FunctionName="offline", Runtime=python_runtime, Role="arn:aws:iam::000000000000:role/lambda-role",
                                Handler="app.handler", Timeout=20, Code={"ZipFile": make_zip({"app.py": PROBE})})
            result = call(lam, "offline", {"action": "connect", "port": 8080, "targets": [TEST_HOST]})
            assert result[TEST_HOST] != "connected", result
        finally:
            assert s.stop() == 0
