"""Operating a cluster of Swiftlet nodes on one PostgreSQL database (issue 16): reserved concurrency is the
cluster's, `swiftlet cluster drain`, a rolling restart behind a load balancer with no failed request, the concurrency
slots of a node that stops, and the database going away and coming back.

Nodes are real `swiftlet serve` processes (cluster_support.py); the load balancer is a tiny Python one
(cluster_operations_support.py). Everything runs on 127.0.0.1. Nothing waits blindly: every wait polls a condition
under a deadline."""
import concurrent.futures
import json
import shutil
import signal
import subprocess
import threading
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from async_support import make_queue, python_runtime_of, strict_client
from cluster_operations_support import (BACKEND_HEADER, LoadBalancer, RestartedNode, cluster_command, exited, health,
                                        health_while, node_state, start_postgres, stop_postgres)
from cluster_support import (Node, ThrowawayPostgres, a, binary_has_cluster_status, binary_has_database_url,
                             cluster, create_function, invoke_json, postgres, runtime, wait_until, wait_updated)
from conftest import BIN

__all__ = ["postgres", "cluster", "a", "runtime"]  # fixtures, imported for pytest

BINARY_HAS_DATABASE_URL = binary_has_database_url()


# Sleeps as long as it is told; tells a queue when it started (through the endpoint relay, as its role) when given one.
SLOW = """
import time, boto3
sqs = boto3.client("sqs")
def handler(event, context):
    if event.get("started_url"):
        sqs.send_message(QueueUrl=event["started_url"], MessageBody=str(event.get("id")))
    time.sleep(event.get("sleep", 0))
    return {"id": event.get("id"), "slept": event.get("sleep", 0)}
"""

THROTTLE_REASON = "ReservedFunctionConcurrentInvocationLimitExceeded"


# --------------------------------------------------------------------------------------------------- fixtures

def needs_cluster_binary():
    if not BINARY_HAS_DATABASE_URL:
        pytest.skip(f"{BIN} has no `serve --database-url` yet (issue 16 is being wired)")
    if not binary_has_cluster_status():
        pytest.skip(f"{BIN} has no `swiftlet cluster` subcommand yet")







def no_retry_client(node, service="lambda", read_timeout=60):
    """A client that sends each call once and waits up to `read_timeout` seconds for its answer. (botocore's
    `max_attempts` counts retries: `{"max_attempts": 1}` still retries once; `total_max_attempts` counts the call.)"""
    return boto3.client(service, endpoint_url=node.endpoint, region_name="us-east-1",
                        aws_access_key_id=node.access_key, aws_secret_access_key=node.secret_key,
                        config=Config(retries={"total_max_attempts": 1}, read_timeout=read_timeout))


def held_slots(postgres, database, node, function):
    """Concurrency slots of `function`'s pool that `node` holds in the database (unexpired leases)."""
    return int(postgres.psql(
        f"SELECT COALESCE(SUM(slots), 0) FROM concurrency_leases WHERE node = '{node.node_id}' "
        f"AND position('{function}' in pool) > 0 AND expires_at > now()", database))


# ------------------------------------------------------------------------------------- reserved concurrency

