import Foundation
import JSONText

/// The segments Lambda writes for a sampled invocation: the service's view (`AWS::Lambda`, named after the function,
/// from the request's arrival to the response) and the function's (`AWS::Lambda::Function`, a child of the first,
/// with `Initialization` on a cold start, `Invocation` and `Overhead` subsegments). The function segment's id is the
/// `Parent` in the function's `_X_AMZN_TRACE_ID`, so segments the function sends itself nest under it.
public enum LambdaSegments {
    public static func documents(for invocation: LambdaInvocation) -> [SegmentDocument] {
        let serviceId = TraceID.newSegmentId()
        let accountId = accountId(of: invocation.functionArn)
        let unqualifiedArn = unqualified(invocation.functionArn)
        let failed = invocation.functionError != nil || invocation.platformError

        let serviceStart = min(invocation.queuedAt ?? invocation.received, invocation.received)
        var service: [(key: String, value: JSONText)] = [
            ("id", .string(serviceId)),
            ("name", .string(invocation.functionName)),
            ("start_time", time(serviceStart)),
            ("end_time", time(max(invocation.finished, invocation.received))),
            ("trace_id", .string(invocation.traceId)),
        ]
        if let caller = invocation.callerSegmentId { service.append(("parent_id", .string(caller))) }
        service += [
            ("origin", .string("AWS::Lambda")),
            ("resource_arn", .string(invocation.functionArn)),
            ("http", .object([("response", .object([("status", .number("200"))]))])),
            ("aws", .object(awsBlock(accountId: accountId, requestId: invocation.requestId, functionArn: nil))),
        ]
        // An asynchronous event: the time it waited in the queue, then this attempt.
        if invocation.queuedAt != nil {
            service.append(("subsegments", .array([
                subsegment("Dwell Time", start: serviceStart, end: invocation.received, extra: []),
                subsegment("Attempt #\(invocation.attempt ?? 1)", start: invocation.received,
                           end: max(invocation.finished, invocation.received), extra: []),
            ])))
        }

        let functionStart = invocation.initStart ?? invocation.invocationStart ?? invocation.received
        var subsegments: [JSONText] = []
        if let start = invocation.initStart {
            let end = invocation.initEnd ?? invocation.invocationStart ?? invocation.finished
            subsegments.append(subsegment("Initialization", start: start, end: max(end, start),
                                          extra: [("aws", .object([("function_arn", .string(unqualifiedArn))]))]))
        }
        if let start = invocation.invocationStart {
            let end = max(invocation.invocationEnd ?? invocation.finished, start)
            var extra: [(key: String, value: JSONText)] = [("aws", .object([("function_arn", .string(unqualifiedArn))]))]
            if failed { extra += faultFields(invocation) }
            subsegments.append(subsegment("Invocation", start: start, end: end, extra: extra))
            subsegments.append(subsegment("Overhead", start: end, end: max(invocation.finished, end),
                                          extra: [("aws", .object([("function_arn", .string(unqualifiedArn))]))]))
        }
        var function: [(key: String, value: JSONText)] = [
            ("id", .string(invocation.functionSegmentId)),
            ("name", .string(invocation.functionName)),
            ("start_time", time(functionStart)),
            ("end_time", time(max(invocation.finished, functionStart))),
            ("trace_id", .string(invocation.traceId)),
            ("parent_id", .string(serviceId)),
            ("origin", .string("AWS::Lambda::Function")),
            ("resource_arn", .string(unqualifiedArn)),
            ("aws", .object(awsBlock(accountId: accountId, requestId: invocation.requestId, functionArn: unqualifiedArn))),
        ]
        if failed { function += faultFields(invocation) }
        if !subsegments.isEmpty { function.append(("subsegments", .array(subsegments))) }

        return [.object(service), .object(function)].compactMap { json in
            try? SegmentParser.parse(Array(JSONTextWriter.string(json).utf8)).get()
        }
    }

    /// `fault` and a `cause` naming the error, for an invocation that failed.
    static func faultFields(_ invocation: LambdaInvocation) -> [(key: String, value: JSONText)] {
        let type = invocation.functionError ?? "Lambda.PlatformError"
        return [
            ("fault", .bool(true)),
            ("cause", .object([("exceptions", .array([.object([
                ("id", .string(TraceID.newSegmentId())), ("type", .string(type)),
                ("message", .string(invocation.platformError ? "The platform ended the invocation." : "The function returned an error.")),
            ])]))])),
        ]
    }

    static func subsegment(_ name: String, start: Double, end: Double, extra: [(key: String, value: JSONText)]) -> JSONText {
        .object([("id", .string(TraceID.newSegmentId())), ("name", .string(name)), ("start_time", time(start)),
                 ("end_time", time(end))] + extra)
    }

    static func awsBlock(accountId: String?, requestId: String, functionArn: String?) -> [(key: String, value: JSONText)] {
        var fields: [(key: String, value: JSONText)] = []
        if let accountId { fields.append(("account_id", .string(accountId))) }
        if let functionArn { fields.append(("function_arn", .string(functionArn))) }
        fields.append(("request_id", .string(requestId)))
        return fields
    }

    /// Seconds since 1970 with microseconds.
    static func time(_ seconds: Double) -> JSONText {
        .number(String(format: "%.6f", seconds))
    }

    /// The account of `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
    static func accountId(of arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 5 ? String(parts[4]) : nil
    }

    /// The function's ARN without a qualifier.
    static func unqualified(_ arn: String) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 7 ? parts.prefix(7).joined(separator: ":") : arn
    }
}
