import Foundation
import PostgresNIO
@testable import PostgresStore
import Testing

extension StoreContract {
    /// A store call the server does not answer must not hold a node's shutdown: once the store is closing, a
    /// transaction gets a few seconds, then its connection is closed under it and it fails.
    @Suite struct PoolGateClosing {
        @Test func aTransactionTheServerDoesNotAnswerIsGivenUpOnceTheStoreCloses() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url) { store in
                store.beginClosing()
                let started = ContinuousClock.now
                // The server answers only after 60 s (a stand-in for a connection the database dropped without a word).
                await #expect(throws: (any Error).self) {
                    try await store.transaction { connection in
                        try await connection.query("SELECT pg_sleep(60)", logger: store.logger)
                    }
                }
                let took = ContinuousClock.now - started
                #expect(took < .seconds(20), "given up after \(took), not after the store's closing grace of 3 s")
            }
        }
    }
}
