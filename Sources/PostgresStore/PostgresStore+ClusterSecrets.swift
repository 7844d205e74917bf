import Foundation
import PostgresNIO

/// Secrets every node of a cluster must hold the same (root credentials, the key that seals IAM secrets and session
/// tokens, SNS's signing key): the first node to ask makes one, every node after it gets that one. They are stored in
/// clear: whoever can read the database can read them, as whoever can read a node's data dir can.
extension PostgresStore {
    /// The secret `name`: the stored one, or — none yet — `make()`'s, stored unless another node stored one first, in
    /// which case that one is returned. Every caller, on any node, at any time, gets the same bytes.
    public func sharedSecret(named name: String, orCreate make: @Sendable () -> [UInt8]) async throws -> [UInt8] {
        if let stored = try await storedSecret(named: name) { return stored }
        let fresh = make()
        // A concurrent insert of the same name waits for the first to commit, then inserts nothing.
        try await client.query("""
            INSERT INTO cluster_secrets (name, value) VALUES (\(name), \(Data(fresh))) ON CONFLICT (name) DO NOTHING
            """, logger: logger)
        // A new statement, so a new snapshot: it sees whichever insert won.
        guard let stored = try await storedSecret(named: name) else { throw ClusterSecretError.vanished(name) }
        return stored
    }

    private func storedSecret(named name: String) async throws -> [UInt8]? {
        try await rows("SELECT value FROM cluster_secrets WHERE name = \(name)").first.map { Array(try $0.decode(Data.self)) }
    }
}