def test_reserved_concurrency_is_the_clusters(cluster, runtime):
    """Reserved concurrency 2, four calls at once, two through each node: two run, two are throttled — the limit
    holds across nodes, not per node. Once idle, the slots the calls held go back to the cluster: two calls through
    one node then both run."""
    a, b = cluster.nodes[:2]
    lam_a, lam_b = strict_client(a), strict_client(b)
    name = create_function(lam_a, runtime, SLOW)
    wait_updated(lam_a, name)
    assert lam_a.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=2)[
        "ReservedConcurrentExecutions"] == 2
    # B knows the reservation made through A (and the function) before the burst.
    wait_until(lambda: lam_b.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions") == 2,
               10, what="B to see the reserved concurrency put through A")
    wait_updated(lam_b, name)

    def burst(nodes, sleep):
        clients = [(node.name, no_retry_client(node)) for node in nodes]
        barrier = threading.Barrier(len(clients))

        def call(k):
            node_name, client = clients[k]
            barrier.wait(timeout=30)
            started = time.monotonic()
            try:
                r = client.invoke(FunctionName=name, Payload=json.dumps({"id": k, "sleep": sleep}).encode())
                body = r["Payload"].read()
                if r["StatusCode"] == 200 and not r.get("FunctionError") and json.loads(body)["id"] == k:
                    return "ok", node_name, time.monotonic() - started, body
                return "error", node_name, time.monotonic() - started, (r.get("FunctionError"), body)
            except ClientError as e:
                kind = "throttled" if e.response["Error"]["Code"] == "TooManyRequestsException" else "error"
                return kind, node_name, time.monotonic() - started, e.response

        with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
            return list(pool.map(call, range(len(clients))))

    outcomes = burst([a, a, b, b], sleep=3)
    assert sorted(kind for kind, *_ in outcomes) == ["ok", "ok", "throttled", "throttled"], outcomes
    for kind, node_name, elapsed, response in outcomes:
        if kind != "throttled":
            continue
        # botocore puts the extra field of the error body at the top of the response.
        assert response.get("Reason") == THROTTLE_REASON, response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 429, response
        assert elapsed < 3, f"a throttle is answered at once, not after a running call ends ({elapsed:.1f}s)"

    # Idle slots are given back every second (a node keeps what it used in the last one): A's go back to the cluster.
    wait_until(lambda: held_slots(cluster.postgres, cluster.database, a, name) == 0, 5, interval=0.2,
               what="A to give the function's idle concurrency slots back")
    outcomes = burst([b, b], sleep=1)
    assert [kind for kind, *_ in outcomes] == ["ok", "ok"], \
        f"two calls through B alone must both run once A's calls are over: {outcomes}"


# ------------------------------------------------------------------------------------------------------ drain

def started_call(lam, sqs, started_url, name, payload):
    """Starts an invoke of SLOW in a thread and returns once the function runs (it tells `started_url` its payload's
    id); the call's result lands in the returned dict (`answer` or `error`, and `at`, when it returned)."""
    result = {}

    def call():
        try:
            r = lam.invoke(FunctionName=name, Payload=json.dumps({**payload, "started_url": started_url}).encode())
            result["answer"] = (r["StatusCode"], r.get("FunctionError"), json.loads(r["Payload"].read()))
        except Exception as e:  # noqa: BLE001 - the caller asserts on it
            result["error"] = repr(e)
        result["at"] = time.monotonic()

    def started():
        messages = sqs.receive_message(QueueUrl=started_url, WaitTimeSeconds=1, MaxNumberOfMessages=10).get(
            "Messages", [])
        for m in messages:
            sqs.delete_message(QueueUrl=started_url, ReceiptHandle=m["ReceiptHandle"])
        return any(m["Body"] == str(payload["id"]) for m in messages) or "error" in result or "answer" in result

    thread = threading.Thread(target=call)
    thread.start()
    try:
        wait_until(started, 20, interval=0, what=f"the call {payload} to start")
    except TimeoutError:
        thread.join(timeout=60)
        raise
    assert "error" not in result, f"the call {payload} failed before it started: {result['error']}"
    assert "answer" not in result, f"the call {payload} returned before it was seen running: {result['answer']}"
    return thread, result


# A drained node notices at its next heartbeat (every 5 s, NodeRegistry): a call in flight must outlast it to be
# running when the node starts draining.
DRAIN_CALL_SLEEP = 8


