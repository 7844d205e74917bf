import Foundation
@testable import Invoker
import Synchronization
import Testing

/// A stand-in stem cell: alive until killed (by the test, or `terminate`); counts who claimed it.
final class FakeCell: PooledStemCell {
    let id: String
    let origin: String
    private struct State {
        var alive = true
        var claims = 0
        var terminated = false
        var onDeath: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    init(id: String, origin: String = "") {
        self.id = id
        self.origin = origin
    }

    func claim() -> Bool {
        state.withLock { s in
            guard s.alive else { return false }
            s.claims += 1
            s.onDeath = nil
            return true
        }
    }

    func whenDead(_ body: @escaping @Sendable () -> Void) {
        let dead = state.withLock { s -> Bool in
            if s.alive { s.onDeath = body }
            return !s.alive
        }
        if dead { body() }
    }

    /// Its process dies.
    func kill() {
        let body = state.withLock { s -> (@Sendable () -> Void)? in
            s.alive = false
            defer { s.onDeath = nil }
            return s.onDeath
        }
        body?()
    }

    func terminate() {
        state.withLock { $0.terminated = true }
        kill()
    }

    var claims: Int { state.withLock { $0.claims } }
    var terminated: Bool { state.withLock { $0.terminated } }
}

/// Makes fake cells, counts them, and can be told to fail or to hold creations until released.
final class FakeFactory: Sendable {
    private struct State {
        var made: [FakeCell] = []
        var failing = false
        var held = false
        var origin = ""
    }
    private let state = Mutex(State())

    func make(_ runtime: String) async throws -> FakeCell {
        while state.withLock({ $0.held }) { try? await Task.sleep(for: .milliseconds(1)) }
        return try state.withLock { s in
            if s.failing { throw CancellationError() }
            let cell = FakeCell(id: "\(runtime)-\(s.made.count)", origin: s.origin)
            s.made.append(cell)
            return cell
        }
    }

    var made: [FakeCell] { state.withLock { $0.made } }
    func fail(_ failing: Bool) { state.withLock { $0.failing = failing } }
    /// What the cells made from now on are started from.
    func startFrom(_ origin: String) { state.withLock { $0.origin = origin } }
    /// Creations wait while held (so a test's takes cannot race a refill).
    func hold(_ held: Bool) { state.withLock { $0.held = held } }
}

/// Waits (without sleeping blindly) until `condition` holds, or fails the test at the deadline (generous: on two busy
/// cores a parallel test run can keep the cooperative pool from the pool's creation tasks for seconds).
func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () -> Bool) async {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now >= deadline {
            Issue.record("timed out waiting until \(what)")
            return
        }
        await Task.yield()
        try? await Task.sleep(for: .milliseconds(1))
    }
}

@Suite struct StemCellPoolTests {
    func pool(maximum: Int = 4, initial: Int = 2, factory: FakeFactory, shrinkAfter: Duration = .seconds(60)) -> StemCellPool<FakeCell> {
        StemCellPool(configuration: .init(maximum: maximum, initial: initial, shrinkAfter: shrinkAfter),
                     factory: { try await factory.make($0) })
    }

    @Test func warmingFillsToTheInitialSizeAndNoFurther() async {
        let factory = FakeFactory()
        let stems = pool(factory: factory)
        stems.warm("python3.11")
        await waitUntil("two cells are ready") { stems.counts["python3.11"]?.ready == 2 }
        #expect(stems.counts["python3.11"] == .init(ready: 2, starting: 0, target: 2, hits: 0, misses: 0))
        #expect(factory.made.count == 2)
    }

