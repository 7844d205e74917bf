"""An accepted PutEvents entry is a promise: its deliveries are durable before the answer, so a SIGKILL during a
burst loses no event that got an EventId — after a restart on the same data directory, every such event reaches
the rule's target queue (at least once: duplicates are allowed, as EventBridge delivers at least once)."""
import json
import signal
import tempfile
import threading
import time

from async_support import strict_client, unique
from conftest import Server

REGION, ACCOUNT = "us-east-1", "000000000000"


def kill(server):
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=20)
    server.log.close()


def test_sigkill_during_put_events_burst_loses_no_accepted_event():
    with tempfile.TemporaryDirectory(prefix="swiftlet-events-kill-") as data_dir:
        server = Server(data_dir)
        events, sqs = strict_client(server, "events"), strict_client(server, "sqs")
        queue = unique("killq")
        url = sqs.create_queue(QueueName=queue)["QueueUrl"]
        queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}"
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": queue_arn}]})})
        events.put_rule(Name="burst", EventPattern=json.dumps({"source": ["burst"]}))
        events.put_targets(Rule="burst", Targets=[{"Id": "q", "Arn": queue_arn}])

        accepted, lock, stop = set(), threading.Lock(), threading.Event()

        def sender(worker):
            client = strict_client(server, "events")
            n = 0
            while not stop.is_set():
                entries = [{"Source": "burst", "DetailType": "t", "Detail": json.dumps({"w": worker, "n": n + i})} for i in range(10)]
                n += 10
                try:
                    r = client.put_events(Entries=entries)
                except Exception:
                    if stop.is_set():
                        return
                    raise
                with lock:
                    accepted.update(e["EventId"] for e in r["Entries"] if "EventId" in e)

        threads = [threading.Thread(target=sender, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with lock:
                if len(accepted) >= 500:
                    break
            time.sleep(0.01)
        stop.set()
        kill(server)
        for t in threads:
            t.join(timeout=30)
        assert len(accepted) >= 500

        server = Server(data_dir)
        try:
            sqs = strict_client(server, "sqs")
            seen = set()
            deadline = time.monotonic() + 120
            while not accepted <= seen and time.monotonic() < deadline:
                r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
                messages = r.get("Messages", [])
                seen.update(json.loads(m["Body"])["id"] for m in messages)
                if messages:
                    sqs.delete_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
            missing = accepted - seen
            assert not missing, f"{len(missing)} of {len(accepted)} accepted events never arrived"
        finally:
            server.stop(timeout=30)