def test_drain_finishes_the_call_in_flight_and_stops_the_node(cluster, runtime):
    """`swiftlet cluster drain` on a node running a call: the node says it is draining (/health 503) while the call
    runs, the call completes, the process exits 0, `cluster status` shows it stopped; the other nodes serve on."""
    a = cluster.nodes[0]
    c = cluster.add_node()
    lam_a, lam_c, sqs_a = strict_client(a), no_retry_client(c), strict_client(a, "sqs")
    started_url, _, _ = make_queue(sqs_a, "started")
    name = create_function(lam_a, runtime, SLOW)
    wait_updated(lam_c, name)
    invoke_json(lam_c, name)  # warm on C: the drained call below starts at once

    caller, result = started_call(lam_c, sqs_a, started_url, name, {"id": "drained", "sleep": DRAIN_CALL_SLEEP})

    drained_at = time.monotonic()
    code, out, err = cluster_command("drain", "--database-url", cluster.url, "--node", c.node_id)
    assert code == 0, (code, out, err)
    assert c.node_id in out, out

    # What /health answers while the call runs, until the process ends.
    seen = health_while(caller, c, drained_at)
    caller.join(timeout=60)
    assert not caller.is_alive(), "the call in flight on the drained node never returned"

    assert "error" not in result, f"the call in flight on the drained node failed: {result['error']}"
    assert result["answer"] == (200, None, {"id": "drained", "slept": DRAIN_CALL_SLEEP}), result
    wait_until(lambda: c.proc.poll() is not None, max(0.5, 15 - (time.monotonic() - drained_at)), interval=0.1,
               what="the drained node's process to exit (15 s after the drain)")
    exit_code, exit_after = exited(c), time.monotonic() - drained_at
    assert exit_code == 0, f"a drained node exits 0, not {exit_code}; its log: {c.log_text()[-2000:]}"
    assert node_state(cluster.url, c) == "stopped", cluster_command("status", "--database-url", cluster.url)

    # The other node serves on.
    assert health(a.endpoint) == (200, "ok")
    assert node_state(cluster.url, a) == "serving"
    assert invoke_json(strict_client(a), name, {"id": "after"}) == {"id": "after", "slept": 0}

    # The node told load balancers it was leaving while it still finished the call.
    assert any(answer == (503, "draining") and at < result["at"] - drained_at for at, answer in seen), \
        (f"GET /health never answered 503 `draining` while the call ran (the node noticed the drain, finished the "
         f"call {result['at'] - drained_at:.2f}s and exited {exit_after:.2f}s after the drain command); "
         f"answers seen (seconds after the drain, answer): {seen}")


def test_sigterm_marks_the_node_draining_while_it_finishes_its_calls(cluster, runtime):
    """SIGTERM does what a drain does: while the node finishes the call it runs, /health answers 503 `draining` (a
    load balancer stops sending it requests before it stops listening); the call completes and the node exits 0."""
    a = cluster.nodes[0]
    e = cluster.add_node()
    lam_a, lam_e, sqs_a = strict_client(a), no_retry_client(e), strict_client(a, "sqs")
    started_url, _, _ = make_queue(sqs_a, "started")
    name = create_function(lam_a, runtime, SLOW)
    wait_updated(lam_e, name)
    invoke_json(lam_e, name)  # warm on E

    caller, result = started_call(lam_e, sqs_a, started_url, name, {"id": "terminated", "sleep": 3})
    signalled = time.monotonic()
    e.proc.send_signal(signal.SIGTERM)
    seen = health_while(caller, e, signalled)
    caller.join(timeout=60)
    wait_until(lambda: e.proc.poll() is not None, 20, interval=0.1, what="the node to exit after SIGTERM")
    exit_code = exited(e)

    assert result.get("answer") == (200, None, {"id": "terminated", "slept": 3}), \
        f"the call running on the node when it got SIGTERM: {result}"
    assert exit_code == 0, f"SIGTERM: exit {exit_code}; its log: {e.log_text()[-2000:]}"
    assert node_state(cluster.url, e) == "stopped", cluster_command("status", "--database-url", cluster.url)
    assert any(answer == (503, "draining") and at < result["at"] - signalled for at, answer in seen), \
        (f"GET /health never answered 503 `draining` while the node finished its call after SIGTERM (the call "
         f"returned {result['at'] - signalled:.2f}s after the signal); answers seen (seconds after SIGTERM, "
         f"answer): {seen}")


