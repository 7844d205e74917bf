/// The services some traces went through and the calls between them (`GetTraceGraph`, `GetServiceGraph`): a node per
/// segment name and origin, an edge from the service whose (sub)segment is a segment's parent to that segment's.
public struct ServiceGraph: Sendable {
    public var nodes: [ServiceNode]

    /// The graph of `traces`, each given by its segments.
    public init(traces: [[SegmentDocument]]) {
        var nodes: [ServiceNode] = []
        var index: [TraceService: Int] = [:]
        func node(_ segment: SegmentDocument) -> Int {
            let service = TraceService(name: segment.name, type: segment.origin, accountId: segment.accountId)
            if let i = index[service] { return i }
            nodes.append(ServiceNode(referenceId: nodes.count, service: service, root: false, startTime: segment.startTime,
                                     endTime: segment.endTime ?? segment.startTime, edges: [], statistics: GraphStatistics()))
            index[service] = nodes.count - 1
            return nodes.count - 1
        }
        for segments in traces {
            let tops = segments.filter { !$0.isSubsegment }
            var owner: [String: Int] = [:]
            for segment in tops {
                let n = node(segment)
                owner[segment.id] = n
                for id in segment.subsegmentIds { owner[id] = n }
            }
            for segment in tops {
                let n = node(segment)
                let end = segment.endTime ?? segment.startTime
                nodes[n].startTime = min(nodes[n].startTime, segment.startTime)
                nodes[n].endTime = max(nodes[n].endTime, end)
                nodes[n].statistics.add(segment)
                guard let parent = segment.parentId, let from = owner[parent], from != n else {
                    if segment.parentId == nil || owner[segment.parentId!] == nil { nodes[n].root = true }
                    continue
                }
                if let e = nodes[from].edges.firstIndex(where: { $0.referenceId == n }) {
                    nodes[from].edges[e].startTime = min(nodes[from].edges[e].startTime, segment.startTime)
                    nodes[from].edges[e].endTime = max(nodes[from].edges[e].endTime, end)
                    nodes[from].edges[e].statistics.add(segment)
                } else {
                    var edge = ServiceEdge(referenceId: n, startTime: segment.startTime, endTime: end, statistics: GraphStatistics())
                    edge.statistics.add(segment)
                    nodes[from].edges.append(edge)
                }
            }
        }
        self.nodes = nodes
    }
}

/// A service of the graph.
public struct ServiceNode: Sendable {
    public var referenceId: Int
    public var service: TraceService
    /// Requests entered the traces here.
    public var root: Bool
    public var startTime: Double
    public var endTime: Double
    public var edges: [ServiceEdge]
    public var statistics: GraphStatistics
}

/// Calls from one service to another.
public struct ServiceEdge: Sendable {
    /// The called service's `referenceId`.
    public var referenceId: Int
    public var startTime: Double
    public var endTime: Double
    public var statistics: GraphStatistics
}

/// Counts of a node's or edge's segments by outcome, and their total response time.
public struct GraphStatistics: Sendable, Equatable {
    public var ok = 0
    public var errors = 0
    public var throttles = 0
    public var faults = 0
    public var total = 0
    public var totalResponseTime = 0.0

    mutating func add(_ segment: SegmentDocument) {
        total += 1
        totalResponseTime += max(0, (segment.endTime ?? segment.startTime) - segment.startTime)
        if segment.anyFault { faults += 1 }
        else if segment.anyThrottle { throttles += 1; errors += 1 }
        else if segment.anyError { errors += 1 }
        else { ok += 1 }
    }
}
