#!/usr/bin/env python3
"""SnapStart benchmark: restore from a version's template against a classic cold start, and what idle copies cost.

Starts its own server (release build by default) on a free port with a temporary data dir and prints figures; it
asserts nothing. The function's init imports a module that computes for 50 ms.
  * first invoke of a freshly published version, SnapStart on (the standby copy of the template made at publish)
    and off (a classic cold start: stem cell or launch, then the 50 ms import), end to end through boto3, with the
    REPORT's Restore Duration / Init Duration;
  * a burst: `--burst` concurrent first invokes of one SnapStart version (one standby copy, the rest made at once);
  * memory: `--copies` environments of a SnapStart version held idle and frozen, against as many classic ones:
    what their cgroups are charged (pages a copy shares with its template are charged to the template) and what
    the host's MemAvailable lost, per environment, and how many would fit in 24 GiB at that rate.
Usage:
    python3 bench/snapstart_bench.py [--bin .build/release/swiftlet] [--runs 20] [--burst 20] [--copies 200]
"""
import argparse
import collections
import base64
import concurrent.futures
import os
import re
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from invoke_bench import ROLE, Server, percentile, zip_of  # noqa: E402

RUNTIME = "python3.11"
CODE = {
    "slow_module.py": "import time\n_t = time.perf_counter()\nwhile time.perf_counter() - _t < 0.05:\n    pass\n",
    "app.py": "import slow_module\nimport time\n\ndef handler(event, context):\n"
              "    time.sleep(event.get('s', 0))\n    return 'hello world'\n",
}


def metric_sum(server, name, **labels):
    """The sum of a family's series that have `labels`."""
    with urllib.request.urlopen(server.endpoint + "/metrics", timeout=5) as r:
        text = r.read().decode()
    want = {f'{k}="{v}"' for k, v in labels.items()}
    return sum(float(m.group(2)) for m in re.finditer(rf"^{name}(?:{{([^}}]*)}})? (\S+)$", text, re.M)
               if want <= set((m.group(1) or "").split(",")))


def wait(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        time.sleep(0.02)


def publish(lam, name, run):
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"RUN": str(run)}})
    wait(lambda: lam.get_function_configuration(FunctionName=name)["LastUpdateStatus"] == "Successful")
    return lam.publish_version(FunctionName=name)["Version"]


def first_invokes(server, lam, name, runs, snapstart):
    total, reported = [], []
    for i in range(runs):
        templates = metric_sum(server, "swiftlet_snapstart_template_seconds_count")
        version = publish(lam, name, i)
        if snapstart:  # the template is made at publish, and a copy waits on standby: neither is part of the first invoke
            wait(lambda: metric_sum(server, "swiftlet_snapstart_template_seconds_count") > templates)
            wait(lambda: metric_sum(server, "swiftlet_snapstart_templates", function=name, version=version,
                                    state="standby_copies") >= 1)
        t = time.perf_counter()
        r = lam.invoke(FunctionName=f"{name}:{version}", Payload=b"{}", LogType="Tail")
        total.append((time.perf_counter() - t) * 1000)
        assert r["Payload"].read() == b'"hello world"'
        report = base64.b64decode(r["LogResult"]).decode()
        field = "Restore Duration" if snapstart else "Init Duration"
        m = re.search(field + r": ([\d.]+) ms", report)
        assert m, report
        reported.append(float(m.group(1)))
    return total, reported


def burst(lam, qualified, count):
    def one(_):
        t = time.perf_counter()
        r = lam.invoke(FunctionName=qualified, Payload=b'{"s": 0.5}', LogType="Tail")
        assert r["Payload"].read() == b'"hello world"'
        return (time.perf_counter() - t) * 1000, "Restore Duration" in base64.b64decode(r["LogResult"]).decode()
    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(count) as ex:
        results = list(ex.map(one, range(count)))
    return (time.perf_counter() - t) * 1000, [r[0] for r in results], sum(1 for r in results if r[1])


def memory_cgroup_base(server):
    for root, dirs, _ in os.walk("/sys/fs/cgroup/memory"):
        if os.path.basename(root) == f"swiftlet-{server.proc.pid}":
            return root
        if root.count("/") > 6:
            dirs[:] = []
    return None


def charged(base):
    usage = {}
    for d in os.listdir(base):
        if d.startswith("env-"):
            try:
                with open(os.path.join(base, d, "memory.usage_in_bytes")) as f:
                    usage[d] = int(f.read())
            except OSError:
                pass
    return usage


