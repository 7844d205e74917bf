import Cluster
import Foundation
import Logging
import Testing

/// Which node a sync invoke is forwarded to: only another serving, live node that reported an idle environment of
/// exactly the revision invoked, in turn among several.
@Suite struct WarmRouterTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func node(_ id: String, state: NodeState = .serving, beat: TimeInterval = 0, address: String? = nil,
                     warm: [NodeWarmth]) -> NodeRecord {
        NodeRecord(id: id, address: address ?? "http://\(id):8900", state: state, startedAt: now.addingTimeInterval(-60),
                   heartbeatAt: now.addingTimeInterval(-beat), heartbeatInterval: .seconds(5),
                   load: NodeLoad(capacity: 8, environments: warm.reduce(0) { $0 + $1.idle },
                                  idleEnvironments: warm.reduce(0) { $0 + $1.idle }, warm: warm))
    }

    static func warm(_ function: String = "f", version: String = "$LATEST", revision: String = "r1", idle: Int = 1) -> NodeWarmth {
        NodeWarmth(function: function, version: version, revisionId: revision, idle: idle)
    }

    /// A router of node `self` over `nodes`, refreshed once.
    static func router(_ nodes: [NodeRecord], self id: String = "self") async throws -> WarmRouter {
        let store = MemoryNodeStore()
        for node in nodes { try await store.registerNode(node) }
        let router = WarmRouter(store: store, nodeId: id, logger: Logger(label: "test"), clock: { now })
        await router.refresh()
        return router
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var nodes: [NodeRecord]
        var expected: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a serving peer with the revision idle", nodes: [node("b", warm: [warm()])], expected: "http://b:8900"),
        Case(name: "no node has it warm", nodes: [node("b", warm: [])], expected: nil),
        Case(name: "only this node has it warm", nodes: [node("self", warm: [warm()])], expected: nil),
        Case(name: "another revision", nodes: [node("b", warm: [warm(revision: "r0")])], expected: nil),
        Case(name: "another version", nodes: [node("b", warm: [warm(version: "3")])], expected: nil),
        Case(name: "another function", nodes: [node("b", warm: [warm("g")])], expected: nil),
        Case(name: "no idle environment left", nodes: [node("b", warm: [warm(idle: 0)])], expected: nil),
        Case(name: "a draining peer", nodes: [node("b", state: .draining, warm: [warm()])], expected: nil),
        Case(name: "a stopped peer", nodes: [node("b", state: .stopped, warm: [warm()])], expected: nil),
        Case(name: "a peer that missed three heartbeats", nodes: [node("b", beat: 16, warm: [warm()])], expected: nil),
        Case(name: "a peer one heartbeat late", nodes: [node("b", beat: 9, warm: [warm()])], expected: "http://b:8900"),
        Case(name: "a peer with no address yet", nodes: [node("b", address: "", warm: [warm()])], expected: nil),
    ]

    @Test(arguments: cases)
    func choosesAPeerWithExactlyTheRevisionIdle(_ test: Case) async throws {
        let router = try await Self.router(test.nodes)
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == test.expected)
    }

    @Test func takesTurnsAmongThePeersThatHaveItWarm() async throws {
        let router = try await Self.router([
            Self.node("b", warm: [Self.warm()]), Self.node("c", warm: [Self.warm(idle: 3)]),
            Self.node("d", warm: [Self.warm(revision: "r0")]), Self.node("self", warm: [Self.warm()]),
        ])
        let picks = (0..<6).compactMap { _ -> String? in
            let peer = router.claim(function: "f", version: "$LATEST", revisionId: "r1")
            if let peer { router.release(peer, function: "f", version: "$LATEST", revisionId: "r1") }
            return peer
        }
        #expect(picks.count == 6)
        #expect(Set(picks) == ["http://b:8900", "http://c:8900"])
        #expect(picks.filter { $0 == "http://b:8900" }.count == 3)
        #expect(zip(picks, picks.dropFirst()).allSatisfy { $0 != $1 })
    }

    @Test func aPeerTakesNoMoreForwardsAtOnceThanItHasIdle() async throws {
        let router = try await Self.router([Self.node("b", warm: [Self.warm()]), Self.node("c", warm: [Self.warm(idle: 2)])])
        let claims = (0..<4).map { _ in router.claim(function: "f", version: "$LATEST", revisionId: "r1") }
        #expect(claims.compactMap { $0 }.sorted() == ["http://b:8900", "http://c:8900", "http://c:8900"])
        #expect(claims.last == .some(nil))
        // Other revisions are counted apart.
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r2") == nil)
        router.release("http://b:8900", function: "f", version: "$LATEST", revisionId: "r1")
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == "http://b:8900")
    }

    @Test func aPeerThatFailedIsLeftOutForAWhile() async throws {
        let store = MemoryNodeStore()
        try await store.registerNode(Self.node("b", warm: [Self.warm()]))
        let clock = TestClock(Self.now)
        let router = WarmRouter(store: store, nodeId: "self", suspension: 10, logger: Logger(label: "test"), clock: { clock.now })
        await router.refresh()
        router.suspend("http://b:8900")
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == nil)
        clock.now = Self.now.addingTimeInterval(9)
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == nil)
        clock.now = Self.now.addingTimeInterval(11)
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == "http://b:8900")
    }

    @Test func keepsWhatItKnewWhenTheStoreFails() async throws {
        let store = MemoryNodeStore()
        try await store.registerNode(Self.node("b", warm: [Self.warm()]))
        let router = WarmRouter(store: store, nodeId: "self", logger: Logger(label: "test"), clock: { Self.now })
        await router.refresh()
        await store.setFailing(true)
        await router.refresh()
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == "http://b:8900")
        #expect(router.peersByFunction() == ["f": 1])
    }

    @Test func followsTheRegistryAtEachRefresh() async throws {
        let store = MemoryNodeStore()
        try await store.registerNode(Self.node("b", warm: [Self.warm()]))
        let router = WarmRouter(store: store, nodeId: "self", logger: Logger(label: "test"), clock: { Self.now })
        await router.refresh()
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == "http://b:8900")
        // b used its environment (or the function changed): its next heartbeat says so.
        _ = try await store.heartbeatNode(id: "b", at: Self.now, address: "http://b:8900", load: NodeLoad(capacity: 8))
        await router.refresh()
        #expect(router.claim(function: "f", version: "$LATEST", revisionId: "r1") == nil)
        #expect(router.peersByFunction().isEmpty)
    }

    @Test func aLoadWithoutWarmthDecodesAsNoneWarm() throws {
        let old = Data(#"{"capacity":8,"running":1,"environments":2,"idleEnvironments":1}"#.utf8)
        let load = try JSONDecoder().decode(NodeLoad.self, from: old)
        #expect(load == NodeLoad(capacity: 8, running: 1, environments: 2, idleEnvironments: 1))
        let warm = NodeLoad(capacity: 8, warm: [Self.warm(idle: 2)])
        #expect(try JSONDecoder().decode(NodeLoad.self, from: JSONEncoder().encode(warm)) == warm)
    }
}

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
