"""Scheduler across restarts: a schedule that fired does not fire again after a restart, and one that fell
due while the server was down fires exactly once when it starts."""
import tempfile
import time

from conftest import Server, wait_for
from test_scheduler import at_in, make_queue, make_role, queue_is_empty, receive_all, unique


def schedule(scheduler, queue_arn, role, seconds, body):
    name = unique("restart")
    scheduler.create_schedule(Name=name, ScheduleExpression=at_in(seconds), FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": queue_arn, "RoleArn": role, "Input": body})
    return name


def test_schedules_fire_exactly_once_across_restarts():
    with tempfile.TemporaryDirectory(prefix="swiftlet-sched-") as data_dir:
        server = Server(data_dir)
        sqs, scheduler = server.client("sqs"), server.client("scheduler")
        role = make_role(server)
        url, queue_arn = make_queue(sqs)
        schedule(scheduler, queue_arn, role, 1, "first")
        assert [m["Body"] for m in receive_all(sqs, url, 1)] == ["first"]
        assert server.stop() == 0

        # After a restart the schedule that fired stays fired: once a later one arrived, nothing else has.
        server = Server(data_dir)
        sqs, scheduler = server.client("sqs"), server.client("scheduler")
        schedule(scheduler, queue_arn, role, 2, "control")
        assert [m["Body"] for m in receive_all(sqs, url, 1)] == ["control"]
        assert queue_is_empty(sqs, url)

        # A schedule that falls due while the server is down fires once when it starts.
        due = time.time() + 2
        schedule(scheduler, queue_arn, role, 2, "missed")
        assert server.stop() == 0
        wait_for(lambda: time.time() > due + 1, timeout=10, what="the due time to pass while the server is down")
        server = Server(data_dir)
        sqs, scheduler = server.client("sqs"), server.client("scheduler")
        assert [m["Body"] for m in receive_all(sqs, url, 1)] == ["missed"]
        schedule(scheduler, queue_arn, role, 2, "control-2")
        assert [m["Body"] for m in receive_all(sqs, url, 1)] == ["control-2"]
        assert queue_is_empty(sqs, url)
        assert server.stop() == 0
