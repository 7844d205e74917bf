import Catalog
import Cluster
import Foundation
import PostgresStore
import Synchronization
import Testing

extension StoreContract {
    /// A node's write fence returns once every serving node has read what came before it.
    @Suite struct WriteFences {
        static func node(_ id: String) -> NodeRecord {
            NodeRecord(id: id, address: "http://\(id)", state: .serving, version: "1", startedAt: Date(), heartbeatAt: Date(),
                       heartbeatInterval: .seconds(5), load: NodeLoad())
        }

        @Test func aFenceWaitsForEveryServingNodesAcknowledgement() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url, nodeId: "a") { a in
                try await StoreKind.withPostgresStore(url: url, nodeId: "b") { b in
                    try await a.registerNode(Self.node("a"))
                    let feedA = a.changeFeed(heartbeat: .seconds(2)), feedB = b.changeFeed(heartbeat: .seconds(2))
                    // B drops a function as it reads its change; the fence must not return before that.
                    let dropped = DroppedNames()
                    feedB.observeInline { change in if let name = change.functionName { dropped.add(name) } }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { await feedA.run() }
                        group.addTask { await feedB.run() }
                        defer { group.cancelAll() }
                        // Both listening (each announces `everything` first).
                        let listening = ContinuousClock.now + .seconds(10)
                        while feedA.listenerProcessID == nil || feedB.listenerProcessID == nil, ContinuousClock.now < listening {
                            try await Task.sleep(for: .milliseconds(10))
                        }
                        // Only A is a serving node: A's fence needs no acknowledgement.
                        #expect(await feedA.fence())
                        // B registered: A's fence now waits for B, which acknowledges after dropping what came before.
                        try await b.registerNode(Self.node("b"))
                        for n in 0..<20 {
                            try await a.createFunction(Fixtures.function("f\(n)"), tags: [:])
                            #expect(await feedA.fence())
                            #expect(dropped.contains("f\(n)"))
                        }
                        // A serving node that does not listen: the fence gives up at its timeout.
                        try await a.registerNode(Self.node("c"))
                        let started = ContinuousClock.now
                        #expect(await feedA.fence(timeout: .milliseconds(300)) == false)
                        #expect(ContinuousClock.now - started >= .milliseconds(300))
                    }
                }
            }
        }
    }
}

final class DroppedNames: Sendable {
    private let names = Mutex<Set<String>>([])
    func add(_ name: String) { names.withLock { _ = $0.insert(name) } }
    func contains(_ name: String) -> Bool { names.withLock { $0.contains(name) } }
}
