import AWSProtocol
import Logging
import PostgresNIO
import Synchronization

/// The store's way to the pool: every query goes through it. While the pool cannot open connections (the database is
/// down or out of reach), one request at a time is let through to find out when it is back and the others fail at once
/// with `PostgresStoreError.unavailable`, rather than waiting in the pool's queue until its circuit breaker trips (a
/// minute): an API call then answers ServiceException in milliseconds, and work that does not need the database
/// (warm invokes of cached functions) goes on. A request that was already waiting in the pool when connections started
/// failing gives up once they have failed for `PoolHealth.outageGrace` (cancelled: the pool drops it from its queue).
struct PoolGate: Sendable {
    let pool: PostgresClient
    let health: PoolHealth
    let target: String

    func query(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try await through { try await abandonable { try await pool.query(query, logger: logger, file: file, line: line) } }
    }

    func execute<Statement: PostgresPreparedStatement, Row>(_ statement: Statement, logger: Logger, file: String = #fileID,
                                                            line: Int = #line) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Row>
        where Row == Statement.Row {
        try await through { try await bounded { try await pool.execute(statement, logger: logger, file: file, line: line) } }
    }

    func withConnection<Result>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await through { try await bounded { try await pool.withConnection(body) } }
    }

    /// Runs `call` in a task of its own, or gives up with `unavailable` once the pool has failed to open connections for a
    /// while — without waiting for `call` to notice its cancellation (a query on a connection the server dropped
    /// without a word may not, for a while).
    private func abandonable<T: Sendable>(_ call: @escaping @Sendable () async throws -> T) async throws -> T {
        let target = self.target
        let health = self.health
        let started = ContinuousClock.now
        let result: Result<T, any Error> = await firstAnswer({
            do {
                let value = try await call()
                // Also when abandoned: the pool answered, so the database is back.
                health.succeeded(probe: false)
                return .success(value)
            } catch {
                return .failure(error)
            }
        }, {
            await health.waitForOutage(since: started)
            return .failure(PostgresStoreError.unavailable(target))
        })
        return try result.get()
    }

    /// Runs `call`, or gives up with `unavailable` once the pool has failed to open connections for a while (or the
    /// store closes) — after `call` noticed its cancellation (a running query does not: see the log writer).
    private func bounded<T>(_ call: () async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(call) { call in
            // The group awaits both children before returning: the closure and its result never outlive this scope,
            // and only one task touches each at a time.
            let work = Unchecked(value: call)
            let started = ContinuousClock.now
            return try await withThrowingTaskGroup(of: Unchecked<T>?.self) { group in
                group.addTask { Unchecked(value: try await work.value()) }
                group.addTask {
                    await health.waitForOutage(since: started)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else { throw PostgresStoreError.unavailable(target) }
                return result.value
            }
        }
    }

    private func through<T>(_ call: () async throws -> T) async throws -> T {
        let probe = try health.admit(target)
        do {
            let result = try await call()
            health.succeeded(probe: probe)
            return result
        } catch {
            health.finished(probe: probe)
            throw error
        }
    }
}

/// Whether the pool can open connections, as its log says (`ConnectionErrorRecorder`) and as queries that got through
/// show.
final class PoolHealth: Sendable {
    private struct State {
        var failing = false
        var failingSince: ContinuousClock.Instant?
        var probing = false
    }
    /// How long connections must have failed before requests waiting in the pool give up.
    let outageGrace: Duration = .seconds(1)
    /// Once the store is closing (the server shuts down), how long a request may take before it gives up: a shutdown
    /// must not wait on a query stuck on a connection the database dropped.
    let closingGrace: Duration = .seconds(3)
    private let state = Mutex(State())
    private let closingSince = Mutex<ContinuousClock.Instant?>(nil)

    /// The server is shutting down: requests from now on (and those in flight) are given `closingGrace`.
    func beginClosing() {
        closingSince.withLock { $0 = $0 ?? .now }
    }

    /// The pool failed to open a connection.
    func noteConnectionFailure() {
        state.withLock { s in
            if !s.failing { s.failingSince = .now }
            s.failing = true
        }
    }

    /// Returns once connections have been failing for `outageGrace` while a request that started at `started` waited,
    /// or once it has run `closingGrace` while the store closes (never while they work and the store is open;
    /// cancellable).
    func waitForOutage(since started: ContinuousClock.Instant) async {
        while !Task.isCancelled {
            if let since = state.withLock({ $0.failing ? $0.failingSince : nil }), ContinuousClock.now - max(since, started) >= outageGrace {
                return
            }
            if let closing = closingSince.withLock({ $0 }), ContinuousClock.now - max(closing, started) >= closingGrace {
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    var isFailing: Bool { state.withLock { $0.failing } }

    /// Lets a request through (true: as the one probe while failing), or refuses it while another probes.
    func admit(_ target: String) throws -> Bool {
        try state.withLock { s in
            guard s.failing else { return false }
            guard !s.probing else { throw PostgresStoreError.unavailable(target) }
            s.probing = true
            return true
        }
    }

    func succeeded(probe: Bool) {
        state.withLock { s in
            s.failing = false
            s.failingSince = nil
            if probe { s.probing = false }
        }
    }

    func finished(probe: Bool) {
        if probe { state.withLock { $0.probing = false } }
    }
}

/// A value handed between the tasks of `PoolGate.bounded`, which the compiler cannot see is used by one at a time.
private struct Unchecked<T>: @unchecked Sendable {
    var value: T
}
