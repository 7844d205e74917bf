import Foundation
import Synchronization

/// When and where each access key was last used, kept in memory (every authenticated request updates it) and
/// written to the store in batches: the first use after a quiet spell is written at once, later ones at most once
/// per `interval`, so a busy key costs one store write a minute, not one a request.
final class AccessKeyUsage: Sendable {
    private struct State {
        var latest: [String: AccessKeyLastUsed] = [:]
        /// Keys whose latest use is not in the store yet.
        var unwritten: Set<String> = []
        var lastWrite: ContinuousClock.Instant?
        var writeScheduled = false
    }

    let interval: Duration
    private let state = Mutex(State())

    init(interval: Duration) {
        self.interval = interval
    }

    func load(_ uses: [String: AccessKeyLastUsed]) {
        state.withLock { $0.latest = uses; $0.unwritten = [] }
    }

    /// Records a use; returns how long to wait before writing, when a write must now be scheduled.
    func note(_ accessKeyId: String, _ use: AccessKeyLastUsed) -> Duration? {
        state.withLock { s in
            s.latest[accessKeyId] = use
            s.unwritten.insert(accessKeyId)
            guard !s.writeScheduled else { return nil }
            s.writeScheduled = true
            guard let last = s.lastWrite else { return .zero }
            let since = ContinuousClock.now - last
            return since >= interval ? .zero : interval - since
        }
    }

    func lastUse(of accessKeyId: String) -> AccessKeyLastUsed? {
        state.withLock { $0.latest[accessKeyId] }
    }

    func forget(_ accessKeyId: String) {
        state.withLock { s in
            s.latest[accessKeyId] = nil
            s.unwritten.remove(accessKeyId)
        }
    }

    /// Takes the uses not yet written (the caller writes them).
    func takeUnwritten() -> [String: AccessKeyLastUsed] {
        state.withLock { s in
            var batch: [String: AccessKeyLastUsed] = [:]
            for id in s.unwritten { batch[id] = s.latest[id] }
            s.unwritten = []
            s.writeScheduled = false
            s.lastWrite = .now
            return batch
        }
    }

    /// Puts back a batch whose write failed, unless newer uses replaced it meanwhile.
    func restore(_ batch: [String: AccessKeyLastUsed]) {
        state.withLock { s in
            for (id, use) in batch where s.latest[id] == use { s.unwritten.insert(id) }
        }
    }
}

extension IAMDirectory {
    /// Called for every request signed with a user's access key: cheap (memory only); the store is written in the
    /// background, at most once per interval.
    public func noteAccessKeyUsed(_ accessKeyId: String, service: String, region: String) {
        let use = AccessKeyLastUsed(date: now, serviceName: service, region: region)
        guard let delay = keyUsage.note(accessKeyId, use) else { return }
        Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
            await self.writeAccessKeyUsage()
        }
    }

    /// Writes every use not yet in the store (also at shutdown, so no use is lost).
    public func writeAccessKeyUsage() async {
        let batch = keyUsage.takeUnwritten()
        guard !batch.isEmpty else { return }
        do {
            try await store.recordAccessKeyUse(batch)
        } catch {
            keyUsage.restore(batch)
            logger.error("cannot record access key use", metadata: ["keys": "\(batch.count)", "error": "\(error)"])
        }
    }

    /// GetAccessKeyLastUsed: the key's owner and its last use (nil when it was never used).
    public func accessKeyLastUsed(_ accessKeyId: String) throws(IAMError) -> (userName: String, lastUsed: AccessKeyLastUsed?) {
        guard let key = state.snapshot.accessKeys[accessKeyId] else { throw .noSuchAccessKey(accessKeyId) }
        return (key.userName, keyUsage.lastUse(of: accessKeyId))
    }
}
