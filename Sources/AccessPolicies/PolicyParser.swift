/// Reads a policy document, validates it as IAM does for its kind, and compiles its statements.
///
/// Checks run in passes so that a document with several faults reports the one IAM reports first: JSON and the
/// shape of every element, then the version and other "legacy" checks, then the rules of the policy's kind,
/// statement ids, actions and resources, and last the values of actions, principals and condition keys.
struct PolicyParser {
    let kind: PolicyKind

    /// A statement whose elements have the right JSON types, not yet checked against the rules.
    struct RawStatement {
        var sid: String?
        var effect = ""
        var actions: [String]?
        var actionsNegated = false
        var resources: [String]?
        var resourcesNegated = false
        var principal: PolicyJSON?
        var principalNegated = false
        var conditions: [(op: ConditionOperator, key: String, values: [String])] = []
    }

    struct Document {
        var usesVariables: Bool
        var statements: [Statement]
        var id: String?
    }

    private static let documentFields: Set<String> = ["Version", "Id", "Statement"]
    private static let statementFields: Set<String> = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]

    func parse(_ text: String) throws(MalformedPolicy) -> Document {
        guard let json = PolicyJSON(parsing: text) else { throw kind == .trust ? .invalidJSON : .syntax }
        guard case .object(let fields) = json else { throw .syntax }
        var version: String?
        var id: String?
        var statementJSON: PolicyJSON?
        for (name, value) in fields {
            guard Self.documentFields.contains(name) else { throw .syntax }
            switch (name, value) {
            case ("Version", .string(let v)): version = v
            case ("Id", .string(let v)): id = v
            case ("Statement", _): statementJSON = value
            default: throw .syntax
            }
        }
        let raw: [RawStatement]
        switch statementJSON {
        case .object?: raw = [try Self.rawStatement(statementJSON!)]
        case .array(let items)?:
            guard !items.isEmpty else { throw kind == .trust ? .emptyTrustStatement : .syntax }
            var statements: [RawStatement] = []
            for item in items { statements.append(try Self.rawStatement(item)) }
            raw = statements
        default: throw .syntax
        }

        if let version, version != "2012-10-17", version != "2008-10-17" { throw .legacyParsing }
        for statement in raw where statement.effect != "Allow" && statement.effect != "Deny" { throw .legacyParsing }
        for statement in raw {
            for resource in (statement.resources ?? []) { try Self.validateResource(resource) }
        }
        try checkKindRules(raw)
        try Self.checkSids(raw, alphanumeric: kind != .resource)
        for statement in raw where (statement.actions ?? []).isEmpty { throw .missingActions }
        if kind != .trust {
            for statement in raw where (statement.resources ?? []).isEmpty { throw .missingResources }
        }
        for statement in raw {
            for action in statement.actions ?? [] { try Self.validateAction(action) }
        }
        if kind == .trust {
            for statement in raw where !statement.actionsNegated {
                for action in statement.actions ?? [] where !asciiLowercased(action).hasPrefix("sts:") {
                    throw .trustActions
                }
            }
        }
        let usesVariables = version == "2012-10-17"
        var compiled: [Statement] = []
        for statement in raw { compiled.append(try Self.compile(statement, variables: usesVariables)) }
        return Document(usesVariables: usesVariables, statements: compiled, id: id)
    }

    /// Principal, NotPrincipal, Resource and NotResource as the kind of policy allows them.
    private func checkKindRules(_ raw: [RawStatement]) throws(MalformedPolicy) {
        for statement in raw {
            switch kind {
            case .identity:
                if statement.principal != nil { throw .principalInIdentityPolicy }
            case .resource, .trust:
                guard statement.principal != nil else { throw .missingPrincipal }
            }
            if kind == .trust {
                if statement.principalNegated, statement.effect == "Allow" { throw .trustAllowNotPrincipal }
                if statement.resources != nil { throw statement.resourcesNegated ? .trustNotResource : .trustResource }
            }
        }
    }

    private static func checkSids(_ raw: [RawStatement], alphanumeric: Bool) throws(MalformedPolicy) {
        var seen: Set<String> = []
        for statement in raw {
            guard let sid = statement.sid, !sid.isEmpty else { continue }
            if alphanumeric, !sid.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }) {
                throw .sidNotAlphanumeric
            }
            guard seen.insert(sid).inserted else { throw .duplicateSid }
        }
    }

    /// `*`, or `vendor:action` with a vendor of letters, digits, `-` and `.`.
    private static func validateAction(_ action: String) throws(MalformedPolicy) {
        if action == "*" { return }
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 1 else { throw .missingVendor }
        guard parts.count == 2 else { throw .oneColon }
        let vendor = parts[0]
        guard !vendor.isEmpty, vendor.utf8.allSatisfy({ b in
            (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b == 45 || b == 46
        }) else { throw .vendorNotValid(String(vendor)) }
    }

    /// `*`, or an ARN (`arn:partition:vendor:region:account:resource`) with a literal vendor. Like IAM, trailing
    /// components may be left out: `arn:aws:lambda:*:*` is a resource.
    private static func validateResource(_ resource: String) throws(MalformedPolicy) {
        if resource == "*" { return }
        let parts = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "arn", !parts[1].isEmpty else { throw .resourceNotARN(resource) }
        guard parts.count >= 3, !parts[2].isEmpty, !parts[2].contains(where: { $0 == "*" || $0 == "?" }) else {
            throw .resourceVendor
        }
    }

    // MARK: JSON shapes

    private static func rawStatement(_ json: PolicyJSON) throws(MalformedPolicy) -> RawStatement {
        guard case .object(let fields) = json else { throw .syntax }
        var raw = RawStatement()
        var names: Set<String> = []
        for (name, value) in fields {
            guard statementFields.contains(name) else { throw .syntax }
            names.insert(name)
            switch name {
            case "Sid":
                guard case .string(let sid) = value else { throw .syntax }
                raw.sid = sid
            case "Effect":
                guard case .string(let effect) = value, ["allow", "deny"].contains(asciiLowercased(effect)) else {
                    throw .syntax
                }
                raw.effect = effect
            case "Action", "NotAction":
                raw.actions = try strings(value)
                raw.actionsNegated = name == "NotAction"
            case "Resource", "NotResource":
                raw.resources = try strings(value)
                raw.resourcesNegated = name == "NotResource"
            case "Principal", "NotPrincipal":
                raw.principal = value
                raw.principalNegated = name == "NotPrincipal"
            default:
                raw.conditions = try conditions(value)
            }
        }
        guard names.contains("Effect"),
              !(names.contains("Action") && names.contains("NotAction")),
              !(names.contains("Resource") && names.contains("NotResource")),
              !(names.contains("Principal") && names.contains("NotPrincipal")) else { throw .syntax }
        return raw
    }

    /// A string or an array of strings.
    private static func strings(_ json: PolicyJSON) throws(MalformedPolicy) -> [String] {
        switch json {
        case .string(let s): return [s]
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw .syntax }
                out.append(s)
            }
            return out
        default: throw .syntax
        }
    }

    /// `{"Operator": {"key": value-or-values, …}, …}` where values are strings, numbers or booleans.
    private static func conditions(_ json: PolicyJSON) throws(MalformedPolicy) -> [(op: ConditionOperator, key: String, values: [String])] {
        guard case .object(let blocks) = json else { throw .syntax }
        var out: [(op: ConditionOperator, key: String, values: [String])] = []
        for (name, block) in blocks {
            guard let op = ConditionOperator(name: name), case .object(let entries) = block else { throw .syntax }
            for (key, value) in entries {
                var values: [String] = []
                switch value {
                case .array(let items):
                    for item in items {
                        guard let text = item.scalarText else { throw .syntax }
                        values.append(text)
                    }
                default:
                    guard let text = value.scalarText else { throw .syntax }
                    values.append(text)
                }
                out.append((op, key, values))
            }
        }
        return out
    }

    // MARK: Compilation

    private static func compile(_ raw: RawStatement, variables: Bool) throws(MalformedPolicy) -> Statement {
        let actionSyntax = PatternSyntax(wildcards: true, variables: false)
        let resourceSyntax = PatternSyntax(wildcards: true, variables: variables)
        var principal: Statement.PrincipalElement?
        if let json = raw.principal {
            let matcher = try PrincipalMatcher(json)
            principal = raw.principalNegated ? .notPrincipal(matcher) : .principal(matcher)
        }
        var clauses: [ConditionClause] = []
        for condition in raw.conditions {
            clauses.append(try ConditionClause(op: condition.op, key: condition.key, values: condition.values,
                                               variables: variables))
        }
        return Statement(
            sid: raw.sid,
            effect: raw.effect == "Deny" ? .deny : .allow,
            actions: (raw.actions ?? []).map { WildcardPattern($0, syntax: actionSyntax, foldsCase: true) },
            actionsNegated: raw.actionsNegated,
            resources: raw.resources.map { $0.map { WildcardPattern($0, syntax: resourceSyntax, foldsCase: false) } },
            resourcesNegated: raw.resourcesNegated,
            principal: principal,
            conditions: clauses)
    }
}
