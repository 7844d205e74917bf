"""Stem cells: pre-started Python environments specialised at a cold start (`--stem-cells`, on by default).

What a function sees must not depend on whether its environment came from a stem cell: these tests compare a server
with stem cells and one without (`--stem-cells 0`), check that two functions served from stem cells share nothing,
that a stem cell that dies while waiting is replaced, and that nothing outlives a server killed with SIGKILL.
"""
import base64
import json
import os
import re
import signal
import tempfile
import urllib.request
import uuid

import pytest

from conftest import BIN, ROLE, Server, make_zip, processes_with_environ, wait_for


def metric(server, name, **labels):
    """The value of one series on the server's /metrics (0 when absent)."""
    with urllib.request.urlopen(server.endpoint + "/metrics", timeout=5) as r:
        text = r.read().decode()
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        m = re.match(r'^([a-z_]+)\{([^}]*)\} (\S+)$', line)
        if m and m.group(1) == name and ",".join(sorted(m.group(2).split(","))) == want:
            return float(m.group(3))
    return 0.0


def python_runtime_of(server):
    runtimes = [r for r in server.health["runtimes"] if r.startswith("python")]
    if not runtimes:
        pytest.skip("no Python runtime on this host")
    return runtimes[-1]


def ready_stem_cells(server, runtime):
    return metric(server, "swiftlet_stem_cells", runtime=runtime, state="ready")


def hits(server, runtime):
    return metric(server, "swiftlet_stem_cell_claims_total", runtime=runtime, result="hit")


def wait_for_stem_cell(server, runtime):
    wait_for(lambda: ready_stem_cells(server, runtime) >= 1, timeout=30, what="a ready stem cell")


def invoke(lam, name, payload=None):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode())
    return r, json.loads(r["Payload"].read())


def cold_invoke_from_stem_cell(server, lam, runtime, name, payload=None):
    """The first invoke of `name`, which must be served by a stem cell."""
    wait_for_stem_cell(server, runtime)
    before = hits(server, runtime)
    r, out = invoke(lam, name, payload)
    assert hits(server, runtime) == before + 1, "the cold start was not served by a stem cell"
    return r, out


def stem_cell_pids(server):
    """Host pids of the waiting Python runtimes of `server`'s stem cells: their initial environment says they are one,
    and their stdin is still the platform's socket (a specialised one has put /dev/null there)."""
    found = []
    for entry in map(str, processes_with_environ(b"_SWIFTLET_STEM_CELL=1")):
        try:
            with open(f"/proc/{entry}/cgroup") as f:
                if f"/swiftlet-{server.proc.pid}/" not in f.read():
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if b"bootstrap.py" not in f.read():
                    continue
            # The runtime itself (its launcher and init run as root and share its stdin).
            if os.stat(f"/proc/{entry}").st_uid == 0 or not os.readlink(f"/proc/{entry}/fd/0").startswith("socket:"):
                continue
        except OSError:
            continue
        found.append(int(entry))
    return found


@pytest.fixture(scope="module")
def sandbox_server(server):
    if not server.health["isolation"].startswith("sandbox"):
        pytest.skip("environments are not sandboxed on this host: " + server.health["isolation"])
    return server


@pytest.fixture(scope="module")
def classic_server(sandbox_server):
    """A second server that starts every environment the classic way."""
    with tempfile.TemporaryDirectory(prefix="swiftlet-e2e-classic-") as data_dir:
        s = Server(data_dir, flags=["--stem-cells", "0", "--function-network", "none", "--xray-daemon-port", "0"])
        yield s
        assert s.stop() == 0


