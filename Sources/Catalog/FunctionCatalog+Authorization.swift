/// What the authorizer needs from Lambda's resources: their ARNs as IAM names them, and their resource policies.
/// These never throw for a resource that does not exist: authorization comes before the operation, which then
/// answers "not found" to a caller allowed to ask.
extension FunctionCatalog {
    /// The ARN a permission on `functionName` (a name, partial or full ARN, maybe with a qualifier) names.
    public func permissionResource(_ functionName: String, qualifier: String?) -> (name: String, qualifier: String?, arn: String)? {
        guard let (id, effective) = try? identify(functionName, qualifier: qualifier) else { return nil }
        return (id.name, effective, arns.function(id.name, qualifier: effective))
    }

    /// The function policy that applies to calls on `name` with `qualifier` (a version's or alias's own policy,
    /// `$LATEST` and unqualified calls the function's), as JSON; nil when there is none.
    public func resourcePolicyJSON(function name: String, qualifier: String?) async -> String? {
        let key = qualifier.map { $0 == "$LATEST" ? "function:\(name)" : "function:\(name):\($0)" } ?? "function:\(name)"
        guard let record = try? await store.policy(of: key), !record.document.Statement.isEmpty else { return nil }
        return record.document.json
    }

    /// The policy of a layer version, as JSON; nil when there is none.
    public func layerPolicyJSON(layer: String, version: Int) async -> String? {
        guard let record = try? await store.policy(of: "layer:\(layer):\(version)"), !record.document.Statement.isEmpty else { return nil }
        return record.document.json
    }
}
