import Foundation

/// The blobs every node of a cluster shares (PostgreSQL's, through `PostgresStore`): where a function's code and
/// layers are written before the record naming them, and where a node that lacks one locally fetches it
/// (`BlobStore.ensureLocal`). Content-addressed like the local files, so a digest names the same bytes on every node.
public protocol SharedBlobStore: Sendable {
    /// Stores `data` under `digest`, which the caller computed from it, durably and whole (a reader never sees part of
    /// a blob). Storing a digest already there stores no byte again but renews the blob's age, so garbage collection
    /// treats it as just stored; concurrent stores of one digest, from any nodes, are fine.
    func storeBlob(_ data: Data, digest: BlobDigest) async throws

    /// The bytes stored under `digest`, nil when there are none. Not checked against the digest: the caller does.
    func loadBlob(_ digest: BlobDigest) async throws -> Data?

    /// Removes the blobs whose digest (lower-case hex) is not in `referenced` and that were stored longer than `grace`
    /// ago; returns how many went. The grace keeps a blob that a node stored moments before its record commits (so
    /// it is not yet in anybody's `referenced`) from being collected by another node.
    func removeUnreferencedBlobs(keeping referenced: Set<String>, olderThan grace: Duration) async throws -> Int
}
