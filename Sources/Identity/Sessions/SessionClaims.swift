import Foundation

/// What temporary credentials stand for. Sealed inside their session token, so a session needs no row in the
/// store: any node with the data dir's identity key can check it, and it ends when it expires.
public struct SessionClaims: Codable, Sendable, Equatable {
    public enum Subject: Codable, Sendable, Equatable {
        /// AssumeRole (or Lambda for an execution role): acts as `assumed-role/<role>/<session>`.
        case role(name: String, sessionName: String)
        /// GetSessionToken by a user: acts as the user.
        case user(name: String)
        /// GetSessionToken by the account root.
        case root
    }

    public var accessKeyId: String
    public var secretAccessKey: String
    public var subject: Subject
    /// Unix seconds.
    public var issuedAt: Int64
    public var expiresAt: Int64
    /// Session policies passed to AssumeRole: the session may do only what these allow too.
    public var sessionPolicy: SessionPolicy?
    /// The role's or user's unique id (`AROA…`, `AIDA…`) when issued: a session does not pass to an entity
    /// deleted and created again under the same name.
    public var subjectId: String?

    public init(accessKeyId: String, secretAccessKey: String, subject: Subject, issuedAt: Int64, expiresAt: Int64,
                sessionPolicy: SessionPolicy? = nil, subjectId: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.subject = subject
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.sessionPolicy = sessionPolicy
        self.subjectId = subjectId
    }

    public var expiration: Date { Date(timeIntervalSince1970: TimeInterval(expiresAt)) }
}

/// The session policies of an AssumeRole call: an inline document and managed policy ARNs (their default versions
/// apply, read when a request is authorized).
public struct SessionPolicy: Codable, Sendable, Equatable {
    public var document: String?
    public var managedArns: [String]

    public init(document: String?, managedArns: [String]) {
        self.document = document
        self.managedArns = managedArns
    }
}

/// Temporary credentials as STS hands them out.
public struct TemporaryCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String
    public var expiration: Date

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String, expiration: Date) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}
