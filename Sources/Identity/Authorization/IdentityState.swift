import Synchronization

/// The identity data in force: the latest `IdentitySnapshot`, replaced whole after every IAM write.
/// Readers (SigV4 key lookups, authorization) take the current value under a short lock and never wait on the store.
public final class IdentityState: Sendable {
    private let current: Mutex<Versioned>

    struct Versioned: Sendable {
        var snapshot: IdentitySnapshot
        /// Bumped on every replace; caches derived from a snapshot remember the generation they came from.
        var generation: UInt64
    }

    public init(snapshot: IdentitySnapshot = IdentitySnapshot()) {
        current = Mutex(Versioned(snapshot: snapshot, generation: 1))
    }

    public var snapshot: IdentitySnapshot {
        current.withLock { $0.snapshot }
    }

    /// The snapshot and its generation, read together.
    public var versioned: (snapshot: IdentitySnapshot, generation: UInt64) {
        current.withLock { ($0.snapshot, $0.generation) }
    }

    public var generation: UInt64 {
        current.withLock { $0.generation }
    }

    public func replace(_ snapshot: IdentitySnapshot) {
        current.withLock {
            $0.snapshot = snapshot
            $0.generation += 1
        }
    }
}
