"""Event filtering (FilterCriteria) on event source mappings that poll SQS queues, through boto3.

Sources:
- Lambda developer guide, "Control which events Lambda sends to your function"
  (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html): at most five filters per mapping by
  default, ORed together; a record that satisfies none is discarded, and for SQS "Lambda automatically removes the
  message from the queue"; the table of comparison operators (Null, Empty, Equals, Equals (ignore case), And, Or,
  Or (multiple fields) `$or`, Not `anything-but`, Numeric (equals), Numeric (range), Exists, Does not exist,
  Begins with `prefix`, Ends with `suffix`); "for numbers, Lambda also uses string representation. For example, 300,
  300.0, and 3.0e2 are not considered equal"; Exists "only works on leaf nodes"; UpdateEventSourceMapping with an
  empty FilterCriteria object (`--filter-criteria "{}"`) removes the filters.
- "Using event filtering with an Amazon SQS event source"
  (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-filtering.html): the data key is `body`; "Amazon SQS event
  source mappings only support filtering on the body key"; a pattern's `body` and the message body must have the
  same format (plain string or JSON), otherwise Lambda drops the message.
- Lambda API reference, FilterCriteria / Filter, and botocore's lambda/2015-03-31 model: FilterCriteria is
  {"Filters": [{"Pattern": string}]}, Pattern at most 4096 characters; Create/Update/Get/List/DeleteEventSourceMapping
  answer with the mapping's FilterCriteria.
- The EventBridge user guide, whose pattern syntax Lambda uses ("Lambda supports the Amazon EventBridge rules and uses
  the same syntax"): "Numeric matching only works with values that are JSON numbers"; "If the value in the event is
  an array, then the pattern matches if the intersection of the pattern array and the event array is non-empty"
  (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
- Refused patterns without a documented error: LocalStack's AWS-validated test_sqs_invalid_event_filter
  (tests/aws/services/lambda_/test_lambda_integration_sqs.py): "null", "simple string", {"eventSource": "aws:sqs"}
  and {"eventSource": []} are InvalidParameterValueException ("Invalid filter pattern definition.").

Where AWS differs from what one might expect (and from the brief this file was written against):
- Exact matching of numbers is by their text: the pattern [300] does NOT match 300.0 or 3.0e2 (the `numeric`
  operator compares values: ["=", 10] matches 10.0).
- SQS mappings filter only on `body`; patterns on `attributes` / `messageAttributes` are not documented to work for
  SQS, so nothing here relies on them.
- `anything-but` with `prefix` / `suffix` / `equals-ignore-case` inside is not among Lambda's documented operators
  (EventBridge marks these "Pipe support: No"), so only the documented list form of `anything-but` is tested.

Delivery is observed with a recorder function (reserved concurrency 1, so one execution environment) that keeps every
batch it was given in memory and answers {"report": true} with the list. A message the filters drop is deleted from
the queue without an invocation, so once the queue has drained (nothing visible, in flight or delayed) the recorder
holds every message that was delivered: the ones absent were filtered out."""
import json

import pytest

from async_support import (drained, error_code, http_status, make_queue, python_runtime_of, recorded,
                           recording_function, redrive, unique)
from conftest import ROLE, make_zip, wait_for

# The recorder's timeout; a queue a mapping reads must keep messages invisible at least this long.
FUNCTION_TIMEOUT = 2
VISIBILITY = 3

RECORDER = r'''
SEEN = []  # one entry per invocation, in order: the queue it came from and the bodies of its records

def handler(event, context):
    if event.get("report"):
        return {"seen": SEEN}
    records = event.get("Records", [])
    SEEN.append({"arn": records[0]["eventSourceARN"] if records else None,
                 "bodies": [r["body"] for r in records]})
    return {"batchItemFailures": []}
'''


def make_recorder(slam, runtime):
    """A recording function that keeps the queue and bodies of every batch (see `recording_function`)."""
    return recording_function(slam, runtime, RECORDER, "flt-rec", timeout=FUNCTION_TIMEOUT)


@pytest.fixture(scope="module")
def shared_recorder(server, slam):
    """One warm recorder for the operator cases; each case reads only the batches from its own queue."""
    return make_recorder(slam, python_runtime_of(server))


def batches_from(slam, function_name, arn):
    """The bodies of each batch the function got from the queue `arn`, in order."""
    return [s["bodies"] for s in recorded(slam, function_name) if s["arn"] == arn]