# ------------------------------------------------------------------------------------------- rolling restart

def test_rolling_restart_behind_a_load_balancer_fails_no_request(cluster, runtime):
    """Two nodes behind a health-checking load balancer, clients invoking through it in a loop with the SDK's
    standard retries; each node in turn is stopped with SIGTERM (while a call runs on it) and started again on its
    data dir. Every call returns the right answer, calls are served during each restart, and both nodes serve after."""
    a, b = cluster.nodes[:2]
    lam_a, sqs_a = strict_client(a), strict_client(a, "sqs")
    started_url, _, _ = make_queue(sqs_a, "started")
    name = create_function(lam_a, runtime, SLOW)
    for node in (a, b):
        wait_updated(strict_client(node), name)
        assert invoke_json(strict_client(node), name, {"id": "warm"})["id"] == "warm"  # warm on both
    lb = LoadBalancer({"a": a.endpoint, "b": b.endpoint})
    stop = threading.Event()
    ok, failures, retried = [], [], []  # ok: (monotonic time, backend)
    lock = threading.Lock()

    def client_loop(k):
        lam = boto3.client("lambda", endpoint_url=lb.endpoint, region_name="us-east-1",
                           aws_access_key_id=a.access_key, aws_secret_access_key=a.secret_key,
                           config=Config(retries={"mode": "standard", "max_attempts": 5}, read_timeout=60,
                                         connect_timeout=5))
        n = 0
        while not stop.is_set():
            n += 1
            payload = {"id": f"{k}-{n}", "sleep": 0.05}
            try:
                r = lam.invoke(FunctionName=name, Payload=json.dumps(payload).encode())
                body = r["Payload"].read()
                backend = r["ResponseMetadata"]["HTTPHeaders"].get(BACKEND_HEADER.lower())
                attempts = r["ResponseMetadata"].get("RetryAttempts", 0)
                with lock:
                    if attempts:
                        retried.append((payload["id"], attempts))
                    if r["StatusCode"] == 200 and not r.get("FunctionError") and \
                            json.loads(body) == {"id": payload["id"], "slept": 0.05}:
                        ok.append((time.monotonic(), backend))
                    else:
                        failures.append((time.monotonic(), payload, r["StatusCode"], r.get("FunctionError"), body))
            except Exception as e:  # noqa: BLE001 - every failure is reported by the assertion below
                with lock:
                    failures.append((time.monotonic(), payload, repr(e)))

    def served(since, backend=None):
        with lock:
            return sum(1 for at, by in ok if at >= since and (backend is None or by == backend))

    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(2)]
    phases = []
    try:
        wait_until(lambda: lb.healthy() == ["a", "b"], 10, what="the load balancer to find both nodes healthy")
        begun = time.monotonic()
        for t in threads:
            t.start()
        wait_until(lambda: served(begun, "a") >= 5 and served(begun, "b") >= 5, 20,
                   what="both nodes to serve calls through the load balancer")
        for i, node in enumerate(list(cluster.nodes[:2])):
            # A longer call runs on the node when it is told to stop: it finishes.
            other = cluster.nodes[1 - i]
            in_flight, result = started_call(strict_client(node), strict_client(other, "sqs"), started_url, name,
                                             {"id": f"in-flight-{node.name}", "sleep": 2})
            stopping = time.monotonic()
            code = node.stop()
            in_flight.join(timeout=60)
            assert result.get("answer") == (200, None, {"id": f"in-flight-{node.name}", "slept": 2}), \
                f"the call running on {node.name} when it got SIGTERM: {result}"
            assert code == 0, f"node {node.name} exited {code} on SIGTERM; its log: {node.log_text()[-2000:]}"
            restarted = RestartedNode(node, cluster.url)
            cluster.nodes[i] = restarted
            lb.set_backend(node.name, restarted.endpoint)
            back = time.monotonic()
            phases.append((node.name, served(stopping) - served(back), round(back - stopping, 1)))
            assert served(stopping) - served(back) > 0, \
                f"no call was served while {node.name} restarted ({back - stopping:.1f}s); failures: {failures[:5]}"
            wait_until(lambda: served(back, node.name) >= 5, 20,
                       what=f"{node.name} to serve calls again after its restart")
        after = time.monotonic()
        wait_until(lambda: served(after, "a") >= 5 and served(after, "b") >= 5, 20,
                   what="both nodes to serve calls after the rolling restart")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=90)
        lb.close()

    assert not failures, (f"{len(failures)} call(s) failed during the rolling restart (phases: node, calls served "
                          f"while it restarted, seconds): {phases}; first failures: {failures[:5]}; load balancer: "
                          f"502s {lb.bad_gateway}, 503s {lb.unavailable}, refused connects {lb.connect_failures}; calls the SDK "
                          f"retried: {len(retried)}")
    assert len(ok) > 50, f"only {len(ok)} calls completed"


