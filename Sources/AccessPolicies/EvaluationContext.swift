#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What statements are matched against during one evaluation: the request, its action and resource as UTF-8
/// (borrowed from the request's strings: a context lives only inside `with`), the action's service in lower case
/// (to pick candidate statements), and the time.
struct EvaluationContext {
    let request: AuthorizationRequest
    let action: UnsafeBufferPointer<UInt8>
    let resource: UnsafeBufferPointer<UInt8>
    /// The lower-cased vendor prefix of the action (`lambda` for `lambda:InvokeFunction`), empty when it has none.
    let service: String
    /// Seconds since 1970, for `aws:CurrentTime` and `aws:EpochTime` when the request's context has neither.
    let now: Double

    init(request: AuthorizationRequest, action: UnsafeBufferPointer<UInt8>, resource: UnsafeBufferPointer<UInt8>) {
        self.request = request
        self.action = action
        self.resource = resource
        let colon = action.firstIndex(of: UInt8(ascii: ":")) ?? 0
        self.service = String(unsafeUninitializedCapacity: colon) { buffer in
            for i in 0..<colon { buffer[i] = foldASCII(action[i]) }
            return colon
        }
        self.now = Self.clock()
    }

    /// Runs `body` with a context for `request`; the request's strings stay borrowed while it runs.
    static func with<R>(_ request: AuthorizationRequest, _ body: (EvaluationContext) -> R) -> R {
        var action = request.action
        var resource = request.resource
        return action.withUTF8 { actionBytes in
            resource.withUTF8 { resourceBytes in
                body(EvaluationContext(request: request, action: actionBytes, resource: resourceBytes))
            }
        }
    }

    private static func clock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The values of a condition key: the principal's keys from the principal, the time keys from the request's
    /// context or the clock, any other key from the context (names compared case-insensitively).
    func values(of key: ContextKey) -> ContextValues {
        let principal = request.principal
        let isService = principal.kind == .service
        switch key {
        case .principalArn:
            if isService { return .absent }
            return .one(principal.kind == .assumedRole ? principal.roleArn ?? principal.arn : principal.arn)
        case .principalAccount:
            return isService ? .absent : .one(principal.accountId)
        case .principalType:
            switch principal.kind {
            case .root: return .one("Account")
            case .user: return .one("User")
            case .assumedRole: return .one("AssumedRole")
            case .service: return .absent
            }
        case .userId:
            return isService ? .absent : .one(principal.userId)
        case .username:
            guard principal.kind == .user, let name = principal.username else { return .absent }
            return .one(name)
        case .principalServiceName:
            guard isService, let name = principal.serviceName else { return .absent }
            return .one(name)
        case .principalIsAWSService:
            return .one(isService ? "true" : "false")
        case .currentTime:
            let given = contextValues(named: "aws:currenttime")
            return given.isAbsent ? .instant(now, epoch: false) : given
        case .epochTime:
            let given = contextValues(named: "aws:epochtime")
            return given.isAbsent ? .instant(now, epoch: true) : given
        case .named(let name):
            return contextValues(named: name)
        }
    }

    /// The value a policy variable stands for, or nil when the key has no single value and there is no default.
    func value(of variable: PolicyVariable) -> String? {
        values(of: variable.key).single ?? variable.defaultValue
    }

    /// A key of the request's context, matched case-insensitively against a lower-cased name.
    private func contextValues(named lowerName: String) -> ContextValues {
        let target = lowerName.utf8
        for (key, values) in request.context where key.utf8.count == target.count {
            if zip(key.utf8, target).allSatisfy({ foldASCII($0) == $1 }) {
                switch values.count {
                case 0: return .absent
                case 1: return .one(values[0])
                default: return .many(values)
                }
            }
        }
        return .absent
    }
}
