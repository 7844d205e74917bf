import PostgresNIO

extension PostgresStore {
    /// Returns once the database answers; fails with `PostgresStoreError.unreachable` when no connection can be had
    /// within the connect timeout (the pool itself would keep trying), `.connectionFailed` when the server refused
    /// (at once: no such database, authentication failed).
    public func ping() async throws {
        let connected = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await self.client.query("SELECT 1", logger: self.logger)
                } catch {
                    // PSQLError's description is deliberately vague; its reflection says what the server answered.
                    throw PostgresStoreError.connectionFailed(self.target, reason: String(reflecting: error))
                }
                return true
            }
            group.addTask {
                // Until the connect timeout, unless the server refuses us first (waiting longer would not help).
                let deadline = ContinuousClock.now + self.connectTimeout
                while ContinuousClock.now < deadline {
                    if let refusal = self.connectionErrors.refusal {
                        throw PostgresStoreError.connectionFailed(self.target, reason: refusal)
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        guard connected else { throw PostgresStoreError.unreachable(target, after: connectTimeout, lastError: connectionErrors.reason) }
    }
}
