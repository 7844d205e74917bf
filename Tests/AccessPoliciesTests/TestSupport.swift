import AccessPolicies

let account = "123456789012"
let otherAccount = "210987654321"

enum Principals {
    static let alice = RequestPrincipal(
        kind: .user, arn: "arn:aws:iam::\(account):user/engineering/alice", accountId: account, roleArn: nil,
        serviceName: nil, userId: "AIDAALICEEXAMPLE00001", username: "alice")
    static let bob = RequestPrincipal(
        kind: .user, arn: "arn:aws:iam::\(account):user/bob", accountId: account, roleArn: nil,
        serviceName: nil, userId: "AIDABOBEXAMPLE0000001", username: "bob")
    static let root = RequestPrincipal(
        kind: .root, arn: "arn:aws:iam::\(account):root", accountId: account, roleArn: nil, serviceName: nil,
        userId: account, username: nil)
    static let deployer = RequestPrincipal(
        kind: .assumedRole, arn: "arn:aws:sts::\(account):assumed-role/Deployer/ci-run-7", accountId: account,
        roleArn: "arn:aws:iam::\(account):role/ops/Deployer", serviceName: nil,
        userId: "AROADEPLOYEREXAMPLE01:ci-run-7", username: nil)
    static let lambda = RequestPrincipal(
        kind: .service, arn: "lambda.amazonaws.com", accountId: account, roleArn: nil,
        serviceName: "lambda.amazonaws.com", userId: "lambda.amazonaws.com", username: nil)
    static let stranger = RequestPrincipal(
        kind: .user, arn: "arn:aws:iam::\(otherAccount):user/mallory", accountId: otherAccount, roleArn: nil,
        serviceName: nil, userId: "AIDAMALLORYEXAMPLE001", username: "mallory")
}

let ordersFunction = "arn:aws:lambda:us-east-1:\(account):function:orders"

func request(_ action: String, _ resource: String = ordersFunction, by principal: RequestPrincipal = Principals.alice,
             _ context: [String: [String]] = [:]) -> AuthorizationRequest {
    AuthorizationRequest(principal: principal, action: action, resource: resource, context: context)
}

/// A compiled policy, failing the test (by crashing it) when the document is refused.
func policy(_ json: String, _ kind: PolicyKind = .identity) -> Policy {
    do throws(MalformedPolicy) {
        return try Policy(json: json, kind: kind)
    } catch {
        fatalError("policy refused: \(error.reason)\n\(json)")
    }
}

/// The reason a document is refused, or nil when it is accepted.
func refusal(_ json: String, _ kind: PolicyKind = .identity) -> String? {
    do throws(MalformedPolicy) {
        _ = try Policy(json: json, kind: kind)
        return nil
    } catch {
        return error.reason
    }
}

/// An identity policy of one statement.
func identity(effect: String = "Allow", action: String = #""lambda:InvokeFunction""#, resource: String = #""*""#,
              condition: String? = nil, version: String? = "2012-10-17") -> Policy {
    var statement = #"{"Effect":"\#(effect)","Action":\#(action),"Resource":\#(resource)"#
    if let condition { statement += #","Condition":\#(condition)"# }
    statement += "}"
    let versionField = version.map { #""Version":"\#($0)","# } ?? ""
    return policy(#"{\#(versionField)"Statement":[\#(statement)]}"#)
}

/// Whether an identity policy alone allows the request.
func allows(_ policy: Policy, _ request: AuthorizationRequest) -> Bool {
    PolicyEvaluator.evaluate(request, identityPolicies: [policy], resourcePolicy: nil) == .allow
}

/// Whether `condition` (a JSON `Condition` object) lets an `Allow` statement apply to a request with `context`.
func conditionHolds(_ condition: String, _ context: [String: [String]], by principal: RequestPrincipal = Principals.alice,
                    version: String? = "2012-10-17") -> Bool {
    allows(identity(condition: condition, version: version), request("lambda:InvokeFunction", by: principal, context))
}
