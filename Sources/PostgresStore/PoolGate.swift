import Logging
import PostgresNIO
import Synchronization

/// The store's way to the pool: every query goes through it. While the pool cannot open connections (the database is
/// down or out of reach), one request at a time is let through to find out when it is back and the others fail at once
/// with `PostgresStoreError.unavailable`, rather than waiting in the pool's queue until its circuit breaker trips (a
/// minute): an API call then answers ServiceException in milliseconds, and work that does not need the database
/// (warm invokes of cached functions) goes on.
struct PoolGate: Sendable {
    let pool: PostgresClient
    let health: PoolHealth
    let target: String

    func query(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try await through { try await pool.query(query, logger: logger, file: file, line: line) }
    }

    func execute<Statement: PostgresPreparedStatement, Row>(_ statement: Statement, logger: Logger, file: String = #fileID,
                                                            line: Int = #line) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Row>
        where Row == Statement.Row {
        try await through { try await pool.execute(statement, logger: logger, file: file, line: line) }
    }

    func withConnection<Result>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let probe = try health.admit(target)
        do {
            let result = try await pool.withConnection(body)
            health.succeeded(probe: probe)
            return result
        } catch {
            health.finished(probe: probe)
            throw error
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
        var probing = false
    }
    private let state = Mutex(State())

    /// The pool failed to open a connection.
    func noteConnectionFailure() {
        state.withLock { $0.failing = true }
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
            if probe { s.probing = false }
        }
    }

    func finished(probe: Bool) {
        if probe { state.withLock { $0.probing = false } }
    }
}