# What the probe reports of its environment; it runs the same on both servers.
PROBE = r'''
import os, resource, socket, sys
COUNT = 0
MARK = os.urandom(8).hex()

def mounts():
    out = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            sep = fields.index("-")
            # mount point, its options, file system type, super block options (the source differs between hosts' paths)
            out.append([fields[4], fields[5], fields[sep + 1], fields[sep + 3]])
    return sorted(out)

def status(name):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()

def handler(event, context):
    global COUNT
    COUNT += 1
    st = os.statvfs("/tmp")
    tmp_before = sorted(os.listdir("/tmp"))
    with open("/tmp/probe", "w") as f:
        f.write("x")
    return {
        "event": event,
        "count": COUNT,
        "context": {k: getattr(context, k) for k in ("function_name", "function_version", "memory_limit_in_mb",
                                                      "invoked_function_arn", "log_group_name")},
        "remaining_ok": 0 < context.get_remaining_time_in_millis() <= 7000,
        "env": {k: v for k, v in os.environ.items()},
        "uid": os.getuid(), "gid": os.getgid(), "euid": os.geteuid(), "groups": os.getgroups(),
        "cwd": os.getcwd(),
        "hostname": socket.gethostname(),
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "mypid": os.getpid(),
        "tmp_before": tmp_before,
        "tmp_mb": st.f_blocks * st.f_frsize // (1024 * 1024),
        "task": sorted(os.listdir("/var/task")),
        "opt": sorted(os.listdir("/opt")),
        "path": sys.path,
        "nofile": list(resource.getrlimit(resource.RLIMIT_NOFILE)),
        "seccomp": status("Seccomp"), "no_new_privs": status("NoNewPrivs"), "cap_eff": status("CapEff"),
        "mounts": mounts(),
        "stdin": os.read(0, 10).decode(),
        "modules": sorted(sys.modules),
        "tz": __import__("time").tzname,
    }
'''

# Set by the platform per environment, or naming the server (its port): not expected to match between the two servers.
VARYING = {"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
           "AWS_ENDPOINT_URL", "_X_AMZN_TRACE_ID"}


def probe_on(server, runtime, name, from_stem_cell, code=("app.py", PROBE)):
    lam = server.client()
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", MemorySize=256, Timeout=7,
                        EphemeralStorage={"Size": 600},
                        Environment={"Variables": {"GREETING": "hello\nworld \"quoted\" é", "TZ": "America/New_York"}},
                        Code={"ZipFile": make_zip({code[0]: code[1], "data/file.txt": "x"})})
    payload = {"n": 1, "nested": {"list": [1, "two", None]}}
    if from_stem_cell:
        r, out = cold_invoke_from_stem_cell(server, lam, runtime, name, payload)
    else:
        r, out = invoke(lam, name, payload)
    assert "FunctionError" not in r, out
    second = invoke(lam, name, payload)[1]
    return out, second


def assert_same_start(stem, stem_second, classic, classic_second):
    """What the probes (Python's or Node's) saw with and without a stem cell: the same event, fresh module state, the
    same context and environment (but what names the server or the environment)."""
    assert stem["event"] == classic["event"] == {"n": 1, "nested": {"list": [1, "two", None]}}
    assert stem["count"] == classic["count"] == 1, "module state starts fresh"
    assert stem_second["count"] == classic_second["count"] == 2
    assert stem["context"] == classic["context"]
    assert stem["remaining_ok"] and classic["remaining_ok"]
    strip = lambda env: {k: v for k, v in env.items() if k not in VARYING}
    assert strip(stem["env"]) == strip(classic["env"])
    assert stem["env"]["GREETING"] == "hello\nworld \"quoted\" é"
    assert "_SWIFTLET_STEM_CELL" not in stem["env"]


def test_a_stem_cell_environment_is_what_a_classic_one_is(sandbox_server, classic_server):
    runtime = python_runtime_of(sandbox_server)
    name = "stem-probe"
    stem, stem_second = probe_on(sandbox_server, runtime, name, from_stem_cell=True)
    classic, classic_second = probe_on(classic_server, runtime, name, from_stem_cell=False)
    assert_same_start(stem, stem_second, classic, classic_second)
    assert stem["tz"] == classic["tz"] == ["EST", "EDT"], "the function's TZ applies"
    for key in ("cwd", "hostname", "pids", "mypid", "task", "opt", "path", "nofile", "seccomp", "no_new_privs",
                "cap_eff", "mounts", "stdin", "modules", "tmp_mb", "groups"):
        assert stem[key] == classic[key], key
    assert stem["tmp_before"] == classic["tmp_before"] == [], "a fresh /tmp"
    assert stem_second["tmp_before"] == ["probe"], "/tmp belongs to the environment"
    assert stem["tmp_mb"] == 600
    for out in (stem, classic):
        assert out["uid"] == out["euid"] == out["gid"] and out["uid"] >= 200000, "an unprivileged uid of its own"
    assert stem["seccomp"] == "2" and stem["no_new_privs"] == "1" and int(stem["cap_eff"], 16) == 0
    assert "random" not in stem["modules"], "nothing imported ahead for the function"
    assert "app" in stem["modules"]


