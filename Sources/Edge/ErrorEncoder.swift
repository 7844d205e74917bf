import AWSProtocol
import Auth
import Foundation
import Identity

/// Puts an error on the wire in a service's error protocol.
enum ErrorEncoder {
    /// The error as the service's protocol names it: authentication and authorization failures have other
    /// codes in the query protocol (and in JSON services that are query-compatible).
    static func awsError(_ error: any AWSErrorConvertible, protocol proto: ErrorProtocol) -> AWSError {
        switch (error, proto) {
        case (let denied as AccessDenied, .restJSON): denied.awsError
        case (let denied as AccessDenied, .json): denied.jsonError
        case (let denied as AccessDenied, .query): denied.queryError
        case (let auth as AuthError, .query): auth.queryError
        default: error.awsError
        }
    }

    static func response(_ error: AWSError, protocol proto: ErrorProtocol, requestId: String) -> APIResponse {
        if case .query(let namespace) = proto {
            return QueryResponse.error(error, namespace: namespace, requestId: requestId)
        }
        var body: [String: String] = error.fields
        var headers: [(name: String, value: String)] = error.headers.map { ($0.key, $0.value) }
        switch proto {
        case .restJSON:
            body["Type"] = error.faultType
            body[error.messageKey] = error.message
            headers.append(("x-amzn-ErrorType", error.code))
            headers.append(("content-type", "application/json"))
        case .json(let version):
            body["__type"] = error.code
            body["message"] = error.message
            headers.append(("content-type", "application/x-amz-json-\(version)"))
        case .query:
            break
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return APIResponse(status: error.status, headers: headers, body: Array(data))
    }
}
