import Foundation
import Testing
@testable import Invoker

@Suite struct TraceHeaderTests {
    @Test func traceHeadersHaveXRaysShape() throws {
        let pattern = try Regex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$")
        var roots = Set<String>()
        for _ in 0..<100 {
            let header = Invoker.traceHeader()
            #expect(header.wholeMatch(of: pattern) != nil, "\(header)")
            roots.insert(String(header.prefix(43)))
        }
        #expect(roots.count == 100)
        #expect(Invoker.hex(0xab, digits: 4) == "00ab")
        #expect(Invoker.hex(0x1234_5678_9abc, digits: 8) == "56789abc")
    }

    @Test func activeModeSamplesNewTraces() throws {
        let pattern = try Regex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$")
        #expect(Invoker.traceHeader(active: true).wholeMatch(of: pattern) != nil)
        #expect(Invoker.traceHeader(continuing: nil, active: false).hasSuffix(";Sampled=0"))
    }

    @Test func validIncomingHeaderKeepsRootAndSamplingWithNewParent() throws {
        let root = "1-5759e988-bd862e3fe1be46a994272793"
        let incoming = "Root=\(root);Parent=53995c3f42cd8ad8;Sampled=1"
        let header = Invoker.traceHeader(continuing: incoming, active: false)
        let pattern = try Regex("^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$")
        #expect(header.wholeMatch(of: pattern) != nil, "\(header)")
        #expect(!header.contains("53995c3f42cd8ad8"))
        // An explicit no-sample decision wins over Active.
        #expect(Invoker.traceHeader(continuing: "Root=\(root);Sampled=0", active: true).hasSuffix(";Sampled=0"))
        // Order, spacing and key case do not matter.
        let loose = Invoker.traceHeader(continuing: " sampled=1 ; root=\(root)", active: false)
        #expect(loose.hasPrefix("Root=\(root);Parent=") && loose.hasSuffix(";Sampled=1"), "\(loose)")
    }

    @Test func undecidedSamplingFollowsTheMode() {
        let root = "1-5759e988-bd862e3fe1be46a994272793"
        #expect(Invoker.traceHeader(continuing: "Root=\(root)", active: true).hasSuffix(";Sampled=1"))
        #expect(Invoker.traceHeader(continuing: "Root=\(root);Sampled=?", active: false).hasSuffix(";Sampled=0"))
        #expect(Invoker.traceHeader(continuing: "Root=\(root);Sampled=?", active: true).hasPrefix("Root=\(root);"))
    }

    @Test func malformedIncomingHeaderStartsANewTrace() {
        for bad in ["", "garbage", "Root=2-5759e988-bd862e3fe1be46a994272793", "Root=1-5759e98-bd862e3fe1be46a994272793",
                    "Root=1-5759e988-bd862e3fe1be46a99427279", "Root=1-5759e988-bd862e3fe1be46a99427279z;Sampled=1",
                    "Parent=53995c3f42cd8ad8;Sampled=1"] {
            let header = Invoker.traceHeader(continuing: bad, active: false)
            #expect(Invoker.parseTraceHeader(header) != nil, "\(header)")
            #expect(!header.contains("bd862e3fe1be46a99427279"), "\(bad) → \(header)")
            #expect(header.hasSuffix(";Sampled=0"), "\(bad) → \(header)")
        }
    }
}