def test_memory_limit_is_the_functions(sandbox_server, classic_server):
    runtime = python_runtime_of(sandbox_server)
    hog = "def handler(event, context):\n    hog = b'\\x01' * (event['mb'] * 1024 * 1024)\n    return len(hog)\n"
    results = {}
    for label, server in (("stem", sandbox_server), ("classic", classic_server)):
        lam = server.client()
        name = "stem-memory-" + label
        lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", MemorySize=192,
                            Timeout=30, Code={"ZipFile": make_zip({"app.py": hog})})
        if label == "stem":
            out = cold_invoke_from_stem_cell(server, lam, runtime, name, {"mb": 100})[1]
        else:
            out = invoke(lam, name, {"mb": 100})[1]
        big = invoke(lam, name, {"mb": 260})[1]
        results[label] = (out, big.get("errorType"))
    assert results["stem"] == results["classic"] == (100 * 1024 * 1024, "Runtime.OutOfMemory")


ISOLATION = r'''
import json, os
SEEN = []
def handler(event, context):
    SEEN.append(event["me"])
    if event.get("write"):
        with open("/tmp/secret-" + event["me"], "w") as f:
            f.write(event["me"])
        json.pwned_by = event["me"]
        os.environ["LEFT_BY"] = event["me"]
    with open("/proc/self/stat") as f:
        start = f.read().split()[21]
    return {"seen": SEEN, "tmp": sorted(os.listdir("/tmp")), "json": getattr(json, "pwned_by", None),
            "env": os.environ.get("LEFT_BY"), "uid": os.getuid(), "pidns": os.readlink("/proc/self/ns/pid"),
            "mntns": os.readlink("/proc/self/ns/mnt"), "netns": os.readlink("/proc/self/ns/net"),
            "task": sorted(os.listdir("/var/task")), "start": start}
'''


def test_two_functions_from_stem_cells_share_nothing(sandbox_server):
    runtime = python_runtime_of(sandbox_server)
    lam = sandbox_server.client()
    outs = {}
    for me in ("alpha", "beta"):
        name = "stem-iso-" + me
        lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": make_zip({"app.py": ISOLATION, me + ".txt": me})})
        outs[me] = cold_invoke_from_stem_cell(sandbox_server, lam, runtime, name, {"me": me, "write": me == "alpha"})[1]
    a, b = outs["alpha"], outs["beta"]
    assert a["seen"] == ["alpha"] and a["tmp"] == ["secret-alpha"] and a["json"] == "alpha" and a["env"] == "alpha"
    assert b["seen"] == ["beta"], "module globals are the function's own"
    assert b["tmp"] == [] and b["json"] is None and b["env"] is None
    assert a["uid"] != b["uid"]
    for ns in ("pidns", "mntns", "netns"):
        assert a[ns] != b[ns], ns
    assert a["task"] == ["alpha.txt", "app.py"] and b["task"] == ["app.py", "beta.txt"]


def test_a_stem_cell_killed_while_waiting_is_replaced(sandbox_server):
    runtime = python_runtime_of(sandbox_server)
    wait_for(lambda: len(stem_cell_pids(sandbox_server)) >= 1 and ready_stem_cells(sandbox_server, runtime) >= 1,
             timeout=30, what="a waiting stem cell")
    before = set(stem_cell_pids(sandbox_server))
    victim = sorted(before)[0]
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: victim not in stem_cell_pids(sandbox_server), what="the killed stem cell to go")
    target = metric(sandbox_server, "swiftlet_stem_cells", runtime=runtime, state="target")
    wait_for(lambda: len(set(stem_cell_pids(sandbox_server)) - before) >= 1
             and ready_stem_cells(sandbox_server, runtime) >= target, timeout=30, what="a replacement stem cell")
    lam = sandbox_server.client()
    lam.create_function(FunctionName="stem-after-kill", Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip()})
    r, out = cold_invoke_from_stem_cell(sandbox_server, lam, runtime, "stem-after-kill", {"ok": True})
    assert out == {"ok": True}


