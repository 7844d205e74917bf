import Foundation

/// The entry points of a node of a cluster: blobs are written here and to the shared tier before anything refers
/// to them, and fetched from the shared tier into this node's files on a miss. Without a shared tier they are the
/// local store's own calls.
extension BlobStore {
    /// How long a blob of the shared tier outlives the last time it was stored when nothing refers to it: far longer
    /// than any request takes between storing a blob and committing the record that names it.
    public static let sharedGracePeriod: Duration = .seconds(3600)

    /// Stores `data` here and, with a shared tier, there too before returning its digest: what a control-plane
    /// operation awaits before writing a record that names the digest, so that whichever node reads the record finds
    /// the blob.
    @discardableResult
    public func store(_ data: Data) async throws -> BlobDigest {
        let digest = try put(data)
        try await shared?.storeBlob(data, digest: digest)
        return digest
    }

    /// Makes sure `digest` is in this node's files: on a miss it is fetched from the shared tier, checked against its
    /// digest and written here. Throws `BlobStoreError.missing` when no tier has it and `.corrupt` (keeping nothing)
    /// when the shared copy does not match its digest. Two callers missing the same blob at once both fetch it; either
    /// copy is the same.
    public func ensureLocal(_ digest: BlobDigest) async throws {
        if contains(digest) { return }
        _ = try await fetchShared(digest)
    }

    /// The blob's bytes, checked against its digest; fetched from the shared tier (and kept here) on a miss.
    public func fetch(_ digest: BlobDigest) async throws -> Data {
        if contains(digest) { return try get(digest) }
        return try await fetchShared(digest)
    }

    /// Removes the shared tier's blobs that no record refers to and that were stored more than `grace` ago; returns
    /// how many went (0 without a shared tier). `referenced` holds digests in lower-case hex, as
    /// `collectGarbage(keeping:)`.
    @discardableResult
    public func collectSharedGarbage(keeping referenced: Set<String>, olderThan grace: Duration = sharedGracePeriod) async throws -> Int {
        guard let shared else { return 0 }
        return try await shared.removeUnreferencedBlobs(keeping: referenced, olderThan: grace)
    }

    private func fetchShared(_ digest: BlobDigest) async throws -> Data {
        guard let shared, let data = try await shared.loadBlob(digest) else { throw BlobStoreError.missing(digest) }
        guard BlobDigest(of: data) == digest else { throw BlobStoreError.corrupt(digest) }
        try writeFile(data, as: digest)
        return data
    }
}
