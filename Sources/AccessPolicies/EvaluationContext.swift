#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What statements are matched against during one evaluation: the request, its action and resource as UTF-8, the
/// action's service (to pick candidate statements), a table of the context's keys by hash, and the time.
/// The buffers are borrowed from the request for the duration of `with`; a context never outlives it.
struct EvaluationContext {
    /// One key of the request's context: its case-folded hash and where the dictionary holds it.
    struct Entry {
        var hash: UInt64
        var index: Dictionary<String, [String]>.Index
    }

    let request: AuthorizationRequest
    /// The action, ASCII lower-cased.
    let action: UnsafeBufferPointer<UInt8>
    let resource: UnsafeBufferPointer<UInt8>
    /// The lower-cased vendor prefix of the action (`lambda` for `lambda:InvokeFunction`), empty when it has none.
    let service: String
    let serviceHash: UInt64
    let entries: UnsafeBufferPointer<Entry>
    /// Seconds since 1970, for `aws:CurrentTime` and `aws:EpochTime` when the request's context has neither.
    let now: Double

    /// Runs `body` with a context for `request`. Nothing is allocated on the heap: the lower-cased action and the
    /// key table live on the stack.
    static func with<R>(_ request: AuthorizationRequest, _ body: (EvaluationContext) -> R) -> R {
        var action = request.action
        var resource = request.resource
        let context = request.context
        return withUnsafeTemporaryAllocation(of: Entry.self, capacity: max(1, context.count)) { table in
            var count = 0
            var index = context.startIndex
            while index != context.endIndex {
                var key = context.keys[index]
                table.initializeElement(at: count, to: Entry(hash: key.withUTF8(foldedHash), index: index))
                count += 1
                index = context.index(after: index)
            }
            defer { _ = table.prefix(count).deinitialize() }
            return action.withUTF8 { original in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, original.count)) { folded in
                    for i in 0..<original.count { folded[i] = foldASCII(original[i]) }
                    let actionBytes = UnsafeBufferPointer(rebasing: folded[0..<original.count])
                    let colon = actionBytes.firstIndex(of: UInt8(ascii: ":")) ?? 0
                    let service = UnsafeBufferPointer(rebasing: actionBytes[0..<colon])
                    return resource.withUTF8 { resourceBytes in
                        body(EvaluationContext(
                            request: request, action: actionBytes, resource: resourceBytes,
                            service: String(decoding: service, as: UTF8.self), serviceHash: foldedHash(service),
                            entries: UnsafeBufferPointer(rebasing: table[0..<count]), now: clock()))
                    }
                }
            }
        }
    }

    private static func clock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    private static let currentTimeHash = foldedHash("aws:currenttime")
    private static let epochTimeHash = foldedHash("aws:epochtime")

    /// The values of a condition key: the principal's keys from the principal, the time keys from the request's
    /// context or the clock, any other key from the context (names compared case-insensitively).
    func values(of key: ContextKey) -> ContextValues {
        let kind = request.principal.kind
        switch key {
        case .principalArn:
            switch kind {
            case .service: return .absent
            case .assumedRole: return .one(request.principal.roleArn ?? request.principal.arn)
            case .root, .user: return .one(request.principal.arn)
            }
        case .principalAccount:
            return kind == .service ? .absent : .one(request.principal.accountId)
        case .principalType:
            switch kind {
            case .root: return .one("Account")
            case .user: return .one("User")
            case .assumedRole: return .one("AssumedRole")
            case .service: return .absent
            }
        case .userId:
            return kind == .service ? .absent : .one(request.principal.userId)
        case .username:
            guard kind == .user, let name = request.principal.username else { return .absent }
            return .one(name)
        case .principalServiceName:
            guard kind == .service, let name = request.principal.serviceName else { return .absent }
            return .one(name)
        case .principalIsAWSService:
            return .one(kind == .service ? "true" : "false")
        case .currentTime:
            let given = contextValues(named: "aws:currenttime", hash: Self.currentTimeHash)
            return given.isAbsent ? .instant(now, epoch: false) : given
        case .epochTime:
            let given = contextValues(named: "aws:epochtime", hash: Self.epochTimeHash)
            return given.isAbsent ? .instant(now, epoch: true) : given
        case .named(let name, let hash):
            return contextValues(named: name, hash: hash)
        }
    }

    /// The value a policy variable stands for, or nil when the key has no single value and there is no default.
    func value(of variable: PolicyVariable) -> String? {
        values(of: variable.key).single ?? variable.defaultValue
    }

    /// A key of the request's context, found by hash and confirmed case-insensitively against a lower-cased name.
    private func contextValues(named lowerName: String, hash: UInt64) -> ContextValues {
        for entry in entries where entry.hash == hash {
            var (key, values) = request.context[entry.index]
            var name = lowerName
            guard key.utf8.count == name.utf8.count, key.withUTF8({ key in
                name.withUTF8 { name in
                    for i in 0..<key.count where foldASCII(key[i]) != name[i] { return false }
                    return true
                }
            }) else { continue }
            switch values.count {
            case 0: return .absent
            case 1: return .one(values[0])
            default: return .many(values)
            }
        }
        return .absent
    }
}