def criteria(*patterns):
    """FilterCriteria from patterns given as JSON-able values (dumped) or as pattern text (kept as is)."""
    return {"Filters": [{"Pattern": p if isinstance(p, str) else json.dumps(p)} for p in patterns]}


def filters_of(mapping):
    """The mapping's filters; a mapping without filters may omit FilterCriteria or give it empty."""
    return (mapping.get("FilterCriteria") or {}).get("Filters", [])


def send_bodies(sqs, url, bodies):
    for start in range(0, len(bodies), 10):
        chunk = bodies[start:start + 10]
        r = sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": f"m{start + i}", "MessageBody": b} for i, b in enumerate(chunk)])
        assert r.get("Failed", []) == [], r


def wait_drained(sqs, url, timeout=30):
    wait_for(lambda: drained(sqs, url), timeout=timeout, interval=0.1,
             what="the queue to drain (messages delivered or filtered out and deleted)")


def state_of(slam, u):
    return slam.get_event_source_mapping(UUID=u)["State"]


def wait_state(slam, u, state, timeout=30):
    return wait_for(lambda: state_of(slam, u) == state, timeout=timeout, interval=0.1,
                    what=f"mapping {u} to be {state}")


def uuids(listing):
    return sorted(m["UUID"] for m in listing["EventSourceMappings"])


def deliver_through(slam, sqs, function_name, mappings, patterns, bodies, **settings):
    """Sends `bodies` to a new queue, maps it to the function with `patterns` as its filters, waits for the queue to
    drain and returns (queue url, queue arn, the batches the function got from it)."""
    url, arn, _ = make_queue(sqs, "flt", VisibilityTimeout=VISIBILITY)
    send_bodies(sqs, url, bodies)
    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=function_name,
                                         FilterCriteria=criteria(*patterns), **settings)
    mappings.append(m["UUID"])
    wait_drained(sqs, url)
    return url, arn, batches_from(slam, function_name, arn)


def check_case(slam, sqs, recorder, mappings, patterns, delivered, dropped):
    """Exactly the `delivered` bodies reach the function, each once and unchanged; the `dropped` ones never do, and
    the queue is empty afterwards."""
    # Interleaved, so matching and non-matching messages share batches.
    bodies = [b for pair in zip(dropped, delivered) for b in pair] + delivered[len(dropped):] + dropped[len(delivered):]
    _, _, got = deliver_through(slam, sqs, recorder, mappings, patterns, bodies)
    seen = [b for batch in got for b in batch]
    assert sorted(seen) == sorted(delivered), (
        f"pattern(s) {patterns}: expected only {delivered} to be delivered (each once); the function got {seen}")


def body(value):
    return json.dumps(value)


# ------------------------------------------------------------------------------------------------------ the API

