import Foundation
import JSONText

/// A function's result turned into an HTTP response, by the rules of its payload format version. The result is read
/// with `JSONText`, so headers keep the order the function wrote them in.
enum ProxyResponse {
    typealias Mapped = (status: Int, headers: [(name: String, value: String)], body: [UInt8])

    /// Payload 2.0 (function URLs, HTTP APIs): an object with `statusCode` is a response (`headers`, `cookies` →
    /// `Set-Cookie`, `body`, `isBase64Encoded`); any other JSON is a 200 `application/json` body as returned.
    /// nil when the result cannot be mapped (not JSON, or a malformed response object).
    static func v2(_ payload: [UInt8]) -> Mapped? {
        guard let value = JSONText(parsing: payload) else { return nil }
        guard case .object(let fields) = value, let code = field("statusCode", fields) else {
            return (200, [("Content-Type", "application/json")], payload)
        }
        guard let status = statusCode(code) else { return nil }
        var headers: [(name: String, value: String)] = []
        switch field("headers", fields) {
        case .object(let map)?:
            for (name, value) in map {
                guard let text = scalarText(value) else { return nil }
                headers.append((name, text))
            }
        case nil, .null?: break
        default: return nil
        }
        switch field("cookies", fields) {
        case .array(let cookies)?:
            for cookie in cookies {
                guard let text = scalarText(cookie) else { return nil }
                headers.append(("Set-Cookie", text))
            }
        case nil, .null?: break
        default: return nil
        }
        guard let body = bodyBytes(fields) else { return nil }
        if !headers.contains(where: { $0.name.caseInsensitiveCompare("content-type") == .orderedSame }) {
            headers.append(("Content-Type", "application/json"))
        }
        return (status, headers, body)
    }

    /// Payload 1.0 (HTTP APIs): the result must be an object with `statusCode`; `headers` and `multiValueHeaders`
    /// (a name in both takes the multi-value list), `body`, `isBase64Encoded`.
    static func v1(_ payload: [UInt8]) -> Mapped? {
        guard case .object(let fields)? = JSONText(parsing: payload), let code = field("statusCode", fields),
              let status = statusCode(code) else { return nil }
        var headers: [(name: String, value: String)] = []
        var named = Set<String>()
        if case .object(let multi)? = field("multiValueHeaders", fields) {
            for (name, values) in multi {
                guard case .array(let list) = values else { return nil }
                for value in list {
                    guard let text = scalarText(value) else { return nil }
                    headers.append((name, text))
                }
                named.insert(name.lowercased())
            }
        }
        if case .object(let map)? = field("headers", fields) {
            for (name, value) in map where !named.contains(name.lowercased()) {
                guard let text = scalarText(value) else { return nil }
                headers.append((name, text))
            }
        }
        guard let body = bodyBytes(fields) else { return nil }
        return (status, headers, body)
    }

    /// The last value of `name` (a repeated field counts as its last, as JSON parsers read it).
    static func field(_ name: String, _ fields: [(key: String, value: JSONText)]) -> JSONText? {
        fields.last { $0.key == name }?.value
    }

    private static func statusCode(_ value: JSONText) -> Int? {
        guard case .number(let text) = value else { return nil }
        let code = Int(text) ?? Double(text).flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
        // A final response: an informational status cannot end an exchange.
        guard let code, (200...599).contains(code) else { return nil }
        return code
    }

    private static func scalarText(_ value: JSONText) -> String? {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// `body` as bytes (base64-decoded when `isBase64Encoded`); none is empty.
    private static func bodyBytes(_ fields: [(key: String, value: JSONText)]) -> [UInt8]? {
        let encoded: Bool
        switch field("isBase64Encoded", fields) {
        case .bool(let flag)?: encoded = flag
        case nil, .null?: encoded = false
        default: return nil
        }
        switch field("body", fields) {
        case nil, .null?:
            return []
        case .string(let text)?:
            if encoded {
                guard let data = Data(base64Encoded: text) else { return nil }
                return Array(data)
            }
            return Array(text.utf8)
        default:
            return nil
        }
    }
}
