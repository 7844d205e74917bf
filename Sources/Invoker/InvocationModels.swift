import Catalog
import Foundation
import NIOCore

/// A synchronous invocation as the Lambda API hands it to the invoker.
public struct InvocationRequest: Sendable {
    public var function: FunctionDefinition
    /// The version that runs (`$LATEST` until versions exist).
    public var version: String
    /// The ARN the caller used (qualified when it named a qualifier).
    public var invokedFunctionArn: String
    public var payload: [UInt8]
    /// The decoded `X-Amz-Client-Context` JSON, if any.
    public var clientContext: String?
    public var requestId: String
    /// The caller's `X-Amzn-Trace-Id`, if any. The invoker keeps its `Root` and `Sampled` decision when it is a
    /// valid X-Ray header (with a fresh `Parent`); otherwise, or when nil, it starts a new trace.
    public var traceId: String?
    /// An asynchronous event's: when it was queued (seconds since 1970) and which attempt this is (for its trace).
    public var queuedAt: Double?
    public var attempt: Int?

    public init(function: FunctionDefinition, version: String, invokedFunctionArn: String, payload: [UInt8],
                clientContext: String?, requestId: String, traceId: String? = nil, queuedAt: Double? = nil, attempt: Int? = nil) {
        self.queuedAt = queuedAt
        self.attempt = attempt
        self.function = function
        self.version = version
        self.invokedFunctionArn = invokedFunctionArn
        self.payload = payload
        self.clientContext = clientContext
        self.requestId = requestId
        self.traceId = traceId
    }
}

/// What came back: the payload the caller receives and the facts for the response headers.
public struct InvocationResult: Sendable {
    public var payload: [UInt8]
    /// `Unhandled` when the function or the platform reported an error.
    public var functionError: String?
    public var executedVersion: String
    /// This invocation's log lines, START to REPORT.
    public var logLines: [String]

    /// Base64 of the last 4 KB of the invocation's log (`X-Amz-Log-Result`).
    public var logTail: String { Self.logTail(of: logLines) }

    /// Base64 of the last 4 KB of `lines`.
    static func logTail(of lines: [String]) -> String {
        var text = Array(lines.joined(separator: "\n").utf8)
        if !text.isEmpty { text.append(UInt8(ascii: "\n")) }
        return Data(text.suffix(4096)).base64EncodedString()
    }
}

/// How an invocation ended inside an environment.
enum EnvironmentOutcome: Sendable {
    /// The runtime posted a response.
    case response(ByteBuffer)
    /// The runtime posted an invocation error (or an init error, or a streamed response ended by error trailers); the
    /// body is the runtime's, the type the one it declared in a header or trailer.
    case functionError(ByteBuffer, type: String?)
    /// The platform ended it: timeout, crash, out of memory, oversized response.
    case platformError(type: String, message: String)

    var payload: [UInt8] {
        switch self {
        case .response(let buffer), .functionError(let buffer, _):
            return Array(buffer.readableBytesView)
        case .platformError(let type, let message):
            return PlatformErrorBody(errorMessage: message, errorType: type).encoded
        }
    }

    var isError: Bool {
        if case .response = self { return false }
        return true
    }
}

/// The body Lambda answers with when the platform, not the runtime, ends an invocation.
struct PlatformErrorBody: Encodable {
    var errorMessage: String
    var errorType: String

    var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }
}
