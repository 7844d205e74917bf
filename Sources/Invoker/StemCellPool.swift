import Synchronization

/// What `StemCellPool` keeps: a started, not yet specialised environment.
protocol PooledStemCell: AnyObject, Sendable {
    var id: String { get }
    /// What the cell was started from (its interpreter's and runtime client's files, `EnvironmentHost.stemCellOrigin`):
    /// a cell whose origin is no longer the runtime's is never handed out.
    var origin: String { get }
    /// Makes the cell the caller's: after this its death no longer reaches the pool (`whenDead`), and the caller
    /// owns its end. False when it already died (and the pool's handler ran).
    func claim() -> Bool
    /// Runs `body` once if the cell dies before it is claimed.
    func whenDead(_ body: @escaping @Sendable () -> Void)
    /// Ends an unclaimed cell; its death then comes through `whenDead`.
    func terminate()
}

/// Per runtime, a few stem cells ready to become a function's environment (`StemCell`), so a cold start skips the
/// interpreter's start and the runtime client's import.
///
/// Each runtime's pool has a target size: `initial` at first, one more at every miss (a take that found no cell),
/// up to `maximum` (the `--stem-cells` flag, which bounds the memory idle cells hold); one less at a hit when the last
/// miss is older than `shrinkAfter`, down to `initial` again. After every take, death or creation the pool refills
/// towards its target, creating at most `parallelStarts` cells of a runtime at once so refilling never crowds out the
/// cold starts it is there to spare. A cell leaves the pool once, through `take`; one that died while waiting is
/// dropped and replaced. A failed creation stops refilling until the next take (a broken runtime does not spin).
/// A take that names the runtime's current origin ends every ready cell started from another (the interpreter or
/// the runtime client changed on disk since) and refills with new ones.
/// No cell is started while the host's available memory is below `memoryFloorBytes` (functions need it more than
/// spares do): refilling resumes at the next take or death that finds enough again.
final class StemCellPool<Cell: PooledStemCell>: Sendable {
    struct Configuration: Sendable {
        var maximum: Int
        var initial: Int
        var shrinkAfter: Duration = .seconds(60)
        var parallelStarts = 2
        /// Below this much available host memory no cell is started (nil: no floor).
        var memoryFloorBytes: Int?

        init(maximum: Int, initial: Int? = nil, shrinkAfter: Duration = .seconds(60), parallelStarts: Int = 2,
             memoryFloorBytes: Int? = nil) {
            self.maximum = max(0, maximum)
            self.initial = min(self.maximum, initial ?? 2)
            self.shrinkAfter = shrinkAfter
            self.parallelStarts = max(1, parallelStarts)
            self.memoryFloorBytes = memoryFloorBytes
        }
    }

    /// The host's available memory in bytes, nil when unknown (`HostMemory.availableBytes` but in tests).
    typealias MemoryProbe = @Sendable () -> Int?

    /// Creates one cell of a runtime (blocking work belongs off the cooperative pool, in the factory).
    typealias Factory = @Sendable (_ runtime: String) async throws -> Cell

    /// One runtime's figures (`/metrics`, tests).
    struct Counts: Sendable, Equatable {
        var ready = 0
        var starting = 0
        var target = 0
        var hits = 0
        var misses = 0
        /// Refilling waits for memory (the host was below the floor at the last try).
        var heldForMemory = false
        /// Ready cells ended because their interpreter or runtime client changed on disk.
        var replaced = 0
    }

    private struct Runtime {
        var ready: [Cell] = []
        var starting = 0
        var target: Int
        var lastMiss: ContinuousClock.Instant?
        var hits = 0
        var misses = 0
        var replaced = 0
        /// Set by a failed creation: no refilling until the next take.
        var failed = false
        var heldForMemory = false
    }

    private struct State {
        var runtimes: [String: Runtime] = [:]
        var closed = false
    }

    let configuration: Configuration
    private let factory: Factory
    private let state = Mutex(State())
    /// Told of every creation that failed (for the log).
    private let onFailure: @Sendable (String, any Error) -> Void
    private let availableMemory: MemoryProbe

    init(configuration: Configuration, factory: @escaping Factory,
         onFailure: @escaping @Sendable (String, any Error) -> Void = { _, _ in },
         availableMemory: @escaping MemoryProbe = { HostMemory.availableBytes() }) {
        self.configuration = configuration
        self.factory = factory
        self.onFailure = onFailure
        self.availableMemory = availableMemory
    }

    var isEnabled: Bool { configuration.maximum > 0 }

    /// Starts filling `runtime`'s pool to its initial size.
    func warm(_ runtime: String) {
        guard isEnabled else { return }
        state.withLock { s in
            guard !s.closed, s.runtimes[runtime] == nil else { return }
            s.runtimes[runtime] = Runtime(target: configuration.initial)
        }
        refill(runtime)
    }

