"""Several Swiftlet nodes on one PostgreSQL database (issue 16): what one node is told, every node knows.

Nodes are real `swiftlet serve` processes on temp data dirs of their own, all started with `--database-url` to one
fresh database of a throwaway PostgreSQL server (cluster_support.py). A test does something through one node and
checks it through another: credentials and IAM, functions and their code, queues, async invokes, event source
mappings, a node killed mid-burst, `swiftlet cluster status`. Nothing waits blindly: every wait polls a condition
under a deadline."""
import collections
import concurrent.futures
import configparser
import json
import os
import shutil
import subprocess
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from async_support import invoke_event, make_queue, strict_client, unique
from cluster_support import (Node, a, b, binary_has_cluster_status, binary_has_database_url, cluster,
                             create_function, invoke_json, node_log, postgres, runtime, wait_until, wait_updated)
from conftest import BIN, LAMBDA_TRUST, make_zip

__all__ = ["postgres", "cluster", "a", "b", "runtime"]  # fixtures, imported for pytest

BINARY_HAS_DATABASE_URL = binary_has_database_url()


# Returns which code it is; the tests rewrite VERSION for every upload.
VERSIONED = "import os\nVERSION = {v}\ndef handler(event, context):\n    return {{'version': VERSION, 'env': os.environ.get('MARK')}}\n"

# A little slow on purpose, so that a backlog is still leased when a node is killed.
SLOW_ID = "import time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return {'id': event['id']}\n"

# A mapping's invocations are synchronous and their results go nowhere a test can read: the worker forwards every
# record's body to the queue named in SEEN_URL (through the endpoint relay, as its role), which the test reads.
FORWARDER = """
import os, boto3
sqs = boto3.client("sqs")
def handler(event, context):
    for r in event["Records"]:
        sqs.send_message(QueueUrl=os.environ["SEEN_URL"], MessageBody=r["body"])
"""


# --------------------------------------------------------------------------------------------------- fixtures





def clients(node, service="lambda", n=1):
    made = [strict_client(node, service) for _ in range(n)]
    return made if n > 1 else made[0]





def error_code(e):
    return e.response["Error"]["Code"]


def key_works(node, key, session_token=None):
    try:
        node.client_as("sts", key["AccessKeyId"], key["SecretAccessKey"], session_token).get_caller_identity()
        return True
    except ClientError:
        return False


def destination_ids(sqs_clients, url, expected, timeout):
    """Reads OnSuccess destination records through the given nodes in turn until every expected id has been seen
    (or the deadline passes); returns a Counter of ids (duplicates counted)."""
    seen = collections.Counter()
    deadline = time.monotonic() + timeout
    k = 0
    while not expected <= set(seen) and time.monotonic() < deadline:
        sqs = sqs_clients[k % len(sqs_clients)]
        k += 1
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                       VisibilityTimeout=120).get("Messages", [])
        for m in messages:
            record = json.loads(m["Body"])
            assert record["requestContext"]["condition"] == "Success", record
            seen[record["requestPayload"]["id"]] += 1
        if messages:
            r = sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
            assert not r.get("Failed"), r
    return seen


def burst_events(lams_and_nodes, name, ids, accepted, stop=None, sleep=0.0):
    """Sends one Event invoke per id, id i through lams_and_nodes[i % n] (a (client, node name) pair), one thread
    per client; appends (id, node name) to `accepted` for every 202. Once `stop` is set, calls end quietly."""
    lock = threading.Lock()
    n = len(lams_and_nodes)

    def send(k):
        lam, node_name = lams_and_nodes[k]
        for i in range(k, len(ids), n):
            if stop is not None and stop.is_set():
                return
            try:
                r = invoke_event(lam, name, {"id": ids[i], "sleep": sleep})
            except Exception:
                if stop is not None and stop.is_set():
                    return  # the node was killed under this call: not accepted
                raise
            assert r["StatusCode"] == 202, r
            with lock:
                accepted.append((ids[i], node_name))

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        for f in [pool.submit(send, k) for k in range(n)]:
            f.result()




