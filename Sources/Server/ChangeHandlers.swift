import AWSProtocol
import Logging
import ServiceLifecycle
import Synchronization

/// What each part of a node reloads when another node of its cluster changed what the part keeps in memory.
///
/// Parts register a handler per change area (`function`, `iam`, `rule`, …) while they are wired; the cluster's
/// change feed reports changes (`note`) and one loop runs the handlers. Changes arriving while handlers run are
/// coalesced: a burst of writes to one area (a thousand IAM calls) costs one reload of that area per round, and a
/// key-less change (`nil`: the area wholesale, or everything after the feed reconnected) replaces the area's keys.
/// On the embedded store nothing reports changes and the handlers never run.
final class ChangeHandlers: Service, Sendable {
    /// Reloads after a change of `key` (nil: anything in the area).
    typealias Handler = @Sendable (_ key: String?) async throws -> Void

    /// Runs where the change is reported, before anything else happens on this node: cheap, synchronous drops.
    typealias ImmediateHandler = @Sendable (_ key: String?) -> Void

    private struct State {
        var handlers: [String: [Handler]] = [:]
        var immediate: [String: [ImmediateHandler]] = [:]
        /// Changes noted and not yet handled: area → keys (nil: the whole area).
        var pending: [String: Set<String>?] = [:]
        var handled = 0
    }
    private let state = Mutex(State())
    private let wake = WakeSignals()
    private let logger: Logger
    /// How long a failed reload waits before it is tried again.
    let retryAfter: Duration

    init(logger: Logger, retryAfter: Duration = .seconds(2)) {
        self.logger = logger
        self.retryAfter = retryAfter
    }

    /// Runs `handler` after changes in any of `areas`.
    func on(_ areas: String..., handler: @escaping Handler) {
        state.withLock { s in
            for area in areas { s.handlers[area, default: []].append(handler) }
        }
    }

    /// Runs `handler` as soon as a change in any of `areas` is reported (before the coalesced handlers): for drops that
    /// must not wait, such as a function's cached definition, which the next invoke reads.
    func immediately(_ areas: String..., handler: @escaping ImmediateHandler) {
        state.withLock { s in
            for area in areas { s.immediate[area, default: []].append(handler) }
        }
    }

    /// The areas some part reloads.
    var areas: Set<String> { state.withLock { Set($0.handlers.keys) } }

    /// Rounds of handlers run (tests, the log).
    var handled: Int { state.withLock { $0.handled } }

    /// Another node changed `key` in `area` (nil: anything in it).
    /// Runs the immediate handlers of a change (the feed calls this where it reads the change; `note` does not).
    func noteImmediately(area: String, key: String?) {
        for handler in state.withLock({ $0.immediate[area] ?? [] }) { handler(key) }
    }

    /// Runs every immediate handler wholesale.
    func noteEverythingImmediately() {
        let immediate = state.withLock { $0.immediate.values.flatMap { $0 } }
        for handler in immediate { handler(nil) }
    }

    func note(area: String, key: String?) {
        let known = state.withLock { s -> Bool in
            guard s.handlers[area] != nil else { return false }
            if let key, case .some(.some(var keys)) = s.pending[area] {
                keys.insert(key)
                s.pending[area] = .some(keys)
            } else if let key, s.pending[area] == nil {
                s.pending[area] = .some([key])
            } else {
                s.pending[area] = .some(nil)
            }
            return true
        }
        if known { wake.signal("changes") }
    }

    /// Changes may have been missed (the feed reconnected): every area reloads wholesale.
    func noteEverything() {
        state.withLock { s in
            for area in s.handlers.keys { s.pending[area] = .some(nil) }
        }
        wake.signal("changes")
    }

    /// Runs the handlers of what was noted until none is pending; the loop of `run`, callable from tests.
    func handlePending() async {
        while true {
            let (batch, handlers) = state.withLock { s -> ([String: Set<String>?], [String: [Handler]]) in
                let batch = s.pending
                s.pending = [:]
                return (batch, s.handlers)
            }
            if batch.isEmpty { return }
            var failed: [(area: String, key: String?)] = []
            for (area, keys) in batch.sorted(by: { $0.key < $1.key }) {
                let targets: [String?] = keys.map { $0.sorted().map(Optional.some) } ?? [nil]
                for handler in handlers[area] ?? [] {
                    for key in targets {
                        do {
                            try await handler(key)
                        } catch {
                            // Tried again in a moment (the database may be away): a stale cache must not wait for the
                            // area's next change.
                            failed.append((area, key))
                            logger.warning("reloading after another node's change failed", metadata: [
                                "area": "\(area)", "key": "\(key ?? "*")", "error": "\(error)"])
                        }
                    }
                }
            }
            state.withLock { $0.handled += 1 }
            if !failed.isEmpty {
                let retryAfter = self.retryAfter
                Task { [weak self] in
                    try? await Task.sleep(for: retryAfter)
                    for (area, key) in failed { self?.note(area: area, key: key) }
                }
            }
        }
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let seen = wake.generation(of: "changes")
                await handlePending()
                await wake.wait(on: "changes", since: seen, timeout: .seconds(60))
            }
        } onGracefulShutdown: {
            self.wake.signal("changes")
        }
    }
}