def test_filter_criteria_round_trip_through_create_get_list_update_and_delete(slam, sqs, python_runtime, mappings):
    """CreateEventSourceMapping takes FilterCriteria {"Filters": [{"Pattern": <JSON text>}]} and the mapping answers
    with it exactly as given (each Pattern string unchanged, whitespace and key order included) from Create, Get,
    List and Delete. UpdateEventSourceMapping with FilterCriteria replaces the whole list (up to the default quota of
    five filters, each Pattern up to 4096 characters); an update that does not name FilterCriteria keeps the filters;
    an update with an empty FilterCriteria object ({}) removes them (the documented way: `--filter-criteria "{}"`)."""
    fn = make_recorder(slam, python_runtime)
    _, arn, _ = make_queue(sqs, "flt-api", VisibilityTimeout=VISIBILITY)
    given = criteria('{ "body" : { "RequestCode" : [ "BBBB" ] } }',
                     '{"body":{"RecordNumber":[{"numeric":[">",9999]}],"City":["Z\u00fcrich"]}}')
    created = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn, Enabled=False,
                                               FilterCriteria=given)
    u = created["UUID"]
    mappings.append(u)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert created["FilterCriteria"] == given
    wait_state(slam, u, "Disabled")
    assert slam.get_event_source_mapping(UUID=u)["FilterCriteria"] == given
    listed = slam.list_event_source_mappings(FunctionName=fn)["EventSourceMappings"]
    assert [m["UUID"] for m in listed] == [u]
    assert listed[0]["FilterCriteria"] == given

    opening = '{"body": {"k": ["'
    closing = '"]}}'
    longest = opening + "x" * (4096 - len(opening) - len(closing)) + closing
    assert len(longest) == 4096
    five = criteria({"body": {"kind": ["a"]}}, {"body": {"kind": ["b"]}}, {"body": {"n": [{"numeric": ["=", 1]}]}},
                    {"body": {"name": [{"prefix": "x-"}]}}, longest)
    updated = slam.update_event_source_mapping(UUID=u, FilterCriteria=five)
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert updated["FilterCriteria"] == five, "an update replaces the whole list of filters"
    wait_state(slam, u, "Disabled")
    assert slam.get_event_source_mapping(UUID=u)["FilterCriteria"] == five

    slam.update_event_source_mapping(UUID=u, BatchSize=5)
    wait_state(slam, u, "Disabled")
    got = slam.get_event_source_mapping(UUID=u)
    assert got["BatchSize"] == 5
    assert got["FilterCriteria"] == five, "an update that does not name FilterCriteria keeps the filters"

    one = criteria({"body": {"kind": ["c"]}})
    assert slam.update_event_source_mapping(UUID=u, FilterCriteria=one)["FilterCriteria"] == one
    wait_state(slam, u, "Disabled")
    assert slam.get_event_source_mapping(UUID=u)["FilterCriteria"] == one

    removed = slam.update_event_source_mapping(UUID=u, FilterCriteria={})
    assert filters_of(removed) == []
    wait_state(slam, u, "Disabled")
    assert filters_of(slam.get_event_source_mapping(UUID=u)) == []
    assert filters_of(slam.list_event_source_mappings(FunctionName=fn)["EventSourceMappings"][0]) == []

    slam.update_event_source_mapping(UUID=u, FilterCriteria=one)
    wait_state(slam, u, "Disabled")
    deleted = slam.delete_event_source_mapping(UUID=u)
    assert deleted["UUID"] == u
    assert deleted["FilterCriteria"] == one


@pytest.fixture(scope="module")
def refusal_target(server, slam, sqs):
    """A function, a queue with no mapping yet (for refused creates), and a disabled mapping of another queue with
    known filters (for refused updates)."""
    fn = unique("flt-target")
    slam.create_function(FunctionName=fn, Runtime=python_runtime_of(server), Role=ROLE, Handler="app.handler",
                         Timeout=3, Code={"ZipFile": make_zip()})
    _, free_arn, _ = make_queue(sqs, "flt-free")
    _, held_arn, _ = make_queue(sqs, "flt-held")
    original = criteria({"body": {"kind": ["keep"]}})
    m = slam.create_event_source_mapping(EventSourceArn=held_arn, FunctionName=fn, Enabled=False,
                                         FilterCriteria=original)
    yield {"function": fn, "free_arn": free_arn, "held_arn": held_arn, "uuid": m["UUID"], "original": original}
    try:
        slam.delete_event_source_mapping(UUID=m["UUID"])
    except slam.exceptions.ResourceNotFoundException:
        pass


SIX = [{"body": {"kind": [k]}} for k in "abcdef"]


