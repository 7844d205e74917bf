/// One authorization question: may `principal` perform `action` on `resource`, given the request's context?
public struct AuthorizationRequest: Sendable {
    public var principal: RequestPrincipal
    /// `service:Action`, e.g. `lambda:InvokeFunction`; matched case-insensitively, as AWS does.
    public var action: String
    /// The full ARN of the resource, or `*` for actions that name no resource.
    public var resource: String
    /// Condition context keys (names match case-insensitively, e.g. `aws:SourceIp`, `aws:RequestTag/env`) and their
    /// values; a multivalued key (such as `aws:TagKeys`) holds several. An empty list counts as an absent key.
    ///
    /// The evaluator supplies the principal's keys itself (`aws:PrincipalArn`, `aws:PrincipalAccount`,
    /// `aws:PrincipalType`, `aws:userid`, `aws:username`, `aws:PrincipalServiceName`, `aws:PrincipalIsAWSService`),
    /// taking them from `principal` rather than from here, and `aws:CurrentTime` / `aws:EpochTime` when absent here.
    public var context: [String: [String]]

    public init(principal: RequestPrincipal, action: String, resource: String, context: [String: [String]] = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }
}
