"""Routing for warmth (issue 16): a node that gets a sync invoke of a function revision it has no idle environment
of, while another node reported one at its heartbeat, forwards the invoke there (signed as the cluster's root, one hop)
instead of cold-starting; when that node cannot be reached it runs the invoke itself.

Two real `swiftlet serve` nodes on one throwaway PostgreSQL database (cluster_support.py). The function answers a
token drawn when its module loads, so the token says which execution environment ran an invoke. Every wait polls a
condition under a deadline. `bench/cluster_bench.py` measures what a forward costs."""
import base64
import json
import urllib.request

from async_support import strict_client, unique
from cluster_support import a, b, cluster, postgres, runtime, wait_until
from conftest import ROLE, make_zip

__all__ = ["postgres", "cluster", "a", "b", "runtime"]  # fixtures, imported for pytest

# The token is drawn once per execution environment (module load): the same token means the same environment.
TOKEN = """import os, uuid
TOKEN = uuid.uuid4().hex
def handler(event, context):
    if event.get("fail"):
        raise ValueError("asked to fail")
    return {"token": TOKEN, "pid": os.getpid(), "echo": event.get("echo")}
"""






def create_function(lam, runtime, **overrides):
    name = unique("warm")
    args = dict(FunctionName=name, Runtime=runtime, Role=ROLE, Handler="app.handler", Timeout=30,
                Code={"ZipFile": make_zip({"app.py": TOKEN})})
    args.update(overrides)
    lam.create_function(**args)
    wait_active(lam, name)
    return name


def wait_active(lam, name):
    def done():
        c = lam.get_function_configuration(FunctionName=name)
        assert c.get("LastUpdateStatus") != "Failed" and c.get("State") != "Failed", c
        return c.get("State", "Active") == "Active" and c.get("LastUpdateStatus", "Successful") == "Successful"
    wait_until(done, 30, what=f"{name} to be Active")


def invoke(lam, name, payload=None, **kwargs):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode(), **kwargs)
    return r, json.loads(r["Payload"].read())


def metric_series(node, family):
    """{labels text: value} of one family on the node's /metrics."""
    with urllib.request.urlopen(node.endpoint + "/metrics", timeout=10) as r:
        text = r.read().decode()
    series = {}
    for line in text.splitlines():
        if line.startswith(family + "{") or line.startswith(family + " "):
            labels, _, value = line.rpartition(" ")
            series[labels[len(family):]] = float(value)
    return series


def metric_for_function(node, family, name):
    return sum(v for labels, v in metric_series(node, family).items() if f'function="{name}"' in labels)


def wait_warm_elsewhere(node, name):
    """Until `node`'s router has read that another node has `name` warm (its heartbeat, then the router's refresh)."""
    wait_until(lambda: metric_for_function(node, "swiftlet_warm_elsewhere", name) >= 1, 30,
               what=f"{node.name}'s router to know that {name} is warm elsewhere")


def forwarded_count(node, outcome="forwarded"):
    return sum(v for labels, v in metric_series(node, "swiftlet_forwarded_invokes_total").items()
               if f'outcome="{outcome}"' in labels)