@pytest.mark.parametrize("patterns, codes", [
    # Not JSON at all.
    pytest.param(["simple string"], ("InvalidParameterValueException",), id="not-json"),
    pytest.param(['{"body": {"RequestCode": ["BBBB"]}'], ("InvalidParameterValueException",), id="truncated-json"),
    # JSON, but not an object.
    pytest.param(["null"], ("InvalidParameterValueException",), id="json-null"),
    pytest.param(['["body"]'], ("InvalidParameterValueException",), id="json-array"),
    pytest.param(['"body"'], ("InvalidParameterValueException",), id="json-string"),
    pytest.param(["42"], ("InvalidParameterValueException",), id="json-number"),
    # An object that is not a valid pattern: an unknown operator, a malformed numeric rule, a field whose value is
    # a bare string or an empty list instead of a non-empty list of rules (the last two: LocalStack, AWS-validated).
    pytest.param([{"body": {"x": [{"wildcard-ish-bogus": 1}]}}], ("InvalidParameterValueException",),
                 id="unknown-operator"),
    pytest.param([{"body": {"n": [{"numeric": ["~", 1]}]}}], ("InvalidParameterValueException",),
                 id="bad-numeric-operator"),
    pytest.param([{"eventSource": "aws:sqs"}], ("InvalidParameterValueException",), id="value-not-a-list"),
    pytest.param([{"eventSource": []}], ("InvalidParameterValueException",), id="empty-list"),
    # One good filter does not excuse a bad one next to it.
    pytest.param([{"body": {"kind": ["a"]}}, "not json"], ("InvalidParameterValueException",), id="one-bad-of-two"),
    # More filters than the default quota of five.
    pytest.param(SIX, ("InvalidParameterValueException",), id="six-filters"),
    # Longer than the model's 4096 characters (a model constraint: either code is AWS-like).
    pytest.param(['{"body": {"k": ["' + "x" * 4090 + '"]}}'],
                 ("InvalidParameterValueException", "ValidationException"), id="pattern-over-4096"),
])
def test_invalid_filter_criteria_are_refused_and_change_nothing(server, slam, refusal_target, patterns, codes):
    """A FilterCriteria whose Pattern is not JSON, is JSON but not an object, is not a valid event pattern (unknown
    operator, malformed rule, a value that is not a non-empty list of rules), or that holds more filters than the
    default quota of five is refused with 400 InvalidParameterValueException ("Invalid filter pattern definition."):
    CreateEventSourceMapping creates nothing, and UpdateEventSourceMapping leaves the mapping's filters as they
    were."""
    loose = server.client(parameter_validation=False)
    t = refusal_target
    with pytest.raises(loose.exceptions.ClientError) as e:
        loose.create_event_source_mapping(EventSourceArn=t["free_arn"], FunctionName=t["function"],
                                          FilterCriteria=criteria(*patterns))
    assert http_status(e) == 400, e.value.response
    assert error_code(e) in codes, e.value.response
    assert uuids(slam.list_event_source_mappings(EventSourceArn=t["free_arn"])) == []

    with pytest.raises(loose.exceptions.ClientError) as e:
        loose.update_event_source_mapping(UUID=t["uuid"], FilterCriteria=criteria(*patterns))
    assert http_status(e) == 400, e.value.response
    assert error_code(e) in codes, e.value.response
    assert slam.get_event_source_mapping(UUID=t["uuid"])["FilterCriteria"] == t["original"]


# ------------------------------------------------------------------------------------------------- delivery

def test_messages_matching_no_filter_are_deleted_without_an_invocation(slam, sqs, python_runtime, mappings):
    """"If none of your filters are satisfied, Lambda discards the record"; for SQS "Lambda automatically removes the
    message from the queue": the queue drains, the function is never invoked (not even with an empty batch), and
    nothing reaches the queue's dead-letter queue even with maxReceiveCount 1. A matching message sent afterwards is
    delivered, with its record's body exactly the text that was sent."""
    fn = make_recorder(slam, python_runtime)
    dlq_url, dlq_arn, _ = make_queue(sqs, "flt-none-dlq")
    url, arn, _ = make_queue(sqs, "flt-none", VisibilityTimeout=VISIBILITY, RedrivePolicy=redrive(dlq_arn, 1))
    send_bodies(sqs, url, [body({"RequestCode": code}) for code in ("AAAA", "CCCC", "bbbb")] + ["BBBB"])
    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn,
                                         FilterCriteria=criteria({"body": {"RequestCode": ["BBBB"]}}))
    mappings.append(m["UUID"])
    wait_drained(sqs, url)
    assert recorded(slam, fn) == [], "a batch whose records all fail the filters is not sent to the function"
    assert drained(sqs, dlq_url), "filtered messages are deleted, not left to be redriven"

    sent = '{ "RequestCode" : "BBBB",\n  "RecordNumber": 1234 }'
    send_bodies(sqs, url, [sent])
    wait_drained(sqs, url)
    assert [s["bodies"] for s in recorded(slam, fn)] == [[sent]], "the record's body is the message text, unchanged"
    assert drained(sqs, dlq_url)


