"""Fixtures that run the real swiftlet binary on a free port with a temporary data dir."""
import configparser
import io
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
import uuid
import zipfile

import boto3
import pytest
from botocore.config import Config

BIN = os.environ.get("SWIFTLET_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "swiftlet"))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than 20 s (a rate(1 minute) schedule firing); there are few")


def wait_for(condition, timeout=30.0, interval=0.05, what="condition"):
    """Polls `condition` until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out waiting for {what}")


def processes_with_environ(*entries):
    """Host pids of the processes whose initial environment (/proc/<pid>/environ) holds every one of `entries`
    (bytes, `NAME=value`); processes that end while being read are left out."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                env = set(f.read().split(b"\0"))
        except OSError:
            continue
        if all(e in env for e in entries):
            found.append(int(entry))
    return found


def wait_for_invoke_logs(logs, group):
    """Waits until a function's finished invoke has its lines stored (its REPORT line is searchable): a metric or
    subscription filter made after that does not see them (lines still in the log writer when a filter is made are
    ingested after it, and count, as on AWS)."""
    wait_for(lambda: logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
             and logs.filter_log_events(logGroupName=group, filterPattern='"REPORT"')["events"],
             what=f"the invoke's lines in {group}")


class Server:
    """One running server process."""

    def __init__(self, data_dir, env=None, flags=()):
        self.data_dir = data_dir
        endpoint_file = os.path.join(data_dir, "endpoint")
        if os.path.exists(endpoint_file):
            os.unlink(endpoint_file)
        self.log = open(os.path.join(data_dir, f"server-{uuid.uuid4().hex[:6]}.log"), "wb")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", "0", "--http-port", "0", "--data-dir", data_dir, "--log-level", "warning", *flags],
            stdout=self.log, stderr=self.log, env={**os.environ, **(env or {})},
        )

        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                with open(endpoint_file) as f:
                    url = f.read().strip()
                with urllib.request.urlopen(url + "/health", timeout=2) as r:
                    return url if r.status == 200 else None
            except (OSError, ValueError):
                return None

        self.endpoint = wait_for(ready, what="server health")
        parser = configparser.ConfigParser()
        parser.read(os.path.join(data_dir, "credentials"))
        self.access_key = parser["default"]["aws_access_key_id"]
        self.secret_key = parser["default"]["aws_secret_access_key"]
        with urllib.request.urlopen(self.endpoint + "/health") as r:
            self.health = json.load(r)
        self.ensure_roles()

    def ensure_roles(self):
        """The execution roles the tests' functions use: Lambda refuses a role that does not exist or does not
        trust it."""
        iam = self.client("iam")
        for role in (ROLE_NAME, "r"):
            try:
                iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
            except iam.exceptions.EntityAlreadyExistsException:
                pass
            # What the platform does with the role (poll queues, send to destinations and DLQs) needs these.
            iam.put_role_policy(RoleName=role, PolicyName="platform", PolicyDocument=json.dumps(ROLE_POLICY))

    def client(self, service="lambda", **config):
        return self.client_as(service, self.access_key, self.secret_key, **config)

    def client_as(self, service, access_key, secret_key, session_token=None, **config):
        """A client signing with other credentials (an IAM user's key, a role session)."""
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=access_key, aws_secret_access_key=secret_key, aws_session_token=session_token,
            config=Config(retries={"max_attempts": 1}, **config),
        )

    def stop(self, sig=signal.SIGTERM, timeout=20):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        self.log.close()
        return code


@pytest.fixture(scope="session")
def server():
    with tempfile.TemporaryDirectory(prefix="swiftlet-e2e-") as data_dir:
        s = Server(data_dir)
        yield s
        assert s.stop() == 0, "graceful shutdown must exit 0"


@pytest.fixture
def lam(server):
    return server.client()


@pytest.fixture
def name():
    return "fn-" + uuid.uuid4().hex[:12]


@pytest.fixture(scope="module")
def slam(server):
    """A Lambda client that never retries (see `async_support.strict_client`)."""
    from async_support import strict_client
    return strict_client(server)


@pytest.fixture(scope="module")
def sqs(server):
    """An SQS client that never retries."""
    from async_support import strict_client
    return strict_client(server, "sqs")


@pytest.fixture
def mappings(slam):
    """UUIDs of event source mappings to delete after the test, so no mapping keeps polling the shared server."""
    made = []
    yield made
    for u in made:
        try:
            slam.delete_event_source_mapping(UUID=u)
        except slam.exceptions.ResourceNotFoundException:
            pass


@pytest.fixture
def python_runtime(server):
    runtimes = [r for r in server.health["runtimes"] if r.startswith("python")]
    return runtimes[-1] if runtimes else "provided.al2023"


ROLE_NAME = "lambda-role"
ROLE = "arn:aws:iam::000000000000:role/" + ROLE_NAME
ROLE_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sqs:*", "lambda:InvokeFunction"], "Resource": "*"}]}
LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def make_zip(files=None, executables=()):
    """A zip of `files` (path → text or bytes); paths in `executables` get mode 0755."""
    files = files or {"app.py": "def handler(event, context):\n    return event\n"}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, content in files.items():
            info = zipfile.ZipInfo(path, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100755 if path in executables else 0o100644) << 16
            z.writestr(info, content)
    return buf.getvalue()


def zip_directory(root, extra=None, executables=()):
    """A zip of everything under `root` plus `extra` files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for base, _, names in os.walk(root):
            for n in names:
                full = os.path.join(base, n)
                rel = os.path.relpath(full, root)
                info = zipfile.ZipInfo(rel, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (os.stat(full).st_mode & 0o777 | 0o100000) << 16
                with open(full, "rb") as f:
                    z.writestr(info, f.read())
        for path, content in (extra or {}).items():
            info = zipfile.ZipInfo(path, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (0o100755 if path in executables else 0o100644) << 16
            z.writestr(info, content)
    return buf.getvalue()


@pytest.fixture
def create(lam, python_runtime):
    """Creates a function with defaults that the test may override."""
    def _create(function_name, **overrides):
        args = dict(FunctionName=function_name, Runtime=python_runtime, Role=ROLE,
                    Handler="app.handler", Code={"ZipFile": make_zip()})
        args.update(overrides)
        return lam.create_function(**args)
    return _create
