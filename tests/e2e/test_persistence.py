"""State survives restarts; a SIGKILL mid-burst leaves every function whole."""
import base64
import hashlib
import signal
import tempfile
import threading
import time

import requests

from conftest import ROLE, Server, make_zip, wait_for


def test_restart_keeps_functions_and_tags():
    with tempfile.TemporaryDirectory(prefix="swiftlet-restart-") as data_dir:
        first = Server(data_dir)
        lam = first.client()
        created = lam.create_function(FunctionName="kept", Runtime="provided.al2023", Role=ROLE, Handler="bootstrap",
                                      Code={"ZipFile": make_zip({"bootstrap": "#!/bin/sh\n"})}, Tags={"t": "1"})
        assert first.stop() == 0
        second = Server(data_dir)
        try:
            assert second.access_key == first.access_key
            got = second.client().get_function(FunctionName="kept")
            assert got["Configuration"]["RevisionId"] == created["RevisionId"]
            assert got["Configuration"]["CodeSha256"] == created["CodeSha256"]
            assert got["Tags"] == {"t": "1"}
        finally:
            assert second.stop() == 0


def test_sigkill_during_update_burst_leaves_consistent_functions():
    codes = [make_zip({"app.py": f"VERSION = {i}\n" + "#" * (i * 1000)}) for i in range(8)]
    shas = {base64.b64encode(hashlib.sha256(c).digest()).decode(): len(c) for c in codes}
    names = [f"crash-{i}" for i in range(4)]
    with tempfile.TemporaryDirectory(prefix="swiftlet-crash-") as data_dir:
        for round_ in range(3):
            server = Server(data_dir)
            lam = server.client()
            if round_ == 0:
                for n in names:
                    lam.create_function(FunctionName=n, Runtime="provided.al2023", Role=ROLE, Handler="bootstrap",
                                        Code={"ZipFile": codes[0]})
            stop = threading.Event()
            done = []

            def hammer(n, seed):
                client = server.client()
                i = seed
                while not stop.is_set():
                    i += 1
                    try:
                        if i % 2:
                            client.update_function_code(FunctionName=n, ZipFile=codes[i % len(codes)])
                        else:
                            client.update_function_configuration(FunctionName=n, Timeout=1 + i % 60, Description=f"d{i}")
                        done.append(1)
                    except Exception:
                        if not stop.is_set():
                            time.sleep(0.01)

            threads = [threading.Thread(target=hammer, args=(n, k)) for k, n in enumerate(names)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 20
            while len(done) < 40 + round_ * 10 and time.monotonic() < deadline:
                time.sleep(0.02)
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(timeout=10)
            stop.set()
            for t in threads:
                t.join(timeout=30)
            assert done, "the burst made no progress"

            after = Server(data_dir)
            try:
                check = after.client()
                for n in names:
                    got = check.get_function(FunctionName=n)
                    conf = got["Configuration"]
                    assert conf["CodeSha256"] in shas
                    assert conf["CodeSize"] == shas[conf["CodeSha256"]]
                    blob = requests.get(got["Code"]["Location"], timeout=10).content
                    assert base64.b64encode(hashlib.sha256(blob).digest()).decode() == conf["CodeSha256"]
                    assert 1 <= conf["Timeout"] <= 60
                    assert conf["Description"] == "" or conf["Description"].startswith("d")
            finally:
                assert after.stop() == 0


PROVISIONED_APP = """
import os
INIT_TYPE = os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]

def handler(event, context):
    return {"init_type": INIT_TYPE, "version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"]}
"""


def test_restart_keeps_versions_aliases_layers_concurrency_and_reprovisions():
    import json
    with tempfile.TemporaryDirectory(prefix="swiftlet-release-restart-") as data_dir:
        first = Server(data_dir)
        lam = first.client()
        python = [r for r in first.health["runtimes"] if r.startswith("python")][-1]
        layer = lam.publish_layer_version(LayerName="kept-layer", Content={"ZipFile": make_zip({"python/kept_lib.py": "X = 7\n"})})
        lam.create_function(FunctionName="rel", Runtime=python, Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": make_zip({"app.py": PROVISIONED_APP})}, Layers=[layer["LayerVersionArn"]],
                            Publish=True)
        lam.create_alias(FunctionName="rel", Name="live", FunctionVersion="1")
        lam.put_function_concurrency(FunctionName="rel", ReservedConcurrentExecutions=3)
        lam.put_provisioned_concurrency_config(FunctionName="rel", Qualifier="live", ProvisionedConcurrentExecutions=2)
        lam.add_permission(FunctionName="rel", StatementId="s", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
        assert first.stop() == 0

        second = Server(data_dir)
        try:
            lam = second.client()
            assert [v["Version"] for v in lam.list_versions_by_function(FunctionName="rel")["Versions"]] == ["$LATEST", "1"]
            assert lam.get_alias(FunctionName="rel", Name="live")["FunctionVersion"] == "1"
            assert lam.get_function_concurrency(FunctionName="rel")["ReservedConcurrentExecutions"] == 3
            assert json.loads(lam.get_policy(FunctionName="rel")["Policy"])["Statement"][0]["Sid"] == "s"
            conf = lam.get_function_configuration(FunctionName="rel", Qualifier="1")
            assert conf["Layers"][0]["Arn"] == layer["LayerVersionArn"]

            def ready():
                got = lam.get_provisioned_concurrency_config(FunctionName="rel", Qualifier="live")
                return got if got["Status"] == "READY" else None
            got = wait_for(ready, timeout=30, what="provisioned environments after restart")
            assert got["AvailableProvisionedConcurrentExecutions"] == 2
            out = json.loads(lam.invoke(FunctionName="rel", Qualifier="live")["Payload"].read())
            assert out == {"init_type": "provisioned-concurrency", "version": "1"}
        finally:
            assert second.stop() == 0
