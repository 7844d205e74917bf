import AWSProtocol
import Auth
import Foundation
import Identity
import SNSAPI

/// Puts an error on the wire in a service's error protocol.
enum ErrorEncoder {
    /// The error as the service's protocol names it: authentication and authorization failures have other
    /// codes in the query protocol (and in JSON services that are query-compatible).
    static func awsError(_ error: any AWSErrorConvertible, protocol proto: ErrorProtocol) -> AWSError {
        switch (error, proto) {
        case (let denied as AccessDenied, .restJSON): denied.awsError
        // JSON 1.0 services here (SQS, CloudWatch) are query-compatible; JSON 1.1 ones (EventBridge, Logs) are not.
        case (let denied as AccessDenied, .json(let version)): version == "1.0" ? denied.jsonError : denied.awsError
        case (let denied as AccessDenied, .rpcV2CBOR): denied.queryError
        // SNS calls a refusal `AuthorizationError` (403); IAM and STS `AccessDenied`.
        case (let denied as AccessDenied, .query(let namespace)) where namespace == SNSService.namespace:
            AWSError(code: "AuthorizationError", status: 403, message: denied.queryError.message)
        case (let denied as AccessDenied, .query): denied.queryError
        case (let auth as AuthError, .query): auth.queryError
        default: error.awsError
        }
    }

    static func response(_ error: AWSError, protocol proto: ErrorProtocol, requestId: String) -> APIResponse {
        if case .query(let namespace) = proto {
            return QueryResponse.error(error, namespace: namespace, requestId: requestId)
        }
        if case .rpcV2CBOR(let queryCompatible) = proto {
            var headers: [(name: String, value: String)] = error.headers.map { ($0.key, $0.value) }
            headers.append((RPCv2CBOR.protocolHeader, RPCv2CBOR.protocolName))
            headers.append(("content-type", RPCv2CBOR.contentType))
            if queryCompatible, !headers.contains(where: { $0.name.lowercased() == "x-amzn-query-error" }) { headers.append(("x-amzn-query-error", "\(error.code);\(error.status >= 500 ? "Receiver" : "Sender")")) }
            var pairs: [(key: CBORValue, value: CBORValue)] = [(.text("__type"), .text(error.code)), (.text("message"), .text(error.message))]
            for (key, value) in error.fields.sorted(by: { $0.key < $1.key }) { pairs.append((.text(key), .text(value))) }
            return APIResponse(status: error.status, headers: headers, body: CBORWriter.encode(.map(pairs)))
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
        case .query, .rpcV2CBOR:
            break
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return APIResponse(status: error.status, headers: headers, body: Array(data))
    }
}
