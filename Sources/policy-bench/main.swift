// Policy evaluation figures: a principal with 20 identity policies of 20 statements each, none of which covers the
// request until the very last statement, and a principal with one such policy. Build with `-c release`.
//
//     swift run -c release policy-bench [evaluations]
import AccessPolicies

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let account = "123456789012"
let region = "us-east-1"

/// One statement of policy `p`, position `s`, of a rotation of realistic shapes; none covers the benchmark request.
func statement(policy p: Int, index s: Int) -> String {
    let fn = "arn:aws:lambda:\(region):\(account):function"
    switch s % 10 {
    case 0:
        return #"{"Sid":"Read\#(p)x\#(s)","Effect":"Allow","Action":["lambda:GetFunction*","lambda:List*"],"Resource":"\#(fn):svc-\#(p)-\#(s)-*"}"#
    case 1:
        return #"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-\#(p)-\#(s)/${aws:username}/*"}"#
    case 2:
        return #"{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["\#(fn):other-\#(p)-\#(s)","\#(fn):other-\#(p)-\#(s):*"]}"#
    case 3:
        return #"{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:\#(region):\#(account):table/t\#(p)\#(s)"}"#
    case 4:
        return #"{"Effect":"Allow","Action":"lambda:Invoke*","Resource":"\#(fn):orders","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","172.16.0.0/12"]}}}"#
    case 5:
        return #"{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:\#(region):\#(account):q-\#(p)-\#(s)"}"#
    case 6:
        return #"{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:\#(region):\#(account):log-group:/aws/lambda/f\#(p)\#(s):*"}"#
    case 7:
        return #"{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"payments-\#(p)"}}}"#
    case 8:
        return #"{"Effect":"Deny","Action":["lambda:DeleteFunction","lambda:UpdateFunctionCode"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#
    default:
        return #"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::\#(account):role/r\#(p)\#(s)","Condition":{"StringLike":{"iam:PassedToService":"lambda.amazonaws.com"}}}"#
    }
}

/// The statement that finally allows the request.
let allowing = #"""
{"Sid":"Invoke","Effect":"Allow","Action":["lambda:InvokeFunction","lambda:InvokeAsync"],"Resource":"arn:aws:lambda:us-east-1:123456789012:function:orders*","Condition":{"Bool":{"aws:SecureTransport":"true"},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}
"""#

func policies(count: Int, statements: Int) -> [Policy] {
    (0..<count).map { p in
        let body = (0..<statements).map { s in
            p == count - 1 && s == statements - 1 ? allowing : statement(policy: p, index: s)
        }
        let json = #"{"Version":"2012-10-17","Statement":[\#(body.joined(separator: ","))]}"#
        do throws(MalformedPolicy) {
            return try Policy(json: json, kind: .identity)
        } catch {
            fatalError("bench policy \(p) is malformed: \(error.reason)")
        }
    }
}

func nanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

let request = AuthorizationRequest(
    principal: RequestPrincipal(kind: .user, arn: "arn:aws:iam::\(account):user/ci", accountId: account, roleArn: nil,
                                serviceName: nil, userId: "AIDAEXAMPLEUSERID0001", username: "ci"),
    action: "lambda:InvokeFunction",
    resource: "arn:aws:lambda:\(region):\(account):function:orders",
    context: ["aws:SourceIp": ["203.0.113.7"], "aws:SecureTransport": ["true"], "aws:MultiFactorAuthPresent": ["true"]])

func run(_ label: String, _ set: [Policy], evaluations: Int) {
    for _ in 0..<1000 { _ = PolicyEvaluator.evaluate(request, identityPolicies: set, resourcePolicy: nil) }
    var samples = [UInt64](repeating: 0, count: evaluations)
    var allowed = 0
    let start = nanoseconds()
    for i in 0..<evaluations {
        let t0 = nanoseconds()
        let decision = PolicyEvaluator.evaluate(request, identityPolicies: set, resourcePolicy: nil)
        samples[i] = nanoseconds() - t0
        if decision == .allow { allowed += 1 }
    }
    let total = Double(nanoseconds() - start) / 1e9
    guard allowed == evaluations else { fatalError("\(label): expected every evaluation to allow, \(allowed) did") }
    samples.sort()
    func percentile(_ q: Double) -> String {
        micros(samples[min(samples.count - 1, Int(Double(samples.count) * q))])
    }
    let rate = Int(Double(evaluations) / total)
    print("\(label): p50 \(percentile(0.5)) µs  p99 \(percentile(0.99)) µs  \(rate) evaluations/s  (\(evaluations) evaluations)")
}

/// Nanoseconds as microseconds with two decimals.
func micros(_ nanoseconds: UInt64) -> String {
    let hundredths = (nanoseconds + 5) / 10
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

let evaluations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 200_000
run("20 policies x 20 statements", policies(count: 20, statements: 20), evaluations: evaluations)
run(" 1 policy   x 20 statements", policies(count: 1, statements: 20), evaluations: evaluations)
