import JSONText

/// Segments as OpenTelemetry spans: each segment and each subsegment in it becomes a span of the same trace
/// (X-Ray's `1-<8 hex>-<24 hex>` is the 32-hex trace id without its dashes), its id the span id, its parent the
/// enclosing (sub)segment or the segment's `parent_id`.
public enum OTLPSpans {
    public static func spans(of segments: [SegmentDocument]) -> [OTLPSpan] {
        var spans: [OTLPSpan] = []
        for segment in segments {
            let traceId = segment.traceId.replacingOccurrences(of: "1-", with: "", options: .anchored)
                .replacingOccurrences(of: "-", with: "")
            append(segment.json, traceId: traceId, parent: segment.parentId, origin: segment.origin, top: true, to: &spans)
        }
        return spans
    }

    static func append(_ json: JSONText, traceId: String, parent: String?, origin: String?, top: Bool, to spans: inout [OTLPSpan]) {
        guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue,
              let start = json["start_time"]?.numberValue else { return }
        let end = json["end_time"]?.numberValue ?? start
        let failed = json["fault"]?.boolValue == true || json["error"]?.boolValue == true
        var attributes: [KeyValue] = []
        if top, let origin { attributes.append(KeyValue("aws.xray.origin", origin)) }
        if let arn = json["resource_arn"]?.stringValue { attributes.append(KeyValue("cloud.resource_id", arn)) }
        if let request = json["aws"]?["request_id"]?.stringValue { attributes.append(KeyValue("faas.invocation_id", request)) }
        if top { attributes.append(KeyValue("faas.name", name)) }
        spans.append(OTLPSpan(
            traceId: traceId, spanId: id, parentSpanId: parent, name: name, kind: origin == "AWS::Lambda" && top ? 2 : 1,
            startTimeUnixNano: nanos(start), endTimeUnixNano: nanos(end), attributes: attributes,
            status: SpanStatus(code: failed ? 2 : 1, message: failed ? "fault" : nil)))
        if case .array(let children)? = json["subsegments"] {
            for child in children {
                append(child, traceId: traceId, parent: id, origin: nil, top: false, to: &spans)
            }
        }
    }

    /// Seconds since 1970 as a decimal string of nanoseconds (microsecond precision, as segments have it).
    static func nanos(_ seconds: Double) -> String {
        let micros = Int64((seconds * 1_000_000).rounded())
        return String(micros) + "000"
    }
}
