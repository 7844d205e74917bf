/// A policy's compiled statements, laid out for evaluation: the action and resource patterns of every statement sit
/// in one `PatternTable` of plain values, so that rejecting a statement touches no reference counts; only a statement
/// whose action and resource match is asked about its principal and conditions.
final class CompiledStatements: Sendable {
    /// The part of a statement checked first, as plain values.
    struct Header: Sendable {
        var actions: Range<Int>
        var actionsNegated: Bool
        /// Nil when the statement names no resources (trust policies): every resource.
        var resources: Range<Int>?
        var resourcesNegated: Bool
        /// Whether the statement has a principal element or conditions to check after its action and resource.
        var hasMore: Bool
    }

    let statements: [Statement]
    let headers: [Header]
    let patterns: PatternTable
    let denies: StatementIndex
    let allows: StatementIndex

    init(_ statements: [Statement]) {
        var patterns = PatternTable()
        var headers: [Header] = []
        for statement in statements {
            let actions = patterns.append(statement.actions)
            let resources = statement.resources.map { patterns.append($0) }
            headers.append(Header(
                actions: actions, actionsNegated: statement.actionsNegated,
                resources: resources, resourcesNegated: statement.resourcesNegated,
                hasMore: statement.principal != nil || !statement.conditions.isEmpty))
        }
        self.statements = statements
        self.headers = headers
        self.patterns = patterns
        self.denies = StatementIndex(statements, effect: .deny)
        self.allows = StatementIndex(statements, effect: .allow)
    }

    /// Whether a statement of `index` covers the request.
    func anyMatches(_ index: StatementIndex, _ context: EvaluationContext, delegatingAccounts: Bool) -> Bool {
        headers.withUnsafeBufferPointer { headers in
            patterns.withTable { table in
                index.contains(context) { i in
                    let header = headers[i]
                    guard table.anyMatches(header.actions, context.action, context) != header.actionsNegated else {
                        return false
                    }
                    if let resources = header.resources,
                       table.anyMatches(resources, context.resource, context) == header.resourcesNegated {
                        return false
                    }
                    // `statements` keeps every statement alive for the whole call: no need to retain the one asked.
                    return !header.hasMore || Unmanaged.passUnretained(statements[i])._withUnsafeGuaranteedRef {
                        $0.principalAndConditionsMatch(context, delegatingAccounts: delegatingAccounts)
                    }
                }
            }
        }
    }
}

/// A policy's statements of one effect, grouped by the services their actions name, so that a request for
/// `lambda:…` looks only at statements that can cover a Lambda action. Services are few per policy, so they are
/// found by scanning precomputed hashes rather than by hashing into a dictionary.
struct StatementIndex: Sendable {
    struct Group: Sendable {
        let hash: UInt64
        let service: String
        let statements: [Int]
    }

    let groups: [Group]
    /// Statements that may cover any service: `*` or a wildcard in the vendor, or `NotAction`.
    let anyService: [Int]

    init(_ statements: [Statement], effect: Statement.Effect) {
        var byService: [String: [Int]] = [:]
        var anyService: [Int] = []
        for (index, statement) in statements.enumerated() where statement.effect == effect {
            if let services = statement.services {
                for service in services { byService[service, default: []].append(index) }
            } else {
                anyService.append(index)
            }
        }
        self.groups = byService.keys.sorted().map { Group(hash: foldedHash($0), service: $0, statements: byService[$0]!) }
        self.anyService = anyService
    }

    /// Whether `body` holds for a statement that may cover an action of the context's service.
    @inline(__always)
    func contains(_ context: EvaluationContext, where body: (Int) -> Bool) -> Bool {
        for index in anyService where body(index) { return true }
        for group in groups where group.hash == context.serviceHash && group.service == context.service {
            for index in group.statements where body(index) { return true }
        }
        return false
    }
}
