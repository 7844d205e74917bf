import AWSProtocol
import CloudWatchMetrics
import Foundation

/// The CloudWatch API (signing name `monitoring`) over a `MetricsDirectory`, in the three protocols its service model
/// lists: smithy RPC v2 CBOR (`POST /service/GraniteServiceVersion20100801/operation/<Op>`, botocore's default),
/// JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`) and query (`POST /`, `Action=<Op>&Version=2010-08-01`,
/// XML answers: older SDKs and tools). The operations are written once over `Codable` shapes; `Wire` says how a
/// request's body is read and an answer written.
public struct CloudWatchService: Sendable {
    public static let monitoringSigningName = "monitoring"
    public static let serviceName = "GraniteServiceVersion20100801"
    public static let targetPrefix = serviceName + "."
    /// The query protocol's XML namespace.
    public static let queryNamespace = "http://monitoring.amazonaws.com/doc/2010-08-01/"

    /// How one request's shapes travel.
    public enum Wire: Sendable {
        case cbor
        case json
        case query

        func decode<T: Decodable>(_ type: T.Type, from request: APIRequest) throws -> T {
            do {
                switch self {
                case .cbor: return try RPCv2CBOR.decode(T.self, from: request.body)
                case .json: return try CBORBridge.decoder.decode(T.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body))
                case .query: return try QueryDecoder().decode(T.self, from: QueryForm(body: request.body, query: request.query))
                }
            } catch let DecodingError.keyNotFound(key, _) {
                throw MetricsError.missingParameter("The parameter \(key.stringValue) is required.")
            } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                throw MetricsError.invalidParameterValue("The value for parameter \(path) is not of the expected type.")
            } catch let error as AWSError {
                throw error
            } catch {
                throw MetricsError.invalidParameterValue("The request body could not be read as \(T.self): \(String(describing: error).prefix(300))")
            }
        }

        /// The answer; in the query protocol only the result's members (`handle` wraps them in the response element).
        func encode(_ value: some Encodable) throws -> APIResponse {
            switch self {
            case .query:
                var xml = ""
                for node in try QueryXMLEncoder().encode(value) { xml += node.xml }
                return APIResponse(status: 200, headers: [("content-type", "text/xml")], body: Array(xml.utf8))
            case .cbor:
                if let direct = value as? any CBORRepresentable {
                    return APIResponse(status: 200, headers: [(RPCv2CBOR.protocolHeader, RPCv2CBOR.protocolName),
                                                              ("content-type", RPCv2CBOR.contentType)],
                                       body: CBORWriter.encode(direct.cbor))
                }
                return try RPCv2CBOR.response(value)
            case .json:
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .secondsSince1970
                encoder.outputFormatting = [.withoutEscapingSlashes]
                return APIResponse(status: 200, headers: [("content-type", "application/x-amz-json-1.0")], body: Array(try encoder.encode(value)))
            }
        }
    }

    public let directory: MetricsDirectory
    public let alarms: AlarmDirectory?
    public let wire: Wire

    public init(directory: MetricsDirectory, alarms: AlarmDirectory?, wire: Wire) {
        self.directory = directory
        self.alarms = alarms
        self.wire = wire
    }

    /// The operation a request names, in either protocol.
    public static func operation(_ request: APIRequest) -> String {
        if let op = RPCv2CBOR.operation(inPath: request.pathSegments, service: serviceName) { return op }
        if request.header("x-amz-target") == nil, request.pathSegments.isEmpty {
            return QueryForm(body: request.body, query: request.query).action ?? ""
        }
        let target = request.header("x-amz-target") ?? ""
        return target.hasPrefix(targetPrefix) ? String(target.dropFirst(targetPrefix.count)) : target
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        let response = try await dispatch(request)
        guard case .query = wire else { return response }
        // `<{Op}Response><{Op}Result>…</…></…>`, or no Result element for an operation without output members.
        let action = Self.operation(request)
        return QueryResponse.success(action: action, namespace: Self.queryNamespace,
                                     resultXML: response.body.isEmpty ? nil : String(decoding: response.body, as: UTF8.self),
                                     requestId: request.requestId)
    }

    func dispatch(_ request: APIRequest) async throws -> APIResponse {
        switch Self.operation(request) {
        case "PutMetricData": return try await putMetricData(request)
        case "GetMetricStatistics": return try await getMetricStatistics(request)
        case "GetMetricData": return try await getMetricData(request)
        case "ListMetrics": return try await listMetrics(request)
        case "PutMetricAlarm": return try await putMetricAlarm(request)
        case "PutCompositeAlarm": return try await putCompositeAlarm(request)
        case "DescribeAlarms": return try await describeAlarms(request)
        case "DescribeAlarmsForMetric": return try await describeAlarmsForMetric(request)
        case "DeleteAlarms": return try await deleteAlarms(request)
        case "EnableAlarmActions": return try await setAlarmActions(request, enabled: true)
        case "DisableAlarmActions": return try await setAlarmActions(request, enabled: false)
        case "SetAlarmState": return try await setAlarmState(request)
        case "DescribeAlarmHistory": return try await describeAlarmHistory(request)
        case "TagResource": return try await tagResource(request)
        case "UntagResource": return try await untagResource(request)
        case "ListTagsForResource": return try await listTagsForResource(request)
        case let other:
            throw AWSError(code: "InvalidAction", status: 400, message: "The action \(other) is not valid for this web service.")
        }
    }
}