    /// A live cell of `runtime`, now the caller's alone; nil when none is ready (a miss: the pool grows and refills).
    /// With `deferRefill`, a hit leaves refilling to the caller's `replenish` (after its cold start: creating a cell
    /// takes the CPU the specialised environment needs for its init on a small host).
    func take(_ runtime: String, origin: String? = nil, deferRefill: Bool = false) -> Cell? {
        guard isEnabled else { return nil }
        var excess: [Cell] = []
        let cell = state.withLock { s -> Cell? in
            guard !s.closed else { return nil }
            // A runtime not warmed at start gets its first cell at its first miss.
            var r = s.runtimes[runtime] ?? Runtime(target: 0)
            defer { s.runtimes[runtime] = r }
            r.failed = false
            if let origin, r.ready.contains(where: { $0.origin != origin }) {
                excess += r.ready.filter { $0.origin != origin }
                r.ready.removeAll { $0.origin != origin }
                r.replaced += excess.count
            }
            // Oldest first: a cell that waited longest is the likeliest to have died (and be skipped) or be stale.
            while !r.ready.isEmpty {
                let cell = r.ready.removeFirst()
                guard cell.claim() else { continue }
                r.hits += 1
                let now = ContinuousClock.now
                if r.target > configuration.initial, r.lastMiss.map({ now - $0 >= configuration.shrinkAfter }) ?? true {
                    r.target -= 1
                    r.lastMiss = now
                }
                while r.ready.count > r.target { excess.append(r.ready.removeLast()) }
                return cell
            }
            r.misses += 1
            r.lastMiss = .now
            r.target = min(configuration.maximum, r.target + 1)
            return nil
        }
        for extra in excess { extra.terminate() }
        if cell == nil || !deferRefill { refill(runtime) }
        return cell
    }

    /// Refills `runtime`'s pool (after a deferred take).
    func replenish(_ runtime: String) {
        refill(runtime)
    }

    /// A cell that died while waiting: dropped, and replaced.
    func died(_ cell: Cell, runtime: String) {
        state.withLock { s in
            s.runtimes[runtime]?.ready.removeAll { $0 === cell }
        }
        refill(runtime)
    }

    /// Creates cells until the runtime's pool reaches its target (within `parallelStarts`).
    private func refill(_ runtime: String) {
        // Read before the lock (a file read); only when a cell would be started.
        let wantsCells = state.withLock { s -> Bool in
            guard !s.closed, let r = s.runtimes[runtime], !r.failed else { return false }
            return r.target - r.ready.count - r.starting > 0 && r.starting < configuration.parallelStarts
        }
        guard wantsCells else { return }
        let short = configuration.memoryFloorBytes.map { floor in availableMemory().map { $0 < floor } ?? false } ?? false
        let starts = state.withLock { s -> Int in
            guard !s.closed, var r = s.runtimes[runtime], !r.failed else { return 0 }
            r.heldForMemory = short
            defer { s.runtimes[runtime] = r }
            guard !short else { return 0 }
            let wanted = r.target - r.ready.count - r.starting
            let n = max(0, min(wanted, configuration.parallelStarts - r.starting))
            r.starting += n
            return n
        }
        for _ in 0..<starts {
            Task { await self.create(runtime) }
        }
    }

    private func create(_ runtime: String) async {
        do {
            let cell = try await factory(runtime)
            cell.whenDead { [weak self] in self?.died(cell, runtime: runtime) }
            let keep = state.withLock { s -> Bool in
                s.runtimes[runtime]?.starting -= 1
                guard !s.closed, var r = s.runtimes[runtime], r.ready.count < r.target else { return false }
                r.ready.append(cell)
                s.runtimes[runtime] = r
                return true
            }
            if !keep { cell.terminate() }
            // A cell that died between its creation and now is dropped by `take`; `died` replaces it.
        } catch {
            state.withLock { s in
                s.runtimes[runtime]?.starting -= 1
                s.runtimes[runtime]?.failed = true
            }
            onFailure(runtime, error)
            return
        }
        refill(runtime)
    }

    /// Stops creating cells and returns the ready ones (the caller ends them); cells still starting are ended as
    /// they arrive.
    func close() -> [Cell] {
        state.withLock { s in
            s.closed = true
            var all: [Cell] = []
            for key in s.runtimes.keys {
                all += s.runtimes[key]!.ready
                s.runtimes[key]!.ready.removeAll()
            }
            return all
        }
    }

    /// Figures of every runtime that has a pool.
    var counts: [String: Counts] {
        state.withLock { s in
            s.runtimes.mapValues { r in
                Counts(ready: r.ready.count, starting: r.starting, target: r.target, hits: r.hits, misses: r.misses,
                       heldForMemory: r.heldForMemory, replaced: r.replaced)
            }
        }
    }

    /// Cells being created now, over every runtime.
    var starting: Int { state.withLock { $0.runtimes.values.reduce(0) { $0 + $1.starting } } }
}
