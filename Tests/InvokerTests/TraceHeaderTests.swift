import Foundation
import Testing
@testable import Invoker

@Suite struct TraceHeaderTests {
    @Test func traceHeadersHaveXRaysShape() throws {
        let pattern = try Regex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=1:[0-9a-f]{8}:0$")
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
}
