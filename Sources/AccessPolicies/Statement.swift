/// A compiled policy statement: its effect, action and resource patterns, principal element and conditions.
final class Statement: Sendable {
    enum Effect: Sendable, Equatable {
        case allow, deny
    }

    enum PrincipalElement: Sendable {
        case principal(PrincipalMatcher)
        case notPrincipal(PrincipalMatcher)
    }

    let sid: String?
    let effect: Effect
    let actions: [WildcardPattern]
    /// `NotAction`: the statement covers every action but these.
    let actionsNegated: Bool
    /// Nil when the statement has neither `Resource` nor `NotResource` (trust policies): every resource.
    let resources: [WildcardPattern]?
    /// `NotResource`: the statement covers every resource but these.
    let resourcesNegated: Bool
    /// Nil in identity policies, whose principal is whoever they are attached to.
    let principal: PrincipalElement?
    /// ANDed.
    let conditions: [ConditionClause]

    init(sid: String?, effect: Effect, actions: [WildcardPattern], actionsNegated: Bool, resources: [WildcardPattern]?,
         resourcesNegated: Bool, principal: PrincipalElement?, conditions: [ConditionClause]) {
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.actionsNegated = actionsNegated
        self.resources = resources
        self.resourcesNegated = resourcesNegated
        self.principal = principal
        self.conditions = conditions
    }

    /// The lower-cased services whose actions the statement can cover, or nil when it may cover any service
    /// (a wildcard in a vendor, `*`, or `NotAction`). Used to index statements by service.
    var services: Set<String>? {
        if actionsNegated { return nil }
        var services: Set<String> = []
        for pattern in actions {
            guard let colon = pattern.text.firstIndex(of: ":") else { return nil }
            let vendor = pattern.text[..<colon]
            if vendor.contains(where: { $0 == "*" || $0 == "?" }) { return nil }
            services.insert(asciiLowercased(String(vendor)))
        }
        return services
    }

    /// Whether the principal element (if any) names the caller and the conditions hold; the action and resource
    /// are checked beforehand, from the policy's `PatternTable`.
    func principalAndConditionsMatch(_ context: EvaluationContext, delegatingAccounts: Bool) -> Bool {
        (principal == nil || appliesToPrincipal(context.principal.pointee, delegatingAccounts: delegatingAccounts))
            && (conditions.isEmpty || conditionsHold(context))
    }

    /// See `PrincipalMatcher` for the rules; `delegatingAccounts` is how an account principal of an `Allow`
    /// counts (true for trust policies).
    func appliesToPrincipal(_ caller: RequestPrincipal, delegatingAccounts: Bool) -> Bool {
        switch principal {
        case nil:
            return true
        case .principal(let matcher):
            return matcher.names(caller, delegatingAccounts: effect == .deny || delegatingAccounts)
        case .notPrincipal(let matcher):
            if effect == .deny { return !matcher.sparesFromDeny(caller) }
            return !matcher.names(caller, delegatingAccounts: false)
        }
    }

    func conditionsHold(_ context: EvaluationContext) -> Bool {
        conditions.withUnsafeBufferPointer { clauses in
            for i in 0..<clauses.count {
                // The statement owns its clauses for the whole evaluation: no need to retain each one.
                let holds = Unmanaged.passUnretained(clauses[i])._withUnsafeGuaranteedRef { $0.holds(in: context) }
                if !holds { return false }
            }
            return true
        }
    }
}
