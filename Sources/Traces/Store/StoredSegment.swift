/// A segment document as the store keeps it: the columns trace queries select on, and the document's text.
public struct StoredSegment: Sendable, Equatable {
    public var traceId: String
    public var id: String
    public var parentId: String?
    public var isSubsegment: Bool
    public var startTime: Double
    /// The end, or the start while it is in progress.
    public var endTime: Double
    public var document: String
    /// When it was stored (seconds since 1970): retention counts from here.
    public var receivedAt: Int64

    public init(traceId: String, id: String, parentId: String?, isSubsegment: Bool, startTime: Double, endTime: Double,
                document: String, receivedAt: Int64) {
        self.traceId = traceId
        self.id = id
        self.parentId = parentId
        self.isSubsegment = isSubsegment
        self.startTime = startTime
        self.endTime = endTime
        self.document = document
        self.receivedAt = receivedAt
    }

    public init(_ segment: SegmentDocument, receivedAt: Int64) {
        self.init(traceId: segment.traceId, id: segment.id, parentId: segment.parentId, isSubsegment: segment.isSubsegment,
                  startTime: segment.startTime, endTime: segment.endTime ?? segment.startTime, document: segment.text,
                  receivedAt: receivedAt)
    }
}
