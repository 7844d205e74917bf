"""The aws CLI, unmodified, against the server."""
import json
import os
import shutil
import subprocess

from conftest import make_zip


def aws(server, *args):
    exe = shutil.which("aws")
    assert exe, "the aws CLI must be installed"
    env = {**os.environ, "AWS_SHARED_CREDENTIALS_FILE": os.path.join(server.data_dir, "credentials"),
           "AWS_CONFIG_FILE": "/dev/null", "AWS_DEFAULT_REGION": "us-east-1"}
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]:
        env.pop(k, None)
    return subprocess.run([exe, "--endpoint-url", server.endpoint, "--output", "json", "lambda", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_cli_round_trip(server, name, tmp_path):
    zip_path = tmp_path / "hello.zip"
    zip_path.write_bytes(make_zip())
    r = aws(server, "create-function", "--function-name", name, "--runtime", "provided.al2023", "--handler", "bootstrap",
            "--role", "arn:aws:iam::000000000000:role/r", "--zip-file", f"fileb://{zip_path}")
    assert r.returncode == 0, r.stderr
    arn = json.loads(r.stdout)["FunctionArn"]
    r = aws(server, "list-functions")
    assert r.returncode == 0, r.stderr
    assert name in [f["FunctionName"] for f in json.loads(r.stdout)["Functions"]]
    r = aws(server, "get-function-configuration", "--function-name", name)
    assert json.loads(r.stdout)["Runtime"] == "provided.al2023"
    assert aws(server, "tag-resource", "--resource", arn, "--tags", "k=v,other=x").returncode == 0
    assert aws(server, "untag-resource", "--resource", arn, "--tag-keys", "other").returncode == 0
    assert json.loads(aws(server, "list-tags", "--resource", arn).stdout)["Tags"] == {"k": "v"}
    assert aws(server, "delete-function", "--function-name", name).returncode == 0
    r = aws(server, "get-function", "--function-name", name)
    assert r.returncode != 0
    assert "ResourceNotFoundException" in r.stderr


def test_cli_validation_error(server, name, tmp_path):
    zip_path = tmp_path / "hello.zip"
    zip_path.write_bytes(make_zip())
    r = aws(server, "create-function", "--function-name", name, "--runtime", "provided.al2023", "--handler", "x",
            "--role", "arn:aws:iam::000000000000:role/r", "--zip-file", f"fileb://{zip_path}", "--timeout", "901")
    assert r.returncode != 0
    assert "InvalidParameterValueException" in r.stderr and "'timeout'" in r.stderr


def test_a_taken_http_port_is_reported_by_its_flag(tmp_path):
    import socket
    import subprocess
    from conftest import BIN
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        run = subprocess.run([BIN, "serve", "--port", "0", "--http-port", str(port), "--data-dir", str(tmp_path / "d"),
                              "--log-level", "warning"], capture_output=True, text=True, timeout=60)
    finally:
        taken.close()
    assert run.returncode != 0
    assert f"127.0.0.1:{port}" in run.stderr and "--http-port" in run.stderr, run.stderr