def test_an_invoke_through_a_cold_node_runs_in_the_warm_environment_of_another(a, b, runtime):
    lam_a, lam_b = strict_client(a), strict_client(b)
    name = create_function(lam_a, runtime)
    _, first = invoke(lam_a, name, {"echo": 1})
    wait_warm_elsewhere(b, name)
    forwarded_before = forwarded_count(b)

    r, body = invoke(lam_b, name, {"echo": 2}, LogType="Tail")
    assert r["StatusCode"] == 200 and not r.get("FunctionError"), body
    assert body == {"token": first["token"], "pid": first["pid"], "echo": 2}, "A's warm environment must answer"
    assert r["ExecutedVersion"] == "$LATEST"
    tail = base64.b64decode(r["LogResult"]).decode()
    assert "REPORT RequestId" in tail and "Init Duration" not in tail, tail
    # B ran nothing: no environment of the function there, and the forward was counted.
    assert metric_for_function(b, "swiftlet_environments", name) == 0
    assert forwarded_count(b) == forwarded_before + 1

    # The function's own error comes back as the peer gave it.
    r, body = invoke(lam_b, name, {"fail": True})
    assert r["StatusCode"] == 200 and r.get("FunctionError") == "Unhandled", body
    assert body["errorType"] == "ValueError", body
    # A qualified invoke of a published version is a revision of its own: warm on A once A ran it.
    version = lam_a.publish_version(FunctionName=name)["Version"]
    _, on_a = invoke(lam_a, name, {"echo": 3}, Qualifier=version)
    wait_until(lambda: metric_for_function(b, "swiftlet_warm_elsewhere", name) >= 2, 30,
               what=f"{b.name}'s router to know that version {version} is warm on {a.name}")
    r, body = invoke(lam_b, name, {"echo": 4}, Qualifier=version)
    assert r["ExecutedVersion"] == version and body["token"] == on_a["token"], body
    assert metric_for_function(b, "swiftlet_environments", name) == 0


def test_a_forwarded_request_is_never_forwarded_again(a, b, runtime):
    """A request that carries X-Swiftlet-Forwarded runs on the node it reaches, even cold: a request hops at most once
    (two nodes can never send one back and forth)."""
    lam_a, lam_b = strict_client(a), strict_client(b)
    name = create_function(lam_a, runtime)
    _, on_a = invoke(lam_a, name)
    wait_warm_elsewhere(b, name)

    def mark_forwarded(request, **_):
        request.headers["X-Swiftlet-Forwarded"] = "test"
    lam_b.meta.events.register("before-sign.lambda.Invoke", mark_forwarded)
    _, on_b = invoke(lam_b, name)
    assert on_b["token"] != on_a["token"], "a request marked forwarded must not hop again"
    assert metric_for_function(b, "swiftlet_environments", name) == 1


def test_every_invoke_through_the_cold_node_reaches_the_warm_environment(a, b, runtime):
    """20 invokes in a row through B all run in A's warm environment (B never cold-starts it); 20 invokes of a revision
    warm nowhere each cold-start on B. (How long each takes: `bench/cluster_bench.py`.)"""
    lam_a, lam_b = strict_client(a), strict_client(b)
    runs = 20

    def answer(lam, name, payload=None):
        r, body = invoke(lam, name, payload)
        assert r["StatusCode"] == 200 and not r.get("FunctionError"), body
        return body

    name = create_function(lam_a, runtime)
    _, on_a = invoke(lam_a, name)
    wait_warm_elsewhere(b, name)
    for i in range(runs):
        assert answer(lam_b, name, {"echo": i})["token"] == on_a["token"]

    cold_name = create_function(lam_b, runtime)
    tokens = set()
    for i in range(runs):
        lam_b.update_function_configuration(FunctionName=cold_name, Environment={"Variables": {"RUN": str(i)}})
        wait_active(lam_b, cold_name)
        tokens.add(answer(lam_b, cold_name, {"echo": i})["token"])
    assert len(tokens) == runs, "every run must have been a cold start"


def test_an_unreachable_peer_falls_back_to_running_locally(cluster, a, b, runtime):
    """Last: kills A. Until A's heartbeats are missed, B still reads that A has the function warm; the forward fails
    to connect and B runs the invoke itself."""
    lam_a, lam_b = strict_client(a), strict_client(b)
    name = create_function(lam_a, runtime)
    _, on_a = invoke(lam_a, name)
    wait_warm_elsewhere(b, name)
    fell_back_before = forwarded_count(b, "fell_back")
    a.kill()
    r, body = invoke(lam_b, name, {"echo": "after"})
    assert r["StatusCode"] == 200 and not r.get("FunctionError"), body
    assert body["echo"] == "after" and body["token"] != on_a["token"]
    assert forwarded_count(b, "fell_back") == fell_back_before + 1
    assert metric_for_function(b, "swiftlet_environments", name) == 1
