import BlobStore
import Foundation
import PostgresNIO

/// The shared tier of code and layer blobs: a blob is a row of `blobs` and its bytes in rows of `blob_chunks`, written
/// in one transaction, so a reader sees all of a blob or none of it.
extension PostgresStore: SharedBlobStore {
    /// The most bytes in one chunk row.
    static let blobChunkSize = 1 << 20

    public func storeBlob(_ data: Data, digest: BlobDigest) async throws {
        // Already there (a package uploaded again, another node's copy): renewing its age is all, no byte is sent. A
        // garbage collection deleting it meanwhile is waited for, and then nothing is renewed: it is stored anew.
        let renewed = try await rows("UPDATE blobs SET stored_at = now() WHERE digest = \(digest.hex) RETURNING digest")
        if !renewed.isEmpty { return }
        try await transaction { connection in
            // Two nodes storing one digest at once: the second waits for the first to commit, then stores nothing.
            let inserted = try await connection.rows("""
                INSERT INTO blobs (digest, size) VALUES (\(digest.hex), \(data.count))
                ON CONFLICT (digest) DO NOTHING RETURNING digest
                """, logger)
            guard !inserted.isEmpty else { return }
            var seq: Int32 = 0
            var start = data.startIndex
            while start < data.endIndex {
                let end = min(start + Self.blobChunkSize, data.endIndex)
                let chunk = data[start..<end]
                try await connection.query("INSERT INTO blob_chunks (digest, seq, bytes) VALUES (\(digest.hex), \(seq), \(chunk))",
                                           logger: logger)
                seq += 1
                start = end
            }
        }
    }

    public func loadBlob(_ digest: BlobDigest) async throws -> Data? {
        // One statement: one snapshot of the blob and its chunks. Rows are appended as they arrive, not collected first.
        let rows = try await client.query("""
            SELECT b.size, c.bytes FROM blobs b LEFT JOIN blob_chunks c ON c.digest = b.digest
            WHERE b.digest = \(digest.hex) ORDER BY c.seq
            """, logger: logger)
        var data: Data?
        for try await (size, bytes) in rows.decode((Int, Data?).self) {
            if data == nil { data = Data(capacity: size) }
            if let bytes { data?.append(bytes) }
        }
        return data
    }

    public func removeUnreferencedBlobs(keeping referenced: Set<String>, olderThan grace: Duration) async throws -> Int {
        let (seconds, attoseconds) = grace.components
        let graceSeconds = Double(seconds) + Double(attoseconds) / 1e18
        // The database's clock on both sides of the comparison: nodes' clocks may differ.
        return try await rows("""
            DELETE FROM blobs
            WHERE stored_at < now() - make_interval(secs => \(graceSeconds)) AND digest <> ALL(\(Array(referenced)))
            RETURNING digest
            """).count
    }
}