# ---------------------------------------------------------------------------------- slots of a stopped node

def test_a_node_stopped_gracefully_gives_its_concurrency_slots_back(cluster, runtime):
    """Reserved concurrency 1, its one slot held by a node running a call when it is stopped (SIGTERM, as a drain
    does): once the node has finished the call and exited, the slot is the cluster's again — a call through another
    node runs rather than being throttled until the stopped node's lease lapses (15 s)."""
    b = cluster.nodes[1]
    d = cluster.add_node()
    lam_b, lam_d, sqs_b = strict_client(b), strict_client(d), strict_client(b, "sqs")
    started_url, _, _ = make_queue(sqs_b, "started")
    name = create_function(lam_b, runtime, SLOW)
    lam_b.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    wait_until(lambda: lam_d.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions") == 1,
               10, what="the new node to see the reserved concurrency")
    wait_updated(lam_d, name)

    caller, result = started_call(lam_d, sqs_b, started_url, name, {"id": "last", "sleep": 2})
    code = d.stop()
    caller.join(timeout=60)
    assert result.get("answer") == (200, None, {"id": "last", "slept": 2}), \
        f"the call running on the stopped node: {result}"
    assert code == 0, f"the node exited {code} on SIGTERM; its log: {d.log_text()[-2000:]}"
    held = held_slots(cluster.postgres, cluster.database, d, name)

    attempts = []

    def runs_through_b():
        try:
            return invoke_json(no_retry_client(b), name, {"id": "next"}) == {"id": "next", "slept": 0}
        except ClientError as e:
            if e.response["Error"]["Code"] != "TooManyRequestsException":
                raise
            attempts.append(e.response.get("Reason"))
            return False

    try:
        wait_until(runs_through_b, 1, interval=0.1, what="a call through B to run")
    except TimeoutError:
        pytest.fail(f"the slot of the node that stopped was not given back: {len(attempts)} call(s) through B were "
                    f"throttled ({attempts[-1:]}) in the second after it exited, and the database still showed it "
                    f"holding {held} slot(s) of the function after its exit; `cluster status`:\n"
                    f"{cluster_command('status', '--database-url', cluster.url)[1]}")


# --------------------------------------------------------------------------------------- database outage