def test_warm_invokes_after_a_stem_cell_cold_start_are_not_held_back(sandbox_server):
    """A stem cell's runtime connects to its Runtime API before the function is known; that connection is accepted
    only once the environment is attached, and must not then hold the platform's small writes (the next event) for
    the runtime's delayed ACK (~40 ms each: TCP_NODELAY is the listener's, inherited at accept)."""
    runtime = python_runtime_of(sandbox_server)
    lam = sandbox_server.client()
    name = "stem-warm-after"
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", Code={"ZipFile": make_zip()})
    cold_invoke_from_stem_cell(sandbox_server, lam, runtime, name, {"n": 0})
    durations = []
    for n in range(1, 6):
        r = lam.invoke(FunctionName=name, Payload=json.dumps({"n": n}).encode(), LogType="Tail")
        assert json.loads(r["Payload"].read()) == {"n": n}
        report = base64.b64decode(r["LogResult"]).decode()
        assert "Init Duration" not in report, "a warm invoke"
        durations.append(float(re.search(r"\tDuration: ([\d.]+) ms", report).group(1)))
    assert min(durations) < 20, durations


def cpu_weight_of(pid):
    """The CPU weight of `pid`'s cgroup: cpu.shares (v1) or cpu.weight (v2)."""
    for d in cgroup_dirs_of(pid):
        for name in ("cpu.shares", "cpu.weight"):
            if os.path.exists(os.path.join(d, name)):
                with open(os.path.join(d, name)) as f:
                    return name, int(f.read())
    pytest.skip("no CPU controller for environments on this host")


MNT_NS = "import os\ndef handler(event, context):\n    return os.readlink('/proc/self/ns/mnt')\n"


def mnt_ns_of(pid):
    try:
        return os.readlink(f"/proc/{pid}/ns/mnt")
    except OSError:
        return None


def test_a_waiting_stem_cell_yields_the_cpu_and_its_function_does_not(sandbox_server, classic_server):
    runtime = python_runtime_of(sandbox_server)
    wait_for(lambda: stem_cell_pids(sandbox_server), timeout=30, what="a waiting stem cell")
    kind, weight = cpu_weight_of(stem_cell_pids(sandbox_server)[0])
    assert weight == (2 if kind == "cpu.shares" else 1), "a cell nobody waits for weighs next to nothing"
    weights = {}
    for label, server in (("stem", sandbox_server), ("classic", classic_server)):
        lam = server.client()
        name = "stem-cpu-" + label
        lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", MemorySize=512,
                            Code={"ZipFile": make_zip({"app.py": MNT_NS})})
        if label == "stem":
            ns = cold_invoke_from_stem_cell(server, lam, runtime, name)[1]
        else:
            ns = invoke(lam, name)[1]
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit() and mnt_ns_of(p) == ns]
        assert pids, label
        weights[label] = cpu_weight_of(pids[0])
    assert weights["stem"] == weights["classic"], "the function's environment weighs what a classic one does"


