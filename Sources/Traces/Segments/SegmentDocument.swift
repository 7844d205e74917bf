import JSONText

/// A validated X-Ray segment document (or an independent subsegment, `"type": "subsegment"`): the facts X-Ray
/// indexes and summarizes, and the document itself as it was sent.
public struct SegmentDocument: Sendable {
    public var id: String
    public var traceId: String
    public var name: String
    /// The parent's id: the caller's segment of a segment, the enclosing (sub)segment of an independent subsegment.
    public var parentId: String?
    /// Sent on its own with `"type": "subsegment"`.
    public var isSubsegment: Bool
    public var startTime: Double
    public var endTime: Double?
    public var inProgress: Bool
    /// This (sub)segment's own flags.
    public var error: Bool
    public var fault: Bool
    public var throttle: Bool
    /// Whether it or any of its embedded subsegments has the flag.
    public var anyError: Bool
    public var anyFault: Bool
    public var anyThrottle: Bool
    /// `origin` (`AWS::Lambda`, `AWS::EC2::Instance`, …).
    public var origin: String?
    public var user: String?
    public var http: SegmentHTTP
    /// `annotations` of the document and its embedded subsegments (a later one wins on a repeated key).
    public var annotations: [String: AnnotationValue]
    /// `aws.account_id`, `resource_arn`.
    public var accountId: String?
    public var resourceARN: String?
    /// Ids of the subsegments embedded in it, at any depth.
    public var subsegmentIds: [String]
    /// The document as parsed (fields in order, numbers as written).
    public var json: JSONText
    /// The document as it was sent, when it was parsed from text.
    public var source: String? = nil

    /// The document's text: as sent, or serialized from `json`.
    public var text: String { source ?? JSONTextWriter.string(json) }
}

/// The `http` block of a segment: what filter expressions and summaries read.
public struct SegmentHTTP: Sendable, Equatable {
    public var method: String?
    public var url: String?
    public var userAgent: String?
    public var clientIp: String?
    public var status: Int?

    public init(method: String? = nil, url: String? = nil, userAgent: String? = nil, clientIp: String? = nil, status: Int? = nil) {
        self.method = method
        self.url = url
        self.userAgent = userAgent
        self.clientIp = clientIp
        self.status = status
    }
}