def mem_available():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def hold(server, lam, qualified, count):
    """`count` environments of `qualified`, started by as many concurrent calls, then left idle (frozen)."""
    base = memory_cgroup_base(server)
    before_envs = set(charged(base)) if base else set()
    available = mem_available()
    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(count) as ex:
        results = list(ex.map(lambda _: lam.invoke(FunctionName=qualified, Payload=b'{"s": 2}'), range(count)))
    elapsed = time.perf_counter() - t
    errors = collections.Counter()
    for r in results:
        payload = r["Payload"].read()
        if r.get("FunctionError") or payload != b'"hello world"':
            errors[re.sub(r"RequestId: \S+ ", "", payload[:300].decode(errors="replace"))] += 1
    for error, n in errors.most_common(3):
        print(f"    {n} failed with: {error}")
    failed = sum(errors.values())
    time.sleep(1)  # idle: frozen after --freeze-after
    usage = charged(base) if base else {}
    mine = {k: v for k, v in usage.items() if k not in before_envs}
    lost = available - mem_available()
    return elapsed, failed, mine, lost


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "swiftlet"))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--burst", type=int, default=20)
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--network", default="none", help="--function-network of the server (none: loopback only)")
    args = ap.parse_args()
    print(f"== load average at start: {os.getloadavg()[0]:.1f} (2 cores here; other work on the host skews every figure)")
    server = Server(args.bin, ["--function-network", args.network, "--xray-daemon-port", "0", "--freeze-after", "50",
                               "--max-concurrency", str(max(200, 2 * args.copies + 20))])
    try:
        lam = server.client(pool=max(args.burst, args.copies) + 4)
        for name, snap in (("snap", "PublishedVersions"), ("classic", "None")):
            lam.create_function(FunctionName=name, Runtime=RUNTIME, Role=ROLE, Handler="app.handler", Timeout=30,
                                Code={"ZipFile": zip_of(CODE)}, SnapStart={"ApplyOn": snap})
        print(f"== first invoke of a newly published version whose init imports a 50 ms module ({args.runs} versions each, "
              f"--function-network {args.network})")
        for name, snap in (("snap", True), ("classic", False)):
            total, reported = first_invokes(server, lam, name, args.runs, snap)
            field = "Restore Duration" if snap else "Init Duration"
            print(f"  SnapStart {'on ' if snap else 'off'}: end to end p50={percentile(total, 50):.1f} ms  "
                  f"p90={percentile(total, 90):.1f} ms   {field} p50={percentile(reported, 50):.1f} ms  "
                  f"p90={percentile(reported, 90):.1f} ms")
        phases = {}
        with urllib.request.urlopen(server.endpoint + "/metrics", timeout=5) as r:
            text = r.read().decode()
        for m in re.finditer(r'^swiftlet_cold_start_phase_seconds_(sum|count)\{([^}]*)\} (\S+)$', text, re.M):
            labels = dict(kv.split("=") for kv in m.group(2).split(","))
            if labels.get("path") == '"snap_start"':
                phases.setdefault(labels["phase"].strip('"'), {})[m.group(1)] = float(m.group(3))
        print("  restore phases (mean ms): " + "  ".join(
            f"{k}={v['sum'] / v['count'] * 1000:.2f}" for k, v in phases.items() if v.get("count")))
        if args.burst:
            version = publish(lam, "snap", "burst")
            wait(lambda: metric_sum(server, "swiftlet_snapstart_template_seconds_count") >= args.runs + 1)
            elapsed, lat, restored = burst(lam, f"snap:{version}", args.burst)
            print(f"== burst of {args.burst} concurrent first invokes of one SnapStart version (each holds its environment "
                  f"0.5 s): total {elapsed:.0f} ms, p50={percentile(lat, 50):.0f} ms  p99={percentile(lat, 99):.0f} ms, "
                  f"{restored} restored")
        if args.copies:
            print(f"== {args.copies} idle frozen environments of one version")
            for name in ("snap", "classic"):
                version = publish(lam, name, "memory")
                elapsed, failed, usage, lost = hold(server, lam, f"{name}:{version}", args.copies)
                count = max(1, len(usage))
                each = sum(usage.values()) / count
                print(f"  SnapStart {'on ' if name == 'snap' else 'off'}: {len(usage)} environments started in {elapsed:.1f} s "
                      f"({failed} failed); charged to their cgroups {each / 2**20:.2f} MiB each; host MemAvailable "
                      f"-{lost / 2**20:.0f} MiB = {lost / count / 2**20:.2f} MiB each -> "
                      f"{24 * 2**30 / max(1, lost / count):.0f} would fit in 24 GiB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