# ------------------------------------------------------------------------------------------------ PostgreSQL

def test_throwaway_postgres_serves_a_fresh_database(postgres):
    name, url = postgres.create_database("probe")
    assert url == f"postgresql://postgres@127.0.0.1:{postgres.port}/{name}?sslmode=disable"
    postgres.psql("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)", name)
    assert postgres.psql("SELECT count(*) FROM t", name) == "2"
    assert postgres.psql("SELECT current_database()", name) == name
    # The server runs as the postgres OS user and listens on loopback only.
    assert postgres.psql("SHOW listen_addresses") == "127.0.0.1"


# ---------------------------------------------------------------------------------------- identity and keys

def test_nodes_keep_their_state_in_postgresql(cluster, a, b):
    for node in (a, b):
        assert node.health.get("store") == "postgresql", node.health
    # Both nodes wrote to the one database; the tables exist there (and not only in a node's SQLite file).
    tables = cluster.postgres.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                                   cluster.database)
    assert int(tables) > 10, tables
    for node in (a, b):
        assert not [f for f in os.listdir(node.data_dir) if f.endswith((".sqlite", ".sqlite3", ".db"))], \
            f"node {node.name} made a SQLite database in {node.data_dir}: {os.listdir(node.data_dir)}"


def test_nodes_share_root_credentials(a, b):
    files = []
    for node in (a, b):
        parser = configparser.ConfigParser()
        parser.read(os.path.join(node.data_dir, "credentials"))
        files.append((parser["default"]["aws_access_key_id"], parser["default"]["aws_secret_access_key"]))
    assert files[0] == files[1], "the second node's credentials file must hold the keys the first node generated"
    # The root key made by A signs requests B accepts, and both say they are root of the same account.
    for node in (a, b):
        identity = node.client_as("sts", *files[0]).get_caller_identity()
        assert identity["Arn"] == "arn:aws:iam::000000000000:root", identity


def test_a_node_reads_its_own_iam_writes(a):
    """What a node has just answered for is there for the caller's next request to the same node (as with one node
    on SQLite): a role's policy right after CreateRole, a user's right after CreateUser, a new key at once."""
    iam = clients(a, "iam")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "lambda:ListFunctions", "Resource": "*"}]})
    failures = []
    for _ in range(10):
        role, user = unique("rw"), unique("rw")
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
        try:
            iam.put_role_policy(RoleName=role, PolicyName="p", PolicyDocument=policy)
        except iam.exceptions.NoSuchEntityException as e:
            failures.append(f"PutRolePolicy right after CreateRole {role}: {e}")
        iam.create_user(UserName=user)
        try:
            key = iam.create_access_key(UserName=user)["AccessKey"]
        except iam.exceptions.NoSuchEntityException as e:
            failures.append(f"CreateAccessKey right after CreateUser {user}: {e}")
            key = iam.create_access_key(UserName=user)["AccessKey"]
        if not key_works(a, key):
            failures.append(f"the key just made for {user} was refused by the node that made it")
    assert not failures, f"{len(failures)} of 30 reads missed the node's own write: {failures[:4]}"


