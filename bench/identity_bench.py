#!/usr/bin/env python3
"""Identity benchmark (issue 12): what authorization costs a warm invoke. The same no-op function (1,769 MB) is
invoked by the root key, which no policy limits, and by an IAM user whose policies allow it (plus 19 more policies
of 20 statements that do not match, so the evaluator has work to do), in interleaved rounds on one keep-alive
connection each; also by a role session (AssumeRole credentials) and through a function policy (AddPermission).
Then the policy language's own figures (`policy-bench`, per evaluation).

Starts its own server (release build by default) and prints figures; it asserts nothing. Usage:
    python3 bench/identity_bench.py [--bin .build/release/swiftlet] [--seconds 2] [--rounds 5]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from invoke_bench import ROLE, Server, percentile, zip_of  # noqa: E402

NOOP = {"app.py": "def handler(event, context):\n    return None\n"}
FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:{}"


def signed(endpoint, credentials, name):
    req = AWSRequest(method="POST", url=f"{endpoint}/2015-03-31/functions/{name}/invocations", data=b"{}",
                     headers={"Content-Type": "application/octet-stream", "X-Amz-Invocation-Type": "RequestResponse"})
    SigV4Auth(credentials, "lambda", "us-east-1").add_auth(req)
    prepared = req.prepare()
    return prepared.url.split("//", 1)[1].split("/", 1)[1], dict(prepared.headers), b"{}"


def signed_get(endpoint, credentials, name):
    """GetFunctionConfiguration: the edge and the authorization without a runtime's noise."""
    req = AWSRequest(method="GET", url=f"{endpoint}/2015-03-31/functions/{name}/configuration")
    SigV4Auth(credentials, "lambda", "us-east-1").add_auth(req)
    prepared = req.prepare()
    return prepared.url.split("//", 1)[1].split("/", 1)[1], dict(prepared.headers)


def alternating(endpoint, requests, seconds):
    """Latencies (µs) per caller, each request sent in turn on the caller's own keep-alive connection, so a drift
    of the machine hits every caller alike."""
    import http.client
    host, port = endpoint.split("//")[1].split(":")
    connections = {name: http.client.HTTPConnection(host, int(port)) for name in requests}
    latencies = {name: [] for name in requests}
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for name, (method, path, headers, body) in requests.items():
            conn = connections[name]
            t = time.perf_counter()
            conn.request(method, "/" + path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies[name].append((time.perf_counter() - t) * 1e6)
            if response.status != 200 or response.getheader("x-amz-function-error"):
                raise RuntimeError(f"{name}: {response.status} {response.getheader('x-amz-function-error')}")
    return latencies


def noise_policy(i):
    """20 statements that never match an invoke of the benchmarked function."""
    statements = []
    for j in range(20):
        statements.append({"Effect": "Allow", "Action": [f"sqs:Send{j}*", f"lambda:Get{j}*"],
                           "Resource": f"arn:aws:lambda:us-east-1:000000000000:function:other-{i}-{j}-*",
                           "Condition": {"StringEquals": {"aws:RequestTag/team": f"t{j}"}}})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/swiftlet")
    parser.add_argument("--seconds", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--policy-bench", default=".build/release/policy-bench")
    args = parser.parse_args()

    server = Server(args.bin)
    try:
        lam = server.client()
        iam = boto3.client("iam", endpoint_url=server.endpoint, region_name="us-east-1",
                           aws_access_key_id=server.key, aws_secret_access_key=server.secret)
        lam.create_function(FunctionName="noop", Runtime="python3.11", Role=ROLE, Handler="app.handler", MemorySize=1769,
                            Code={"ZipFile": zip_of(NOOP)})
        # 20 policies: 10 managed ones on the user and 10 on its group (IAM's quota is 10 attached per entity), plus
        # the inline one that allows; 19 x 20 statements never match.
        iam.create_user(UserName="caller")
        iam.create_group(GroupName="callers")
        iam.add_user_to_group(GroupName="callers", UserName="caller")
        for i in range(19):
            arn = iam.create_policy(PolicyName=f"noise{i}", PolicyDocument=noise_policy(i))["Policy"]["Arn"]
            if i < 10:
                iam.attach_user_policy(UserName="caller", PolicyArn=arn)
            else:
                iam.attach_group_policy(GroupName="callers", PolicyArn=arn)
        iam.put_user_policy(UserName="caller", PolicyName="invoke", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
                 "Resource": FUNCTION_ARN.format("noop")},
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="caller")["AccessKey"]
        iam.create_role(RoleName="invoker", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "sts:AssumeRole"}]}))
        iam.put_role_policy(RoleName="invoker", PolicyName="invoke", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
                 "Resource": FUNCTION_ARN.format("noop")}]}))
        sts = boto3.client("sts", endpoint_url=server.endpoint, region_name="us-east-1",
                           aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
        session = sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/invoker", RoleSessionName="bench")["Credentials"]
        iam.create_user(UserName="granted")
        granted = iam.create_access_key(UserName="granted")["AccessKey"]
        granted_arn = iam.get_user(UserName="granted")["User"]["Arn"]
        lam.add_permission(FunctionName="noop", StatementId="granted", Action="lambda:InvokeFunction", Principal=granted_arn)
        lam.add_permission(FunctionName="noop", StatementId="read", Action="lambda:GetFunctionConfiguration",
                           Principal=granted_arn)

        callers = {
            "root": Credentials(server.key, server.secret),
            "IAM user (20 policies, 19 x 20 statements)": Credentials(key["AccessKeyId"], key["SecretAccessKey"]),
            "role session (AssumeRole)": Credentials(session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"]),
            "user granted by the function policy": Credentials(granted["AccessKeyId"], granted["SecretAccessKey"]),
        }
        invokes = {name: ("POST", *signed(server.endpoint, c, "noop")) for name, c in callers.items()}
        gets = {name: ("GET", *signed_get(server.endpoint, c, "noop"), None) for name, c in callers.items()}
        alternating(server.endpoint, invokes, 1)  # warm the environment and every cache
        for title, requests in (("warm invoke, no-op Python, 1,769 MB", invokes),
                                ("GetFunctionConfiguration (no runtime in the path)", gets)):
            latencies = alternating(server.endpoint, requests, args.seconds * args.rounds)
            root = statistics.median(latencies["root"])
            print(f"\n== {title}: callers in turn, one keep-alive connection each, {args.seconds * args.rounds:.0f} s")
            for name, values in latencies.items():
                p50 = statistics.median(values)
                print(f"{name:42s} p50={p50:7.1f} µs  p90={percentile(values, 90):7.1f} µs  ({p50 - root:+6.1f} µs vs root)")
    finally:
        server.stop()

    if os.path.exists(args.policy_bench):
        print("\n== policy evaluation (policy-bench)")
        sys.stdout.flush()
        subprocess.run([args.policy_bench], check=False)
    else:
        print(f"\n(policy-bench not built: swift build -c release --product policy-bench)")


if __name__ == "__main__":
    main()
