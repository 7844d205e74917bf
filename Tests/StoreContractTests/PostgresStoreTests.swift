@testable import Catalog
import Foundation
import PostgresStore
import Queues
import Testing

extension StoreContract {
    /// What only the PostgreSQL store has: its URL, concurrent migrations, several nodes on one database.
    @Suite struct PostgresOnly {
        @Test func urlsAreParsedOrRefusedClearly() throws {
            let tcp = try PostgresStoreConfiguration(url: "postgresql://swiftlet:s%40cret@db.example:6543/swiftlet?sslmode=disable")
            #expect(tcp.client.host == "db.example")
            #expect(tcp.client.port == 6543)
            #expect(tcp.client.username == "swiftlet")
            #expect(tcp.client.password == "s@cret")
            #expect(tcp.client.database == "swiftlet")
            let socket = try PostgresStoreConfiguration(url: "postgres://me@/db?host=/run/postgresql")
            #expect(socket.client.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
            for bad in ["mysql://u@h/db", "postgresql://h/db", "postgresql://u@h", "postgresql://u@h/db?sslmode=sometimes",
                        "postgresql://u:pw@h/db?pool_max=0"] {
                #expect(throws: PostgresStoreError.self) { try PostgresStoreConfiguration(url: bad) }
            }
            // Messages never show the password.
            let error = #expect(throws: PostgresStoreError.self) { try PostgresStoreConfiguration(url: "postgresql://u:topsecret@h/db?pool_max=0") }
            #expect(error.map { !"\($0)".contains("topsecret") } == true)
        }

        @Test func nodesMigratingAtOnceApplyEachMigrationOnce() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in ["a", "b", "c"] {
                    group.addTask {
                        try await StoreKind.withPostgresStore(url: url, nodeId: node) { store in
                            // Each saw the whole schema when its migrate() returned.
                            try await store.createFunction(Fixtures.function("f-\(node)"), tags: [:])
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await StoreKind.withPostgresStore(url: url) { store in
                let applied = try await store.appliedMigrations()
                #expect(applied.count == Set(applied).count)
                #expect(try await store.listFunctions(after: nil, limit: 10).functions.map(\.name) == ["f-a", "f-b", "f-c"])
                // Migrating again changes nothing.
                try await store.migrate()
                #expect(try await store.appliedMigrations() == applied)
            }
        }

        @Test func connectsThroughTheUnixSocket() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            let socketURL = try await ThrowawayPostgres.shared.socketURL(of: url)
            try await StoreKind.withPostgresStore(url: socketURL) { store in
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                #expect(try await store.function(named: "f")?.name == "f")
            }
        }

        @Test func aNodeReleasesOnlyItsOwnLeases() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url, nodeId: "a") { a in
                try await StoreKind.withPostgresStore(url: url, nodeId: "b") { b in
                    try await a.enqueue(Fixtures.event("ea", due: 0))
                    try await a.enqueue(Fixtures.event("eb", due: 1))
                    #expect(try await a.claimDueEvents(now: 10, leaseUntil: 1_000, limit: 1).map(\.id) == ["ea"])
                    #expect(try await b.claimDueEvents(now: 10, leaseUntil: 1_000, limit: 5).map(\.id) == ["eb"])
                    // b restarts: its own event is free again, a's stays with a.
                    try await b.releaseLeases()
                    #expect(try await b.claimDueEvents(now: 20, leaseUntil: 1_000, limit: 5).map(\.id) == ["eb"])
                    // a dies: its lease runs out and b takes the event over.
                    #expect(try await b.claimDueEvents(now: 1_000, leaseUntil: 2_000, limit: 5).map(\.id).sorted() == ["ea", "eb"])
                }
            }
        }

        /// Two nodes draining one FIFO queue: each message handed out once, each group's messages in send order.
        @Test func nodesShareAFifoQueueInGroupOrder() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            let log = ReceiveLog()
            try await StoreKind.withPostgresStore(url: url, nodeId: "a") { a in
                try await StoreKind.withPostgresStore(url: url, nodeId: "b") { b in
                    _ = try await a.createQueue(StoreContract.Queues.queue("q.fifo", fifo: true))
                    let messages = (0..<60).map { i in
                        StoreContract.Queues.message("m\(i)", group: "g\(i % 6)", dedup: "d\(i)")
                    }
                    for batch in stride(from: 0, to: 60, by: 10) {
                        _ = try await a.sendMessages(Array(messages[batch..<batch + 10]), to: "q.fifo",
                                                     deduplication: Deduplication(perGroup: false, now: 0))
                    }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (node, store) in [a, b, a, b].enumerated() {
                            group.addTask {
                                var idle = 0
                                while idle < 3 {
                                    let received = try await store.receiveMessages(from: "q.fifo", limit: 3, now: 1, visibilityMs: 600_000,
                                                                                   redrive: nil, retentionMs: 86_400_000, fifo: true)
                                    idle = received.isEmpty ? idle + 1 : 0
                                    await log.append(received.map(\.message.id), node: node)
                                    for r in received {
                                        #expect(try await store.deleteMessage(from: "q.fifo", id: r.message.id, receipt: r.receipt, now: 2) == .deleted)
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    let ids = await log.ids
                    #expect(ids.count == 60)
                    #expect(Set(ids).count == 60)
                    for g in 0..<6 {
                        let order = ids.filter { Int($0.dropFirst())! % 6 == g }.map { Int($0.dropFirst())! }
                        #expect(order == order.sorted(), "group g\(g) out of order: \(order)")
                    }
                    #expect(await log.nodes.count > 1)
                }
            }
        }

        @Test func aMissingDatabaseFailsMigrationSayingWhy() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            var configuration = try PostgresStoreConfiguration(url: url.replacingOccurrences(of: "/t", with: "/missing_t"))
            configuration.client.options.connectTimeout = .seconds(2)
            let store = PostgresStore(configuration: configuration)
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                let error = await #expect(throws: PostgresStoreError.self) { try await store.migrate() }
                #expect(error.map { "\($0)".contains("does not exist") } == true, "\(String(describing: error))")
                group.cancelAll()
            }
        }

        @Test func anUnreachableDatabaseFailsMigrationWithAnError() async throws {
            // A port nothing listens on (the throwaway server's socket dir has no such socket).
            var configuration = try PostgresStoreConfiguration(url: "postgresql://postgres@/nowhere?host=/nonexistent-dir&port=1")
            configuration.client.options.connectTimeout = .seconds(2)
            let store = PostgresStore(configuration: configuration)
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                let error = await #expect(throws: PostgresStoreError.self) { try await store.migrate() }
                #expect(error.map { "\($0)".contains("/nonexistent-dir") } == true)
                group.cancelAll()
            }
        }
    }
}

/// What concurrent receivers got, in the order they got it.
actor ReceiveLog {
    private(set) var ids: [String] = []
    private(set) var nodes: Set<Int> = []

    func append(_ received: [String], node: Int) {
        ids += received
        if !received.isEmpty { nodes.insert(node) }
    }
}