def test_session_credentials_from_a_are_accepted_by_b(a, b):
    """Session tokens are sealed with the identity key, nothing is stored per session: the nodes must share the key."""
    iam_a = strict_client(a, "iam")
    user, role = unique("u"), unique("role")
    iam_a.create_user(UserName=user)
    iam_a.put_user_policy(UserName=user, PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    iam_a.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::000000000000:user/{user}"},
         "Action": "sts:AssumeRole"}]}))
    key = iam_a.create_access_key(UserName=user)["AccessKey"]
    wait_until(lambda: key_works(a, key), 10, interval=0.02, what="A to accept the key it made")
    sts_user_a = a.client_as("sts", key["AccessKeyId"], key["SecretAccessKey"])
    creds = sts_user_a.assume_role(RoleArn=f"arn:aws:iam::000000000000:role/{role}",
                                   RoleSessionName="cluster")["Credentials"]
    sts_b = b.client_as("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    assert sts_b.get_caller_identity()["Arn"] == f"arn:aws:sts::000000000000:assumed-role/{role}/cluster"
    # GetSessionToken's credentials too.
    creds = sts_user_a.get_session_token()["Credentials"]
    sts_b = b.client_as("sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    assert sts_b.get_caller_identity()["Arn"] == f"arn:aws:iam::000000000000:user/{user}"


def test_iam_changes_through_a_apply_on_b(a, b):
    iam_a = strict_client(a, "iam")
    user = unique("u")
    iam_a.create_user(UserName=user)
    iam_a.put_user_policy(UserName=user, PolicyName="list", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:ListFunctions", "Resource": "*"}]}))
    key = iam_a.create_access_key(UserName=user)["AccessKey"]
    lam_b = b.client_as("lambda", key["AccessKeyId"], key["SecretAccessKey"])

    def answer():
        try:
            lam_b.list_functions()
            return "allowed"
        except ClientError as e:
            return error_code(e)

    # A new key is usable on B at once (B reloads identities when A writes them).
    wait_until(lambda: answer() == "allowed", 5, what=f"B to accept the key A made (last answer: {answer()})")
    # A Deny added through A is enforced by B.
    iam_a.put_user_policy(UserName=user, PolicyName="deny", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "lambda:ListFunctions", "Resource": "*"}]}))
    wait_until(lambda: answer() == "AccessDeniedException", 5, what="B to enforce the Deny put through A")
    # A key deleted through A is refused by B.
    iam_a.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    wait_until(lambda: answer() in ("UnrecognizedClientException", "InvalidClientTokenId",
                                     "InvalidSignatureException"), 5, what="B to refuse the key deleted through A")


# ------------------------------------------------------------------------------------------------- functions

def test_function_created_through_a_is_invoked_through_b(a, b, runtime):
    lam_a, lam_b = clients(a), clients(b)
    name = create_function(lam_a, runtime)
    wait_updated(lam_b, name)
    assert name in [f["FunctionName"] for f in lam_b.list_functions()["Functions"]]
    # B has no copy of the code but the shared store's (blobs live in PostgreSQL too).
    assert invoke_json(lam_b, name, {"n": 1}) == {"echo": {"n": 1}}
    assert invoke_json(lam_a, name, {"n": 2}) == {"echo": {"n": 2}}


def test_a_layer_published_through_a_is_mounted_on_b(a, b, runtime):
    lam_a, lam_b = clients(a), clients(b)
    layer = lam_a.publish_layer_version(LayerName=unique("lay"), CompatibleRuntimes=[runtime], Content={
        "ZipFile": make_zip({"python/clusterlib.py": "WHERE = 'in the layer'\n"})})["LayerVersionArn"]
    name = create_function(lam_a, runtime, "import clusterlib\ndef handler(e, c):\n    return clusterlib.WHERE\n",
                           Layers=[layer])
    wait_updated(lam_b, name)
    assert invoke_json(lam_b, name) == "in the layer"


def test_updates_through_a_reach_the_very_next_invoke_through_b(a, b, runtime):
    lam_a, lam_b = clients(a), clients(b)
    name = create_function(lam_a, runtime, VERSIONED.format(v=1))
    wait_updated(lam_a, name)
    # B runs version 1 and keeps a warm environment of it.
    assert invoke_json(lam_b, name)["version"] == 1
    assert invoke_json(lam_b, name)["version"] == 1
    stale = []
    last = 9
    for v in range(2, last + 1):  # several rounds: a late invalidation shows in some of them
        sha = lam_a.update_function_code(FunctionName=name, ZipFile=make_zip({"app.py": VERSIONED.format(v=v)}))[
            "CodeSha256"]
        wait_updated(lam_a, name)
        got = invoke_json(lam_b, name)["version"]
        if got != v:
            stale.append(f"B ran version {got} after A's update to {v} had completed")
        assert lam_b.get_function(FunctionName=name)["Configuration"]["CodeSha256"] == sha
    assert not stale, f"{len(stale)} of {last - 1} updates were missed by B's next invoke: {stale}"
    # Configuration too: an environment variable set through A is seen by B's next invoke.
    lam_a.update_function_configuration(FunctionName=name, Environment={"Variables": {"MARK": "from-a"}})
    wait_updated(lam_a, name)
    assert invoke_json(lam_b, name) == {"version": last, "env": "from-a"}
    # And a delete: B's next invoke finds no function.
    lam_a.delete_function(FunctionName=name)
    with pytest.raises(lam_b.exceptions.ResourceNotFoundException):
        lam_b.invoke(FunctionName=name, Payload=b"{}")


