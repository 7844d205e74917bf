import Synchronization

/// A wall clock the test moves by hand (ms since 1970).
final class TestClock: Sendable {
    private let value: Mutex<Int64>

    init(_ start: Int64) { value = Mutex(start) }

    var now: Int64 { value.withLock { $0 } }

    func set(_ ms: Int64) { value.withLock { $0 = ms } }

    var function: @Sendable () -> Int64 { { self.now } }
}
