import Foundation

/// What both payload formats read from a request: headers, cookies and query parameters grouped as API Gateway
/// groups them, the body as text or base64, and the request time in its two formats.
struct RequestFacts: Sendable {
    /// Lower-cased names; repeated headers joined by commas; without `cookie` (see `cookies`).
    var headers: [String: String] = [:]
    /// Names as sent (first spelling), every value (payload 1.0).
    var multiValueHeaders: [String: [String]] = [:]
    /// The `Cookie` header's cookies, one per element.
    var cookies: [String] = []
    /// Decoded; repeated keys joined by commas (2.0).
    var query: [String: String] = [:]
    /// Decoded; every value (1.0).
    var multiValueQuery: [String: [String]] = [:]
    var body: String?
    var isBase64Encoded = false
    var userAgent: String
    var timeEpochMs: Int64
    /// `12/Mar/2020:19:03:58 +0000`.
    var time: String

    init(_ request: IngressRequest) {
        var lowered: [String: String] = [:]
        var multi: [String: [String]] = [:]
        var spelled: [String: String] = [:]
        for field in request.headers {
            let name = field.name.lowercased()
            if name == "cookie" {
                for cookie in field.value.split(separator: ";") {
                    let trimmed = cookie.trimmingCharacters(in: .whitespaces)
                    if !trimmed.isEmpty { cookies.append(trimmed) }
                }
            }
            let key = spelled[name] ?? field.name
            spelled[name] = key
            multi[key, default: []].append(field.value)
            if name == "cookie" { continue }
            lowered[name] = lowered[name].map { $0 + "," + field.value } ?? field.value
        }
        // What AWS's front end adds: the client's address appended to X-Forwarded-For, the scheme and port, a trace id.
        let forwarded = lowered["x-forwarded-for"].map { $0 + ", " + request.sourceIp } ?? request.sourceIp
        let added = [("X-Forwarded-For", forwarded), ("X-Forwarded-Proto", "http"), ("X-Forwarded-Port", String(request.localPort)),
                     ("X-Amzn-Trace-Id", lowered["x-amzn-trace-id"] ?? Self.traceId(request.received))]
        for (name, value) in added {
            lowered[name.lowercased()] = value
            let key = spelled[name.lowercased()] ?? name
            multi[key] = [value]
        }
        headers = lowered
        multiValueHeaders = multi
        for pair in request.rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            query[name] = query[name].map { $0 + "," + value } ?? value
            multiValueQuery[name, default: []].append(value)
        }
        if !request.body.isEmpty {
            if Self.isText(contentType: lowered["content-type"]), let text = String(validating: request.body, as: UTF8.self) {
                body = text
            } else {
                body = Data(request.body).base64EncodedString()
                isBase64Encoded = true
            }
        }
        userAgent = lowered["user-agent"] ?? ""
        let seconds = request.received.timeIntervalSince1970
        timeEpochMs = Int64((seconds * 1000).rounded(.down))
        time = Self.clfTime(Int(seconds))
    }

    /// `Root=1-<8 hex seconds>-<24 hex>`.
    static func traceId(_ time: Date) -> String {
        let seconds = String(UInt32(time.timeIntervalSince1970), radix: 16)
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16) + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "Root=1-\(seconds)-\(String(random.padding(toLength: 24, withPad: "0", startingAt: 0).prefix(24)))"
    }

    static func decode(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }

    /// Content types whose bodies are passed as text (others, and bodies that are not UTF-8, as base64).
    static func isText(contentType: String?) -> Bool {
        guard let contentType else { return true }
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if type.isEmpty || type.hasPrefix("text/") { return true }
        if type.hasSuffix("/json") || type.hasSuffix("+json") || type.hasSuffix("/xml") || type.hasSuffix("+xml") { return true }
        return ["application/javascript", "application/x-www-form-urlencoded", "application/x-javascript",
                "application/ecmascript", "application/graphql", "application/yaml", "application/x-yaml"].contains(type)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The common log format time API Gateway writes: `dd/MMM/yyyy:HH:mm:ss +0000`.
    static func clfTime(_ epochSeconds: Int) -> String {
        var t = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(parts.tm_year + 1900):\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}
