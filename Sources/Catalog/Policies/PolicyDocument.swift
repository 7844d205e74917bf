import Foundation

/// A resource-based policy as Lambda returns it from GetPolicy and GetLayerVersionPolicy.
public struct PolicyDocument: Codable, Sendable, Equatable {
    public var Version: String
    public var Id: String
    public var Statement: [PolicyStatement]

    public init(statements: [PolicyStatement] = []) {
        self.Version = "2012-10-17"
        self.Id = "default"
        self.Statement = statements
    }

    /// The compact JSON Lambda puts in the `Policy` string.
    public var json: String { PolicyDocument.encode(self) }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}

/// One statement of a resource policy.
public struct PolicyStatement: Codable, Sendable, Equatable {
    public var Sid: String
    public var Effect: String
    public var Principal: PolicyPrincipal
    public var Action: String
    public var Resource: String
    public var Condition: [String: [String: String]]?

    public init(Sid: String, Principal: PolicyPrincipal, Action: String, Resource: String,
                Condition: [String: [String: String]]? = nil) {
        self.Sid = Sid
        self.Effect = "Allow"
        self.Principal = Principal
        self.Action = Action
        self.Resource = Resource
        self.Condition = Condition?.isEmpty == true ? nil : Condition
    }

    /// The JSON Lambda returns in AddPermission's `Statement`.
    public var json: String { PolicyDocument.encode(self) }
}

/// Who a statement allows: everyone (`"*"`), a service, or an AWS account or identity.
public enum PolicyPrincipal: Codable, Sendable, Equatable {
    case everyone
    case service(String)
    case aws(String)

    /// The principal as AddPermission takes it: `*`, a service (`s3.amazonaws.com`), an account id or an ARN.
    public init(parameter: String) {
        if parameter == "*" {
            self = .everyone
        } else if parameter.utf8.count == 12, parameter.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            self = .aws("arn:aws:iam::\(parameter):root")
        } else if parameter.hasPrefix("arn:") {
            self = .aws(parameter)
        } else {
            self = .service(parameter)
        }
    }

    private enum Keys: String, CodingKey { case Service, AWS }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let value = try? single.decode(String.self) {
            self = value == "*" ? .everyone : .aws(value)
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        if let service = try c.decodeIfPresent(String.self, forKey: .Service) {
            self = .service(service)
        } else {
            self = .aws(try c.decode(String.self, forKey: .AWS))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .everyone:
            var c = encoder.singleValueContainer()
            try c.encode("*")
        case .service(let s):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(s, forKey: .Service)
        case .aws(let a):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(a, forKey: .AWS)
        }
    }
}

/// A stored policy with the revision that changes on every AddPermission and RemovePermission.
public struct PolicyRecord: Sendable, Equatable {
    public let document: PolicyDocument
    public let revisionId: String
    /// The document's JSON, encoded once (authorization reads it on every request that names the resource).
    public let json: String

    public init(document: PolicyDocument, revisionId: String) {
        self.document = document
        self.revisionId = revisionId
        self.json = document.json
    }
}
