import Catalog
import Foundation
import PostgresNIO

/// Resource policies, one document per resource. A change is read-modify-write under an advisory lock on the
/// resource, so concurrent AddPermission calls on different nodes both land.
extension PostgresStore {
    public func policy(of resource: String) async throws -> PolicyRecord? {
        guard let row = try await rows("SELECT revision_id, document FROM policies WHERE resource = \(resource)").first else { return nil }
        let (revision, document) = try row.decode((String, Data).self)
        return PolicyRecord(document: try Self.decode(PolicyDocument.self, document), revisionId: revision)
    }

    public func updatePolicy(of resource: String, expectedRevision: String?,
                             _ change: @Sendable (PolicyDocument) throws -> PolicyDocument) async throws -> PolicyRecord? {
        try await transaction { db in
            try await db.lock("policy:\(resource)", logger)
            let row = try await db.rows("SELECT revision_id, document FROM policies WHERE resource = \(resource)", logger).first
            let stored = try row.map { try $0.decode((String, Data).self) }
            if let expectedRevision, expectedRevision != stored?.0 { throw StoreError.revisionMismatch }
            let current = try stored.map { try Self.decode(PolicyDocument.self, $0.1) } ?? PolicyDocument()
            let next = try change(current)
            if next.Statement.isEmpty {
                try await db.query("DELETE FROM policies WHERE resource = \(resource)", logger: logger)
                return nil
            }
            let record = PolicyRecord(document: next, revisionId: UUID().uuidString.lowercased())
            let blob = try Self.encode(next)
            try await db.query("""
                INSERT INTO policies (resource, revision_id, document) VALUES (\(resource), \(record.revisionId), \(blob))
                ON CONFLICT (resource) DO UPDATE SET revision_id = excluded.revision_id, document = excluded.document
                """, logger: logger)
            return record
        }
    }
}
