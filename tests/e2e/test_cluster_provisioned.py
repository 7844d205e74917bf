"""Provisioned concurrency in a cluster (issue 16): a configuration's environments are split between the nodes (one
work lease per environment), its status through any node is what the live nodes keep together, a change through one
node is applied by all, and a node that leaves hands its share to the others.

Two real `swiftlet serve` nodes on one throwaway PostgreSQL database (cluster_support.py); what each node keeps is
read from the registry's rows (each node reports it at every heartbeat). Every wait polls a condition under a
deadline."""
import base64
import json

import pytest
from botocore.exceptions import ClientError

from async_support import strict_client
from cluster_support import a, b, cluster, create_function, postgres, runtime, wait_until, wait_updated
from conftest import make_zip

__all__ = ["postgres", "cluster", "a", "b", "runtime"]  # fixtures, imported for pytest

TOKEN = """import uuid
TOKEN = uuid.uuid4().hex
def handler(event, context):
    return {"token": TOKEN}
"""


def kept_by_node(cluster, name, qualifier):
    """{node id: environments it reports keeping for the configuration} for the nodes that report some."""
    rows = cluster.postgres.psql("SELECT id, provisioned FROM cluster_nodes WHERE state <> 'stopped'",
                                 database=cluster.database)
    kept = {}
    for line in rows.splitlines():
        node, _, reported = line.partition("|")
        for share in json.loads(reported):
            if share["function"] == name and share["qualifier"] == qualifier:
                kept[node] = share["allocated"]
    return kept


def status(lam, name, qualifier):
    c = lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier=qualifier)
    return c["Status"], c["AllocatedProvisionedConcurrentExecutions"], c["AvailableProvisionedConcurrentExecutions"]


def published(lam, runtime):
    name = create_function(lam, runtime, source=TOKEN, prefix="pc")
    wait_updated(lam, name)
    return name, lam.publish_version(FunctionName=name)["Version"]


def test_a_configuration_is_split_between_the_nodes_and_reported_whole_by_each(cluster, a, b, runtime):
    lam_a, lam_b = strict_client(a), strict_client(b)
    name, version = published(lam_a, runtime)

    lam_a.put_provisioned_concurrency_config(FunctionName=name, Qualifier=version, ProvisionedConcurrentExecutions=2)
    # Ready as seen through either node once both keep their share: one environment each.
    wait_until(lambda: status(lam_b, name, version) == ("READY", 2, 2), 60, interval=0.5,
               what="the configuration to be READY with 2 through B")
    assert status(lam_a, name, version) == ("READY", 2, 2)
    assert kept_by_node(cluster, name, version) == {a.node_id: 1, b.node_id: 1}

    # Each node runs the version in the environment it keeps: no init at invoke time.
    for lam in (lam_a, lam_b):
        r = lam.invoke(FunctionName=name, Qualifier=version, LogType="Tail", Payload=b"{}")
        assert r["StatusCode"] == 200 and not r.get("FunctionError")
        assert "Init Duration" not in base64.b64decode(r["LogResult"]).decode()

    # A change through B is applied by both: three environments, the odd one on one of them.
    lam_b.put_provisioned_concurrency_config(FunctionName=name, Qualifier=version, ProvisionedConcurrentExecutions=3)
    wait_until(lambda: status(lam_a, name, version) == ("READY", 3, 3), 60, interval=0.5,
               what="the configuration to be READY with 3 through A")
    assert sorted(kept_by_node(cluster, name, version).values()) == [1, 2]

    # Deleted through A: neither node keeps any.
    lam_a.delete_provisioned_concurrency_config(FunctionName=name, Qualifier=version)
    wait_until(lambda: kept_by_node(cluster, name, version) == {}, 30, interval=0.5,
               what="both nodes to report no environment kept")
    with pytest.raises(ClientError) as e:
        lam_b.get_provisioned_concurrency_config(FunctionName=name, Qualifier=version)
    assert e.value.response["Error"]["Code"] == "ProvisionedConcurrencyConfigNotFoundException"


def test_an_alias_configuration_follows_the_alias_on_every_node(cluster, a, b, runtime):
    lam_a, lam_b = strict_client(a), strict_client(b)
    name, first = published(lam_a, runtime)
    lam_a.update_function_code(FunctionName=name, ZipFile=make_token_zip())
    wait_updated(lam_a, name)
    second = lam_a.publish_version(FunctionName=name)["Version"]
    lam_a.create_alias(FunctionName=name, Name="live", FunctionVersion=first)
    lam_a.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=2)
    wait_until(lambda: status(lam_b, name, "live") == ("READY", 2, 2), 60, interval=0.5, what="the alias's READY")

    # The alias moves through B: both nodes bring up the new version (the status counts them again as they come up).
    lam_b.update_alias(FunctionName=name, Name="live", FunctionVersion=second)
    for lam in (lam_a, lam_b):
        def served_without_init():
            r = lam.invoke(FunctionName=name, Qualifier="live", LogType="Tail", Payload=b"{}")
            return r["ExecutedVersion"] == second and "Init Duration" not in base64.b64decode(r["LogResult"]).decode()
        wait_until(served_without_init, 60, interval=0.5, what="an invoke of the moved alias served by a kept environment")
    wait_until(lambda: status(lam_a, name, "live") == ("READY", 2, 2), 60, interval=0.5, what="the alias's READY again")
    lam_a.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")


def make_token_zip():
    return make_zip({"app.py": TOKEN.replace("uuid4().hex", "uuid4().hex + '-2'")})


def test_retention_jobs_run_on_one_node_at_a_time(cluster, a, b):
    """Each node's janitors ask for their job's lease before they sweep: one holder per job (the metric and trace
    janitors sweep at start; the logs' after a minute)."""
    def holders():
        rows = cluster.postgres.psql("SELECT kind, node FROM work_leases WHERE kind LIKE 'janitor:%' ORDER BY kind",
                                     database=cluster.database)
        return [line.split("|") for line in rows.splitlines()]
    found = wait_until(lambda: {k for k, _ in holders()} >= {"janitor:metric-retention", "janitor:trace-retention"}
                       and holders(), 30, interval=0.5, what="the metric and trace janitors' leases")
    kinds = [k for k, _ in found]
    assert len(kinds) == len(set(kinds)), f"one holder per job: {found}"
    assert {n for _, n in found} <= {a.node_id, b.node_id}


def test_a_node_that_leaves_hands_its_share_to_the_other(cluster, a, b, runtime):
    """Last in the module: it stops node B."""
    lam_a = strict_client(a)
    name, version = published(lam_a, runtime)
    lam_a.put_provisioned_concurrency_config(FunctionName=name, Qualifier=version, ProvisionedConcurrentExecutions=2)
    wait_until(lambda: kept_by_node(cluster, name, version) == {a.node_id: 1, b.node_id: 1}, 60, interval=0.5,
               what="one environment on each node")

    assert b.stop() == 0
    # A takes B's unit (handed back as B left) at its next placement, within its interval (5 s) and an init.
    wait_until(lambda: kept_by_node(cluster, name, version) == {a.node_id: 2}, 30, interval=0.5,
               what="A to keep both environments")
    wait_until(lambda: status(lam_a, name, version) == ("READY", 2, 2), 30, interval=0.5, what="READY with 2 on A alone")
