import Foundation
import NIOCore
import RuntimeAPI
import Synchronization
import Testing

/// The Runtime API's streamed responses over a real socket: chunks reach the handler as they are read, reading stops
/// while the handler says `.pause` (the runtime's writes then block once the kernel's buffers are full), trailers
/// report a mid-stream error, and the runtime gets its 202 at the end.
@Suite struct RuntimeAPIStreamingTests {
    /// Records what the Runtime API hands over; the first chunk answers `.pause`.
    final class StreamRecorder: RuntimeAPIHandler {
        struct State {
            var contentType: String?
            var resume: RuntimeStreamResumer?
            var chunks = 0
            var bytes = 0
            var errorType: String?
            var errorBody: String?
            var buffered: (body: String, contentType: String?)?
        }
        let state = Mutex(State())
        let events: AsyncStream<String>
        let signal: AsyncStream<String>.Continuation

        init() {
            (events, signal) = AsyncStream.makeStream(of: String.self)
        }

        func nextInvocation(_ deliver: @escaping @Sendable (RuntimeInvocation) -> Void) {}
        func deliveryFailed(requestId: String) {}
        func invocationResponse(requestId: String, body: ByteBuffer, headers: RuntimeResponseHeaders) -> RuntimeAPIOutcome {
            state.withLock { $0.buffered = (String(buffer: body), headers.contentType) }
            signal.yield("buffered")
            return .accepted
        }
        func invocationResponseTooLarge(requestId: String, limit: Int) -> RuntimeAPIOutcome { .payloadTooLarge(limit: limit) }
        func invocationError(requestId: String, errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome { .accepted }
        func initError(errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome { .accepted }

        func responseStreamStarted(requestId: String, headers: RuntimeResponseHeaders, resume: RuntimeStreamResumer) -> RuntimeAPIOutcome {
            guard requestId == "req-1" else { return .invalidRequestId }
            state.withLock {
                $0.contentType = headers.contentType
                $0.resume = resume
            }
            return .accepted
        }

        func responseStreamChunk(requestId: String, _ chunk: ByteBuffer) -> RuntimeStreamAck {
            let first = state.withLock { s -> Bool in
                s.chunks += 1
                s.bytes += chunk.readableBytes
                return s.chunks == 1
            }
            if first { signal.yield("first chunk") }
            return first ? .pause : .more
        }

        func responseStreamEnded(requestId: String, errorType: String?, errorBody: String?) -> RuntimeAPIOutcome {
            state.withLock {
                $0.errorType = errorType
                $0.errorBody = errorBody
            }
            signal.yield("ended")
            return .accepted
        }
    }

    /// A loopback listener for the Runtime API and a connected runtime-side socket.
    static func connectedPair(_ handler: StreamRecorder) async throws -> (RuntimeAPIServer, Int32) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(listener, raw, length) == 0, listen(listener, 8) == 0, getsockname(listener, raw, &length) == 0 else {
                    throw POSIXError(.EADDRNOTAVAIL)
                }
            }
        }
        let server = try await RuntimeAPIServer.start(listeningSocket: listener, handler: handler)
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard connect(client, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 else { throw POSIXError(.ECONNREFUSED) }
            }
        }
        return (server, client)
    }

    static func sendAll(_ fd: Int32, _ text: String) {
        sendAll(fd, Array(text.utf8))
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            precondition(n > 0, "send failed: \(errno)")
            sent += n
        }
    }

    static func receiveHead(_ fd: Int32) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func streamedResponseIsForwardedWithBackpressureAndTrailers() async throws {
        let handler = StreamRecorder()
        let (server, fd) = try await Self.connectedPair(handler)
        defer {
            close(fd)
            server.close()
        }
        var events = handler.events.makeAsyncIterator()
        Self.sendAll(fd, "POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: text/event-stream\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        #expect(await events.next() == "first chunk")
        #expect(handler.state.withLock { $0.contentType } == "text/event-stream")

        // The handler paused: the server stops reading, so a non-blocking writer soon finds the socket full.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let block = Array("10000\r\n".utf8) + [UInt8](repeating: 0x61, count: 65536) + Array("\r\n".utf8)
        var written = 0, blocked = false
        var rest: [UInt8] = []
        while written < 512 * 1024 * 1024 {
            let n = block.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                blocked = true
                break
            }
            try #require(n > 0, "write failed: errno \(errno)")
            written += 65536
            if n < block.count {
                // The socket filled up within this chunk: the rest goes once reading resumes.
                rest = Array(block[n...])
                blocked = true
                break
            }
        }
        #expect(blocked, "the runtime could write \(written) bytes while the consumer was behind")
        let readWhilePaused = handler.state.withLock { $0.bytes }
        #expect(readWhilePaused < written)

        // The consumer catches up: everything is read, then the trailers end the stream with an error.
        _ = fcntl(fd, F_SETFL, flags)
        handler.state.withLock { $0.resume }?()
        Self.sendAll(fd, rest)
        let document = Data(#"{"errorMessage":"late","errorType":"Late"}"#.utf8).base64EncodedString()
        Self.sendAll(fd, "0\r\nLambda-Runtime-Function-Error-Type: Late\r\nLambda-Runtime-Function-Error-Body: \(document)\r\n\r\n")
        #expect(await events.next() == "ended")
        let state = handler.state.withLock { $0 }
        #expect(state.bytes == 5 + written)
        #expect(state.errorType == "Late" && state.errorBody == document)
        #expect(Self.receiveHead(fd).hasPrefix("HTTP/1.1 202"))

        // The same connection then carries a buffered response, with its content type.
        Self.sendAll(fd, "POST /2018-06-01/runtime/invocation/req-2/response HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
        #expect(await events.next() == "buffered")
        #expect(handler.state.withLock { $0.buffered?.body } == "ok")
        #expect(handler.state.withLock { $0.buffered?.contentType } == "text/plain")
    }

    @Test func aStreamForAnUnknownInvocationIsReadAndRefused() async throws {
        let handler = StreamRecorder()
        let (server, fd) = try await Self.connectedPair(handler)
        defer {
            close(fd)
            server.close()
        }
        Self.sendAll(fd, "POST /2018-06-01/runtime/invocation/other/response HTTP/1.1\r\nHost: x\r\n"
            + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        #expect(Self.receiveHead(fd).hasPrefix("HTTP/1.1 400"))
        #expect(handler.state.withLock { $0.chunks } == 0)
    }

    @Test func pacingLetsTheFirstSixMegabytesThroughThenTwoPerSecond() {
        var pacing = ResponseStreamPacing()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let mb = 1024 * 1024
        #expect(pacing.record(6 * mb, at: start) == nil)
        // 2 MiB more at once: one second's worth.
        #expect(pacing.record(2 * mb, at: start) == .seconds(1))
        // Half a second later the rate allowed 1 MiB of those 2: half a second still to wait.
        #expect(pacing.record(0, at: start + .milliseconds(500)) == .milliseconds(500))
        // After two seconds 4 MiB are allowed; 3 MiB were read.
        #expect(pacing.record(mb, at: start + .seconds(2)) == nil)
        #expect(pacing.totalBytes == 9 * mb)
    }
}
