import Traces

/// `GetTraceSummaries` input (timestamps as epoch seconds, as botocore sends them for rest-json).
struct GetTraceSummariesRequest: Codable {
    var StartTime: Double?
    var EndTime: Double?
    var TimeRangeType: String?
    var Sampling: Bool?
    var SamplingStrategy: SamplingStrategy?
    var FilterExpression: String?
    var NextToken: String?
}

struct SamplingStrategy: Codable {
    var Name: String?
    var Value: Double?
}

struct GetTraceSummariesResult: Codable {
    var TraceSummaries: [TraceSummaryShape]
    var ApproximateTime: Double
    var TracesProcessedCount: Int
    var NextToken: String?
}

/// A service as X-Ray names it in summaries and graphs.
struct ServiceId: Codable, Hashable {
    var Name: String?
    var Names: [String]?
    var AccountId: String?
    var `Type`: String?

    init(_ service: TraceService) {
        Name = service.name
        Names = [service.name]
        AccountId = service.accountId
        self.Type = service.type
    }
}

struct Http: Codable {
    var HttpURL: String?
    var HttpStatus: Int?
    var HttpMethod: String?
    var UserAgent: String?
    var ClientIp: String?
}

struct AnnotationValueShape: Codable {
    var NumberValue: Double?
    var BooleanValue: Bool?
    var StringValue: String?

    init(_ value: AnnotationValue) {
        switch value {
        case .number(let n): NumberValue = n
        case .bool(let b): BooleanValue = b
        case .string(let s): StringValue = s
        }
    }
}

struct ValueWithServiceIds: Codable {
    var AnnotationValue: AnnotationValueShape
    var ServiceIds: [ServiceId]
}

struct TraceUser: Codable {
    var UserName: String
    var ServiceIds: [ServiceId]
}

struct ResourceARNDetail: Codable {
    var ARN: String
}

/// `TraceSummary`.
struct TraceSummaryShape: Codable {
    var Id: String
    var StartTime: Double
    var Duration: Double
    var ResponseTime: Double
    var HasFault: Bool
    var HasError: Bool
    var HasThrottle: Bool
    var IsPartial: Bool
    var Http: Http
    var Annotations: [String: [ValueWithServiceIds]]
    var Users: [TraceUser]
    var ServiceIds: [ServiceId]
    var ResourceARNs: [ResourceARNDetail]
    var EntryPoint: ServiceId?
    var Revision: Int
    var MatchedEventTime: Double?

    init(_ summary: TraceSummary) {
        Id = summary.id
        StartTime = summary.startTime
        Duration = summary.duration
        ResponseTime = summary.responseTime
        HasFault = summary.hasFault
        HasError = summary.hasError
        HasThrottle = summary.hasThrottle
        IsPartial = summary.isPartial
        Http = XRayAPI.Http(HttpURL: summary.http.url, HttpStatus: summary.http.status, HttpMethod: summary.http.method,
                            UserAgent: summary.http.userAgent, ClientIp: summary.http.clientIp)
        var annotations: [String: [ValueWithServiceIds]] = [:]
        for (key, values) in summary.annotations {
            var grouped: [(AnnotationValue, [ServiceId])] = []
            for (value, service) in values {
                if let index = grouped.firstIndex(where: { $0.0 == value }) {
                    if !grouped[index].1.contains(ServiceId(service)) { grouped[index].1.append(ServiceId(service)) }
                } else {
                    grouped.append((value, [ServiceId(service)]))
                }
            }
            annotations[key] = grouped.map { ValueWithServiceIds(AnnotationValue: AnnotationValueShape($0.0), ServiceIds: $0.1) }
        }
        Annotations = annotations
        let services = summary.services.map(ServiceId.init)
        Users = summary.users.map { TraceUser(UserName: $0, ServiceIds: services) }
        ServiceIds = services
        ResourceARNs = summary.resourceARNs.map(ResourceARNDetail.init)
        EntryPoint = summary.entryPoint.map(ServiceId.init)
        Revision = 1
        MatchedEventTime = nil
    }
}
