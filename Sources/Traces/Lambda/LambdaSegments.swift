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
        var serviceSubsegmentIds: [String] = []
        if invocation.queuedAt != nil {
            service.append(("subsegments", .array([
                subsegment("Dwell Time", start: serviceStart, end: invocation.received, extra: [], ids: &serviceSubsegmentIds),
                subsegment("Attempt #\(invocation.attempt ?? 1)", start: invocation.received,
                           end: max(invocation.finished, invocation.received), extra: [], ids: &serviceSubsegmentIds),
            ])))
        }

        let functionStart = invocation.initStart ?? invocation.invocationStart ?? invocation.received
        var subsegments: [JSONText] = []
        var functionSubsegmentIds: [String] = []
        if let start = invocation.initStart {
            let end = invocation.initEnd ?? invocation.invocationStart ?? invocation.finished
            subsegments.append(subsegment("Initialization", start: start, end: max(end, start),
                                          extra: [("aws", .object([("function_arn", .string(unqualifiedArn))]))],
                                          ids: &functionSubsegmentIds))
        }
        if let start = invocation.invocationStart {
            let end = max(invocation.invocationEnd ?? invocation.finished, start)
            var extra: [(key: String, value: JSONText)] = [("aws", .object([("function_arn", .string(unqualifiedArn))]))]
            if failed { extra += faultFields(invocation) }
            subsegments.append(subsegment("Invocation", start: start, end: end, extra: extra, ids: &functionSubsegmentIds))
            subsegments.append(subsegment("Overhead", start: end, end: max(invocation.finished, end),
                                          extra: [("aws", .object([("function_arn", .string(unqualifiedArn))]))],
                                          ids: &functionSubsegmentIds))
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

        // Built as validated documents directly (their fields are known): no parsing on the way to the store.
        let serviceJSON = JSONText.object(service)
        let functionJSON = JSONText.object(function)
        let serviceEnd = max(invocation.finished, invocation.received)
        return [
            SegmentDocument(
                id: serviceId, traceId: invocation.traceId, name: invocation.functionName, parentId: invocation.callerSegmentId,
                isSubsegment: false, startTime: micro(serviceStart), endTime: micro(serviceEnd), inProgress: false,
                error: false, fault: false, throttle: false, anyError: false, anyFault: false, anyThrottle: false,
                origin: "AWS::Lambda", user: nil, http: SegmentHTTP(status: 200), annotations: [:], accountId: accountId,
                resourceARN: invocation.functionArn, subsegmentIds: serviceSubsegmentIds, json: serviceJSON,
                source: JSONTextWriter.string(serviceJSON)),
            SegmentDocument(
                id: invocation.functionSegmentId, traceId: invocation.traceId, name: invocation.functionName, parentId: serviceId,
                isSubsegment: false, startTime: micro(functionStart), endTime: micro(max(invocation.finished, functionStart)),
                inProgress: false, error: false, fault: failed, throttle: false, anyError: false, anyFault: failed,
                anyThrottle: false, origin: "AWS::Lambda::Function", user: nil, http: SegmentHTTP(), annotations: [:],
                accountId: accountId, resourceARN: unqualifiedArn, subsegmentIds: functionSubsegmentIds, json: functionJSON,
                source: JSONTextWriter.string(functionJSON)),
        ]
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

    /// A subsegment; its id is added to `ids`.
    static func subsegment(_ name: String, start: Double, end: Double, extra: [(key: String, value: JSONText)],
                           ids: inout [String]) -> JSONText {
        let id = TraceID.newSegmentId()
        ids.append(id)
        return .object([("id", .string(id)), ("name", .string(name)), ("start_time", time(start)), ("end_time", time(end))] + extra)
    }

    static func awsBlock(accountId: String?, requestId: String, functionArn: String?) -> [(key: String, value: JSONText)] {
        var fields: [(key: String, value: JSONText)] = []
        if let accountId { fields.append(("account_id", .string(accountId))) }
        if let functionArn { fields.append(("function_arn", .string(functionArn))) }
        fields.append(("request_id", .string(requestId)))
        return fields
    }

    /// Seconds since 1970 with microseconds (`1478293361.271000`), written without `String(format:)`, which is slow
    /// on Linux.
    static func time(_ seconds: Double) -> JSONText {
        let micros = Int64((max(0, seconds) * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        return .number("\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction)
    }

    /// `seconds` rounded to the microsecond, as `time` writes it.
    static func micro(_ seconds: Double) -> Double {
        (max(0, seconds) * 1_000_000).rounded() / 1_000_000
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
