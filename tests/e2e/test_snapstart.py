"""SnapStart: a published version's environments are copies of one template that ran the function's init once.

Checked through boto3 against AWS's documented behaviour: the configuration's `SnapStart` (ApplyOn,
OptimizationStatus On for published versions and Off for $LATEST), runtimes without SnapStart refused, REPORT's
`Restore Duration` in place of `Init Duration`, `AWS_LAMBDA_INITIALIZATION_TYPE=snap-start` without the log
group and stream variables, `snapshot_restore_py` hooks, init state shared by every copy while `random` differs;
and what isolation must keep: each copy its own /tmp, PID namespace, network and memory.
"""
import base64
import concurrent.futures
import json
import os
import signal
import tempfile

import pytest
from botocore.exceptions import ClientError

from conftest import ROLE, Server, make_zip, processes_with_environ, wait_for
from test_stem_cells import metric

# AWS has SnapStart for Python 3.12 and later; Swiftlet for the Pythons from 3.9 a host has (README).
SNAPSTART_RUNTIME = next((f"python3.{m}" for m in range(15, 8, -1) if os.path.exists(f"/usr/bin/python3.{m}")), "python3.11")

HANDLER = r'''
import os, random, socket, uuid
from snapshot_restore_py import register_before_snapshot, register_after_restore

TOKEN = uuid.uuid4().hex          # made once, by the template's init
HOOKS = []
COUNTER = [0]

@register_before_snapshot
def before():
    HOOKS.append("before")

def after(label):
    HOOKS.append(label)

register_after_restore(after, "after")

def handler(event, context):
    COUNTER[0] += 1
    if event.get("write"):
        with open("/tmp/" + event["write"], "w") as f:
            f.write("x")
    if event.get("sleep"):
        import time
        time.sleep(event["sleep"])
    return {
        "token": TOKEN,
        "random": random.random(),
        "urandom": os.urandom(8).hex(),
        "hooks": HOOKS,
        "counter": COUNTER[0],
        "init_type": os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE"),
        "log_group_var": os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME"),
        "log_stream_var": os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME"),
        "custom": os.environ.get("CUSTOM"),
        "tmp": sorted(os.listdir("/tmp")),
        "pid": os.getpid(),
        "uid": os.getuid(),
        "interfaces": sorted(n for _, n in socket.if_nameindex()),
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "cwd": os.getcwd(),
        "version": context.function_version,
    }
'''


@pytest.fixture(scope="module")
def sandbox_server(server):
    if not server.health["isolation"].startswith("sandbox"):
        pytest.skip("environments are not sandboxed on this host: " + server.health["isolation"])
    if SNAPSTART_RUNTIME not in server.health["runtimes"]:
        pytest.skip(SNAPSTART_RUNTIME + " is not available on this host")
    return server


def invoke(lam, name, payload=None, tail=False):
    args = dict(FunctionName=name, Payload=json.dumps(payload or {}).encode())
    if tail:
        args["LogType"] = "Tail"
    r = lam.invoke(**args)
    out = json.loads(r["Payload"].read())
    assert "FunctionError" not in r, out
    log = base64.b64decode(r["LogResult"]).decode() if tail else ""
    return out, log


def make_snapstart_function(lam, name, **extra):
    lam.create_function(FunctionName=name, Runtime=SNAPSTART_RUNTIME, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": HANDLER})}, SnapStart={"ApplyOn": "PublishedVersions"},
                        Environment={"Variables": {"CUSTOM": "value"}}, **extra)
    return lam.publish_version(FunctionName=name)


def concurrent_invokes(lam, qualified, count, sleep=1.0):
    """`count` invokes at once, each holding its environment for `sleep` seconds: `count` environments."""
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda i: invoke(lam, qualified, {"sleep": sleep}, tail=True), range(count)))


def snapstart_pids(function_name):
    """Host pids of every process of a function's SnapStart templates and copies: their initial environment says so
    (a copy inherits its template's memory)."""
    return processes_with_environ(b"_SWIFTLET_TEMPLATE_FD=3", b"AWS_LAMBDA_FUNCTION_NAME=" + function_name.encode())