def test_filtering_happens_before_batching(slam, sqs, python_runtime, mappings):
    """Lambda applies the filters to each message before adding it to a batch ("Lambda applies your filter criteria
    to each new event to determine whether to add it to the current batch"): every batch the function gets holds only
    matching records, none is empty or larger than BatchSize, and together they hold every matching message once."""
    fn = make_recorder(slam, python_runtime)
    bodies = [body({"kind": "keep" if i % 2 == 0 else "skip", "i": i}) for i in range(20)]
    wanted = [b for b in bodies if '"keep"' in b]
    _, _, got = deliver_through(slam, sqs, fn, mappings, [{"body": {"kind": ["keep"]}}], bodies,
                                BatchSize=10, MaximumBatchingWindowInSeconds=1)
    assert got, "the matching messages were delivered"
    for batch in got:
        assert 0 < len(batch) <= 10, got
        assert all('"keep"' in b for b in batch), f"a batch held a record the filter rejects: {batch}"
    assert sorted(b for batch in got for b in batch) == sorted(wanted)


def test_updating_the_filters_changes_what_is_delivered(slam, sqs, python_runtime, mappings):
    """UpdateEventSourceMapping with new FilterCriteria replaces the filters for messages polled after the update;
    with an empty FilterCriteria object ({}) the filters are gone and the mapping delivers every message again."""
    fn = make_recorder(slam, python_runtime)
    url, arn, _ = make_queue(sqs, "flt-update", VisibilityTimeout=VISIBILITY)
    m = slam.create_event_source_mapping(EventSourceArn=arn, FunctionName=fn,
                                         FilterCriteria=criteria({"body": {"kind": ["a"]}}))
    u = m["UUID"]
    mappings.append(u)
    wait_state(slam, u, "Enabled")

    def round_of(n):
        sent = [body({"kind": k, "round": n}) for k in ("a", "b", "c")]
        send_bodies(sqs, url, sent)
        wait_drained(sqs, url)
        return sorted(b for batch in batches_from(slam, fn, arn) for b in batch if f'"round": {n}' in b)

    assert round_of(1) == [body({"kind": "a", "round": 1})]

    slam.update_event_source_mapping(UUID=u, FilterCriteria=criteria({"body": {"kind": ["b"]}}))
    wait_state(slam, u, "Enabled")
    assert round_of(2) == [body({"kind": "b", "round": 2})], "the new filter replaced the old one"

    slam.update_event_source_mapping(UUID=u, FilterCriteria={})
    wait_state(slam, u, "Enabled")
    assert filters_of(slam.get_event_source_mapping(UUID=u)) == []
    assert round_of(3) == sorted(body({"kind": k, "round": 3}) for k in ("a", "b", "c")), \
        "without filters every message is delivered"


@pytest.mark.parametrize("patterns, delivered, dropped", [
    # Equals: exact, character by character, case-sensitive; the field must be present.
    pytest.param([{"body": {"RequestCode": ["BBBB"]}}],
                 [body({"RequestCode": "BBBB", "RecordNumber": 1})],
                 [body({"RequestCode": "AAAA"}), body({"RequestCode": "bbbb"}), body({"Other": "BBBB"})],
                 id="exact-string"),
    # Several values for one field: any of them.
    pytest.param([{"body": {"PaymentType": ["Credit", "Debit"]}}],
                 [body({"PaymentType": "Credit"}), body({"PaymentType": "Debit"})],
                 [body({"PaymentType": "Cash"})],
                 id="one-of-values"),
    # Exact numbers match by their text: 300 is not 300.0 nor 3.0e2, and not the string "300" (Lambda guide: "For
    # numbers, Lambda also uses string representation. For example, 300, 300.0, and 3.0e2 are not considered equal."
    # The brief expected 300 to match 300.0; AWS documents otherwise.)
    pytest.param([{"body": {"n": [300]}}],
                 [body({"n": 300})],
                 ['{"n": 300.0}', '{"n": 3.0e2}', body({"n": 301}), body({"n": "300"})],
                 id="exact-number"),
    # Null matches a JSON null only: not the string "null", another value, or a missing field.
    pytest.param([{"body": {"UserID": [None]}}],
                 [body({"UserID": None, "n": 1})],
                 [body({"UserID": "null"}), body({"UserID": "u-1"}), body({"Other": None})],
                 id="null"),
    # Empty matches the empty string only.
    pytest.param([{"body": {"LastName": [""]}}],
                 [body({"LastName": ""})],
                 [body({"LastName": "Doe"}), body({"LastName": None}), body({"FirstName": ""})],
                 id="empty-string"),
    # Nested fields of a JSON body.
    pytest.param([{"body": {"address": {"country": ["USA"]}}}],
                 [body({"address": {"country": "USA", "city": "Boston"}})],
                 [body({"address": {"country": "CAN"}}), body({"country": "USA"})],
                 id="nested-field"),
])
def test_equality_matching(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped):
    """Equals / Null / Empty: a field's list of values matches when the event's value is one of them, compared
    exactly ("exact character-by-character matching without case-folding"; numbers by their text); null matches only
    JSON null and "" only the empty string; a field the pattern names must be present in the event; nested objects in
    a JSON body are matched level by level. A matching message is delivered once with its body unchanged; the others
    are deleted without being delivered."""
    check_case(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped)


