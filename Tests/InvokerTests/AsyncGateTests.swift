@testable import Invoker
import Synchronization
import Testing

/// The gate that bounds a SnapStart template's copies in making: no more than its limit inside at once, the others
/// let in as places free up.
@Suite struct AsyncGateTests {
    final class Seen: Sendable {
        let inside = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        let order = Mutex<[Int]>([])
    }

    @Test func atMostTheLimitInsideAndEveryWaiterLetIn() async {
        let gate = AsyncGate(limit: 2)
        let seen = Seen()
        await gate.enter()
        await gate.enter()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<6 {
                group.addTask {
                    await gate.holding {
                        let now = seen.inside.add(1, ordering: .sequentiallyConsistent).newValue
                        _ = seen.most.max(now, ordering: .sequentiallyConsistent)
                        seen.order.withLock { $0.append(i) }
                        await Task.yield()
                        seen.inside.subtract(1, ordering: .sequentiallyConsistent)
                    }
                }
            }
            // Both places are held: all six wait.
            let deadline = ContinuousClock.now + .seconds(10)
            while gate.waiting < 6, ContinuousClock.now < deadline { await Task.yield() }
            #expect(gate.waiting == 6)
            #expect(seen.order.withLock { $0.isEmpty })
            gate.leave()
            gate.leave()
        }
        #expect(seen.most.load(ordering: .sequentiallyConsistent) <= 2)
        #expect(seen.order.withLock { $0.count } == 6)
        #expect(gate.waiting == 0)
    }
}