def test_cells_started_before_the_runtime_client_changed_are_replaced(sandbox_server):
    """An upgraded interpreter or runtime client (here: the client's file touched) is never served from a cell started
    before: the next cold start ends every such cell and starts the classic way, and new cells replace them."""
    runtime = python_runtime_of(sandbox_server)
    target = metric(sandbox_server, "swiftlet_stem_cells", runtime=runtime, state="target")
    wait_for(lambda: ready_stem_cells(sandbox_server, runtime) >= target and stem_cell_pids(sandbox_server),
             timeout=30, what="a full pool")
    before = set(stem_cell_pids(sandbox_server))
    replaced = metric(sandbox_server, "swiftlet_stem_cells", runtime=runtime, state="replaced")
    script = os.path.join(os.path.dirname(BIN), "swiftlet_RuntimeBootstraps.resources",
                          "Resources", "python", "bootstrap.py")
    st = os.stat(script)
    os.utime(script, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    lam = sandbox_server.client()
    lam.create_function(FunctionName="stem-upgraded", Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip()})
    hits_before = hits(sandbox_server, runtime)
    assert invoke(lam, "stem-upgraded", {"ok": 1})[1] == {"ok": 1}
    assert hits(sandbox_server, runtime) == hits_before, "no stale cell served it"
    assert metric(sandbox_server, "swiftlet_stem_cells", runtime=runtime, state="replaced") >= replaced + len(before)
    wait_for(lambda: not before & set(stem_cell_pids(sandbox_server)), what="the stale cells to end")
    lam.create_function(FunctionName="stem-upgraded-2", Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip()})
    assert cold_invoke_from_stem_cell(sandbox_server, lam, runtime, "stem-upgraded-2", {"ok": 2})[1] == {"ok": 2}


def cgroup_dirs_of(pid):
    """The host directories of the cgroups `pid` is in (v1: one per controller; v2: one)."""
    dirs = []
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            if "swiftlet-" not in path:
                continue
            for c in (controllers.split(",") if controllers else [""]):
                base = os.path.join("/sys/fs/cgroup", c.replace("name=", "")) if c else "/sys/fs/cgroup"
                dirs.append(base + path)
    return [d for d in dirs if os.path.isdir(d)]


def test_a_stopped_server_ends_its_stem_cells_and_removes_their_cgroups(sandbox_server):
    runtime = python_runtime_of(sandbox_server)
    with tempfile.TemporaryDirectory(prefix="swiftlet-e2e-stemstop-") as data_dir:
        s = Server(data_dir, flags=["--function-network", "none", "--xray-daemon-port", "0"])
        try:
            wait_for(lambda: ready_stem_cells(s, runtime) >= 1 and stem_cell_pids(s), timeout=30, what="stem cells")
            pids = stem_cell_pids(s)
            groups = sorted({os.path.dirname(d) for pid in pids for d in cgroup_dirs_of(pid)})
            assert groups, "the stem cells' cgroups"
        finally:
            assert s.stop() == 0, "graceful shutdown must exit 0"
        # Graceful: by the time the server has exited, its cells are gone and so are their cgroups.
        assert not [p for p in pids if os.path.exists(f"/proc/{p}")], "stem cells outlived the server"
        assert not [g for g in groups if os.path.isdir(g)], "stem cells' cgroups outlived the server"


def test_nothing_outlives_a_killed_server(sandbox_server):
    runtime = python_runtime_of(sandbox_server)
    with tempfile.TemporaryDirectory(prefix="swiftlet-e2e-stemkill-") as data_dir:
        flags = ["--function-network", "none", "--xray-daemon-port", "0"]
        s = Server(data_dir, flags=flags)
        wait_for(lambda: ready_stem_cells(s, runtime) >= 1 and stem_cell_pids(s), timeout=30, what="stem cells")
        # One environment made from a stem cell, and the pool's waiting ones.
        lam = s.client()
        lam.create_function(FunctionName="doomed", Runtime=runtime, Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": make_zip()})
        cold_invoke_from_stem_cell(s, lam, runtime, "doomed", {"x": 1})
        wait_for(lambda: stem_cell_pids(s), timeout=30, what="a waiting stem cell")
        pids = stem_cell_pids(s)
        groups = sorted({os.path.dirname(d) for pid in pids for d in cgroup_dirs_of(pid)})
        assert groups, "the stem cells' cgroups"
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait(timeout=10)
        s.log.close()
        wait_for(lambda: not any(os.path.exists(f"/proc/{p}") for p in pids), timeout=10, what="the stem cells to die")
        # The next server on the host removes what the dead one's cgroups still hold.
        again = Server(data_dir, flags=flags)
        try:
            wait_for(lambda: not any(os.path.isdir(g) for g in groups), timeout=15, what="the dead server's cgroups to go")
        finally:
            assert again.stop() == 0


def test_with_stem_cells_off_no_stem_cell_starts(classic_server):
    runtime = python_runtime_of(classic_server)
    lam = classic_server.client()
    lam.create_function(FunctionName="classic-only", Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip()})
    assert invoke(lam, "classic-only", {"a": 1})[1] == {"a": 1}
    assert stem_cell_pids(classic_server) == []
    assert hits(classic_server, runtime) == 0


