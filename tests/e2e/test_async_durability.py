"""A 202 for an Event invoke is a promise: the event survives a crash of the server.

Each accepted event carries a unique id; its function's OnSuccess destination is a queue. After SIGKILLs and a
final restart on the same data directory, every accepted id must reach the destination at least once
(duplicates are allowed: Lambda's async queue and SQS both deliver at least once)."""
import concurrent.futures
import json
import signal
import tempfile
import threading
import time
import uuid

from async_support import invoke_event, make_queue, python_runtime_of, strict_client
from conftest import ROLE, Server, make_zip

# A little slow on purpose, so that a backlog is still queued when the server is killed.
HANDLER = "import time\ndef handler(event, context):\n    time.sleep(0.3)\n    return {'id': event['id']}\n"


def kill(server):
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=20)
    server.log.close()


def set_up(server):
    lam, sqs = strict_client(server), strict_client(server, "sqs")
    url, arn, _ = make_queue(sqs, "durable")
    name = "durable-" + uuid.uuid4().hex[:8]
    lam.create_function(FunctionName=name, Runtime=python_runtime_of(server), Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": HANDLER})}, Timeout=10)
    lam.put_function_event_invoke_config(FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": arn}})
    return name, url


def delivered_ids(server, url, expected, timeout):
    """Reads destination records until every expected id has been seen (or the deadline passes)."""
    sqs = strict_client(server, "sqs")
    seen = set()
    deadline = time.monotonic() + timeout
    while not expected <= seen and time.monotonic() < deadline:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=60)
        messages = r.get("Messages", [])
        for m in messages:
            record = json.loads(m["Body"])
            assert record["requestContext"]["condition"] == "Success", record
            seen.add(record["requestPayload"]["id"])
        if messages:
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
    return seen


def burst(server, name, ids, accepted, workers=8, stop=None):
    """Sends one Event invoke per id from `workers` threads, appending each id answered 202 to `accepted`.

    Once `stop` is set (just before a kill), calls end quietly; any other failure is raised."""
    lock = threading.Lock()
    clients = [strict_client(server) for _ in range(workers)]

    def send(k):
        for i in range(k, len(ids), workers):
            if stop is not None and stop.is_set():
                return
            try:
                r = invoke_event(clients[k], name, {"id": ids[i]})
            except Exception:
                if stop is not None and stop.is_set():
                    return  # the server was killed under this call: not accepted
                raise
            assert r["StatusCode"] == 202
            with lock:
                accepted.append(ids[i])

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for f in [pool.submit(send, k) for k in range(workers)]:
            f.result()


def test_sigkill_right_after_a_burst_loses_no_accepted_event():
    n = 200
    with tempfile.TemporaryDirectory(prefix="swiftlet-durable-") as data_dir:
        first = Server(data_dir)
        name, url = set_up(first)
        ids = [f"once-{i}-{uuid.uuid4().hex[:6]}" for i in range(n)]
        accepted = []
        burst(first, name, ids, accepted)
        kill(first)  # right after the last 202
        assert sorted(accepted) == sorted(ids)

        second = Server(data_dir)
        try:
            seen = delivered_ids(second, url, set(accepted), timeout=120)
            missing = set(accepted) - seen
            assert not missing, f"{len(missing)} accepted event(s) never reached the destination: {sorted(missing)[:10]}"
        finally:
            assert second.stop() == 0


def test_repeated_sigkills_during_bursts_lose_no_accepted_event():
    rounds, per_round = 3, 120
    with tempfile.TemporaryDirectory(prefix="swiftlet-durable-") as data_dir:
        accepted = []
        name = url = None
        for round_ in range(rounds):
            server = Server(data_dir)
            if round_ == 0:
                name, url = set_up(server)
            ids = [f"r{round_}-{i}-{uuid.uuid4().hex[:6]}" for i in range(per_round)]
            stop = threading.Event()
            this_round, errors = [], []

            def run():
                try:
                    burst(server, name, ids, this_round, stop=stop)
                except Exception as e:
                    errors.append(e)

            sender = threading.Thread(target=run)
            sender.start()
            # Kill mid-burst, once about half of this round has been accepted.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and sender.is_alive() and len(this_round) < per_round // 2:
                time.sleep(0.01)
            stop.set()
            kill(server)
            sender.join(timeout=60)
            assert not errors, errors
            assert this_round, f"round {round_} accepted nothing before the kill"
            accepted.extend(this_round)

        final = Server(data_dir)
        try:
            seen = delivered_ids(final, url, set(accepted), timeout=120)
            missing = set(accepted) - seen
            assert not missing, f"{len(missing)} of {len(accepted)} accepted event(s) were lost: {sorted(missing)[:10]}"
        finally:
            assert final.stop() == 0