def template_pids(function_name):
    """Host pids of the SnapStart templates' runtimes of a function: their PID namespace is a sandbox's (a copy's is
    one level further), and they run as the function's uid (their launcher and init run as root)."""
    found = []
    for pid in snapstart_pids(function_name):
        try:
            with open(f"/proc/{pid}/status") as f:
                levels = next(len(line.split()) - 1 for line in f if line.startswith("NSpid:"))
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                runtime = b"bootstrap.py" in f.read()
            uid = os.stat(f"/proc/{pid}").st_uid
        except (OSError, StopIteration):
            continue
        if runtime and uid != 0 and levels == 2:
            found.append(pid)
    return found


def test_configuration_reports_snapstart_as_aws(sandbox_server, lam, name):
    published = make_snapstart_function(lam, name)
    assert published["SnapStart"] == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"}
    latest = lam.get_function_configuration(FunctionName=name)
    assert latest["SnapStart"] == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "Off"}
    version = lam.get_function_configuration(FunctionName=name, Qualifier=published["Version"])
    assert version["SnapStart"] == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"}
    # As on AWS, not with provisioned concurrency.
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier=published["Version"],
                                               ProvisionedConcurrentExecutions=1)
    # Turned off: later versions are not optimised, the published one keeps its configuration.
    lam.update_function_configuration(FunctionName=name, SnapStart={"ApplyOn": "None"})
    wait_for(lambda: lam.get_function_configuration(FunctionName=name)["LastUpdateStatus"] == "Successful")
    assert lam.get_function_configuration(FunctionName=name)["SnapStart"] == {"ApplyOn": "None", "OptimizationStatus": "Off"}
    assert lam.get_function_configuration(FunctionName=name, Qualifier="1")["SnapStart"]["OptimizationStatus"] == "On"


def test_runtimes_without_snapstart_are_refused(sandbox_server, lam, name):
    node = next((r for r in sandbox_server.health["runtimes"] if r.startswith("nodejs")), None)
    if node is None:
        pytest.skip("no Node.js runtime on this host")
    code = make_zip({"index.mjs": "export const handler = async (e) => e;\n"})
    with pytest.raises(ClientError) as e:
        lam.create_function(FunctionName=name, Runtime=node, Role=ROLE, Handler="index.handler",
                            Code={"ZipFile": code}, SnapStart={"ApplyOn": "PublishedVersions"})
    assert e.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert e.value.response["Error"]["Message"] == node + " is not supported for SnapStart enabled functions."
    with pytest.raises(ClientError):
        lam.get_function(FunctionName=name)
    with pytest.raises(ClientError) as e:
        lam.create_function(FunctionName=name, Runtime=node, Role=ROLE, Handler="index.handler",
                            Code={"ZipFile": code}, SnapStart={"ApplyOn": "Always"})
    assert "snapStart.applyOn" in e.value.response["Error"]["Message"]
    # Nor can an update switch it on for a runtime without it.
    lam.create_function(FunctionName=name, Runtime=node, Role=ROLE, Handler="index.handler", Code={"ZipFile": code})
    with pytest.raises(ClientError) as e:
        lam.update_function_configuration(FunctionName=name, SnapStart={"ApplyOn": "PublishedVersions"})
    assert e.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert lam.get_function_configuration(FunctionName=name)["SnapStart"]["ApplyOn"] == "None"


