import Foundation

/// A customer managed policy: a named policy with up to five versions, one of them the default, attached to
/// users, groups and roles.
public struct ManagedPolicy: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    /// `ANPA…`.
    public var policyId: String
    public var arn: String
    public var description: String?
    public var createDate: Date
    public var updateDate: Date
    public var defaultVersionId: String
    public var versions: [PolicyVersion]
    public var tags: [IAMTag]

    public init(name: String, path: String, policyId: String, arn: String, description: String?, createDate: Date,
                updateDate: Date, defaultVersionId: String, versions: [PolicyVersion], tags: [IAMTag] = []) {
        self.name = name
        self.path = path
        self.policyId = policyId
        self.arn = arn
        self.description = description
        self.createDate = createDate
        self.updateDate = updateDate
        self.defaultVersionId = defaultVersionId
        self.versions = versions
        self.tags = tags
    }

    /// The document of the default version: what the policy grants.
    public var defaultDocument: String? {
        versions.first { $0.versionId == defaultVersionId }?.document
    }
}

/// One version (`v1`, `v2`, …) of a managed policy.
public struct PolicyVersion: Codable, Sendable, Equatable {
    public var versionId: String
    public var document: String
    public var createDate: Date

    public init(versionId: String, document: String, createDate: Date) {
        self.versionId = versionId
        self.document = document
        self.createDate = createDate
    }
}
