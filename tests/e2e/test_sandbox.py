"""What an execution environment's sandbox holds a function to: memory, CPU, filesystem, processes, network."""
import json
import os
import subprocess
import sys
import tempfile

import pytest

from conftest import make_zip, wait_for, zip_directory


@pytest.fixture(autouse=True)
def sandboxed(server):
    if not server.health["isolation"].startswith("sandbox"):
        pytest.skip("environments are not sandboxed on this host: " + server.health["isolation"])


def invoke(lam, name, payload=None):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode())
    return r, json.loads(r["Payload"].read())


def test_memory_overrun_is_stopped(lam, create, name):
    # bytes * n fills the memory at C speed, so the 128 MB function's small CPU share is not what stops it.
    code = "def handler(event, context):\n    hog = b'\\x01' * (event['mb'] * 1024 * 1024)\n    return len(hog)\n"
    create(name, Code={"ZipFile": make_zip({"app.py": code})}, MemorySize=128, Timeout=30)
    r, out = invoke(lam, name, {"mb": 16})
    assert out == 16 * 1024 * 1024
    r, out = invoke(lam, name, {"mb": 400})
    assert r["FunctionError"] == "Unhandled"
    assert out["errorType"] == "Runtime.OutOfMemory"
    assert invoke(lam, name, {"mb": 1})[1] == 1024 * 1024, "a fresh environment after the overrun"


def test_cpu_share_follows_memory(lam, create, name):
    code = ("import time\ndef handler(event, context):\n    wall = time.monotonic(); cpu = time.process_time()\n"
            "    while time.monotonic() - wall < 1.0:\n        pass\n"
            "    return (time.process_time() - cpu) / (time.monotonic() - wall)\n")
    create(name, Code={"ZipFile": make_zip({"app.py": code})}, MemorySize=128, Timeout=10)
    invoke(lam, name)  # the first call may still run at init speed for a moment
    r, share = invoke(lam, name)
    assert share < 0.2, f"a 128 MB function used {share:.2f} of a core"
    assert share > 0.02


ISOLATION_PROBE = """
import os, socket, json
def handler(event, context):
    out = {}
    if event.get("write"):
        with open("/tmp/secret-" + event["write"], "w") as f:
            f.write("mine")
    out["tmp"] = sorted(os.listdir("/tmp"))
    out["task"] = sorted(os.listdir("/var/task"))
    out["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    out["uid"] = os.getuid()
    for key, path in [("data_dir", event["data_dir"]), ("root", "/root"), ("work", "/work")]:
        out[key] = os.path.exists(path)
    try:
        os.kill(event["server_pid"], 15)
        out["kill"] = "sent"
    except ProcessLookupError:
        out["kill"] = "no such process"
    except PermissionError:
        out["kill"] = "denied"
    # The server's port on the environment's loopback is Swiftlet's endpoint, relayed; any other host port is not there.
    for key, port in (("server_port", event["server_port"]), ("other_port", event["server_port"] + 1)):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            out[key] = "reachable"
        except OSError as e:
            out[key] = type(e).__name__
    try:
        open("/var/task/x", "w")
        out["write_task"] = "ok"
    except OSError as e:
        out["write_task"] = e.errno
    return out
"""


def test_functions_are_isolated_from_each_other_and_the_host(lam, create, name, server):
    port = int(server.endpoint.rsplit(":", 1)[1])
    event = {"data_dir": server.data_dir, "server_pid": server.proc.pid, "server_port": port}
    create(name + "-a", Code={"ZipFile": make_zip({"app.py": ISOLATION_PROBE, "a_only.txt": "a"})})
    create(name + "-b", Code={"ZipFile": make_zip({"app.py": ISOLATION_PROBE, "b_only.txt": "b"})})
    _, a = invoke(lam, name + "-a", {**event, "write": "a"})
    _, b = invoke(lam, name + "-b", {**event, "write": "b"})
    assert a["tmp"] == ["secret-a"] and b["tmp"] == ["secret-b"], "each environment has its own /tmp"
    assert "b_only.txt" not in a["task"] and "a_only.txt" not in b["task"]
    assert max(a["pids"]) < 50 and 1 in a["pids"], "a PID namespace of its own"
    assert a["uid"] != 0
    assert not a["data_dir"] and not a["root"] and not a["work"], "host paths are hidden"
    assert a["kill"] == "no such process", "the server is invisible and cannot be signalled"
    assert a["server_port"] == "reachable", "Swiftlet's endpoint is relayed into the environment"
    assert a["other_port"] in ("ConnectionRefusedError", "TimeoutError", "OSError"), a["other_port"]
    assert a["write_task"] == 30, "EROFS on /var/task"
    assert server.proc.poll() is None


OTHER_API_PROBE = """
import os, http.client, json
def handler(event, context):
    # Our own Runtime API answers; a request for someone else's invocation is refused.
    conn = http.client.HTTPConnection("127.0.0.1", 9001, timeout=2)
    conn.request("POST", "/2018-06-01/runtime/invocation/" + event["other"] + "/response", body=b"{}")
    status = conn.getresponse().status
    return {"api": os.environ["AWS_LAMBDA_RUNTIME_API"], "other_status": status}
"""


