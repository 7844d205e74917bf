import Foundation

/// A managed policy (the account's own, or one of AWS's built in): a named policy with up to five versions, one of
/// them the default, attached to users, groups and roles.
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
    /// The number the next version gets (`v<n>`): numbers of deleted versions are not given again.
    public var nextVersionNumber: Int

    public init(name: String, path: String, policyId: String, arn: String, description: String?, createDate: Date,
                updateDate: Date, defaultVersionId: String, versions: [PolicyVersion], tags: [IAMTag] = [],
                nextVersionNumber: Int? = nil) {
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
        self.nextVersionNumber = nextVersionNumber
            ?? (versions.compactMap { Int($0.versionId.dropFirst().prefix { $0 != "." }) }.max() ?? 0) + 1
    }

    /// Whether AWS owns it (`arn:aws:iam::aws:policy/…`): attachable, not changeable.
    public var isAWSManaged: Bool { arn.hasPrefix("arn:aws:iam::aws:policy/") }

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
