import Foundation

/// How asynchronous invocations of one function version or alias are retried and where their results go.
public struct EventInvokeConfig: Codable, Sendable, Equatable {
    public var functionName: String
    /// `$LATEST`, a version number or an alias.
    public var qualifier: String
    public var maximumRetryAttempts: Int?
    public var maximumEventAgeInSeconds: Int?
    public var onSuccess: String?
    public var onFailure: String?
    public var lastModified: Date

    public init(functionName: String, qualifier: String, maximumRetryAttempts: Int?, maximumEventAgeInSeconds: Int?,
                onSuccess: String?, onFailure: String?, lastModified: Date) {
        self.functionName = functionName
        self.qualifier = qualifier
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
        self.onSuccess = onSuccess
        self.onFailure = onFailure
        self.lastModified = lastModified
    }

    public static let defaultRetryAttempts = 2
    public static let defaultEventAgeSeconds = 21_600
    public static let retryRange = 0...2
    public static let eventAgeRange = 60...21_600

    public var retries: Int { maximumRetryAttempts ?? Self.defaultRetryAttempts }
    public var eventAgeSeconds: Int { maximumEventAgeInSeconds ?? Self.defaultEventAgeSeconds }
}

/// One asynchronous invocation waiting in the durable queue.
public struct AsyncEvent: Codable, Sendable, Equatable {
    /// The request id the caller got with its 202 (and the function sees).
    public var id: String
    public var functionName: String
    /// As the caller named it (nil: unqualified).
    public var qualifier: String?
    public var payload: [UInt8]
    /// Epoch milliseconds when the event was accepted.
    public var enqueuedAt: Int64
    /// Attempts that ran the function (throttles do not count).
    public var attempts: Int
    /// When it may run next.
    public var dueAt: Int64
    /// The caller's `X-Amzn-Trace-Id`, continued when the event runs.
    public var traceId: String?

    public init(id: String, functionName: String, qualifier: String?, payload: [UInt8], enqueuedAt: Int64, attempts: Int = 0, dueAt: Int64,
                traceId: String? = nil) {
        self.traceId = traceId
        self.id = id
        self.functionName = functionName
        self.qualifier = qualifier
        self.payload = payload
        self.enqueuedAt = enqueuedAt
        self.attempts = attempts
        self.dueAt = dueAt
    }

    /// The payload is stored beside the event, as bytes, not inside its JSON.
    public enum CodingKeys: String, CodingKey {
        case id, functionName, qualifier, enqueuedAt, attempts, dueAt, traceId
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        functionName = try c.decode(String.self, forKey: .functionName)
        qualifier = try c.decodeIfPresent(String.self, forKey: .qualifier)
        enqueuedAt = try c.decode(Int64.self, forKey: .enqueuedAt)
        attempts = try c.decode(Int.self, forKey: .attempts)
        dueAt = try c.decode(Int64.self, forKey: .dueAt)
        traceId = try c.decodeIfPresent(String.self, forKey: .traceId)
        payload = []
    }
}
