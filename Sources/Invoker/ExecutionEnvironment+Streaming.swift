import Foundation
import NIOCore
import RuntimeAPI

/// A streamed response in progress: what the runtime declared and how much it has sent.
struct StreamedResponse: Sendable {
    var contentType: String?
    var bytes = 0
    /// The body so far, for a buffered invocation (no sink): it gets the whole response at the end.
    var collected: ByteBuffer?
}

extension ExecutionEnvironment {
    /// Lambda's limit on a streamed response: 200 MB since July 2025 (it was a 20 MB soft limit before).
    static let maxStreamedResponseBytes = 200 * 1024 * 1024

    /// The runtime began a streamed response: a streaming invocation hears `.started` now and every chunk as it
    /// comes; a buffered one collects the body (up to its 6 MB limit).
    func responseStreamStarted(requestId: String, headers: RuntimeResponseHeaders, resume: RuntimeStreamResumer) -> RuntimeAPIOutcome {
        let contentType = headers.contentType
        let (result, sink) = state.withLock { s -> (RuntimeAPIOutcome, InvocationSink?) in
            guard var p = s.pending, p.invocation.requestId == requestId, p.deliveredAt != nil else {
                return (s.lastFinished == requestId ? .invalidStateTransition : .invalidRequestId, nil)
            }
            guard p.outcome == nil, p.stream == nil else { return (.invalidStateTransition, nil) }
            p.stream = StreamedResponse(contentType: contentType, collected: p.sink == nil ? ByteBuffer() : nil)
            s.pending = p
            return (.accepted, p.sink)
        }
        if let sink {
            sink.attach(resume: resume)
            sink.yield(.started(contentType: contentType, streaming: true))
        }
        return result
    }

    func responseStreamChunk(requestId: String, _ chunk: ByteBuffer) -> RuntimeStreamAck {
        enum Step { case forward(InvocationSink), collected, tooLarge(Int), over }
        let step = state.withLock { s -> Step in
            // Fields are read in place, never through a copy of `pending`: a copy would hold the collected body and
            // make every append copy it.
            guard s.pending?.invocation.requestId == requestId, s.pending?.outcome == nil, s.pending?.stream != nil else {
                return .over
            }
            let sink = s.pending!.sink
            let limit = sink == nil ? Self.maxResponseBytes : Self.maxStreamedResponseBytes
            s.pending!.stream!.bytes += chunk.readableBytes
            if s.pending!.stream!.bytes > limit {
                s.pending!.stream!.collected = nil
                s.pending!.outcome = .platformError(
                    type: "Function.ResponseSizeTooLarge",
                    message: "Response payload size exceeded maximum allowed payload size (\(limit) bytes).")
                s.pending!.timeoutTask?.cancel()
                return .tooLarge(limit)
            }
            guard let sink else {
                s.pending!.stream!.collected!.writeImmutableBuffer(chunk)
                return .collected
            }
            return .forward(sink)
        }
        switch step {
        case .forward(let sink): return sink.yield(.chunk(chunk)) ? .more : .pause
        case .collected: return .more
        case .tooLarge(let limit):
            finishWhenDrained()
            return .discard(.payloadTooLarge(limit: limit))
        case .over:
            // Timed out or ended by the platform meanwhile: nobody wants the rest.
            return .discard(.invalidStateTransition)
        }
    }

    func responseStreamEnded(requestId: String, errorType: String?, errorBody: String?) -> RuntimeAPIOutcome {
        let result = state.withLock { s -> RuntimeAPIOutcome in
            guard let p = s.pending, p.invocation.requestId == requestId, let stream = p.stream else {
                return s.lastFinished == requestId ? .invalidStateTransition : .invalidRequestId
            }
            guard p.outcome == nil else { return .invalidStateTransition }
            if errorType != nil || errorBody != nil {
                let document = errorBody.flatMap { Data(base64Encoded: $0) }.map { ByteBuffer(bytes: $0) }
                    ?? ByteBuffer(string: errorBody ?? "")
                s.pending!.outcome = .functionError(Self.errorBody(document, type: errorType), type: errorType)
            } else {
                s.pending!.outcome = .response(stream.collected ?? ByteBuffer())
            }
            s.pending!.stream!.collected = nil
            p.timeoutTask?.cancel()
            return .accepted
        }
        if result == .accepted { finishWhenDrained() }
        return result
    }
}
