/// Why X-Ray did not take a segment document, as `UnprocessedTraceSegments` reports it: the segment's id when it
/// could be read, an error code (`MissingId`, `InvalidName`, …) and a message naming the field.
public struct SegmentRejection: Error, Sendable, Equatable {
    public var id: String?
    public var errorCode: String
    public var message: String

    public init(id: String?, errorCode: String, message: String) {
        self.id = id
        self.errorCode = errorCode
        self.message = message
    }

    /// A rejection of the (sub)segment `id` for `code`, whose cause names the offending field.
    static func invalid(_ code: String, id: String?, subsegment: Bool, cause: String) -> SegmentRejection {
        SegmentRejection(id: id, errorCode: code,
                         message: "Invalid \(subsegment ? "subsegment" : "segment"). ErrorCode: \(code), Cause: \(cause)")
    }
}
