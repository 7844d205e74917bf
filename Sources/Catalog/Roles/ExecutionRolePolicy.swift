/// What Lambda checks of a function's execution role: that Lambda may assume it, and that it allows what the platform
/// will do with it on the function's behalf (poll a queue, send to a dead-letter queue or a destination).
public protocol ExecutionRolePolicy: Sendable {
    /// The role exists and its trust policy lets `lambda.amazonaws.com` assume it.
    func lambdaCanAssume(_ roleArn: String) -> Bool
    /// A session of the role for `functionName` may perform `action` (`sqs:SendMessage`) on `resource` (an ARN),
    /// by the role's policies and the resource's own policy.
    func rolePermits(_ roleArn: String, functionName: String, action: String, resource: String) async -> Bool
}

extension FunctionCatalog {
    /// Throws Lambda's InvalidParameterValueException unless the function's role may perform each action on
    /// `resource`; `service` names the target the way Lambda's message does ("SQS", "Lambda").
    public func requireRolePermits(_ function: FunctionDefinition, actions: [String], on resource: String, service: String) async throws {
        guard let executionRoles else { return }
        for action in actions where !(await executionRoles.rolePermits(function.role, functionName: function.name, action: action, resource: resource)) {
            let operation = action.split(separator: ":").last.map(String.init) ?? action
            throw LambdaError.invalidParameter("The provided execution role does not have permissions to call \(operation) on \(service)")
        }
    }

    /// The permission sending to `arn` needs (a queue or a function of this server), for dead-letter queues and destinations.
    public static func sendPermission(to arn: String) -> (action: String, service: String)? {
        if arn.hasPrefix("arn:aws:sqs:") { return ("sqs:SendMessage", "SQS") }
        if arn.hasPrefix("arn:aws:lambda:") { return ("lambda:InvokeFunction", "Lambda") }
        if arn.hasPrefix("arn:aws:sns:") { return ("sns:Publish", "SNS") }
        if arn.hasPrefix("arn:aws:events:") { return ("events:PutEvents", "EventBridge") }
        return nil
    }

    /// Checks that `function`'s role may send to `arn`.
    func requireRoleMaySend(_ function: FunctionDefinition, to arn: String) async throws {
        guard let (action, service) = Self.sendPermission(to: arn) else { return }
        try await requireRolePermits(function, actions: [action], on: arn, service: service)
    }
}
