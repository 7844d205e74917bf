import Foundation

/// Everything AddPermission takes besides the function.
public struct PermissionInput: Sendable {
    public var statementId: String?
    public var action: String?
    public var principal: String?
    public var sourceArn: String?
    public var sourceAccount: String?
    public var eventSourceToken: String?
    public var principalOrgId: String?
    public var functionUrlAuthType: String?
    /// `true`: the statement applies only to invocations through a function URL (`lambda:InvokeFunction` only).
    public var invokedViaFunctionUrl: Bool?
    public var revisionId: String?

    public init(statementId: String?, action: String?, principal: String?, sourceArn: String? = nil, sourceAccount: String? = nil,
                eventSourceToken: String? = nil, principalOrgId: String? = nil, functionUrlAuthType: String? = nil,
                invokedViaFunctionUrl: Bool? = nil, revisionId: String? = nil) {
        self.statementId = statementId
        self.action = action
        self.principal = principal
        self.sourceArn = sourceArn
        self.sourceAccount = sourceAccount
        self.eventSourceToken = eventSourceToken
        self.principalOrgId = principalOrgId
        self.functionUrlAuthType = functionUrlAuthType
        self.invokedViaFunctionUrl = invokedViaFunctionUrl
        self.revisionId = revisionId
    }
}

extension FunctionCatalog {
    /// The policy resource of a function or one of its versions or aliases, and the ARN statements name.
    func policyResource(_ functionName: String, qualifier: String?) async throws -> (key: String, arn: String) {
        let (id, effective) = try identify(functionName, qualifier: qualifier)
        guard try await store.function(named: id.name) != nil else {
            throw LambdaError.functionNotFound(arns.function(id.name, qualifier: effective))
        }
        guard let effective, effective != "$LATEST" else {
            return ("function:\(id.name)", arns.function(id.name))
        }
        _ = try await resolve(id.name, qualifier: effective)
        return ("function:\(id.name):\(effective)", arns.function(id.name, qualifier: effective))
    }

    static func checkStatementId(_ sid: String?) throws -> String {
        guard let sid, !sid.isEmpty else { throw LambdaError.invalidParameter("StatementId is a required parameter.") }
        if sid.utf8.count > 100 || !sid.utf8.allSatisfy(FunctionIdentifier.isNameByte) {
            throw LambdaError.validation(field: "statementId", value: sid, constraint: "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)")
        }
        return sid
    }

