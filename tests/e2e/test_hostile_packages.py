"""Hostile deployment packages through boto3: zips whose entries escape their root are refused when uploaded, and
symbolic links (relative or absolute) are kept and resolve inside the function's sandbox, never on the server."""
import io
import json
import os
import uuid
import zipfile

import pytest

from conftest import make_zip

UNZIP_FAILURE = "Could not unzip uploaded file. Please check your file, then try to upload again."


def package(entries):
    """A zip of `entries`, in order: (name, content) for a file, (name, "->", target) for a symbolic link,
    (name, "mode", mode, content) for a file with a raw `st_mode`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for entry in entries:
            info = zipfile.ZipInfo(entry[0], date_time=(2024, 1, 1, 0, 0, 0))
            info.create_system = 3
            if len(entry) == 3 and entry[1] == "->":
                info.external_attr = 0o120777 << 16
                # Deflated, as some tools write them: the target must still come out as stored.
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, entry[2])
            elif len(entry) == 4 and entry[1] == "mode":
                info.external_attr = entry[2] << 16
                z.writestr(info, entry[3])
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, entry[1])
    return buf.getvalue()


def invoke(lam, name, payload=None):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode())
    body = r["Payload"].read()
    return r, (json.loads(body) if body else None)


def sandboxed(server):
    return server.health["isolation"].startswith("sandbox")


APP = "def handler(event, context):\n    return 'ok'\n"

HOSTILE = {
    "parent": [("app.py", APP), ("../evil.py", "evil")],
    "nested-parent": [("app.py", APP), ("a/../../evil.py", "evil")],
    "absolute": [("app.py", APP), ("/tmp/evil.py", "evil")],
    "backslash-parent": [("app.py", APP), ("..\\evil.py", "evil")],
    "through-a-link": [("app.py", APP), ("a", "->", "/tmp"), ("a/evil.py", "evil")],
    "character-device": [("app.py", APP), ("null", "mode", 0o020666, "")],
    "fifo": [("app.py", APP), ("pipe", "mode", 0o010644, "")],
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_create_function_refuses_a_hostile_zip(lam, create, name, case):
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        create(name, Code={"ZipFile": package(HOSTILE[case])})
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert e.value.response["Error"]["Message"] == UNZIP_FAILURE
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name)


@pytest.mark.parametrize("case", ["parent", "absolute", "through-a-link"])
def test_update_function_code_refuses_a_hostile_zip_and_keeps_the_code(lam, create, name, case):
    created = create(name)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.update_function_code(FunctionName=name, ZipFile=package(HOSTILE[case]))
    assert e.value.response["Error"]["Message"] == UNZIP_FAILURE
    assert lam.get_function(FunctionName=name)["Configuration"]["CodeSha256"] == created["CodeSha256"]
    r, out = invoke(lam, name, {"still": "works"})
    assert r["StatusCode"] == 200 and out == {"still": "works"}


@pytest.mark.parametrize("case", ["nested-parent", "absolute", "through-a-link", "character-device"])
def test_publish_layer_version_refuses_a_hostile_zip(lam, case):
    layer = "layer-" + uuid.uuid4().hex[:12]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.publish_layer_version(LayerName=layer, Content={"ZipFile": package(HOSTILE[case])})
    assert e.value.response["Error"]["Message"] == UNZIP_FAILURE
    assert lam.list_layer_versions(LayerName=layer)["LayerVersions"] == []


LINK_PROBE = """
import os

def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        return type(e).__name__

def handler(event, context):
    import linked
    return {
        "relative": read("link.py"), "module": linked.VALUE, "is_link": os.path.islink("link.py"),
        "absolute_target": os.readlink("etc_passwd"), "passwd_root": read("etc_passwd").startswith("root:"),
        "passwd_as_seen_here": read("etc_passwd") == read("/etc/passwd"),
        "host_secret": read("host_secret"), "libfoo": read("lib/libfoo.so"),
    }
