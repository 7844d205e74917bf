import Foundation

/// An IAM role: an identity that trusted principals assume (STS AssumeRole, Lambda for a function's execution role).
public struct IAMRole: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    /// `AROA…`; sessions of the role are `AROA…:<session name>` in `aws:userid`.
    public var roleId: String
    public var arn: String
    public var createDate: Date
    /// The trust policy, as the caller sent it (JSON text).
    public var assumeRolePolicyDocument: String
    public var description: String?
    /// Longest session AssumeRole grants, 3,600 to 43,200 seconds.
    public var maxSessionDuration: Int
    public var tags: [IAMTag]
    public var permissionsBoundary: String?

    public init(name: String, path: String, roleId: String, arn: String, createDate: Date, assumeRolePolicyDocument: String,
                description: String? = nil, maxSessionDuration: Int = 3600, tags: [IAMTag] = [], permissionsBoundary: String? = nil) {
        self.name = name
        self.path = path
        self.roleId = roleId
        self.arn = arn
        self.createDate = createDate
        self.assumeRolePolicyDocument = assumeRolePolicyDocument
        self.description = description
        self.maxSessionDuration = maxSessionDuration
        self.tags = tags
        self.permissionsBoundary = permissionsBoundary
    }
}