    static func revisionMismatch() -> LambdaError {
        .preconditionFailed("The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
    }

    /// Adds `statement` to the policy of `resource`; a statement id may only be used once.
    func addStatement(_ statement: PolicyStatement, to resource: String, revisionId: String?) async throws {
        do {
            _ = try await store.updatePolicy(of: resource, expectedRevision: revisionId) { document in
                if document.Statement.contains(where: { $0.Sid == statement.Sid }) {
                    throw LambdaError.resourceConflict(
                        "The statement id (\(statement.Sid)) provided already exists. Please provide a new statement id, or remove the existing statement.")
                }
                var next = document
                next.Statement.append(statement)
                return next
            }
        } catch StoreError.revisionMismatch {
            throw Self.revisionMismatch()
        }
    }

    func removeStatement(_ sid: String, from resource: String, revisionId: String?) async throws {
        do {
            _ = try await store.updatePolicy(of: resource, expectedRevision: revisionId) { document in
                guard document.Statement.contains(where: { $0.Sid == sid }) else {
                    throw LambdaError.resourceNotFound("Statement \(sid) is not found in resource policy.")
                }
                var next = document
                next.Statement.removeAll { $0.Sid == sid }
                return next
            }
        } catch StoreError.revisionMismatch {
            throw Self.revisionMismatch()
        }
    }

    /// AddPermission: returns the statement added.
    public func addPermission(_ functionName: String, qualifier: String?, input: PermissionInput) async throws -> PolicyStatement {
        let sid = try Self.checkStatementId(input.statementId)
        guard let action = input.action, !action.isEmpty else { throw LambdaError.invalidParameter("Action is a required parameter.") }
        if !(action == "*" || action == "lambda:*" || (action.hasPrefix("lambda:") && action.dropFirst(7).allSatisfy(\.isLetter) && action.count > 7)) {
            throw LambdaError.validation(field: "action", value: action, constraint: "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])")
        }
        guard let principal = input.principal, !principal.isEmpty, !principal.contains(where: \.isWhitespace) else {
            throw LambdaError.invalidParameter("Principal is a required parameter.")
        }
        let (resource, arn) = try await policyResource(functionName, qualifier: qualifier)
        // Lambda ties a function's policy revision to the function's: its RevisionId is accepted for a first statement.
        var expectedRevision = input.revisionId
        if let given = expectedRevision, try await store.policy(of: resource) == nil,
           try await resolve(functionName, qualifier: qualifier).0.revisionId == given {
            expectedRevision = nil
        }
        var condition: [String: [String: String]] = [:]
        if let v = input.sourceAccount { condition["StringEquals", default: [:]]["AWS:SourceAccount"] = v }
        if let v = input.eventSourceToken { condition["StringEquals", default: [:]]["lambda:EventSourceToken"] = v }
        if let v = input.principalOrgId { condition["StringEquals", default: [:]]["aws:PrincipalOrgID"] = v }
        if let v = input.functionUrlAuthType {
            try FieldValidator.oneOf(v, ["NONE", "AWS_IAM"], field: "functionUrlAuthType")
            condition["StringEquals", default: [:]]["lambda:FunctionUrlAuthType"] = v
        }
        if input.invokedViaFunctionUrl == true {
            guard action == "lambda:InvokeFunction" else {
                throw LambdaError.invalidParameter("InvokedViaFunctionUrl is only supported for the lambda:InvokeFunction action.")
            }
            condition["Bool", default: [:]]["lambda:InvokedViaFunctionUrl"] = "true"
        }
        if let v = input.sourceArn { condition["ArnLike", default: [:]]["AWS:SourceArn"] = v }
        let statement = PolicyStatement(Sid: sid, Principal: PolicyPrincipal(parameter: principal), Action: action,
                                        Resource: arn, Condition: condition)
        try await addStatement(statement, to: resource, revisionId: expectedRevision)
        return statement
    }

    /// RemovePermission.
    public func removePermission(_ functionName: String, qualifier: String?, statementId: String, revisionId: String?) async throws {
        let (resource, _) = try await policyResource(functionName, qualifier: qualifier)
        try await removeStatement(statementId, from: resource, revisionId: revisionId)
    }

    /// GetPolicy.
    public func policy(_ functionName: String, qualifier: String?) async throws -> PolicyRecord {
        let (resource, _) = try await policyResource(functionName, qualifier: qualifier)
        guard let record = try await store.policy(of: resource) else {
            throw LambdaError.resourceNotFound("The resource you requested does not exist.")
        }
        return record
    }

    /// The policy resource of a layer version, which must exist.
    func layerPolicyResource(_ layerName: String, number: Int) async throws -> (key: String, layer: LayerVersionDefinition) {
        let layer = try await layerVersion(layerName, number: number)
        return ("layer:\(layer.layerName):\(layer.version)", layer)
    }

    /// AddLayerVersionPermission: grants an account, or everyone (optionally in one organization), `lambda:GetLayerVersion`.
    public func addLayerVersionPermission(_ layerName: String, number: Int, statementId: String?, action: String?, principal: String?,
                                          organizationId: String?, revisionId: String?) async throws -> (PolicyStatement, String) {
        let sid = try Self.checkStatementId(statementId)
        guard let action else { throw LambdaError.invalidParameter("Action is a required parameter.") }
        if action != "lambda:GetLayerVersion" {
            throw LambdaError.validation(field: "action", value: action, constraint: "Member must satisfy regular expression pattern: lambda:GetLayerVersion")
        }
        guard let principal else { throw LambdaError.invalidParameter("Principal is a required parameter.") }
        let isAccount = principal.utf8.count == 12 && principal.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        if !(principal == "*" || isAccount || (principal.hasPrefix("arn:") && principal.contains(":iam::"))) {
            throw LambdaError.validation(field: "principal", value: principal,
                                         constraint: "Member must satisfy regular expression pattern: \\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root")
        }
        if organizationId != nil && principal != "*" {
            throw LambdaError.invalidParameter("OrganizationId can only be specified with Principal \"*\".")
        }
        let (resource, layer) = try await layerPolicyResource(layerName, number: number)
        let condition = organizationId.map { ["StringEquals": ["aws:PrincipalOrgID": $0]] }
        let statement = PolicyStatement(Sid: sid, Principal: PolicyPrincipal(parameter: principal), Action: action,
                                        Resource: layerVersionArn(layer), Condition: condition)
        try await addStatement(statement, to: resource, revisionId: revisionId)
        let record = try await store.policy(of: resource)
        return (statement, record?.revisionId ?? "")
    }

    /// RemoveLayerVersionPermission.
    public func removeLayerVersionPermission(_ layerName: String, number: Int, statementId: String, revisionId: String?) async throws {
        let (resource, _) = try await layerPolicyResource(layerName, number: number)
        try await removeStatement(statementId, from: resource, revisionId: revisionId)
    }

    /// GetLayerVersionPolicy.
    public func layerVersionPolicy(_ layerName: String, number: Int) async throws -> PolicyRecord {
        let (resource, _) = try await layerPolicyResource(layerName, number: number)
        guard let record = try await store.policy(of: resource) else {
            throw LambdaError.resourceNotFound("No policy is associated with the given resource.")
        }
        return record
    }
}