@pytest.mark.parametrize("patterns, delivered, dropped", [
    pytest.param([{"body": {"region": [{"prefix": "us-"}]}}],
                 [body({"region": "us-east-1"})],
                 [body({"region": "eu-west-1"}), body({"region": "US-EAST-1"}), body({"zone": "us-east-1"})],
                 id="prefix"),
    pytest.param([{"body": {"FileName": [{"suffix": ".png"}]}}],
                 [body({"FileName": "photo.png"})],
                 [body({"FileName": "photo.jpg"}), body({"FileName": "photo.PNG"}), body({"FileName": "png"})],
                 id="suffix"),
    pytest.param([{"body": {"Name": [{"equals-ignore-case": "alice"}]}}],
                 [body({"Name": "Alice"}), body({"Name": "ALICE"})],
                 [body({"Name": "Alicia"}), body({"Nom": "alice"})],
                 id="equals-ignore-case"),
    # Not: any value but the listed ones (the field must still be present).
    pytest.param([{"body": {"Weather": [{"anything-but": ["Raining", "Snowing"]}]}}],
                 [body({"Weather": "Sunny"}), body({"Weather": "raining"})],
                 [body({"Weather": "Raining"}), body({"Weather": "Snowing"})],
                 id="anything-but"),
])
def test_string_operators(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped):
    """Begins with {"prefix": ...} and Ends with {"suffix": ...} are case-sensitive; Equals (ignore case)
    {"equals-ignore-case": ...} compares without case; Not {"anything-but": [...]} matches any value except the
    listed ones, exactly compared."""
    check_case(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped)


@pytest.mark.parametrize("patterns, delivered, dropped", [
    # Numeric (range): more than 0 and at most 5.
    pytest.param([{"body": {"rating": [{"numeric": [">", 0, "<=", 5]}]}}],
                 [body({"rating": 5}), body({"rating": 0.5}), body({"rating": 3})],
                 [body({"rating": 0}), body({"rating": 5.5}), body({"rating": -1}), body({"rating": "3"})],
                 id="numeric-range"),
    # Numeric (equals) compares values, unlike exact matching: 10.0 is 10.
    pytest.param([{"body": {"Price": [{"numeric": ["=", 10]}]}}],
                 [body({"Price": 10}), '{"Price": 10.0}'],
                 [body({"Price": 11}), body({"Price": "10"}), body({"Cost": 10})],
                 id="numeric-equals"),
    pytest.param([{"body": {"RecordNumber": [{"numeric": [">", 9999]}]}}],
                 [body({"RecordNumber": 10000})],
                 [body({"RecordNumber": 9999}), "this is a test string"],
                 id="numeric-greater-than"),
])
def test_numeric_operators(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped):
    """{"numeric": [...]} compares numbers by value with =, <, <=, >, >= (a range is two comparisons, both required).
    "Numeric matching only works with values that are JSON numbers" (EventBridge): a string such as "10" never
    matches, nor does a plain-text body."""
    check_case(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped)


@pytest.mark.parametrize("patterns, delivered, dropped", [
    pytest.param([{"body": {"ProductName": [{"exists": True}]}}],
                 [body({"ProductName": "Widget"}), body({"ProductName": ""})],
                 [body({"Product": "Widget"})],
                 id="exists-true"),
    pytest.param([{"body": {"ProductName": [{"exists": False}]}}],
                 [body({"Product": "Widget"})],
                 [body({"ProductName": "Widget"})],
                 id="exists-false"),
    # "the Exists operator only works on leaf nodes ... It doesn't match intermediate nodes."
    pytest.param([{"body": {"address": [{"exists": True}]}}],
                 [body({"address": "123 Main St"})],
                 [body({"address": {"street": "123 Main St", "city": "Anytown"}})],
                 id="exists-only-on-leaves"),
])
def test_exists_operators(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped):
    """Exists {"exists": true} matches when the field is present (a leaf: an object-valued field is an intermediate
    node and does not count); Does not exist {"exists": false} matches when it is absent."""
    check_case(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped)


