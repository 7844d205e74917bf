import AWSProtocol
import Foundation

/// A function's result turned into an HTTP response, by the rules of its payload format version.
enum ProxyResponse {
    /// Payload 2.0 (function URLs, HTTP APIs): an object with `statusCode` is a response (`headers`, `cookies` →
    /// `Set-Cookie`, `body`, `isBase64Encoded`); any other JSON is a 200 `application/json` body as returned.
    /// nil when the result cannot be mapped (not JSON, or a malformed response object).
    static func v2(_ payload: [UInt8]) -> (status: Int, headers: [(name: String, value: String)], body: [UInt8])? {
        guard let value = JSONValue(parsing: payload) else { return nil }
        guard case .object(let object) = value, let code = object["statusCode"] else {
            return (200, [("Content-Type", "application/json")], payload)
        }
        guard let status = statusCode(code) else { return nil }
        var headers: [(name: String, value: String)] = []
        if let fields = object["headers"] {
            guard case .object(let map) = fields else { if fields != .null { return nil }; return finish() }
            for (name, value) in map.sorted(by: { $0.key < $1.key }) {
                guard let text = scalarText(value) else { return nil }
                headers.append((name, text))
            }
        }
        return finish()

        func finish() -> (status: Int, headers: [(name: String, value: String)], body: [UInt8])? {
            if case .array(let cookies)? = object["cookies"] {
                for cookie in cookies {
                    guard let text = scalarText(cookie) else { return nil }
                    headers.append(("Set-Cookie", text))
                }
            }
            guard let body = bodyBytes(object) else { return nil }
            if !headers.contains(where: { $0.name.caseInsensitiveCompare("content-type") == .orderedSame }) {
                headers.append(("Content-Type", "application/json"))
            }
            return (status, headers, body)
        }
    }

    /// Payload 1.0 (HTTP APIs): the result must be an object with `statusCode`; `headers` and `multiValueHeaders`
    /// (both kept), `body`, `isBase64Encoded`.
    static func v1(_ payload: [UInt8]) -> (status: Int, headers: [(name: String, value: String)], body: [UInt8])? {
        guard case .object(let object)? = JSONValue(parsing: payload), let code = object["statusCode"],
              let status = statusCode(code) else { return nil }
        var headers: [(name: String, value: String)] = []
        var named = Set<String>()
        if case .object(let multi)? = object["multiValueHeaders"] {
            for (name, values) in multi.sorted(by: { $0.key < $1.key }) {
                guard case .array(let list) = values else { return nil }
                for value in list {
                    guard let text = scalarText(value) else { return nil }
                    headers.append((name, text))
                }
                named.insert(name.lowercased())
            }
        }
        if case .object(let map)? = object["headers"] {
            for (name, value) in map.sorted(by: { $0.key < $1.key }) where !named.contains(name.lowercased()) {
                guard let text = scalarText(value) else { return nil }
                headers.append((name, text))
            }
        }
        guard let body = bodyBytes(object) else { return nil }
        return (status, headers, body)
    }

    private static func statusCode(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value, number == number.rounded(), number >= 100, number <= 599 else { return nil }
        return Int(number)
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// `body` as bytes (base64-decoded when `isBase64Encoded`); none is empty.
    private static func bodyBytes(_ object: [String: JSONValue]) -> [UInt8]? {
        let encoded: Bool
        switch object["isBase64Encoded"] {
        case .bool(let flag)?: encoded = flag
        case nil, .null?: encoded = false
        default: return nil
        }
        switch object["body"] {
        case nil, .null?:
            return []
        case .string(let text)?:
            if encoded {
                guard let data = Data(base64Encoded: text) else { return nil }
                return Array(data)
            }
            return Array(text.utf8)
        case let other?:
            // A non-string body is sent as its JSON text.
            guard let data = try? JSONEncoder().encode(other) else { return nil }
            return Array(data)
        }
    }
}
