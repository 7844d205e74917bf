import NIOCore
import NIOHTTP1

/// The headers of a runtime's response post, read only when someone asks (the buffered path never does).
public struct RuntimeResponseHeaders: Sendable {
    let headers: HTTPHeaders

    public init(contentType: String?) {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        self.headers = headers
    }

    init(_ headers: HTTPHeaders) {
        self.headers = headers
    }

    /// The `Content-Type` the runtime declared for its response.
    public var contentType: String? { headers.first(name: "Content-Type") }
}

/// What the environment wants after a chunk of a streamed response.
public enum RuntimeStreamAck: Sendable, Equatable {
    /// Keep reading the runtime's connection.
    case more
    /// Stop reading until the resumer given with the stream's start is called (the consumer is behind).
    case pause
    /// The invocation is over (too large, timed out): read and drop the rest of the body, then answer this.
    case discard(RuntimeAPIOutcome)
}

/// Restarts reading a paused streamed response. Callable from any thread, any number of times.
public struct RuntimeStreamResumer: Sendable {
    let resume: @Sendable () -> Void

    public init(_ resume: @escaping @Sendable () -> Void) {
        self.resume = resume
    }

    public func callAsFunction() { resume() }
}

/// The mode header of a streamed response post and the trailers that report an error in mid-stream.
public enum RuntimeStreamHeaders {
    public static let responseMode = "Lambda-Runtime-Function-Response-Mode"
    public static let errorType = "Lambda-Runtime-Function-Error-Type"
    /// Base64 of the error document.
    public static let errorBody = "Lambda-Runtime-Function-Error-Body"
}

/// Lambda's bandwidth rule for streamed responses: the first 6 MB go as fast as they come, the rest at most
/// 2 MB per second. Tells the connection how long to stop reading after a chunk.
public struct ResponseStreamPacing: Sendable {
    public static let uncappedBytes = 6 * 1024 * 1024
    public static let bytesPerSecond = 2 * 1024 * 1024

    public private(set) var totalBytes = 0
    /// When the response went past the uncapped part.
    private var cappedSince: NIODeadline?
    let uncapped: Int
    let rate: Int

    public init(uncappedBytes: Int = uncappedBytes, bytesPerSecond: Int = bytesPerSecond) {
        self.uncapped = uncappedBytes
        self.rate = bytesPerSecond
    }

    /// Counts `bytes` read at `now`; returns how long to wait before reading more, nil for not at all.
    public mutating func record(_ bytes: Int, at now: NIODeadline) -> TimeAmount? {
        totalBytes += bytes
        guard totalBytes > uncapped else { return nil }
        let since: NIODeadline
        if let cappedSince {
            since = cappedSince
        } else {
            since = now
            cappedSince = now
        }
        // Bytes past the uncapped part that the rate allows by now, against those read.
        let elapsedNs = max(0, (now - since).nanoseconds)
        let allowed = Double(elapsedNs) / 1e9 * Double(rate)
        let excess = Double(totalBytes - uncapped) - allowed
        guard excess > 0 else { return nil }
        return .nanoseconds(Int64(excess / Double(rate) * 1e9))
    }
}
