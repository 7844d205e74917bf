#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What statements are matched against during one evaluation: the request's principal, its action (lower-cased) and
/// resource as UTF-8, the action's service (to pick candidate statements) and a table of the request's context keys.
/// Everything is borrowed from the request or lives on the stack (large contexts spill to the heap) for the duration
/// of `with`; a context never outlives it.
struct EvaluationContext {
    /// One key of the request's context: its lower-cased name (in `keyBytes`) and hash, its values, and the request
    /// value parsed as an IP address once some `IpAddress` condition asked for it.
    struct Entry {
        var hash: UInt64
        var name: Range<Int>
        var values: [String]
        var addressParsed = false
        var address: IPAddressRange.Address?
    }

    /// The request's principal, borrowed in place.
    let principal: UnsafePointer<RequestPrincipal>
    /// The action, ASCII lower-cased.
    let action: UnsafeBufferPointer<UInt8>
    let resource: UnsafeBufferPointer<UInt8>
    /// The lower-cased vendor prefix of the action (`lambda` for `lambda:InvokeFunction`), empty when it has none.
    let service: String
    let serviceHash: UInt64
    let entries: UnsafeMutableBufferPointer<Entry>
    /// The lower-cased names of the context's keys, back to back.
    let keyBytes: UnsafeBufferPointer<UInt8>

    /// Runs `body` with a context for `request`. The request is not copied and, for contexts of ordinary size, nothing
    /// is allocated on the heap: the lower-cased action, the key names and the key table live on the stack.
    static func with<R>(_ request: AuthorizationRequest, _ body: (EvaluationContext) -> R) -> R {
        withUnsafePointer(to: request) { request in
            var nameBytes = 0
            for key in request.pointee.context.keys { nameBytes += key.utf8.count }
            let keyCount = request.pointee.context.count
            return withUnsafeTemporaryAllocation(of: Entry.self, capacity: max(1, keyCount)) { table in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, nameBytes)) { names in
                    var count = 0, used = 0
                    for (key, values) in request.pointee.context {
                        let start = used
                        var key = key
                        key.withUTF8 { key in
                            for byte in key {
                                names[used] = foldASCII(byte)
                                used += 1
                            }
                        }
                        let name = UnsafeBufferPointer(rebasing: names[start..<used])
                        table.initializeElement(at: count, to: Entry(hash: foldedHash(name), name: start..<used, values: values))
                        count += 1
                    }
                    defer { _ = table.prefix(count).deinitialize() }
                    let entries = UnsafeMutableBufferPointer(rebasing: table[0..<count])
                    let keyBytes = UnsafeBufferPointer(rebasing: names[0..<used])
                    return withFoldedAction(request) { action, service in
                        var resource = request.pointee.resource
                        return resource.withUTF8 { resource in
                            body(EvaluationContext(
                                principal: principal(of: request), action: action, resource: resource,
                                service: String(decoding: service, as: UTF8.self), serviceHash: foldedHash(service),
                                entries: entries, keyBytes: keyBytes))
                        }
                    }
                }
            }
        }
    }

    /// The principal inside the request, in place (a stored property, so its address is the request's plus an offset).
    private static func principal(of request: UnsafePointer<AuthorizationRequest>) -> UnsafePointer<RequestPrincipal> {
        let offset = MemoryLayout<AuthorizationRequest>.offset(of: \.principal)!
        return (UnsafeRawPointer(request) + offset).assumingMemoryBound(to: RequestPrincipal.self)
    }

    /// The request's action lower-cased on the stack, and its vendor prefix.
    private static func withFoldedAction<R>(
        _ request: UnsafePointer<AuthorizationRequest>,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        var action = request.pointee.action
        return action.withUTF8 { original in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, original.count)) { folded in
                for i in 0..<original.count { folded[i] = foldASCII(original[i]) }
                let action = UnsafeBufferPointer(rebasing: folded[0..<original.count])
                let colon = action.firstIndex(of: UInt8(ascii: ":")) ?? 0
                return body(action, UnsafeBufferPointer(rebasing: action[0..<colon]))
            }
        }
    }

    /// Seconds since 1970, for `aws:CurrentTime` and `aws:EpochTime` when the request's context has neither.
    private static func clock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    private static let currentTime = ContextKey("aws:CurrentTime")
    private static let epochTime = ContextKey("aws:EpochTime")

    /// The values of a condition key: the principal's keys from the principal, the time keys from the request's
    /// context or the clock, any other key from the context (names compared case-insensitively).
    func values(of key: ContextKey) -> ContextValues {
        let kind = principal.pointee.kind
        switch key.kind {
        case .principalArn:
            switch kind {
            case .service, .anonymous: return .absent
            case .assumedRole: return .one(principal.pointee.roleArn ?? principal.pointee.arn)
            case .root, .user: return .one(principal.pointee.arn)
            }
        case .principalAccount:
            return kind == .service || kind == .anonymous ? .absent : .one(principal.pointee.accountId)
        case .principalType:
            switch kind {
            case .root: return .one("Account")
            case .user: return .one("User")
            case .assumedRole: return .one("AssumedRole")
            case .anonymous: return .one("Anonymous")
            case .service: return .absent
            }
        case .userId:
            return kind == .service || kind == .anonymous ? .absent : .one(principal.pointee.userId)
        case .username:
            guard kind == .user, let name = principal.pointee.username else { return .absent }
            return .one(name)
        case .principalServiceName:
            guard kind == .service, let name = principal.pointee.serviceName else { return .absent }
            return .one(name)
        case .principalIsAWSService:
            return .one(kind == .service ? "true" : "false")
        case .currentTime:
            let given = contextValues(of: Self.currentTime)
            return given.isAbsent ? .instant(Self.clock(), epoch: false) : given
        case .epochTime:
            let given = contextValues(of: Self.epochTime)
            return given.isAbsent ? .instant(Self.clock(), epoch: true) : given
        case .named:
            return contextValues(of: key)
        }
    }

    /// The value a policy variable stands for, or nil when the key has no single value and there is no default.
    func value(of variable: PolicyVariable) -> String? {
        values(of: variable.key).single ?? variable.defaultValue
    }

    /// The entry of the request's context holding `key`, found by hash and confirmed by name.
    func entry(_ key: ContextKey) -> Int? {
        for i in 0..<entries.count where entries[i].hash == key.hash {
            let name = entries[i].name
            let equal = key.name.utf8.withContiguousStorageIfAvailable { wanted in
                wanted.count == name.count
                    && (name.isEmpty || memcmp(wanted.baseAddress!, keyBytes.baseAddress! + name.lowerBound, name.count) == 0)
            } ?? key.name.utf8.elementsEqual(keyBytes[name])
            if equal { return i }
        }
        return nil
    }

    private func contextValues(of key: ContextKey) -> ContextValues {
        guard let i = entry(key) else { return .absent }
        let values = entries[i].values
        switch values.count {
        case 0: return .absent
        case 1: return .one(values[0])
        default: return .many(values)
        }
    }

    /// The single value of context entry `i` as an IP address, parsed on first use during this evaluation.
    func address(ofEntry i: Int) -> IPAddressRange.Address? {
        if !entries[i].addressParsed {
            entries[i].address = IPAddressRange.address(entries[i].values[0])
            entries[i].addressParsed = true
        }
        return entries[i].address
    }
}
