import Synchronization

/// The environments of one function version at one revision of its code and configuration.
/// Idle ones are reused last-in first-out, so the warmest (and least likely frozen) goes first.
final class EnvironmentPool: Sendable {
    let functionName: String
    let version: String
    /// The function's RevisionId the environments were built from; a new one retires the pool.
    let revisionId: String

    private struct State {
        var idle: [ExecutionEnvironment] = []
        var all: [String: ExecutionEnvironment] = [:]
        var retired = false
    }
    private let state = Mutex(State())

    init(functionName: String, version: String, revisionId: String) {
        self.functionName = functionName
        self.version = version
        self.revisionId = revisionId
    }

    /// An idle, live environment, if any.
    /// Environments past `ExecutionCredentials.maximumEnvironmentAge` (provisioned ones never idle out) are not
    /// handed out but terminated, so no invocation runs with credentials near their expiry.
    func takeIdle() -> ExecutionEnvironment? {
        var expired: [ExecutionEnvironment] = []
        defer { for env in expired { env.terminate() } }
        return state.withLock { s in
            while let env = s.idle.popLast() {
                if env.isDead { continue }
                if ContinuousClock.now - env.createdAt >= ExecutionCredentials.maximumEnvironmentAge {
                    expired.append(env)
                    continue
                }
                return env
            }
            return nil
        }
    }

    func add(_ env: ExecutionEnvironment) -> Bool {
        state.withLock { s in
            guard !s.retired else { return false }
            s.all[env.id] = env
            return true
        }
    }

    /// Returns an environment after an invocation; false when the pool was retired meanwhile.
    func release(_ env: ExecutionEnvironment) -> Bool {
        state.withLock { s in
            guard !s.retired, s.all[env.id] != nil, !env.isDead,
                  ContinuousClock.now - env.createdAt < ExecutionCredentials.maximumEnvironmentAge else { return false }
            s.idle.append(env)
            return true
        }
    }

    func remove(_ env: ExecutionEnvironment) {
        state.withLock { s in
            s.all[env.id] = nil
            s.idle.removeAll { $0.id == env.id }
        }
    }

    /// Stops handing out environments; returns the idle ones (busy ones are retired on release).
    func retire() -> [ExecutionEnvironment] {
        state.withLock { s in
            s.retired = true
            let idle = s.idle
            s.idle.removeAll()
            return idle
        }
    }

    var environments: [ExecutionEnvironment] { state.withLock { Array($0.all.values) } }
    var idleCount: Int { state.withLock { $0.idle.count } }
}
