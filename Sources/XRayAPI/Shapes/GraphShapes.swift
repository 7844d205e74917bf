import Traces

struct GetTraceGraphRequest: Codable {
    var TraceIds: [String]?
    var NextToken: String?
}

struct GetTraceGraphResult: Codable {
    var Services: [ServiceShape]
    var NextToken: String?
}

struct GetServiceGraphRequest: Codable {
    var StartTime: Double?
    var EndTime: Double?
    var GroupName: String?
    var GroupARN: String?
    var NextToken: String?
}

struct GetServiceGraphResult: Codable {
    var StartTime: Double
    var EndTime: Double
    var Services: [ServiceShape]
    var ContainsOldGroupVersions: Bool
    var NextToken: String?
}

struct ErrorStatistics: Codable {
    var ThrottleCount: Int
    var OtherCount: Int
    var TotalCount: Int
}

struct FaultStatistics: Codable {
    var OtherCount: Int
    var TotalCount: Int
}

/// `ServiceStatistics` and `EdgeStatistics` (same members).
struct StatisticsShape: Codable {
    var OkCount: Int
    var ErrorStatistics: ErrorStatistics
    var FaultStatistics: FaultStatistics
    var TotalCount: Int
    var TotalResponseTime: Double

    init(_ s: GraphStatistics) {
        OkCount = s.ok
        ErrorStatistics = XRayAPI.ErrorStatistics(ThrottleCount: s.throttles, OtherCount: s.errors - s.throttles, TotalCount: s.errors)
        FaultStatistics = XRayAPI.FaultStatistics(OtherCount: s.faults, TotalCount: s.faults)
        TotalCount = s.total
        TotalResponseTime = s.totalResponseTime
    }
}

struct EdgeShape: Codable {
    var ReferenceId: Int
    var StartTime: Double
    var EndTime: Double
    var SummaryStatistics: StatisticsShape
}

/// `Service`: a node of a graph.
struct ServiceShape: Codable {
    var ReferenceId: Int
    var Name: String
    var Names: [String]
    var Root: Bool
    var AccountId: String?
    var `Type`: String
    var State: String
    var StartTime: Double
    var EndTime: Double
    var Edges: [EdgeShape]
    var SummaryStatistics: StatisticsShape

    init(_ node: ServiceNode) {
        ReferenceId = node.referenceId
        Name = node.service.name
        Names = [node.service.name]
        Root = node.root
        AccountId = node.service.accountId
        self.Type = node.service.type ?? "client"
        State = "active"
        StartTime = node.startTime
        EndTime = node.endTime
        Edges = node.edges.map { EdgeShape(ReferenceId: $0.referenceId, StartTime: $0.startTime, EndTime: $0.endTime,
                                           SummaryStatistics: StatisticsShape($0.statistics)) }
        SummaryStatistics = StatisticsShape(node.statistics)
    }
}