@pytest.mark.parametrize("files,handler,error_type", [
    ({"app.py": "x = 1\n"}, "missing.handler", "Runtime.ImportModuleError"),
    ({"app.py": "x = 1\n"}, "app.nope", "Runtime.HandlerNotFound"),
    ({"app.py": "raise RuntimeError('init failed')\n"}, "app.handler", "RuntimeError"),
])
def test_init_errors_from_a_stem_cell(sandbox_server, files, handler, error_type):
    """A specialised stem cell fails its init within a millisecond or two, before the invocation reaches it."""
    import base64
    runtime = python_runtime_of(sandbox_server)
    lam = sandbox_server.client()
    name = "stem-init-" + error_type.replace(".", "-")
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler, Code={"ZipFile": make_zip(files)})
    wait_for_stem_cell(sandbox_server, runtime)
    before = hits(sandbox_server, runtime)
    r = lam.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
    assert hits(sandbox_server, runtime) == before + 1
    out = json.loads(r["Payload"].read())
    assert r["FunctionError"] == "Unhandled"
    assert out["errorType"] == error_type
    report = base64.b64decode(r["LogResult"]).decode().splitlines()[-1]
    assert report.startswith("REPORT RequestId:") and "Init Duration:" in report


def test_swiftlet_stem_cells_prints_the_pool_and_its_hit_rate(sandbox_server):
    """`swiftlet stem-cells` reads the server's /metrics: cells ready per runtime and the hits of cold starts."""
    import subprocess
    from conftest import BIN
    server = sandbox_server
    runtime = python_runtime_of(server)
    lam = server.client()
    name = "cli-" + uuid.uuid4().hex[:8]
    lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": "def handler(e, c):\n    return 1\n"})})
    cold_invoke_from_stem_cell(server, lam, runtime, name)

    def table():
        r = subprocess.run([BIN, "stem-cells", "--data-dir", server.data_dir], capture_output=True, text=True, timeout=30)
        rows = {line.split()[0]: line.split() for line in r.stdout.splitlines()[1:] if line.strip()}
        return (r, rows[runtime]) if r.returncode == 0 and runtime in rows else None
    r, row = wait_for(table, timeout=20, what="the runtime's row")
    assert r.stdout.splitlines()[0].split()[:4] == ["runtime", "ready", "starting", "target"]
    hits_column = int(row[4])
    assert hits_column == int(hits(server, runtime)) >= 1
    assert row[-1] == "%" and 0 < int(row[-2]) <= 100, row


