"""A throwaway PostgreSQL server and clusters of `swiftlet serve` nodes sharing one of its databases (issue 16).

`ThrowawayPostgres` does in Python what Tests/StoreContractTests/ThrowawayPostgres.swift does: initdb in a temp dir
under /tmp (as the `postgres` OS user when running as root: initdb and the server refuse root), `-A trust`, a free
port on 127.0.0.1 and a unix socket in that dir, `pg_ctl start -w`; `stop()` stops it (`-m immediate`) and removes
the dir. A server left by a test process that died is stopped and removed at the next start.

`Cluster` starts nodes (conftest's `Server`) on their own temp data dirs, all with `--database-url` to one database."""
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

from async_support import python_runtime_of, unique
from conftest import BIN, ROLE, Server, make_zip

PREFIX = "swiftlet-e2e-pg-"


def postgres_binaries():
    """The newest PostgreSQL server binaries installed (Debian's layout), or None."""
    candidates = []
    for bin_dir in glob.glob("/usr/lib/postgresql/*/bin"):
        version = os.path.basename(os.path.dirname(bin_dir))
        if all(os.access(os.path.join(bin_dir, b), os.X_OK) for b in ("initdb", "pg_ctl", "psql")):
            candidates.append((int(version) if version.isdigit() else 0, bin_dir))
    return max(candidates)[1] if candidates else None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    def __init__(self):
        self.bin = postgres_binaries()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's server binaries (initdb, pg_ctl, psql) were not found under "
                               "/usr/lib/postgresql/*/bin: install Debian's `postgresql` package")
        self.as_root = os.getuid() == 0
        self._remove_leftovers()
        # /tmp, not TMPDIR: the postgres user must be able to reach it.
        self.dir = tempfile.mkdtemp(prefix=PREFIX, dir="/tmp" if self.as_root else None)
        with open(os.path.join(self.dir, "owner.pid"), "w") as f:
            f.write(str(os.getpid()))
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "server.log")
        self.port = None
        self.databases = 0
        if self.as_root:
            subprocess.run(["chown", "-R", "postgres:postgres", self.dir], check=True)
        try:
            self._run_as_postgres("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--encoding=UTF8",
                                  "--locale=C.UTF-8", "--no-sync")
            last = None
            for _ in range(3):  # a port taken between our probe and the server's bind: try another
                self.port = free_port()
                try:
                    self._run_as_postgres(
                        "pg_ctl", "-D", self.data, "-l", self.log,
                        "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=300 "
                              f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                        "-w", "-t", "60", "start")
                    break
                except RuntimeError as e:
                    last = e
            else:
                raise RuntimeError(f"the throwaway PostgreSQL did not start: {last}\n{self.server_log()[-2000:]}")
        except BaseException:
            self.stop()
            raise

    def _run_as_postgres(self, tool, *args):
        command = [os.path.join(self.bin, tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        r = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           cwd="/tmp", timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited with {r.returncode}: {r.stdout.decode(errors='replace')}")
        return r.stdout.decode()

    def server_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def psql(self, sql, database="postgres"):
        """Runs `sql` through psql over TCP; returns its unaligned, tuples-only output."""
        r = subprocess.run([os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                            "-d", database, "-v", "ON_ERROR_STOP=1", "-X", "-A", "-t", "-c", sql],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"psql {sql!r} on {database} exited with {r.returncode}: {r.stderr.decode()}")
        return r.stdout.decode().strip()

    def create_database(self, prefix="c"):
        """A new, empty database; returns (name, URL)."""
        self.databases += 1
        name = f"{prefix}{self.databases}_{uuid.uuid4().hex[:8]}"
        self.psql(f"CREATE DATABASE {name}")
        return name, self.url(name)

    def url(self, database):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            try:
                self._run_as_postgres("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", "30", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def _remove_leftovers(self):
        base = "/tmp" if self.as_root else tempfile.gettempdir()
        for d in glob.glob(os.path.join(base, PREFIX + "*")):
            try:
                with open(os.path.join(d, "owner.pid")) as f:
                    owner = int(f.read().strip())
                os.kill(owner, 0)
                continue  # its test process still runs
            except (OSError, ValueError):
                pass
            data = os.path.join(d, "data")
            if os.path.exists(os.path.join(data, "postmaster.pid")):
                command = [os.path.join(self.bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]
                if self.as_root:
                    command = ["runuser", "-u", "postgres", "--", *command]
                subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, cwd="/tmp", timeout=60)
            shutil.rmtree(d, ignore_errors=True)


def binary_has_database_url():
    try:
        r = subprocess.run([BIN, "serve", "--help"], capture_output=True, timeout=60)
    except OSError:
        return False
    return b"--database-url" in r.stdout + r.stderr


def binary_has_cluster_status():
    """`swiftlet cluster status` exists (`serve` is the default subcommand: an unknown one reads as serve's)."""
    try:
        r = subprocess.run([BIN, "--help"], capture_output=True, timeout=60)
    except OSError:
        return False
    return any(line.split()[:1] == ["cluster"] for line in r.stdout.decode().splitlines())


# Flags every node gets. Functions' network `none`: several servers on one machine cannot share the `nat` bridge
# (one server per bridge), and these tests need no more than the endpoint relay. One stem cell per runtime per node
# keeps three nodes' start-up off the two test cores. X-Ray daemon on a free port: nodes cannot all have 2000.
NODE_FLAGS = ("--function-network", "none", "--stem-cells", "1", "--xray-daemon-port", "0")


class Node(Server):
    """A `Server` on a data dir of its own, keeping its state in the cluster's database."""

    def __init__(self, name, database_url, flags=(), env=None, data_dir=None):
        """`data_dir`: a stopped node's, to start it again (same node id); by default a new one."""
        self.name = name
        self._node_id = None
        data_dir = data_dir or tempfile.mkdtemp(prefix=f"swiftlet-node-{name}-")
        try:
            super().__init__(data_dir, env=env, flags=("--database-url", database_url, *NODE_FLAGS, *flags))
        except BaseException as e:
            proc = getattr(self, "proc", None)
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=20)
            # Keep the dir when the node did not start: its log says why (the failure message names it).
            raise RuntimeError(f"node {name} did not start ({e!r}); its log is in {data_dir}: "
                               f"{node_log(data_dir)[-3000:]}") from e
        self.alive = True
        _ = self.node_id  # read while the data dir exists

    def stop(self, sig=signal.SIGTERM, timeout=30):
        code = super().stop(sig, timeout)
        self.alive = False
        return code

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)
        self.log.close()
        self.alive = False

    def log_text(self):
        return node_log(self.data_dir)

    def credentials(self):
        return self.access_key, self.secret_key

    @property
    def node_id(self):
        """The id the node registers under (made at its first start, kept in <data-dir>/node-id)."""
        if self._node_id is None:
            with open(os.path.join(self.data_dir, "node-id")) as f:
                self._node_id = f.read().strip()
        return self._node_id


def node_log(data_dir):
    text = ""
    for path in sorted(glob.glob(os.path.join(data_dir, "server-*.log"))):
        with open(path, errors="replace") as f:
            text += f.read()
    return text


class Cluster:
    """Nodes started one after another on one database; `stop()` ends the live ones (SIGTERM, exit 0 expected)."""

    def __init__(self, postgres, size=2, flags=(), database=None):
        self.postgres = postgres
        self.database, self.url = database or postgres.create_database()
        self.flags = tuple(flags)
        self.nodes = []
        try:
            for i in range(size):
                self.add_node()
        except BaseException:
            self.stop(check=False)
            raise

    def add_node(self):
        node = Node("abcdefgh"[len(self.nodes)], self.url, flags=self.flags)
        self.nodes.append(node)
        return node

    def stop(self, check=True):
        codes = {}
        for node in self.nodes:
            if node.alive:
                try:
                    codes[node.name] = node.stop()
                except subprocess.TimeoutExpired:
                    node.kill()
                    codes[node.name] = "hung on SIGTERM, killed"
        failed = {n: c for n, c in codes.items() if c != 0}
        if not failed:
            for node in self.nodes:
                shutil.rmtree(node.data_dir, ignore_errors=True)
        if check:
            assert not failed, f"graceful shutdown must exit 0: {failed}; logs kept in " \
                               f"{[n.data_dir for n in self.nodes if n.name in failed]}"


def wait_until(condition, timeout, interval=0.1, what="condition"):
    """Like conftest's wait_for, but also returns the last value on timeout through the exception's message."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


@pytest.fixture(scope="module")
def postgres():
    pg = ThrowawayPostgres()
    yield pg
    pg.stop()


# --------------------------------------------------------------------------------------------------- shared by tests

ECHO = "def handler(event, context):\n    return {'echo': event}\n"


@pytest.fixture(scope="module")
def cluster(postgres):
    """Two nodes on a fresh database of the module's PostgreSQL."""
    if not binary_has_database_url():
        pytest.skip(f"{BIN} has no `serve --database-url`")
    c = Cluster(postgres, size=2)
    yield c
    c.stop()


@pytest.fixture(scope="module")
def a(cluster):
    return cluster.nodes[0]


@pytest.fixture(scope="module")
def b(cluster):
    return cluster.nodes[1]


@pytest.fixture(scope="module")
def runtime(a):
    r = python_runtime_of(a)
    assert r.startswith("python"), f"these tests need a Python runtime; the node offers {a.health['runtimes']}"
    return r


def create_function(lam, runtime, source=ECHO, name=None, prefix="cl", **overrides):
    name = name or unique(prefix)
    args = dict(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", Timeout=30,
                Code={"ZipFile": make_zip({"app.py": source})})
    args.update(overrides)
    lam.create_function(**args)
    return name


def wait_updated(lam, name, timeout=30):
    """The function's configuration once it is Active with its last update Successful."""
    def done():
        c = lam.get_function_configuration(FunctionName=name)
        assert c.get("LastUpdateStatus") != "Failed" and c.get("State") != "Failed", c
        return c if c.get("State", "Active") == "Active" and c.get("LastUpdateStatus", "Successful") == "Successful" \
            else None
    return wait_until(done, timeout, what=f"{name} to be Active with its last update Successful")


def invoke_json(lam, name, payload=None):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode())
    body = r["Payload"].read()
    assert r["StatusCode"] == 200 and not r.get("FunctionError"), (r.get("FunctionError"), body)
    return json.loads(body)