    @Test func aCellIsHandedOutOnceAndReplaced() async {
        let factory = FakeFactory()
        let stems = pool(factory: factory)
        stems.warm("python3.11")
        await waitUntil("two cells are ready") { stems.counts["python3.11"]?.ready == 2 }
        var taken: [FakeCell] = []
        for _ in 0..<6 {
            guard let cell = stems.take("python3.11") else { continue }
            taken.append(cell)
            await waitUntil("the pool is refilled") { stems.counts["python3.11"]?.ready == 2 }
        }
        #expect(taken.count == 6)
        #expect(Set(taken.map(\.id)).count == 6, "no cell is given twice")
        #expect(taken.allSatisfy { $0.claims == 1 })
        #expect(stems.counts["python3.11"]?.hits == 6)
    }

    @Test func aDeferredTakeRefillsOnlyWhenAsked() async {
        let factory = FakeFactory()
        let stems = pool(factory: factory)
        stems.warm("python3.11")
        await waitUntil("two cells are ready") { stems.counts["python3.11"]?.ready == 2 }
        #expect(stems.take("python3.11", deferRefill: true) != nil)
        #expect(stems.counts["python3.11"]?.ready == 1)
        #expect(stems.counts["python3.11"]?.starting == 0)
        #expect(factory.made.count == 2)
        stems.replenish("python3.11")
        await waitUntil("the pool is refilled") { stems.counts["python3.11"]?.ready == 2 }
        #expect(factory.made.count == 3)
    }

