import Foundation
import NIOCore
import RuntimeAPI
import Synchronization

/// One step of a streaming invocation's response, in order.
public enum InvocationStreamEvent: Sendable {
    /// The runtime began its response: the Content-Type it declared (nil if none) and whether it streams.
    case started(contentType: String?, streaming: Bool)
    case chunk(ByteBuffer)
    /// Always the last event.
    case finished(InvocationStreamEnd)
}

/// How a streaming invocation ended, with the facts for the caller's headers and trailers.
public struct InvocationStreamEnd: Sendable {
    /// `Unhandled` when the function or the platform reported an error.
    public var functionError: String?
    /// The error's type: the runtime's (header, trailer or error document) or the platform's (`Sandbox.Timedout`).
    public var errorType: String?
    /// The error document (JSON `{"errorMessage","errorType",…}`) when there is one.
    public var errorBody: [UInt8]?
    public var executedVersion: String
    /// This invocation's log lines, START to REPORT.
    public var logLines: [String]

    public init(functionError: String?, errorType: String?, errorBody: [UInt8]?, executedVersion: String, logLines: [String]) {
        self.functionError = functionError
        self.errorType = errorType
        self.errorBody = errorBody
        self.executedVersion = executedVersion
        self.logLines = logLines
    }

    /// Base64 of the last 4 KB of the invocation's log, as `X-Amz-Log-Result` and `LogResult` carry it.
    public var logTail: String { InvocationResult.logTail(of: logLines) }

    /// The `errorMessage` of the error document, when it has one.
    public var errorMessage: String? {
        errorBody.flatMap { Self.errorDocument($0)?["errorMessage"] as? String }
    }

    /// The end of an invocation whose whole outcome is known (a buffered answer or an error before any byte).
    init(_ outcome: EnvironmentOutcome, version: String, lines: [String]) {
        let payload = outcome.isError ? outcome.payload : nil
        var type: String?
        switch outcome {
        case .response: type = nil
        case .functionError(_, let declared): type = declared ?? payload.flatMap { Self.errorDocument($0)?["errorType"] as? String } ?? "Unhandled"
        case .platformError(let platformType, _): type = platformType
        }
        self.init(functionError: outcome.isError ? "Unhandled" : nil, errorType: type, errorBody: payload,
                  executedVersion: version, logLines: lines)
    }

    private static func errorDocument(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}

/// The response of `Invoker.invokeStreaming` as the runtime produces it. The runtime is read only as fast as this is
/// iterated; abandoning it (dropping the iterator, cancelling) lets the invocation run to its end, its bytes dropped.
public struct InvocationStream: AsyncSequence, Sendable {
    public typealias Element = InvocationStreamEvent
    typealias Producer = NIOAsyncSequenceProducer<
        InvocationStreamEvent, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, InvocationSink>

    let producer: Producer

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        public mutating func next() async -> InvocationStreamEvent? {
            await base.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: producer.makeAsyncIterator())
    }

    /// A stream and the sink that feeds it.
    static func make() -> (InvocationStream, InvocationSink) {
        let sink = InvocationSink()
        // A few chunks in hand: enough to keep the consumer busy, little enough that a slow one holds little memory.
        let made = Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8), finishOnDeinit: false, delegate: sink)
        sink.attach(made.source)
        return (InvocationStream(producer: made.sequence), sink)
    }
}

/// Feeds an `InvocationStream` from the environment's event loop and tells the runtime's connection when to read
/// again: when the consumer caught up, or left (its events are then dropped).
final class InvocationSink: NIOAsyncSequenceProducerDelegate, Sendable {
    private struct State {
        var source: InvocationStream.Producer.Source?
        var resume: RuntimeStreamResumer?
        var abandoned = false
    }
    private let state = Mutex(State())

    fileprivate func attach(_ source: InvocationStream.Producer.Source) {
        state.withLock { $0.source = source }
    }

    /// The runtime's connection to wake when the consumer wants more.
    func attach(resume: RuntimeStreamResumer) {
        state.withLock { $0.resume = resume }
    }

    /// Hands on `event`; false when the consumer is behind (stop reading until `produceMore`).
    @discardableResult
    func yield(_ event: InvocationStreamEvent) -> Bool {
        guard let source = state.withLock({ $0.abandoned ? nil : $0.source }) else { return true }
        switch source.yield(event) {
        case .produceMore, .dropped: return true
        case .stopProducing: return false
        }
    }

    func finish() {
        let source = state.withLock { s -> InvocationStream.Producer.Source? in
            defer { s.source = nil }
            return s.source
        }
        source?.finish()
    }

    var isAbandoned: Bool { state.withLock { $0.abandoned } }

    func produceMore() {
        state.withLock { $0.resume }?()
    }

    func didTerminate() {
        let resume = state.withLock { s -> RuntimeStreamResumer? in
            s.abandoned = true
            return s.resume
        }
        resume?()
    }
}
