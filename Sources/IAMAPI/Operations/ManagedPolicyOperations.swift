import AWSProtocol
import Identity

/// CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, TagPolicy, UntagPolicy, ListPolicyTags, and the version
/// operations: CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion.
extension IAMService {
    static let managedPolicyOperations: [String: Operation] = [
        "CreatePolicy": { s, r in
            let policy = try await s.directory.createPolicy(name: r["PolicyName"], path: r["Path"], document: r["PolicyDocument"],
                                                            description: r["Description"], tags: r.tags())
            return [PolicyShapes.policy(policy, in: s.directory.state.snapshot, detail: true)]
        },
        "GetPolicy": { s, r in
            [PolicyShapes.policy(try s.directory.policy(arn: r["PolicyArn"]), in: s.directory.state.snapshot, detail: true)]
        },
        "DeletePolicy": { s, r in try await s.directory.deletePolicy(arn: r["PolicyArn"]); return nil },
        "ListPolicies": { s, r in try s.listPolicies(r) },
        "TagPolicy": { s, r in try await s.directory.tagPolicy(arn: r["PolicyArn"], tags: r.tags()); return nil },
        "UntagPolicy": { s, r in try await s.directory.untagPolicy(arn: r["PolicyArn"], keys: try r.requiredList("TagKeys")); return nil },
        "ListPolicyTags": { s, r in
            try paged(try s.directory.policy(arn: r["PolicyArn"]).tags, r, listName: "Tags", EntityShapes.tagMember)
        },
        "CreatePolicyVersion": { s, r in
            let version = try await s.directory.createPolicyVersion(arn: r["PolicyArn"], document: r["PolicyDocument"],
                                                                    setAsDefault: try r.bool("SetAsDefault") ?? false)
            let policy = try s.directory.policy(arn: r["PolicyArn"])
            return [PolicyShapes.version(version, isDefault: policy.defaultVersionId == version.versionId, withDocument: false)]
        },
        "GetPolicyVersion": { s, r in
            let (version, isDefault) = try s.directory.policyVersion(arn: r["PolicyArn"], versionId: r["VersionId"])
            return [PolicyShapes.version(version, isDefault: isDefault)]
        },
        "ListPolicyVersions": { s, r in
            let (versions, defaultId) = try s.directory.policyVersions(arn: r["PolicyArn"])
            return try paged(versions, r, listName: "Versions") {
                PolicyShapes.version($0, isDefault: $0.versionId == defaultId, withDocument: false, name: "member")
            }
        },
        "DeletePolicyVersion": { s, r in
            try await s.directory.deletePolicyVersion(arn: r["PolicyArn"], versionId: r["VersionId"])
            return nil
        },
        "SetDefaultPolicyVersion": { s, r in
            try await s.directory.setDefaultPolicyVersion(arn: r["PolicyArn"], versionId: r["VersionId"])
            return nil
        },
    ]

    /// `Scope` All (default), AWS or Local; `OnlyAttached`; `PathPrefix`.
    func listPolicies(_ r: IAMRequest) throws -> [XMLNode] {
        let scopeText = r["Scope"] ?? PolicyScope.all.rawValue
        guard let scope = PolicyScope(rawValue: scopeText) else {
            throw IAMError.validation("1 validation error detected: Value '\(scopeText)' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]")
        }
        let policies = try directory.policies(scope: scope, onlyAttached: try r.bool("OnlyAttached") ?? false, pathPrefix: r["PathPrefix"],
                                              usage: try r.policyUsage())
        let snapshot = directory.state.snapshot
        return try Self.paged(policies, r, listName: "Policies") {
            PolicyShapes.policy($0, in: snapshot, detail: false, name: "member")
        }
    }
}