def test_a_relative_data_dir_still_uses_stem_cells(sandbox_server):
    """`--data-dir .swiftlet`, as the README's quick start runs it: the code's path reaches the stem cell absolute."""
    runtime = python_runtime_of(sandbox_server)
    with tempfile.TemporaryDirectory(prefix="swiftlet-rel-", dir=os.getcwd()) as data_dir:
        own = Server(os.path.relpath(data_dir))
        try:
            lam = own.client()
            lam.create_function(FunctionName="rel", Runtime=runtime, Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": make_zip({"app.py": "def handler(e, c):\n    return 7\n"})})
            r, out = cold_invoke_from_stem_cell(own, lam, runtime, "rel")
            assert out == 7
        finally:
            own.stop()


# ------------------------------------------------------------------------------------------------------------ Node.js

NODE_PROBE = r'''
const fs = require("fs");
const os = require("os");
let COUNT = 0;
const MARK = Math.random();

function status(name) {
  const line = fs.readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith(name + ":"));
  return line.split(":")[1].trim();
}

function mounts() {
  return fs.readFileSync("/proc/self/mountinfo", "utf8").trim().split("\n").map((line) => {
    const fields = line.split(" ");
    const sep = fields.indexOf("-");
    return [fields[4], fields[5], fields[sep + 1], fields[sep + 3]];
  }).sort();
}

exports.handler = async (event, context) => {
  COUNT += 1;
  const tmpBefore = fs.readdirSync("/tmp").sort();
  fs.writeFileSync("/tmp/probe", "x");
  let stdin;
  try { stdin = fs.readSync(0, Buffer.alloc(10), 0, 10, null); } catch (e) { stdin = e.code; }
  return {
    event, count: COUNT,
    context: [context.functionName, context.functionVersion, context.memoryLimitInMB, context.invokedFunctionArn,
              context.logGroupName],
    remaining_ok: context.getRemainingTimeInMillis() > 0 && context.getRemainingTimeInMillis() <= 7000,
    env: { ...process.env },
    uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(),
    cwd: process.cwd(), hostname: os.hostname(),
    pids: fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map(Number).sort((a, b) => a - b),
    mypid: process.pid, tmp_before: tmpBefore,
    task: fs.readdirSync("/var/task").sort(), opt: fs.readdirSync("/opt").sort(),
    paths: require.resolve.paths("anything"),
    seccomp: status("Seccomp"), no_new_privs: status("NoNewPrivs"), cap_eff: status("CapEff"),
    mounts: mounts(), stdin,
    tz: new Date(Date.UTC(2024, 0, 15, 12)).toString(),
  };
};
'''


def node_runtime_of(server):
    runtimes = [r for r in server.health["runtimes"] if r.startswith("nodejs")]
    if not runtimes:
        pytest.skip("no Node.js runtime on this host")
    return runtimes[-1]


def test_a_node_stem_cell_environment_is_what_a_classic_one_is(sandbox_server, classic_server):
    """Node's pool fills at its first cold start: a first function starts it, the probe then comes from a cell."""
    runtime = node_runtime_of(sandbox_server)
    lam = sandbox_server.client()
    lam.create_function(FunctionName="stem-node-first", Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.js": "exports.handler = async (e) => e;\n"})})
    assert invoke(lam, "stem-node-first", {"first": True})[1] == {"first": True}

    code = ("app.js", NODE_PROBE)
    stem, stem_second = probe_on(sandbox_server, runtime, "stem-node-probe", from_stem_cell=True, code=code)
    classic, classic_second = probe_on(classic_server, runtime, "stem-node-probe", from_stem_cell=False, code=code)
    assert_same_start(stem, stem_second, classic, classic_second)
    assert "GMT-0500" in stem["tz"] and stem["tz"] == classic["tz"], "the function's TZ applies"
    for key in ("cwd", "hostname", "pids", "mypid", "task", "opt", "paths", "seccomp", "no_new_privs", "cap_eff",
                "mounts", "stdin"):
        assert stem[key] == classic[key], key
    assert stem["tmp_before"] == classic["tmp_before"] == [], "a fresh /tmp"
    assert stem_second["tmp_before"] == ["probe"], "/tmp belongs to the environment"
    for out in (stem, classic):
        assert out["uid"] == out["gid"] and out["groups"] == [out["gid"]] and out["uid"] >= 200000, \
            "an unprivileged uid of its own"
    assert stem["seccomp"] == "2" and stem["no_new_privs"] == "1" and int(stem["cap_eff"], 16) == 0


def test_a_node_function_setting_node_options_starts_the_classic_way(sandbox_server):
    runtime = node_runtime_of(sandbox_server)
    lam = sandbox_server.client()
    source = "exports.handler = async () => ({ options: process.env.NODE_OPTIONS, " \
             "limit: require('v8').getHeapStatistics().heap_size_limit });\n"
    lam.create_function(FunctionName="stem-node-options", Runtime=runtime, Role=ROLE, Handler="app.handler",
                        Environment={"Variables": {"NODE_OPTIONS": "--max-old-space-size=100"}},
                        Code={"ZipFile": make_zip({"app.js": source})})
    before = hits(sandbox_server, runtime)
    out = invoke(lam, "stem-node-options")[1]
    assert hits(sandbox_server, runtime) == before, "NODE_OPTIONS is read when Node starts: no stem cell"
    assert out["options"] == "--max-old-space-size=100"
    assert out["limit"] < 200 * 1024 * 1024, "the option took effect"