def test_runtime_api_is_private_to_its_environment(lam, create, name, server):
    slow = "import time\ndef handler(event, context):\n    time.sleep(event.get('s', 0))\n    return context.aws_request_id\n"
    create(name + "-slow", Code={"ZipFile": make_zip({"app.py": slow})}, Timeout=10)
    create(name + "-probe", Code={"ZipFile": make_zip({"app.py": OTHER_API_PROBE})})
    import concurrent.futures
    other = server.client()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        fut = pool.submit(lambda: other.invoke(FunctionName=name + "-slow", Payload=b'{"s": 2}'))
        # The slow invocation's request id is only known to its environment; guessing one must not work.
        _, out = invoke(lam, name + "-probe", {"other": "00000000-0000-0000-0000-000000000000"})
        r = fut.result()
    assert out == {"api": "127.0.0.1:9001", "other_status": 400}
    assert "FunctionError" not in r


CHILD_LEFT_BEHIND = """
import subprocess
def handler(event, context):
    subprocess.Popen(["sleep", event["marker"]], start_new_session=True)
    return "spawned"
"""


def host_has_process(marker):
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if f.read().split(b"\0")[:2] == [b"sleep", marker.encode()]:
                        return True
            except OSError:
                pass
    return False


def test_child_processes_die_with_their_environment(lam, create, name):
    marker = "4242%d" % (os.getpid() % 1000)
    create(name, Code={"ZipFile": make_zip({"app.py": CHILD_LEFT_BEHIND})})
    assert invoke(lam, name, {"marker": marker})[1] == "spawned"
    wait_for(lambda: host_has_process(marker), timeout=5, what="the child to start")
    # A configuration change retires the environment.
    lam.update_function_configuration(FunctionName=name, Description="changed")
    wait_for(lambda: not host_has_process(marker), timeout=10, what="the child to die with its environment")


def test_awslambdaric_bootstrap(lam, create, name):
    with tempfile.TemporaryDirectory() as deps:
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--target", deps, "--only-binary=:all:", "--python-version", "3.11",
                              "--platform", "manylinux2014_x86_64", "awslambdaric"], capture_output=True, text=True)
        if pip.returncode != 0:
            pytest.skip("awslambdaric could not be installed: " + pip.stderr[-300:])
        bootstrap = "#!/bin/sh\nexport PYTHONPATH=/var/task\nexec /usr/bin/python3.11 -m awslambdaric app.handler\n"
        app = "def handler(event, context):\n    print('ric says hi')\n    return {'ric': event, 'id': context.aws_request_id}\n"
        zipped = zip_directory(deps, extra={"bootstrap": bootstrap, "app.py": app}, executables={"bootstrap"})
    if not os.path.exists("/usr/bin/python3.11"):
        pytest.skip("no /usr/bin/python3.11 for the awslambdaric wheel")
    create(name, Runtime="provided.al2023", Handler="app.handler", Code={"ZipFile": zipped}, Timeout=10)
    r = lam.invoke(FunctionName=name, Payload=b'{"k": 1}', LogType="Tail")
    out = json.loads(r["Payload"].read())
    assert "FunctionError" not in r, out
    assert out["ric"] == {"k": 1} and out["id"] == r["ResponseMetadata"]["RequestId"]
    import base64
    assert "ric says hi" in base64.b64decode(r["LogResult"]).decode()
    r2 = lam.invoke(FunctionName=name, Payload=b'{"k": 2}')
    assert json.loads(r2["Payload"].read())["ric"] == {"k": 2}


def test_an_environment_due_to_freeze_as_it_is_picked_still_answers(python_runtime):
    """Regression: a freeze timer firing between taking an idle environment and handing it the invocation
    froze the runtime mid-invocation (a timeout). With a 1 ms freeze grace that window is hit often."""
    import concurrent.futures
    import threading

    import boto3
    from botocore.config import Config

    from conftest import ROLE, Server

    with tempfile.TemporaryDirectory(prefix="swiftlet-freeze-") as data_dir:
        s = Server(data_dir, flags=["--freeze-after", "1"])
        try:
            lam = s.client()
            lam.create_function(FunctionName="f", Runtime=python_runtime, Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": make_zip({"app.py": "def handler(e, c):\n    return 1\n"})})
            local = threading.local()

            def one(_):
                if not hasattr(local, "c"):
                    local.c = boto3.client("lambda", endpoint_url=s.endpoint, region_name="us-east-1",
                                           aws_access_key_id=s.access_key, aws_secret_access_key=s.secret_key,
                                           config=Config(retries={"total_max_attempts": 1}))
                r = local.c.invoke(FunctionName="f", Payload=b"{}")
                return r.get("FunctionError"), r["Payload"].read()

            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                failures = [out for err, out in pool.map(one, range(1500)) if err]
            assert failures == [], failures[:2]
        finally:
            assert s.stop() == 0
