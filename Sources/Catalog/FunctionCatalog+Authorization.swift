/// What the authorizer needs from Lambda's resources: their ARNs as IAM names them, and their resource policies.
/// These never throw for a resource that does not exist: authorization comes before the operation, which then
/// answers "not found" to a caller allowed to ask.
extension FunctionCatalog {
    /// The ARN a permission on `functionName` (a name, partial or full ARN, maybe with a qualifier) names.
    /// A version number is named the way the catalog reads it (`01` is version `1`).
    public func permissionResource(_ functionName: String, qualifier: String?) -> (name: String, qualifier: String?, arn: String)? {
        guard var (id, effective) = try? identify(functionName, qualifier: qualifier) else { return nil }
        if let q = effective, Self.isVersionNumber(q), let number = Int(q) { effective = String(number) }
        return (id.name, effective, arns.function(id.name, qualifier: effective))
    }

    /// The ARN and policy of a layer version named by name or layer ARN and a version label as sent; nil when
    /// either is not well formed (the operation then refuses it).
    public func layerPermissionResource(_ layer: String, version: String?) async -> (arn: String, policy: String?)? {
        guard let name = try? layerName(layer) else { return nil }
        guard let version else { return (layerArn(name), nil) }
        // Read as the operation reads it (`Int`), so `01` and `+1` name version 1 here too.
        guard let number = Int(version) else { return nil }
        return (layerArn(name) + ":\(number)", await layerPolicyJSON(layer: name, version: number))
    }

    /// The function policy that applies to calls on `name` with `qualifier` (a version's or alias's own policy,
    /// `$LATEST` and unqualified calls the function's), as JSON; nil when there is none.
    public func resourcePolicyJSON(function name: String, qualifier: String?) async -> String? {
        let key = qualifier.map { $0 == "$LATEST" ? "function:\(name)" : "function:\(name):\($0)" } ?? "function:\(name)"
        guard let record = try? await store.policy(of: key), !record.document.Statement.isEmpty else { return nil }
        return record.json
    }

    /// The function's tags as `aws:ResourceTag/<key>` condition keys (none for a function that does not exist).
    public func resourceTagKeys(function name: String) async -> [String: [String]] {
        guard let tags = try? await store.tags(ofFunction: name) else { return [:] }
        var keys: [String: [String]] = [:]
        for (key, value) in tags { keys["aws:ResourceTag/" + key] = [value] }
        return keys
    }

    /// The policy of a layer version, as JSON; nil when there is none.
    func layerPolicyJSON(layer: String, version: Int) async -> String? {
        guard let record = try? await store.policy(of: "layer:\(layer):\(version)"), !record.document.Statement.isEmpty else { return nil }
        return record.json
    }
}
