import AWSProtocol
import Foundation
import Traces

/// The X-Ray REST-JSON API (signing name `xray`) over a `TraceDirectory`: each operation is `POST /<Path>` with a
/// JSON body; this decodes the request shapes, calls the directory and encodes AWS's response shapes.
public struct XRayService: Sendable {
    public static let xraySigningName = "xray"

    /// The operations served, by the path botocore posts to.
    public static let operations: [String: String] = [
        "TraceSegments": "PutTraceSegments",
        "Traces": "BatchGetTraces",
        "TraceSummaries": "GetTraceSummaries",
        "TraceGraph": "GetTraceGraph",
        "ServiceGraph": "GetServiceGraph",
    ]

    let directory: TraceDirectory

    public init(directory: TraceDirectory) {
        self.directory = directory
    }

    /// Whether `segments` is the path of one of X-Ray's operations.
    public static func claims(_ segments: [String]) -> Bool {
        segments.count == 1 && operations[segments[0]] != nil
    }

    /// The operation a request asks for, when it is one of ours.
    public static func operation(_ request: APIRequest) -> String? {
        guard request.method == "POST", request.pathSegments.count == 1 else { return nil }
        return operations[request.pathSegments[0]]
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        guard let operation = Self.operation(request) else {
            throw AWSError.unknownOperation("\(request.method) \(request.rawPath)")
        }
        switch operation {
        case "PutTraceSegments": return try await putTraceSegments(request)
        case "BatchGetTraces": return try await batchGetTraces(request)
        case "GetTraceSummaries": return try await getTraceSummaries(request)
        case "GetTraceGraph": return try await getTraceGraph(request)
        default: return try await getServiceGraph(request)
        }
    }

    /// `xray:<Operation>` on `*`: X-Ray's trace operations act on no particular resource.
    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        guard let operation = Self.operation(request) else { return [] }
        return [RequiredPermission(action: "xray:" + operation, resource: "*")]
    }

    func decode<T: Decodable>(_ type: T.Type, from request: APIRequest) throws -> T {
        let body = request.body.isEmpty ? Array("{}".utf8) : request.body
        do {
            return try AWSJSON.decoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw TracesError.invalidRequest("Invalid request body: \(Self.describe(error))")
        } catch {
            throw TracesError.invalidRequest("Invalid request body: not JSON")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }

    /// A `1 validation error detected` message about member `name`.
    static func validation(_ value: String, at name: String, _ constraint: String) -> TracesError {
        .invalidRequest("1 validation error detected: Value \(value) at '\(name)' failed to satisfy constraint: \(constraint)")
    }
}
