/// OTLP/HTTP JSON's `ExportTraceServiceRequest` (opentelemetry-proto `trace/v1`, JSON mapping: ids in hex, times as
/// decimal strings of Unix nanoseconds, enums as numbers).
public struct ExportTraceServiceRequest: Codable, Sendable, Equatable {
    public var resourceSpans: [ResourceSpans]
}

public struct ResourceSpans: Codable, Sendable, Equatable {
    public var resource: OTLPResource
    public var scopeSpans: [ScopeSpans]
}

public struct OTLPResource: Codable, Sendable, Equatable {
    public var attributes: [KeyValue]
}

public struct ScopeSpans: Codable, Sendable, Equatable {
    public var scope: InstrumentationScope
    public var spans: [OTLPSpan]
}

public struct InstrumentationScope: Codable, Sendable, Equatable {
    public var name: String
}

/// One span.
public struct OTLPSpan: Codable, Sendable, Equatable {
    public var traceId: String
    public var spanId: String
    public var parentSpanId: String?
    public var name: String
    /// 1 internal, 2 server.
    public var kind: Int
    public var startTimeUnixNano: String
    public var endTimeUnixNano: String
    public var attributes: [KeyValue]
    public var status: SpanStatus
}

/// 0 unset, 1 ok, 2 error.
public struct SpanStatus: Codable, Sendable, Equatable {
    public var code: Int
    public var message: String?
}

public struct KeyValue: Codable, Sendable, Equatable {
    public var key: String
    public var value: AnyValue

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = AnyValue(stringValue: value)
    }
}

public struct AnyValue: Codable, Sendable, Equatable {
    public var stringValue: String?
}