    @Test func concurrentTakersNeverShareACell() async {
        let factory = FakeFactory()
        let stems = pool(maximum: 8, initial: 8, factory: factory)
        stems.warm("python3.11")
        await waitUntil("eight cells are ready") { stems.counts["python3.11"]?.ready == 8 }
        let ids = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { stems.take("python3.11")?.id } }
            var ids: [String] = []
            for await id in group { if let id { ids.append(id) } }
            return ids
        }
        #expect(ids.count == 8)
        #expect(Set(ids).count == 8)
    }

    @Test func missesGrowThePoolUpToItsMaximum() async {
        let factory = FakeFactory()
        let stems = pool(maximum: 3, initial: 1, factory: factory)
        // Nothing warmed and nothing created meanwhile: every take misses and raises the target.
        factory.hold(true)
        for _ in 0..<5 { #expect(stems.take("python3.11") == nil) }
        factory.hold(false)
        #expect(stems.counts["python3.11"]?.target == 3)
        #expect(stems.counts["python3.11"]?.misses == 5)
        await waitUntil("the pool reaches its maximum") { stems.counts["python3.11"]?.ready == 3 }
        #expect(factory.made.count == 3)
    }

    /// A runtime whose pool does not fill at start (Node.js) gets one cell at its first cold start, not the initial size.
    @Test func aRuntimeNotWarmedStartsWithOneCellAtItsFirstMiss() async {
        let factory = FakeFactory()
        let stems = pool(maximum: 4, initial: 2, factory: factory)
        #expect(stems.take("nodejs20.x") == nil)
        #expect(stems.counts["nodejs20.x"]?.target == 1)
        await waitUntil("the first cell") { stems.counts["nodejs20.x"]?.ready == 1 }
        #expect(factory.made.count == 1)
    }

    @Test func aQuietPoolShrinksBackToItsInitialSize() async {
        let factory = FakeFactory()
        let stems = pool(maximum: 3, initial: 1, factory: factory, shrinkAfter: .zero)
        factory.hold(true)
        for _ in 0..<3 { _ = stems.take("python3.11") }
        factory.hold(false)
        await waitUntil("the pool grew") { stems.counts["python3.11"]?.ready == 3 }
        // Hits long (here: zero seconds) after the last miss shrink the target by one each, and nothing refills them.
        #expect(stems.take("python3.11") != nil)
        #expect(stems.take("python3.11") != nil)
        #expect(stems.counts["python3.11"]?.target == 1)
        #expect(stems.counts["python3.11"]?.ready == 1)
        #expect(factory.made.count == 3)
    }

    @Test func aCellThatDiesWhileWaitingIsReplacedAndNeverHandedOut() async {
        let factory = FakeFactory()
        let stems = pool(factory: factory)
        stems.warm("python3.11")
        await waitUntil("two cells are ready") { stems.counts["python3.11"]?.ready == 2 }
        let victim = factory.made[0]
        victim.kill()
        await waitUntil("the dead cell is replaced") { factory.made.count == 3 && stems.counts["python3.11"]?.ready == 2 }
        for _ in 0..<2 {
            let cell = stems.take("python3.11")
            #expect(cell != nil)
            #expect(cell?.id != victim.id)
        }
        #expect(victim.claims == 0)
    }

    @Test func aDeadCellStillListedIsSkipped() async {
        let factory = FakeFactory()
        let stems = pool(maximum: 1, initial: 1, factory: factory)
        stems.warm("python3.11")
        await waitUntil("one cell is ready") { stems.counts["python3.11"]?.ready == 1 }
        // Dead, but its death not yet reported to the pool: `claim` refuses it.
        let cell = factory.made[0]
        let dead = FakeCell(id: "x")
        dead.kill()
        #expect(!dead.claim())
        #expect(stems.take("python3.11")?.id == cell.id)
    }

    @Test func failedCreationsStopUntilTheNextTake() async {
        let factory = FakeFactory()
        factory.fail(true)
        let stems = pool(factory: factory)
        stems.warm("python3.11")
        await waitUntil("the failure is noted") { stems.counts["python3.11"]?.starting == 0 }
        #expect(stems.counts["python3.11"]?.ready == 0)
        factory.fail(false)
        #expect(stems.take("python3.11") == nil)
        await waitUntil("a take restarts refilling") { (stems.counts["python3.11"]?.ready ?? 0) >= 2 }
    }

    @Test func closingHandsBackReadyCellsAndEndsLateOnes() async {
        let factory = FakeFactory()
        let stems = pool(factory: factory)
        stems.warm("python3.11")
        await waitUntil("two cells are ready") { stems.counts["python3.11"]?.ready == 2 }
        let ready = stems.close()
        #expect(ready.count == 2)
        #expect(stems.take("python3.11") == nil)
        #expect(stems.counts["python3.11"]?.ready == 0)
        // Nothing new is made after closing.
        stems.warm("python3.12")
        #expect(factory.made.count == 2)
    }

    @Test func cellsStartedFromAnOlderRuntimeAreEndedAndReplaced() async {
        let factory = FakeFactory()
        factory.startFrom("python 1")
        let stems = pool(factory: factory)
        stems.warm("python3.11")
        await waitUntil("two cells are ready") { stems.counts["python3.11"]?.ready == 2 }
        let old = factory.made
        #expect(stems.take("python3.11", origin: "python 1")?.origin == "python 1")
        await waitUntil("the pool is refilled") { stems.counts["python3.11"]?.ready == 2 }
        // The interpreter was upgraded: no cell started before is handed out, and all of them end.
        factory.startFrom("python 2")
        #expect(stems.take("python3.11", origin: "python 2") == nil, "a miss")
        #expect(old[1].terminated && factory.made[2].terminated)
        #expect(stems.counts["python3.11"]?.replaced == 2)
        await waitUntil("new cells are ready") { (stems.counts["python3.11"]?.ready ?? 0) >= 2 }
        #expect(stems.take("python3.11", origin: "python 2")?.origin == "python 2")
        #expect(stems.take("python3.11")?.origin == "python 2", "a take that names no origin takes any")
    }

    @Test func zeroMaximumTurnsThePoolOff() {
        let factory = FakeFactory()
        let stems = pool(maximum: 0, factory: factory)
        stems.warm("python3.11")
        #expect(stems.take("python3.11") == nil)
        #expect(factory.made.isEmpty)
        #expect(stems.counts.isEmpty)
    }

    @Test func theEnvironmentMessageIsOneLineOfJSON() throws {
        let value = "a\"b\\c\nd\te\u{1}é"
        let text = StemCell.environmentMessage([("K", value), ("TZ", ":UTC")], workdir: "/var/task")
        #expect(text.filter { $0 == "\n" }.count == 1 && text.hasSuffix("\n"), "one line")
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(decoded?["cwd"] as? String == "/var/task")
        #expect((decoded?["env"] as? [String: String]) == ["K": value, "TZ": ":UTC"])
    }

    @Test func functionsSettingProcessStartVariablesStartTheClassicWay() {
        for name in ["PYTHONPATH", "PYTHONHASHSEED", "LD_PRELOAD", "LD_LIBRARY_PATH", "LC_ALL", "LANG", "HOME", "MALLOC_ARENA_MAX",
                     "AWS_LAMBDA_EXEC_WRAPPER"] {
            #expect(EnvironmentHost.readAtProcessStart(name), "\(name)")
        }
        for name in ["FOO", "TZ", "PATH", "AWS_REGION", "TMPDIR"] {
            #expect(!EnvironmentHost.readAtProcessStart(name), "\(name)")
        }
    }
}