# ---------------------------------------------------------------------------------------------------- queues

def test_messages_sent_through_a_are_received_exactly_once_across_nodes(a, b):
    n = 200
    sqs_a = clients(a, "sqs")
    url, _, _ = make_queue(sqs_a, "x1")
    ids = [f"m{i}-{uuid.uuid4().hex[:6]}" for i in range(n)]
    for i in range(0, n, 10):
        r = sqs_a.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(j), "MessageBody": ids[i + j]} for j in range(10)])
        assert len(r.get("Successful", [])) == 10, r

    receivers = [("a", c) for c in clients(a, "sqs", 3)] + [("b", c) for c in clients(b, "sqs", 3)]
    got = []  # (body, node)
    lock = threading.Lock()
    deadline = time.monotonic() + 60

    def receive(node_name, sqs):
        while time.monotonic() < deadline:
            with lock:
                if len(got) >= n:
                    return
            # A long visibility timeout: a message seen twice here was handed to two receivers at once.
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                           VisibilityTimeout=120).get("Messages", [])
            if not messages:
                continue
            with lock:
                got.extend((m["Body"], node_name) for m in messages)
            r = sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
            assert not r.get("Failed"), r

    with concurrent.futures.ThreadPoolExecutor(len(receivers)) as pool:
        for f in [pool.submit(receive, *r) for r in receivers]:
            f.result()

    bodies = collections.Counter(body for body, _ in got)
    duplicates = {k: v for k, v in bodies.items() if v > 1}
    assert not duplicates, f"{len(duplicates)} message(s) received more than once: {list(duplicates.items())[:5]}"
    assert set(bodies) == set(ids), f"missing {len(set(ids) - set(bodies))} message(s)"
    per_node = collections.Counter(node for _, node in got)
    assert per_node["a"] > 0 and per_node["b"] > 0, f"both nodes should have served receives: {per_node}"
    # Deleted through either node means gone for both.
    for sqs in (sqs_a, clients(b, "sqs")):
        a_ = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert (a_["ApproximateNumberOfMessages"], a_["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0"), a_


def test_a_fifo_group_is_handed_to_one_receiver_at_a_time_across_nodes(a, b):
    """A FIFO group's next messages are not handed out while earlier ones are in flight, whichever node holds them:
    receipts recorded in the order they arrive must follow each group's send order, each message exactly once."""
    groups, per_group = 5, 20
    sqs_a = clients(a, "sqs")
    name = unique("order") + ".fifo"
    url = sqs_a.create_queue(QueueName=name, Attributes={"FifoQueue": "true",
                                                         "ContentBasedDeduplication": "true"})["QueueUrl"]
    for k in range(per_group):
        r = sqs_a.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(g), "MessageBody": f"g{g}:{k}", "MessageGroupId": f"g{g}"} for g in range(groups)])
        assert len(r.get("Successful", [])) == groups, r

    receivers = [("a", c) for c in clients(a, "sqs", 2)] + [("b", c) for c in clients(b, "sqs", 2)]
    got = []  # (group, k, node) in the order receipts arrived
    in_flight = collections.Counter()  # group -> messages received and not yet being deleted
    overlaps = []  # a group's messages handed out while others of it were in flight
    lock = threading.Lock()
    total = groups * per_group
    deadline = time.monotonic() + 45

    def receive(node_name, sqs):
        while time.monotonic() < deadline:
            with lock:
                if len(got) >= total:
                    return
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=3, WaitTimeSeconds=1,
                                           VisibilityTimeout=120).get("Messages", [])
            if not messages:
                continue
            batch = [m["Body"].split(":") for m in messages]
            with lock:
                for g in {g for g, _ in batch}:
                    if in_flight[g]:
                        overlaps.append((g, node_name, [k for g_, k in batch if g_ == g]))
                for g, k in batch:
                    in_flight[g] += 1
                    got.append((g, int(k), node_name))
            with lock:  # before the delete is sent: its commit may hand the group's next messages out at once
                for g, _ in batch:
                    in_flight[g] -= 1
            r = sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
            assert not r.get("Failed"), r

    with concurrent.futures.ThreadPoolExecutor(len(receivers)) as pool:
        for f in [pool.submit(receive, *r) for r in receivers]:
            f.result()

    assert not overlaps, f"groups handed out while in flight elsewhere (group, node, bodies): {overlaps[:5]}"
    for g in range(groups):
        order = [k for group, k, _ in got if group == f"g{g}"]
        assert order == list(range(per_group)), f"group g{g} was received out of order or not exactly once: {order}"
    nodes = collections.Counter(node for _, _, node in got)
    assert nodes["a"] > 0 and nodes["b"] > 0, f"both nodes should have served receives: {nodes}"