def test_copies_share_init_and_nothing_else(sandbox_server, lam, name):
    published = make_snapstart_function(lam, name)
    qualified = name + ":" + published["Version"]
    results = concurrent_invokes(lam, qualified, 3)
    outs = [out for out, _ in results]
    # Init ran once, in the template: every copy has its token and ran its hooks in order.
    assert len({o["token"] for o in outs}) == 1
    assert all(o["hooks"] == ["before", "after"] for o in outs), outs
    # State made in the handler differs: `random` is reseeded in every copy, the kernel's randomness is its own.
    assert len({o["random"] for o in outs}) == 3
    assert len({o["urandom"] for o in outs}) == 3
    for out, log in results:
        assert out["counter"] == 1, "an environment served two of three concurrent invokes"
        assert out["init_type"] == "snap-start"
        assert out["log_group_var"] is None and out["log_stream_var"] is None
        assert out["custom"] == "value" and out["version"] == published["Version"] and out["cwd"] == "/var/task"
        # Its own PID namespace (the runtime is its second process, as in every environment) and its own /tmp.
        assert out["pid"] == 2 and out["pids"][:2] == [1, 2], out["pids"]
        assert out["tmp"] == []
        report = [line for line in log.splitlines() if line.startswith("REPORT")][0]
        assert "Restore Duration: " in report and "Billed Restore Duration: " in report, report
        assert "Init Duration" not in report, report
    # A file one copy writes in /tmp is not seen by another.
    wrote, _ = invoke(lam, qualified, {"write": "mine"})
    assert wrote["tmp"] == ["mine"]
    others = concurrent_invokes(lam, qualified, 3, sleep=0.5)
    assert sum(1 for o, _ in others if o["tmp"] == ["mine"]) == 1, [o["tmp"] for o, _ in others]


def test_a_standby_copy_serves_the_first_cold_start_and_is_made_again(sandbox_server, lam, name):
    published = make_snapstart_function(lam, name)
    # The template is made at publish, and one copy of it waits on standby.
    standby = dict(function=name, version=published["Version"], state="standby_copies")
    wait_for(lambda: metric(sandbox_server, "swiftlet_snapstart_templates", **standby) >= 1, timeout=20, what="a standby copy")
    before = metric(sandbox_server, "swiftlet_snapstart_restores_total", result="standby")
    out, log = invoke(lam, name + ":" + published["Version"], tail=True)
    assert metric(sandbox_server, "swiftlet_snapstart_restores_total", result="standby") == before + 1
    assert out["hooks"] == ["before", "after"] and out["tmp"] == [] and out["custom"] == "value"
    assert "Restore Duration" in log
    wait_for(lambda: metric(sandbox_server, "swiftlet_snapstart_templates", **standby) >= 1, timeout=20,
             what="the next standby copy")


def test_copies_see_what_a_classic_environment_sees(sandbox_server, lam, name):
    published = make_snapstart_function(lam, name)
    restored, _ = invoke(lam, name + ":" + published["Version"])
    classic, _ = invoke(lam, name)  # $LATEST starts the classic way
    assert classic["init_type"] == "on-demand"
    for key in ("interfaces", "uid", "pid", "cwd", "custom", "tmp"):
        assert restored[key] == classic[key] or key == "uid", (key, restored[key], classic[key])
    assert restored["pids"] == classic["pids"]


def test_a_template_that_dies_is_replaced_and_its_copies_live_on(sandbox_server, lam, name):
    published = make_snapstart_function(lam, name)
    qualified = name + ":" + published["Version"]
    first, _ = invoke(lam, qualified)
    wait_for(lambda: len(template_pids(name)) == 1, timeout=10, what="the template")
    os.kill(template_pids(name)[0], signal.SIGKILL)
    wait_for(lambda: not template_pids(name), timeout=10, what="the template's end")
    # The warm copy still answers; a cold start makes a new template (a new init: a new token).
    results = concurrent_invokes(lam, qualified, 2)
    tokens = {out["token"] for out, _ in results}
    assert first["token"] in tokens
    assert len(tokens) == 2, "no new template was made"
    assert any("Restore Duration" in log for _, log in results)


def test_an_init_error_fails_the_invoke_as_a_classic_start(sandbox_server, lam, name):
    lam.create_function(FunctionName=name, Runtime=SNAPSTART_RUNTIME, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": "raise ValueError('bad init')\n"})},
                        SnapStart={"ApplyOn": "PublishedVersions"})
    version = lam.publish_version(FunctionName=name)["Version"]
    r = lam.invoke(FunctionName=name + ":" + version, Payload=b"{}")
    assert r["FunctionError"] == "Unhandled"
    assert json.loads(r["Payload"].read())["errorType"] == "ValueError"


SHARED_MEMORY = r'''
import mmap, time
SHARED = mmap.mmap(-1, 4096)     # anonymous and shared: what a fork would leave shared between copies
SHARED.write(b"init")

def handler(event, context):
    SHARED.seek(0)
    SHARED.write(event["mark"].encode())
    time.sleep(event["sleep"])
    SHARED.seek(0)
    return {"seen": SHARED.read(4).decode()}
'''