def test_a_node_outlives_its_database_going_away_and_coming_back():
    """One node on a PostgreSQL of its own, which is stopped (`pg_ctl stop -m fast`) then started again: meanwhile
    warm calls run and API calls that need the database fail fast with ServiceException — also those of a client
    calling in a loop as the database goes; once it is back, writes succeed again without anyone touching the node,
    which still shuts down cleanly (SIGTERM, exit 0)."""
    needs_cluster_binary()
    pg = ThrowawayPostgres()
    node = None
    try:
        _, url = pg.create_database("outage")
        node = Node("solo", url)
        runtime = python_runtime_of(node)
        lam = strict_client(node)
        # Calls made while the database is away are given 5 s (they should fail within 2): a hung one is reported as
        # such rather than holding the test for a minute.
        impatient = no_retry_client(node, read_timeout=5)
        name = create_function(lam, runtime)
        wait_updated(lam, name)
        assert invoke_json(lam, name, {"n": 0}) == {"echo": {"n": 0}}

        # What goes wrong while the database is away is collected, so that recovery is checked whatever happened.
        problems = []
        stopped = None

        def timed(what, call, expect):
            started = time.monotonic()
            try:
                outcome = ("ok", call())
            except ClientError as e:
                outcome = (e.response["Error"]["Code"], e.response["Error"].get("Message"))
            except Exception as e:  # noqa: BLE001 - a read timeout: the call hung
                outcome = (type(e).__name__, str(e))
            elapsed = time.monotonic() - started
            if outcome[0] not in expect or elapsed >= 2:
                when = "before the database stopped" if stopped is None else \
                    f"{started - stopped:+.2f}s after the database stopped"
                problems.append(f"{what} sent {when}: "
                                f"{outcome} after {elapsed:.2f}s (expected {' or '.join(expect)} within 2 s)")
            return outcome

        # A busy node loses its database: a client lists functions in a loop from before the stop to 2 s after it.
        # Every call answers within 2 s; once the database is gone, with ServiceException.
        streamed = []

        def stream():
            lister = no_retry_client(node, read_timeout=5)
            while stopped is None or time.monotonic() < stopped + 2:
                before = stopped is None
                streamed.append(timed("ListFunctions (streamed)", lambda: lister.list_functions(),
                                      ("ok", "ServiceException") if before else ("ServiceException",))[0])
                time.sleep(0.01)  # pacing
        streaming = threading.Thread(target=stream)
        streaming.start()
        wait_until(lambda: streamed.count("ok") >= 3, 10, interval=0.01, what="the streamed calls to start")

        stop_postgres(pg, "fast")
        stopped = time.monotonic()

        # Warm calls keep running (the first may wait for the concurrency lease's round trip to time out).
        for n in range(1, 4):
            outcome = timed(f"warm invoke {n}", lambda: invoke_json(impatient, name, {"n": n}), ("ok",))
            if outcome[0] == "ok":
                assert outcome[1] == {"echo": {"n": n}}, outcome
        # Writes and reads of the catalog fail, fast, as a service error.
        timed("CreateFunction", lambda: create_function(impatient, runtime), ("ServiceException",))
        timed("ListFunctions", lambda: impatient.list_functions(), ("ServiceException",))
        streaming.join(timeout=30)

        start_postgres(pg)
        back = time.monotonic()

        # Writes succeed again by themselves: the node reconnects.
        def write():
            try:
                return create_function(impatient, runtime)
            except ClientError as e:
                assert e.response["Error"]["Code"] == "ServiceException", e.response
                return None
        created = wait_until(write, 15, interval=0.25, what="CreateFunction to succeed once the database is back")
        recovered = time.monotonic() - back
        wait_updated(lam, created)
        assert invoke_json(lam, created, {"new": True}) == {"echo": {"new": True}}
        assert created in [f["FunctionName"] for f in lam.list_functions()["Functions"]]
        assert invoke_json(lam, name, {"n": 9}) == {"echo": {"n": 9}}

        try:
            code = node.stop(timeout=30)
        except subprocess.TimeoutExpired:
            code = "no exit within 30 s"
        if code != 0:
            problems.append(f"SIGTERM once the database was back: {code} (a node shuts down cleanly, exit 0; the end "
                            f"of its log: {node.log_text()[-4000:]})")
        assert not problems, f"the database went away and came back ({recovered:.1f}s after its restart, writes " \
                             f"succeeded again): " + "; ".join(problems)
        shutil.rmtree(node.data_dir, ignore_errors=True)
    finally:
        if node is not None and node.alive:
            node.kill()
        pg.stop()