def test_a_long_poll_on_b_wakes_for_a_message_sent_through_a(a, b):
    sqs_a, sqs_b = clients(a, "sqs"), clients(b, "sqs")
    url, _, _ = make_queue(sqs_a, "lp")
    result = {}

    def poll():
        started = time.monotonic()
        r = sqs_b.receive_message(QueueUrl=url, WaitTimeSeconds=10, MaxNumberOfMessages=1)
        result["messages"], result["at"] = r.get("Messages", []), time.monotonic()
        result["started"] = started

    t = threading.Thread(target=poll)
    t.start()
    time.sleep(0.5)  # let B's long poll begin waiting before the message exists (the assertions do not depend on it)
    sent = time.monotonic()
    sqs_a.send_message(QueueUrl=url, MessageBody="wake")
    t.join(timeout=20)
    assert [m["Body"] for m in result["messages"]] == ["wake"], result
    latency = result["at"] - sent
    assert latency < 3, f"B's long poll returned {latency:.2f}s after A stored the message"


# ------------------------------------------------------------------------------------------ async invocation

def test_async_invokes_spread_over_nodes_are_each_delivered_once(a, b, runtime):
    n = 200
    lam_a, sqs_a, sqs_b = clients(a), clients(a, "sqs"), clients(b, "sqs")
    url, arn, _ = make_queue(sqs_a, "ok")
    name = create_function(lam_a, runtime, SLOW_ID)
    lam_a.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0,
                                           DestinationConfig={"OnSuccess": {"Destination": arn}})
    wait_updated(lam_a, name)
    senders = [(c, "a") for c in clients(a, "lambda", 4)] + [(c, "b") for c in clients(b, "lambda", 4)]
    ids = [f"e{i}-{uuid.uuid4().hex[:6]}" for i in range(n)]
    accepted = []
    burst_events(senders, name, ids, accepted)
    assert sorted(i for i, _ in accepted) == sorted(ids)
    assert {node for _, node in accepted} == {"a", "b"}

    seen = destination_ids([sqs_a, sqs_b], url, set(ids), timeout=90)
    missing = set(ids) - set(seen)
    assert not missing, f"{len(missing)} of {n} accepted events never reached the destination: {sorted(missing)[:10]}"
    # No node died: an event run twice would mean two nodes held it at once.
    twice = {k: v for k, v in seen.items() if v > 1}
    assert not twice, f"{len(twice)} event(s) delivered more than once: {list(twice.items())[:5]}"