def test_memory_shared_at_init_is_private_to_each_copy(sandbox_server, lam, name):
    lam.create_function(FunctionName=name, Runtime=SNAPSTART_RUNTIME, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": SHARED_MEMORY})}, SnapStart={"ApplyOn": "PublishedVersions"})
    qualified = name + ":" + lam.publish_version(FunctionName=name)["Version"]
    marks = ["aaaa", "bbbb", "cccc"]
    with concurrent.futures.ThreadPoolExecutor(len(marks)) as pool:
        results = list(pool.map(lambda m: invoke(lam, qualified, {"mark": m, "sleep": 1.0}, tail=True), marks))
    assert [out["seen"] for out, _ in results] == marks
    assert all("Restore Duration" in log for _, log in results)


# A function's init runs in the template and can change the runtime client the copies run: here it disables one of
# the steps that confine a copy. The launcher checks the copy from outside and refuses it (the server logs why); the
# invoke starts the classic way instead (Init Duration in its REPORT, and no runtime client of a template there).
HOSTILE = r'''
import gc, mmap, types
KEEP = mmap.mmap(-1, 4096)
FOUND = False
for module in gc.get_objects():
    if isinstance(module, types.ModuleType) and module.__name__ == "_swiftlet_snapstart":
        setattr(module, "{step}", lambda *args: None)
        FOUND = True

def handler(event, context):
    return {{"found": FOUND}}
'''


@pytest.mark.parametrize("step, refusal", [
    ("_drop_capabilities", "kept capabilities"),
    ("_install_filter", "seccomp filters, not 2"),
    ("_privatise_shared_mappings", "shares memory with its template"),
])
def test_a_copy_its_template_left_unconfined_is_refused(sandbox_server, lam, name, step, refusal):
    lam.create_function(FunctionName=name, Runtime=SNAPSTART_RUNTIME, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": HOSTILE.format(step=step)})},
                        SnapStart={"ApplyOn": "PublishedVersions"})
    qualified = name + ":" + lam.publish_version(FunctionName=name)["Version"]
    out, log = invoke(lam, qualified, tail=True)
    assert out == {"found": False}
    report = [line for line in log.splitlines() if line.startswith("REPORT")][0]
    assert "Init Duration" in report and "Restore Duration" not in report, report

    def refused():
        with open(sandbox_server.log.name, errors="replace") as f:
            return any(name in line and refusal in line for line in f)
    wait_for(refused, timeout=10, what="the server's word on the refused copy")


def test_nothing_outlives_a_killed_server(sandbox_server):
    with tempfile.TemporaryDirectory(prefix="swiftlet-e2e-snapkill-") as data_dir:
        s = Server(data_dir, flags=["--function-network", "none", "--xray-daemon-port", "0"])
        lam = s.client()
        published = make_snapstart_function(lam, "doomed-snap")
        invoke(lam, "doomed-snap:" + published["Version"])  # a copy in use, the template, and a standby copy
        standby = dict(function="doomed-snap", version=published["Version"], state="standby_copies")
        wait_for(lambda: metric(s, "swiftlet_snapstart_templates", **standby) >= 1, timeout=20, what="a standby copy")
        pids = snapstart_pids("doomed-snap")
        assert len(pids) >= 5, pids  # the template's runtime; PID 1 and the runtime of each copy
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait(timeout=10)
        s.log.close()
        wait_for(lambda: not any(os.path.exists(f"/proc/{p}") for p in pids), timeout=10, what="the template and copies to die")


def test_shutdown_ends_templates_and_copies(sandbox_server):
    with tempfile.TemporaryDirectory(prefix="swiftlet-e2e-snapstop-") as data_dir:
        s = Server(data_dir, flags=["--function-network", "none", "--xray-daemon-port", "0"])
        lam = s.client()
        published = make_snapstart_function(lam, "stopped-snap")
        invoke(lam, "stopped-snap:" + published["Version"])
        pids = snapstart_pids("stopped-snap")
        assert pids
        assert s.stop() == 0
        assert not any(os.path.exists(f"/proc/{p}") for p in pids)
