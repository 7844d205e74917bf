import AWSProtocol
import Foundation
import Identity

/// The STS query protocol (signing name `sts`, `POST /` with a form body): GetCallerIdentity, AssumeRole,
/// GetSessionToken, answered in XML as botocore's query parser reads it.
public struct STSService: Sendable {
    public static let stsSigningName = "sts"
    public static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

    let sessions: RoleSessions
    let authorizer: Authorizer

    public init(sessions: RoleSessions, authorizer: Authorizer) {
        self.sessions = sessions
        self.authorizer = authorizer
    }

    /// Operations no permission is needed for (AWS: GetCallerIdentity and GetSessionToken need none);
    /// AssumeRole is decided by the role's trust policy inside the operation.
    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] { [] }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        let form = QueryForm(body: request.body, query: request.query)
        let action = form.action ?? ""
        let result: [XMLNode]
        switch action {
        case "GetCallerIdentity":
            result = [
                XMLNode("Arn", text: caller.identity.arn),
                XMLNode("UserId", text: caller.identity.userId),
                XMLNode("Account", text: caller.identity.accountId),
            ]
        case "AssumeRole":
            let roleArn = try Self.required(form, "RoleArn")
            let sessionName = try Self.required(form, "RoleSessionName")
            let duration = try Self.integer(form, "DurationSeconds")
            if form.hasList("Tags") || form.hasList("TransitiveTagKeys") || form["SourceIdentity"] != nil
                || form["SerialNumber"] != nil || form.hasList("ProvidedContexts") {
                throw STSError.validation("Session tags, source identity, MFA and provided contexts are not supported by this server.")
            }
            let arns = form.structures("PolicyArns").compactMap { $0["arn"] }
            let policy = form["Policy"] != nil || !arns.isEmpty ? SessionPolicy(document: form["Policy"], managedArns: arns) : nil
            let assumed = try sessions.assumeRole(caller: caller, roleArn: roleArn, sessionName: sessionName,
                                                  durationSeconds: duration, externalId: form["ExternalId"], sessionPolicy: policy)
            result = [
                Self.credentials(assumed.credentials),
                XMLNode("AssumedRoleUser", [
                    XMLNode("AssumedRoleId", text: assumed.assumedRoleId),
                    XMLNode("Arn", text: assumed.arn),
                ]),
            ] + (policy == nil ? [] : [XMLNode("PackedPolicySize", text: String(Self.packedPolicySize(policy!)))])
        case "GetSessionToken":
            let credentials = try sessions.sessionToken(caller: caller, durationSeconds: try Self.integer(form, "DurationSeconds"))
            result = [Self.credentials(credentials)]
        default:
            throw AWSError(code: "InvalidAction", status: 400,
                           message: "Could not find operation \(action) for version 2011-06-15")
        }
        return QueryResponse.success(action: action, namespace: Self.namespace, result: result, requestId: request.requestId)
    }

    /// How full the packed session policies are, in percent of what a session may carry.
    static func packedPolicySize(_ policy: SessionPolicy) -> Int {
        let characters = (policy.document?.filter { !$0.isWhitespace }.count ?? 0) + policy.managedArns.reduce(0) { $0 + $1.count }
        return max(1, characters * 100 / 2048)
    }

    static func credentials(_ c: TemporaryCredentials) -> XMLNode {
        XMLNode("Credentials", [
            XMLNode("AccessKeyId", text: c.accessKeyId),
            XMLNode("SecretAccessKey", text: c.secretAccessKey),
            XMLNode("SessionToken", text: c.sessionToken),
            XMLNode("Expiration", text: AWSTimestamp.iso8601(c.expiration)),
        ])
    }

    static func required(_ form: QueryForm, _ name: String) throws -> String {
        guard let value = form[name] else {
            let member = name.prefix(1).lowercased() + name.dropFirst()
            throw STSError.validation("1 validation error detected: Value null at '\(member)' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    static func integer(_ form: QueryForm, _ name: String) throws -> Int? {
        guard let text = form[name] else { return nil }
        guard let value = Int(text) else {
            throw STSError.validation("Value '\(text)' for \(name) is not a valid integer")
        }
        return value
    }
}