def test_event_source_mapping_created_through_a_processes_messages_sent_through_b(a, b, runtime):
    n = 100
    lam_a, sqs_a, sqs_b = clients(a), clients(a, "sqs"), clients(b, "sqs")
    source_url, source_arn, _ = make_queue(sqs_a, "src", VisibilityTimeout=60)
    seen_url, _, _ = make_queue(sqs_a, "seen")
    name = create_function(lam_a, runtime, FORWARDER, Environment={"Variables": {"SEEN_URL": seen_url}})
    wait_updated(lam_a, name)
    mapping = lam_a.create_event_source_mapping(EventSourceArn=source_arn, FunctionName=name, BatchSize=10,
                                                MaximumBatchingWindowInSeconds=0)["UUID"]
    try:
        # B knows the mapping A made.
        assert clients(b).get_event_source_mapping(UUID=mapping)["EventSourceArn"] == source_arn
        ids = [f"s{i}-{uuid.uuid4().hex[:6]}" for i in range(n)]
        for i in range(0, n, 10):
            r = sqs_b.send_message_batch(QueueUrl=source_url, Entries=[
                {"Id": str(j), "MessageBody": ids[i + j]} for j in range(10)])
            assert len(r.get("Successful", [])) == 10, r

        seen = collections.Counter()
        deadline = time.monotonic() + 60
        k = 0
        while not set(ids) <= set(seen) and time.monotonic() < deadline:
            sqs = (sqs_a, sqs_b)[k % 2]
            k += 1
            messages = sqs.receive_message(QueueUrl=seen_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                           VisibilityTimeout=120).get("Messages", [])
            seen.update(m["Body"] for m in messages)
            if messages:
                sqs.delete_message_batch(QueueUrl=seen_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        missing = set(ids) - set(seen)
        assert not missing, f"{len(missing)} of {n} messages sent through B were never processed: {sorted(missing)[:5]}"
        twice = {k: v for k, v in seen.items() if v > 1}
        assert not twice, f"{len(twice)} message(s) processed more than once within their visibility timeout: " \
                          f"{list(twice.items())[:5]}"
        # The source queue is drained: the mapping deleted every record it processed.
        wait_until(lambda: sqs_b.get_queue_attributes(QueueUrl=source_url, AttributeNames=["All"])["Attributes"][
            "ApproximateNumberOfMessagesNotVisible"] == "0", 15, what="the source queue to be drained")
        attributes = sqs_b.get_queue_attributes(QueueUrl=source_url, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessages"] == "0", attributes
    finally:
        lam_a.delete_event_source_mapping(UUID=mapping)


# ---------------------------------------------------------------------------------------------- the cluster

def cluster_status(url):
    r = subprocess.run([BIN, "cluster", "status", "--database-url", url], capture_output=True, timeout=60)
    out = r.stdout.decode()
    assert r.returncode == 0, (r.returncode, out, r.stderr.decode())
    return out


def status_line(out, node):
    """The row of `node` in `swiftlet cluster status` (found by its id, kept in <data-dir>/node-id), or None."""
    lines = [line for line in out.splitlines() if node.node_id in line.split()]
    return lines[0] if lines else None


def test_cluster_status_lists_the_nodes(cluster, a, b):
    if not binary_has_cluster_status():
        pytest.skip(f"{BIN} has no `swiftlet cluster status` subcommand yet")
    out = cluster_status(cluster.url)
    for node in (a, b):
        line = status_line(out, node)
        assert line is not None, f"node {node.name} ({node.node_id}) is not in `cluster status`:\n{out}"
        assert " serving " in f" {line} ", f"{node.name} is not serving:\n{out}"
    # A node's address (its endpoint) is known by its first heartbeat at the latest (port 0: bound after it registers).
    wait_until(lambda: all(node.endpoint in (status_line(cluster_status(cluster.url), node) or "").split()
                           for node in (a, b)), 12, interval=0.5, what="`cluster status` to show both nodes' addresses")


def test_nodes_started_together_on_an_empty_database_agree(postgres):
    """Two nodes migrating one empty database at once (advisory lock) and racing to make the root credentials."""
    if not BINARY_HAS_DATABASE_URL:
        pytest.skip(f"{BIN} has no `serve --database-url` yet (issue 16 is being wired)")
    _, url = postgres.create_database("together")
    nodes, errors = [], []

    def start(label):
        try:
            nodes.append(Node(label, url))
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=start, args=(label,)) for label in ("p", "q")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert not errors, errors
        assert len(nodes) == 2
        assert nodes[0].credentials() == nodes[1].credentials(), "nodes started together made different root keys"
        for node in nodes:
            assert node.health.get("store") == "postgresql", node.health
    finally:
        codes = {n.name: n.stop() for n in nodes}
        failed = {name: code for name, code in codes.items() if code != 0}
        assert not failed, f"graceful shutdown must exit 0: {failed}; logs: " + \
            "; ".join(f"{n.name}: {n.log_text()[-800:]}" for n in nodes if n.name in failed)
        for n in nodes:
            shutil.rmtree(n.data_dir, ignore_errors=True)
    if binary_has_cluster_status():
        out = cluster_status(url)
        for node in nodes:
            assert " stopped " in f" {status_line(out, node)} ", f"{node.name} stopped gracefully:\n{out}"


def test_sigkill_of_a_node_during_an_async_burst_loses_no_accepted_event(cluster, a, b, runtime):
    """Node C takes events (through its API and by claiming them) and dies mid-burst; A and B deliver everything
    accepted — C's leases expire or are released by the survivors."""
    per_node = 120
    lam_a, sqs_a, sqs_b = clients(a), clients(a, "sqs"), clients(b, "sqs")
    url, arn, _ = make_queue(sqs_a, "kill")
    name = create_function(lam_a, runtime, SLOW_ID)
    lam_a.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=2,
                                           DestinationConfig={"OnSuccess": {"Destination": arn}})
    wait_updated(lam_a, name)
    c = cluster.add_node()
    senders = [(cl, "c") for cl in clients(c, "lambda", 4)] + [(cl, "a") for cl in clients(a, "lambda", 2)]
    ids = [f"k{i}-{uuid.uuid4().hex[:6]}" for i in range(per_node * 3 // 2)]
    accepted, errors = [], []
    stop = threading.Event()

    def run():
        try:
            burst_events(senders, name, ids, accepted, stop=stop, sleep=0.3)
        except Exception as e:
            errors.append(e)

    sender = threading.Thread(target=run)
    sender.start()
    # Kill C once it accepted about half of its share, while it runs some of them.
    wait_until(lambda: sum(1 for _, n in accepted if n == "c") >= per_node // 2 or not sender.is_alive(), 60,
               interval=0.01, what="C to accept half of its events")
    stop.set()
    c.kill()
    held = None
    if binary_has_cluster_status():
        # What C held when it died (its row stays until the survivors release its leases): the survivors have
        # something to recover.
        row = status_line(cluster_status(cluster.url), c) or ""
        held = int(row.split(" async")[0].split()[-1]) if " async" in row else 0
        assert held > 0, f"C held no async leases when it was killed, the test proves nothing: {row!r}"
    sender.join(timeout=60)
    assert not errors, errors
    by_c = [i for i, n in accepted if n == "c"]
    assert len(by_c) >= per_node // 2, f"C accepted only {len(by_c)} events before the kill"

    expected = {i for i, _ in accepted}
    seen = destination_ids([sqs_a, sqs_b], url, expected, timeout=LEASE_RECOVERY_TIMEOUT)
    missing = expected - set(seen)
    assert not missing, (f"{len(missing)} of {len(expected)} accepted events were lost after C was killed holding "
                         f"{held} async leases "
                         f"({len([i for i in missing if i in set(by_c)])} of them accepted by C): "
                         f"{sorted(missing)[:10]}; C's log: {node_log(c.data_dir)[-2000:]}")
    if binary_has_cluster_status():
        # C stopped beating: the cluster takes it for dead (3 missed heartbeats).
        wait_until(lambda: " dead " in f" {status_line(cluster_status(cluster.url), c)} ", 40, interval=1,
                   what="`cluster status` to show C dead")


# How long the survivors may take to run what the dead node held. An async event's lease lasts 16 minutes
# (AsyncDispatcher), but the survivors release a node's leases once it missed three heartbeats (5 s each:
# PostgresStore+GoneNodes.swift, GoneNodeReaper), so ~15 s, then the backlog runs.
LEASE_RECOVERY_TIMEOUT = 90