@pytest.mark.parametrize("patterns, delivered, dropped", [
    # And: every field of one pattern must match.
    pytest.param([{"body": {"Location": ["New York"], "Day": ["Monday"]}}],
                 [body({"Location": "New York", "Day": "Monday"})],
                 [body({"Location": "New York", "Day": "Friday"}), body({"Location": "Boston", "Day": "Monday"}),
                  body({"Location": "New York"})],
                 id="and-fields"),
    # Or (multiple fields): "$or" takes a list of alternative sub-patterns.
    pytest.param([{"body": {"$or": [{"Location": ["New York"]}, {"Day": ["Monday"]}]}}],
                 [body({"Location": "New York", "Day": "Friday"}), body({"Location": "Boston", "Day": "Monday"}),
                  body({"Location": "New York", "Day": "Monday"})],
                 [body({"Location": "Boston", "Day": "Friday"})],
                 id="dollar-or"),
    # Filters of one mapping are ORed; a message satisfying two filters is still delivered once.
    pytest.param([{"body": {"kind": ["a"]}}, {"body": {"size": [{"numeric": [">", 100]}]}}],
                 [body({"kind": "a", "size": 1}), body({"kind": "b", "size": 500}), body({"kind": "a", "size": 500})],
                 [body({"kind": "b", "size": 1}), body({"kind": "c"})],
                 id="filters-are-ored"),
    # A list in the event matches when any of its elements matches.
    pytest.param([{"body": {"tags": ["red"]}}],
                 [body({"tags": ["blue", "red"]}), body({"tags": ["red"]})],
                 [body({"tags": ["blue", "green"]}), body({"tags": []}), body({"tags": "blue"})],
                 id="array-in-event"),
])
def test_combining_rules(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped):
    """Fields of one pattern are ANDed; "$or" ORs sub-patterns; the filters of a mapping are ORed ("If a record from
    your event source satisfies one or more of your filters, Lambda includes the record"); and when the event's value
    is an array, a field matches if any element matches (EventBridge: the intersection of the pattern's values and
    the event's array is non-empty)."""
    check_case(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped)


@pytest.mark.parametrize("patterns, delivered, dropped", [
    # Plain-string body, plain-string pattern: matched as a whole string.
    pytest.param([{"body": ["plain text"]}],
                 ["plain text"],
                 ["plain text, and more", "Plain Text"],
                 id="plain-body-exact"),
    pytest.param([{"body": [{"prefix": "Result: "}]}],
                 ["Result: ok"],
                 ["Error: Result: ok"],
                 id="plain-body-prefix"),
    # JSON body, plain-string pattern: dropped even though the text would match; a plain body that merely looks
    # like JSON (it does not parse) is matched as a string.
    pytest.param([{"body": [{"prefix": "{"}]}],
                 ["{not json"],
                 [body({"a": 1}), '{ "b": "c" }'],
                 id="json-body-plain-pattern"),
    # Plain-string body, JSON pattern: dropped.
    pytest.param([{"body": {"status": ["ok"]}}],
                 [body({"status": "ok"})],
                 ["status ok", body({"status": "failed"})],
                 id="plain-body-json-pattern"),
    # ... even when the pattern only asks for a field to be absent, which a plain string trivially "satisfies".
    pytest.param([{"body": {"status": [{"exists": False}]}}],
                 [body({"other": 1})],
                 ["no status here", body({"status": "ok"})],
                 id="plain-body-exists-false"),
])
def test_body_format_must_match_the_pattern(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped):
    """The SQS data key is `body`. "Before filtering your messages, Lambda automatically evaluates the format of the
    incoming message body and of your filter pattern for body. If there is a mismatch, Lambda drops the message":
    a plain-string body is matched as a string by a plain-string rule (e.g. {"body": ["plain text"]}); a JSON body is
    matched field by field by a JSON pattern; a plain-string body against a JSON pattern, or a JSON body against a
    plain-string rule, is dropped."""
    check_case(slam, sqs, shared_recorder, mappings, patterns, delivered, dropped)
