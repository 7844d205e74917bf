import Foundation

/// One page of ListVersionsByFunction.
public struct VersionListing: Sendable {
    public var versions: [FunctionDefinition]
    public var nextMarker: String?
}

extension FunctionCatalog {
    /// PublishVersion: snapshots `$LATEST`'s code and configuration as the next version, or returns the
    /// newest version when `$LATEST` has not changed since it was published.
    public func publishVersion(_ functionName: String, codeSha256: String?, description: String?,
                               revisionId: String?) async throws -> FunctionDefinition {
        let (id, qualifier) = try identify(functionName, qualifier: nil)
        if qualifier != nil {
            throw LambdaError.invalidParameter("Unqualified function name expected to publish a version: \(functionName)")
        }
        if let description {
            try FieldValidator.maxLength(description, FieldValidator.maxDescriptionLength, field: "description")
        }
        let published = now()
        let newRevision = UUID().uuidString.lowercased()
        do {
            let version = try await store.publishVersion(of: id.name) { latest, newest, number in
                if let revisionId, revisionId != latest.revisionId {
                    throw LambdaError.preconditionFailed(
                        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
                }
                if let codeSha256, codeSha256 != latest.code.sha256Base64 {
                    throw LambdaError.invalidParameter(
                        "CodeSHA256 (\(codeSha256)) is different from current CodeSHA256 in $LATEST (\(latest.code.sha256Base64)). Please try again with the current CodeSHA256.")
                }
                if let newest, newest.sourceRevisionId == latest.revisionId { return nil }
                var version = latest
                version.publishedVersion = number
                version.sourceRevisionId = latest.revisionId
                version.revisionId = newRevision
                version.lastModified = published
                if let description { version.description = description }
                return version
            }
            logger.info("version published", metadata: ["function": "\(id.name)", "version": "\(version.version)"])
            return version
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(id.name))
        }
    }

    /// ListVersionsByFunction: `$LATEST` first, then versions in ascending order.
    public func listVersions(_ functionName: String, marker: String?, maxItems: Int?) async throws -> VersionListing {
        let (latest, qualifier) = try await resolve(functionName)
        if qualifier != nil {
            throw LambdaError.invalidParameter("Unqualified function name expected: \(functionName)")
        }
        let limit = try pageSize(maxItems)
        var after: Int?
        if let marker, !marker.isEmpty {
            guard let data = Data(base64Encoded: marker), let text = String(data: data, encoding: .utf8), let number = Int(text), number >= 0 else {
                throw LambdaError.invalidParameter("Invalid marker: \(marker)")
            }
            after = number
        }
        var versions: [FunctionDefinition] = after == nil ? [latest] : []
        versions += try await store.listVersions(of: latest.name, after: after, limit: limit - versions.count + 1)
        var next: String?
        if versions.count > limit {
            versions.removeLast()
            next = Data(String(versions.last?.publishedVersion ?? 0).utf8).base64EncodedString()
        }
        return VersionListing(versions: versions, nextMarker: next)
    }

    /// MaxItems of a list operation: 1–10000, served in pages of at most 50.
    func pageSize(_ maxItems: Int?) throws -> Int {
        guard let maxItems else { return Self.maxListItems }
        try FieldValidator.range(maxItems, 1...10000, field: "maxItems")
        return min(maxItems, Self.maxListItems)
    }
}