"""


def test_symlinks_are_kept_and_resolve_inside_the_sandbox(server, lam, create, name):
    # A file only the server can see: the credentials in its data directory.
    secret = os.path.join(server.data_dir, "credentials")
    zip_bytes = package([
        ("app.py", LINK_PROBE), ("real.py", "VALUE = 'through the link'\n"), ("link.py", "->", "real.py"),
        ("linked.py", "->", "real.py"), ("etc_passwd", "->", "/etc/passwd"), ("host_secret", "->", secret),
        ("lib/libfoo.so.1", "ELF"), ("lib/libfoo.so", "->", "libfoo.so.1"),
    ])
    create(name, Code={"ZipFile": zip_bytes})
    for _ in range(2):  # cold, then warm
        r, out = invoke(lam, name)
        assert r["StatusCode"] == 200 and "FunctionError" not in r, out
        assert out["relative"] == "VALUE = 'through the link'\n" and out["module"] == "through the link"
        assert out["is_link"] is True, "links are kept as links"
        assert out["absolute_target"] == "/etc/passwd", "targets are kept exactly as stored"
        assert out["passwd_root"] is True and out["passwd_as_seen_here"] is True
        assert out["libfoo"] == "ELF"
        if sandboxed(server):
            assert out["host_secret"] == "FileNotFoundError", "an absolute link resolves in the sandbox's view only"

    # The same holds after UpdateFunctionCode.
    lam.update_function_code(FunctionName=name, ZipFile=package([
        ("app.py", LINK_PROBE), ("real.py", "VALUE = 'updated'\n"), ("link.py", "->", "real.py"),
        ("linked.py", "->", "real.py"), ("etc_passwd", "->", "/etc/passwd"), ("host_secret", "->", secret),
        ("lib/libfoo.so", "->", "/nonexistent/libfoo.so.1"),
    ]))
    r, out = invoke(lam, name)
    assert r["StatusCode"] == 200 and "FunctionError" not in r, out
    assert out["module"] == "updated" and out["libfoo"] == "FileNotFoundError"


def test_a_layers_symlinks_work_at_opt(server, lam, create, name):
    layer = lam.publish_layer_version(LayerName="layer-" + uuid.uuid4().hex[:12], Content={"ZipFile": package([
        ("python/real_mod.py", "WHO = 'layer'\n"), ("python/linked_mod.py", "->", "real_mod.py"),
        ("python/abs_mod.py", "->", "/opt/python/real_mod.py"), ("python/outside", "->", "/etc"),
    ])})
    probe = """
import os

def handler(event, context):
    import linked_mod
    out = {"linked": linked_mod.WHO}
    if event.get("sandboxed"):
        import abs_mod
        out["absolute"] = abs_mod.WHO
        out["readlink"] = os.readlink("/opt/python/abs_mod.py")
        out["through_code"] = open("opt_link").read()
        out["outside_is_sandbox_etc"] = os.path.exists("/opt/python/outside/passwd")
    return out
"""
    create(name, Code={"ZipFile": package([("app.py", probe), ("opt_link", "->", "/opt/python/real_mod.py")])},
           Layers=[layer["LayerVersionArn"]])
    r, out = invoke(lam, name, {"sandboxed": sandboxed(server)})
    assert r["StatusCode"] == 200 and "FunctionError" not in r, out
    assert out["linked"] == "layer"
    if sandboxed(server):
        assert out["absolute"] == "layer" and out["readlink"] == "/opt/python/real_mod.py"
        assert out["through_code"] == "WHO = 'layer'\n", "a link in the code to /opt reaches the layer"
        assert out["outside_is_sandbox_etc"] is True


def test_a_later_layer_is_not_written_through_an_earlier_layers_link(server, lam, create, name, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    first = lam.publish_layer_version(LayerName="layer-" + uuid.uuid4().hex[:12], Content={"ZipFile": package([
        ("python", "->", str(victim)),
    ])})
    second = lam.publish_layer_version(LayerName="layer-" + uuid.uuid4().hex[:12], Content={"ZipFile": package([
        ("python/second_mod.py", "WHO = 'second'\n"),
    ])})
    probe = "def handler(event, context):\n    import second_mod\n    return second_mod.WHO\n"
    create(name, Code={"ZipFile": make_zip({"app.py": probe})}, Layers=[first["LayerVersionArn"], second["LayerVersionArn"]])
    r, out = invoke(lam, name)
    assert r["StatusCode"] == 200 and "FunctionError" not in r, out
    assert out == "second"
    assert list(victim.iterdir()) == [], "the server never wrote through the first layer's link"


def test_a_bootstrap_that_links_into_a_layer_runs(server, lam, create, name):
    """`bootstrap -> /opt/bin/serve` resolves only inside the sandbox: the server must not follow it on the host."""
    if not sandboxed(server):
        pytest.skip("a link to /opt resolves only in a sandbox")
    script = ("#!/bin/sh\nwhile true; do\n"
              "  h=$(mktemp); curl -s -D \"$h\" -o /dev/null \"http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next\"\n"
              "  id=$(grep -i '^lambda-runtime-aws-request-id:' \"$h\" | tr -d '\\r' | cut -d' ' -f2)\n"
              "  curl -s -X POST -d '\"linked\"' \"http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$id/response\" >/dev/null\n"
              "done\n")
    layer = lam.publish_layer_version(LayerName="boot-" + uuid.uuid4().hex[:6],
                                      Content={"ZipFile": package([("bin/serve", "mode", 0o100755, script)])})
    create(name, Runtime="provided.al2023", Handler="x", Layers=[layer["LayerVersionArn"]],
           Code={"ZipFile": package([("bootstrap", "->", "/opt/bin/serve")])})
    r, body = invoke(lam, name)
    assert "FunctionError" not in r, body
    assert body == "linked"
