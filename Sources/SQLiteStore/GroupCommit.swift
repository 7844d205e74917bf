import Synchronization

/// Writes that arrive while one is being committed are committed together in the next transaction, so
/// many concurrent small writes (accepted async events) cost a few transactions, not one each. Every
/// caller still returns only after its own item is committed.
final class GroupCommit<Item: Sendable>: Sendable {
    private struct State {
        var pending: [(Item, CheckedContinuation<Void, any Error>)] = []
        var flushing = false
    }
    private let state = Mutex(State())
    private let write: @Sendable ([Item]) async throws -> Void

    init(write: @escaping @Sendable ([Item]) async throws -> Void) {
        self.write = write
    }

    func submit(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { s -> Bool in
                s.pending.append((item, continuation))
                if s.flushing { return false }
                s.flushing = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { s -> [(Item, CheckedContinuation<Void, any Error>)] in
                let batch = s.pending
                s.pending.removeAll()
                if batch.isEmpty { s.flushing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await write(batch.map(\.0))
                for (_, continuation) in batch { continuation.resume() }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
    }
}
