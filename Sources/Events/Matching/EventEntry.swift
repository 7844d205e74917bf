import Foundation
import JSONText

/// One PutEvents request entry (also the `events` delivery channel's payload), before it is checked.
public struct EventEntry: Sendable, Codable, Equatable {
    public var Source: String?
    public var DetailType: String?
    public var Detail: String?
    public var Resources: [String]?
    /// Seconds since 1970.
    public var Time: Double?
    public var EventBusName: String?
    public var TraceHeader: String?

    public init(Source: String? = nil, DetailType: String? = nil, Detail: String? = nil, Resources: [String]? = nil,
                Time: Double? = nil, EventBusName: String? = nil, TraceHeader: String? = nil) {
        self.Source = Source
        self.DetailType = DetailType
        self.Detail = Detail
        self.Resources = Resources
        self.Time = Time
        self.EventBusName = EventBusName
        self.TraceHeader = TraceHeader
    }

    /// Its size as AWS counts it toward PutEvents' 256 KB: Time 14 bytes when present, and the UTF-8 bytes of
    /// Source, DetailType, Detail and each resource.
    public var size: Int {
        (Time != nil ? 14 : 0) + (Source?.utf8.count ?? 0) + (DetailType?.utf8.count ?? 0) + (Detail?.utf8.count ?? 0)
            + (Resources ?? []).reduce(0) { $0 + $1.utf8.count }
    }

    /// Why an entry is refused, as PutEvents reports it per entry.
    public struct Failure: Error, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    /// The parsed detail, or the failure to report for this entry.
    func check() -> Result<JSONText, Failure> {
        guard let source = Source, !source.isEmpty else {
            return .failure(.init(code: "InvalidArgument", message: "Parameter Source is not valid. Reason: Source is a required argument."))
        }
        guard let detailType = DetailType, !detailType.isEmpty else {
            return .failure(.init(code: "InvalidArgument", message: "Parameter DetailType is not valid. Reason: DetailType is a required argument."))
        }
        guard let detail = Detail, !detail.isEmpty else {
            return .failure(.init(code: "InvalidArgument", message: "Parameter Detail is not valid. Reason: Detail is a required argument."))
        }
        guard let json = JSONText(parsing: Array(detail.utf8)), case .object = json else {
            return .failure(.init(code: "MalformedDetail", message: "Detail is malformed."))
        }
        return .success(json)
    }
}
