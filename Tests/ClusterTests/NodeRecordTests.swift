import Cluster
import Foundation
import Testing

@Suite struct NodeRecordTests {
    @Test func statesAreNamedAsStored() {
        #expect(NodeState(rawValue: "draining") == .draining)
    }
}
