/// What X-Ray says about one whole trace (`GetTraceSummaries`), built from its segments; filter expressions are
/// evaluated against it.
public struct TraceSummary: Sendable {
    public var id: String
    /// The earliest segment's start.
    public var startTime: Double
    /// From the earliest start to the latest end of any segment.
    public var duration: Double
    /// The root segment's duration: from the request's arrival to the response.
    public var responseTime: Double
    public var hasFault: Bool
    public var hasError: Bool
    public var hasThrottle: Bool
    /// Some segment is still in progress.
    public var isPartial: Bool
    /// The root segment's `http`.
    public var http: SegmentHTTP
    /// Every annotation of the trace with the services that recorded it.
    public var annotations: [String: [(value: AnnotationValue, service: TraceService)]]
    /// The services (segments' names and origins) the trace went through, in order of first appearance.
    public var services: [TraceService]
    public var users: [String]
    public var resourceARNs: [String]
    public var entryPoint: TraceService?
    /// The trace's segments, in order of start.
    public var segments: [SegmentDocument]
}

extension TraceSummary {
    /// The summary of trace `id` from its segments (independent subsegments included); nil without any.
    public init?(id: String, segments: [SegmentDocument]) {
        guard !segments.isEmpty else { return nil }
        let ordered = segments.sorted { $0.startTime < $1.startTime }
        let ids = Set(ordered.flatMap { [$0.id] + $0.subsegmentIds })
        let tops = ordered.filter { !$0.isSubsegment }
        let root = tops.first { $0.parentId == nil || !ids.contains($0.parentId!) } ?? tops.first ?? ordered[0]
        let start = ordered.map(\.startTime).min() ?? 0
        let end = ordered.map { $0.endTime ?? $0.startTime }.max() ?? start
        var services: [TraceService] = []
        var seen = Set<TraceService>()
        var annotations: [String: [(value: AnnotationValue, service: TraceService)]] = [:]
        var users: [String] = []
        var arns: [String] = []
        for segment in ordered {
            let service = TraceService(name: segment.name, type: segment.origin, accountId: segment.accountId)
            if !segment.isSubsegment, seen.insert(service).inserted { services.append(service) }
            for (key, value) in segment.annotations.sorted(by: { $0.key < $1.key }) {
                annotations[key, default: []].append((value, service))
            }
            if let user = segment.user, !users.contains(user) { users.append(user) }
            if let arn = segment.resourceARN, !arns.contains(arn) { arns.append(arn) }
        }
        self.init(id: id, startTime: start, duration: max(0, end - start),
                  responseTime: max(0, (root.endTime ?? root.startTime) - root.startTime),
                  hasFault: ordered.contains(where: \.anyFault), hasError: ordered.contains(where: \.anyError),
                  hasThrottle: ordered.contains(where: \.anyThrottle), isPartial: ordered.contains(where: \.inProgress),
                  http: root.http, annotations: annotations, services: services, users: users, resourceARNs: arns,
                  entryPoint: root.isSubsegment ? nil : TraceService(name: root.name, type: root.origin, accountId: root.accountId),
                  segments: ordered)
    }
}
