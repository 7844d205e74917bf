@testable import Invoker
import NIOCore
import RuntimeAPI
import Synchronization
import Testing

/// The consumer side of a streaming invocation: events in order, backpressure to the runtime's connection (pause at
/// the high watermark, resume once the consumer caught up) and a consumer that leaves.
@Suite struct InvocationStreamTests {
    @Test func pausesTheRuntimeWhenTheConsumerIsBehindAndResumesWhenItCatchesUp() async {
        let (stream, sink) = InvocationStream.make()
        let (resumes, resumed) = AsyncStream.makeStream(of: Void.self)
        sink.attach(resume: RuntimeStreamResumer { resumed.yield() })
        #expect(sink.yield(.started(contentType: "text/plain", streaming: true)))
        var accepted = 1
        while sink.yield(.chunk(ByteBuffer(string: "\(accepted)"))) { accepted += 1 }
        // The high watermark (8) is reached: the connection is told to pause.
        #expect(accepted == 7)
        var iterator = stream.makeAsyncIterator()
        guard case .started(let type, true) = await iterator.next() else { Issue.record("no start"); return }
        #expect(type == "text/plain")
        var seen: [String] = []
        for _ in 1...accepted {
            guard case .chunk(let buffer) = await iterator.next() else { Issue.record("no chunk"); return }
            seen.append(String(buffer: buffer))
        }
        var resumeIterator = resumes.makeAsyncIterator()
        _ = await resumeIterator.next()   // produceMore woke the connection
        #expect(seen == (1...accepted).map(String.init))
        sink.yield(.finished(InvocationStreamEnd(functionError: nil, errorType: nil, errorBody: nil, executedVersion: "$LATEST", logLines: [])))
        sink.finish()
        guard case .finished(let end) = await iterator.next() else { Issue.record("no end"); return }
        #expect(end.functionError == nil)
        #expect(await iterator.next() == nil)
    }

    @Test func aConsumerThatLeavesUnblocksTheRuntimeAndDropsTheRest() async {
        let (resumes, resumed) = AsyncStream.makeStream(of: Void.self)
        let sink: InvocationSink
        do {
            let (stream, made) = InvocationStream.make()
            sink = made
            sink.attach(resume: RuntimeStreamResumer { resumed.yield() })
            var iterator: InvocationStream.AsyncIterator? = stream.makeAsyncIterator()
            while sink.yield(.chunk(ByteBuffer(string: "x"))) {}
            _ = await iterator?.next()
            iterator = nil
        }
        var resumeIterator = resumes.makeAsyncIterator()
        _ = await resumeIterator.next()
        #expect(sink.isAbandoned)
        // Nobody listens: every later event is accepted and dropped, so the runtime is read to its end.
        for _ in 0..<100 { #expect(sink.yield(.chunk(ByteBuffer(string: "y")))) }
        sink.finish()
    }

    @Test func theEndOfABufferedOrFailedInvocation() {
        let failed = InvocationStreamEnd(.functionError(ByteBuffer(string: #"{"errorMessage":"m","errorType":"Custom"}"#), type: nil),
                                         version: "3", lines: ["START"])
        #expect(failed.functionError == "Unhandled" && failed.errorType == "Custom" && failed.errorMessage == "m")
        let declared = InvocationStreamEnd(.functionError(ByteBuffer(string: "{}"), type: "Declared"), version: "3", lines: [])
        #expect(declared.errorType == "Declared")
        let timedOut = InvocationStreamEnd(.platformError(type: "Sandbox.Timedout", message: "late"), version: "3", lines: [])
        #expect(timedOut.errorType == "Sandbox.Timedout" && timedOut.errorMessage == "late")
        let fine = InvocationStreamEnd(.response(ByteBuffer(string: "ok")), version: "3", lines: [])
        #expect(fine.functionError == nil && fine.errorType == nil && fine.errorBody == nil)
    }
}
