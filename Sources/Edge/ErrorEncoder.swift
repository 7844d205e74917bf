import AWSProtocol
import Foundation

/// Puts an `AWSError` on the wire in a service's error protocol.
enum ErrorEncoder {
    static func response(_ error: AWSError, protocol proto: ErrorProtocol) -> APIResponse {
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
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return APIResponse(status: error.status, headers: headers, body: Array(data))
    }
}
