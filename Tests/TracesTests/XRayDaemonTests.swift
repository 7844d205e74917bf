import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import Traces

@Suite struct XRayDaemonTests {
    @Test func datagramsSentToTheDaemonAreStoredAndBadOnesCounted() async throws {
        let (directory, _) = try TraceStoreTests.directory()
        let daemon = try await XRayDaemon.bind(host: "127.0.0.1", port: 0, recorder: directory.recorder, logger: Logger(label: "t"))
        #expect(daemon.port > 0)

        let trace = "1-5759e988-bd862e3fe1be46a994272793"
        let sender = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: daemon.port)
        for text in [
            #"{"format": "json", "version": 1}"# + "\n" + #"{"name":"a","id":"aaaaaaaaaaaaaaaa","trace_id":"\#(trace)","start_time":1,"end_time":2}"#,
            #"{"format": "json", "version": 1}"# + "\n" + #"{"name":"b?","id":"bbbbbbbbbbbbbbbb","trace_id":"\#(trace)","start_time":1,"end_time":2}"#,
            #"{"name":"c","id":"cccccccccccccccc","trace_id":"\#(trace)","start_time":1,"end_time":2}"#,
        ] {
            try await sender.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(string: text)))
        }
        try await sender.close()

        let deadline = ContinuousClock.now + .seconds(10)
        while daemon.received + daemon.rejected < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(daemon.received == 1 && daemon.rejected == 2)
        let (found, _) = try await directory.traces([trace])
        #expect(found.first?.segments.map(\.id) == ["aaaaaaaaaaaaaaaa"])
        try await daemon.channel.close()
    }
}
