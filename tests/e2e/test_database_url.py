"""A wrong or unreachable --database-url fails the start with a message that says what to change."""
import socket
import subprocess

from conftest import BIN


def serve(tmp_path, url, timeout=60):
    return subprocess.run(
        [BIN, "serve", "--port", "0", "--http-port", "0", "--data-dir", str(tmp_path), "--database-url", url,
         "--function-network", "none", "--log-level", "warning"],
        capture_output=True, text=True, timeout=timeout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_url_of_another_scheme_fails_the_start(tmp_path):
    run = serve(tmp_path, "mysql://root@127.0.0.1/swiftlet")
    assert run.returncode != 0
    assert "--database-url" in run.stderr
    assert "postgresql://" in run.stderr


def test_a_url_without_a_database_name_fails_the_start(tmp_path):
    run = serve(tmp_path, "postgresql://swiftlet@127.0.0.1:5432/")
    assert run.returncode != 0
    assert "no database name" in run.stderr


def test_an_unreachable_database_fails_the_start_and_hides_the_password(tmp_path):
    port = free_port()  # nothing listens there
    run = serve(tmp_path, f"postgresql://swiftlet:hunter2@127.0.0.1:{port}/swiftlet?sslmode=disable")
    assert run.returncode != 0
    assert "--database-url" in run.stderr
    assert f"127.0.0.1:{port}" in run.stderr
    assert "hunter2" not in run.stderr