/// The memory a test's host claims to have available.
final class FakeMemory: Sendable {
    private let bytes = Mutex<Int?>(nil)
    func set(_ value: Int?) { bytes.withLock { $0 = value } }
    var available: Int? { bytes.withLock { $0 } }
}

@Suite struct StemCellPoolMemoryTests {
    func pool(factory: FakeFactory, memory: FakeMemory) -> StemCellPool<FakeCell> {
        StemCellPool(configuration: .init(maximum: 4, initial: 2, memoryFloorBytes: 1 << 30),
                     factory: { try await factory.make($0) }, availableMemory: { memory.available })
    }

    @Test func noCellIsStartedWhileTheHostIsShortOfMemory() async {
        let factory = FakeFactory()
        let memory = FakeMemory()
        memory.set(512 << 20)
        let stems = pool(factory: factory, memory: memory)
        stems.warm("python3.11")
        #expect(stems.counts["python3.11"] == .init(ready: 0, starting: 0, target: 2, hits: 0, misses: 0, heldForMemory: true))
        #expect(stems.take("python3.11") == nil, "a miss")
        #expect(factory.made.isEmpty)
        #expect(stems.counts["python3.11"]?.target == 3, "misses still count towards the target")
        // Memory came back: the next take (a miss again) refills to the target.
        memory.set(2 << 30)
        #expect(stems.take("python3.11") == nil)
        await waitUntil("the pool is refilled") { stems.counts["python3.11"]?.ready == 4 }
        #expect(stems.counts["python3.11"]?.heldForMemory == false)
    }

    @Test func aHostThatCannotTellItsMemoryIsNotHeldBack() async {
        let factory = FakeFactory()
        let memory = FakeMemory()
        let stems = pool(factory: factory, memory: memory)
        stems.warm("python3.11")
        await waitUntil("two cells are ready") { stems.counts["python3.11"]?.ready == 2 }
    }

    @Test func theFloorIsATwentiethOfTheHostAtLeast256MiB() {
        #expect(StemCellMaker.memoryFloorBytes(total: 24 << 30) == (24 << 30) / 20)
        #expect(StemCellMaker.memoryFloorBytes(total: 2 << 30) == 256 << 20)
        #expect(StemCellMaker.memoryFloorBytes(total: nil) == 256 << 20)
    }

    @Test func meminfoIsReadInBytes() {
        let text = "MemTotal:       24684132 kB\nMemFree:        22749868 kB\nMemAvailable:   24113184 kB\n"
        #expect(HostMemory.parse(text, field: "MemAvailable") == 24113184 * 1024)
        #expect(HostMemory.parse(text, field: "MemTotal") == 24684132 * 1024)
        #expect(HostMemory.parse(text, field: "SwapTotal") == nil)
        #expect(HostMemory.availableBytes().map { $0 > 0 } ?? true)
    }
}
