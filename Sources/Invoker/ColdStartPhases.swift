/// Where the time of one cold start went, phase by phase, up to the runtime's start (the rest, the runtime's init up
/// to its first `next`, is measured by the environment). `InvocationMeter` records them into
/// `swiftlet_cold_start_phase_seconds{path, phase}`.
struct ColdStartPhases: Sendable {
    /// How the environment was made: `stem_cell` (specialised) or `launch` (a new sandbox and interpreter).
    let path: String
    private(set) var phases: [(name: String, duration: Duration)] = []
    private var last: ContinuousClock.Instant

    init(path: String, started: ContinuousClock.Instant) {
        self.path = path
        last = started
    }

    /// When the last phase ended.
    var lastMark: ContinuousClock.Instant { last }

    /// Adds a phase measured elsewhere.
    mutating func append(_ name: String, _ duration: Duration) {
        phases.append((name, duration))
    }

    /// Ends phase `name` now: it took the time since the previous mark (or the start).
    mutating func mark(_ name: String) {
        let now = ContinuousClock.now
        phases.append((name, now - last))
        last = now
    }
}
