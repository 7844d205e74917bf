import AWSProtocol
import Foundation

/// The record Lambda sends to a destination about one asynchronous invocation.
public struct InvocationRecord: Codable, Sendable, Equatable {
    public struct RequestContext: Codable, Sendable, Equatable {
        public var requestId: String
        public var functionArn: String
        /// `Success`, `RetriesExhausted` or `EventAgeExceeded`.
        public var condition: String
        public var approximateInvokeCount: Int
    }

    public struct ResponseContext: Codable, Sendable, Equatable {
        public var statusCode: Int
        public var executedVersion: String
        public var functionError: String?
    }

    public var version = "1.0"
    public var timestamp: String
    public var requestContext: RequestContext
    public var requestPayload: JSONValue
    public var responseContext: ResponseContext?
    public var responsePayload: JSONValue?

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// `2026-11-24T10:00:00.000Z`.
    public static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = Date(timeIntervalSince1970: Double(ms / 1000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: seconds)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(ms % 1000))
    }
}
