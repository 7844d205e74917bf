import Cluster
import Foundation
import Testing

@Suite struct NodeRecordTests {
    @Test func statesAreNamedAsStored() {
        #expect(NodeState(rawValue: "draining") == .draining)
        #expect(NodeState.allCases.map(\.rawValue) == ["serving", "draining", "stopped"])
    }

    @Test func recordsRoundTripThroughJSON() throws {
        let node = NodeRecord(id: "a", address: "http://10.0.0.5:8900", state: .serving, version: "1.2.3",
                              startedAt: Date(timeIntervalSince1970: 1_700_000_000), heartbeatAt: Date(timeIntervalSince1970: 1_700_000_005),
                              heartbeatInterval: .milliseconds(2_500), load: NodeLoad(capacity: 64, running: 3, environments: 5, idleEnvironments: 2))
        #expect(try JSONDecoder().decode(NodeRecord.self, from: JSONEncoder().encode(node)) == node)
    }

    @Test func noLeasesIsEmpty() {
        #expect(NodeLeases().isEmpty)
        #expect(!NodeLeases(concurrencySlots: 1).isEmpty)
    }
}
