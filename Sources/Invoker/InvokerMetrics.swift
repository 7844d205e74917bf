import Catalog
import PlatformMetrics
import Prometheus
import Synchronization

/// The invoker's part of the platform's metrics: the gauges it publishes when scraped (environments by state,
/// concurrent executions) and, through `InvocationMeter`, the per-invocation counters and histograms.
final class InvokerMetrics: Sendable {
    let platform: PlatformMetrics
    let environments: StateGauge
    let concurrentExecutions: StateGauge
    let unreservedConcurrentExecutions: StateGauge
    /// `swiftlet_snapstart_templates{state}`: templates ready, and standby copies waiting.
    let snapStartTemplates: StateGauge
    /// `swiftlet_cold_start_phase_seconds{path, phase}`, made on first use per series.
    private let phaseHistograms = Mutex<[String: ValueHistogram]>([:])
    /// `swiftlet_stem_cell_claims_total{runtime, result}`.
    private let claimCounters = Mutex<[String: Counter]>([:])
    /// `swiftlet_snapstart_restores_total{result}`.
    private let restoreCounters = Mutex<[String: Counter]>([:])
    /// `swiftlet_snapstart_template_seconds`, made on first use.
    private let templateHistogram = Mutex<[String: ValueHistogram]>([:])
    /// `swiftlet_stem_cells{runtime, state}`, set when scraped.
    private let stemCellGauges = Mutex<[String: Gauge]>([:])

    static let phaseFamily = "swiftlet_cold_start_phase_seconds"
    static let phaseHelp = "Time of each phase of a cold start, by path (stem_cell: a pre-started environment specialised; "
        + "launch: a new sandbox and interpreter; snap_start: a copy of a version's SnapStart template) and phase (cgroups, network, code, sandbox, attach, runtime_init; stem_cell's "
        + "specialise, the attaching of code, layers and /tmp, overlaps its attach)."
    static let phaseBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10]

    init(_ platform: PlatformMetrics) {
        self.platform = platform
        environments = platform.stateGauge(MetricNames.environments, labelNames: ["function", "version", "state"])
        concurrentExecutions = platform.stateGauge(MetricNames.concurrentExecutions, labelNames: ["function"])
        unreservedConcurrentExecutions = platform.stateGauge(MetricNames.unreservedConcurrentExecutions, labelNames: [])
        snapStartTemplates = platform.stateGauge(MetricNames.snapStartTemplates, labelNames: ["function", "version", "state"])
    }

    /// A family's name and help as swift-prometheus takes them (the whole name in `metricName`).
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The series under `key`, made by `make` the first time.
    static func series<Series: Sendable>(_ key: String, in cache: borrowing Mutex<[String: Series]>, make: () -> Series) -> Series {
        cache.withLock { all in
            if let existing = all[key] { return existing }
            let made = make()
            all[key] = made
            return made
        }
    }

    /// Records where a cold start's time went.
    func record(_ phases: ColdStartPhases) {
        for (name, duration) in phases.phases {
            let histogram = Self.series(phases.path + "\u{0}" + name, in: phaseHistograms) {
                platform.registry.makeValueHistogram(
                    descriptor: Self.descriptor(Self.phaseFamily, Self.phaseHelp), labels: [("path", phases.path), ("phase", name)],
                    buckets: Self.phaseBuckets)
            }
            histogram.record(duration.seconds)
        }
    }

    /// Counts a cold start of a runtime that has stem cells: served by one (`hit`), none ready (`miss`), or one taken
    /// that could not be specialised (`failed`: the classic start followed).
    func stemCellClaim(runtime: String, result: String) {
        let counter = Self.series(runtime + "\u{0}" + result, in: claimCounters) {
            platform.registry.makeCounter(
                descriptor: Self.descriptor("swiftlet_stem_cell_claims_total",
                                            "Cold starts of runtimes with stem cells: served by a stem cell (hit), none ready (miss), "
                                                + "or one that could not be specialised (failed)."),
                labels: [("runtime", runtime), ("result", result)])
        }
        counter.increment()
    }

    /// Counts a cold start of a SnapStart version: the template's standby copy (`standby`), a copy made then
    /// (`restored`), no template could be made (`no_template`), or the copy failed (`failed`); the classic start
    /// follows the last two.
    func snapStartRestore(result: String) {
        let counter = Self.series(result, in: restoreCounters) {
            platform.registry.makeCounter(
                descriptor: Self.descriptor("swiftlet_snapstart_restores_total",
                                            "Cold starts of SnapStart versions: the template's standby copy (standby), a copy "
                                                + "made then (restored), no template (no_template) or a copy that failed (failed)."),
                labels: [("result", result)])
        }
        counter.increment()
    }

    /// Records how long a SnapStart template took from launch to the end of its init and before-snapshot hooks.
    func snapStartTemplateReady(_ duration: Duration) {
        let histogram = Self.series("template", in: templateHistogram) {
            platform.registry.makeValueHistogram(
                descriptor: Self.descriptor("swiftlet_snapstart_template_seconds",
                                            "Time from a SnapStart template's launch to the end of its init and before-snapshot hooks."),
                labels: [], buckets: Self.phaseBuckets)
        }
        histogram.record(duration.seconds)
    }

    /// Publishes the stem cells per runtime and state (`ready`, `starting`).
    func publishStemCells(_ counts: [String: (ready: Int, starting: Int, target: Int, hits: Int, misses: Int, heldForMemory: Bool,
                                              replaced: Int)]) {
        for (runtime, c) in counts {
            for (state, value) in [("ready", c.ready), ("starting", c.starting), ("target", c.target),
                                   ("held_for_memory", c.heldForMemory ? 1 : 0), ("replaced", c.replaced)] {
                let gauge = Self.series(runtime + "\u{0}" + state, in: stemCellGauges) {
                    platform.registry.makeGauge(
                        descriptor: Self.descriptor("swiftlet_stem_cells",
                                                    "Stem cells (pre-started environments waiting for a function) per runtime: "
                                                        + "ready, starting, the pool's target, 1 in held_for_memory "
                                                        + "while refilling waits for the host's available memory, and "
                                                        + "replaced: cells ended since start because their interpreter "
                                                        + "or runtime client changed on disk."),
                        labels: [("runtime", runtime), ("state", state)])
                }
                gauge.set(to: Double(value))
            }
        }
    }
}

/// One invocation being measured: its series, found once, and when it began (after its concurrency slot was taken).
struct InvocationMeter {
    let series: FunctionSeries
    let metrics: InvokerMetrics
    let started: ContinuousClock.Instant
    let observer: (any InvocationObserver)?

    /// Records an invocation that ran in `env` and ended with `outcome`. An environment created after the invocation
    /// began was started for it: a cold start, whose initialisation is left out of the duration and recorded apart.
    func finished(in env: ExecutionEnvironment, outcome: EnvironmentOutcome) {
        let now = ContinuousClock.now
        var functionStarted = started
        if env.createdAt >= started {
            series.coldStarts.increment()
            if let phases = env.coldStartPhases { metrics.record(phases) }
            let initSeconds = env.state.withLock { $0.initDurationMs }.map { $0 / 1000 } ?? (now - env.createdAt).seconds
            series.initDuration.record(initSeconds)
            functionStarted = max(started, env.createdAt + .nanoseconds(Int64(initSeconds * 1e9)))
        }
        let seconds = (now - functionStarted).seconds
        series.duration.record(seconds)
        switch outcome {
        case .response: break
        case .functionError: series.functionErrors.increment()
        case .platformError: series.platformErrors.increment()
        }
        if let observer {
            if case .response = outcome { observer.finished(series, seconds: seconds, error: false) } else {
                observer.finished(series, seconds: seconds, error: true)
            }
        }
    }

    /// Records an invocation whose environment could not start: the function's fault (a bad handler, a runtime that is
    /// not there) counts as a function error, anything else as the platform's.
    func failedToStart(_ error: any Error) {
        if error is InvokerError { series.functionErrors.increment() } else { series.platformErrors.increment() }
        observer?.finished(series, seconds: (ContinuousClock.now - started).seconds, error: true)
    }
}

extension Invoker {
    /// Takes a concurrency slot for `request`, counting a throttle (and rethrowing it) when there is none.
    func acquireSlot(for request: InvocationRequest) async throws -> ConcurrencyLimiter {
        do {
            return try await concurrency.acquire(request.function.name) {
                provisionedElsewhere(request.function.name, version: request.version)
            }
        } catch {
            let series = metrics.platform.invocations.series(function: request.function.name, invokedARN: request.invokedFunctionArn,
                                                             version: request.version)
            series.throttles.increment()
            metrics.platform.observer?.throttled(series)
            throw error
        }
    }

    /// Starts measuring `request`, which holds a concurrency slot now: it counts as an invocation.
    func startMeasuring(_ request: InvocationRequest) -> InvocationMeter {
        let series = metrics.platform.invocations.series(function: request.function.name, invokedARN: request.invokedFunctionArn,
                                                         version: request.version)
        series.invocations.increment()
        let observer = metrics.platform.observer
        observer?.invoked(series)
        return InvocationMeter(series: series, metrics: metrics, started: .now, observer: observer)
    }

    /// Invocations running now, per function, and the unreserved concurrency pool's use (CloudWatch's
    /// ConcurrentExecutions and UnreservedConcurrentExecutions are sampled from it).
    public func runningInvocations() -> (byFunction: [String: Int], unreserved: Int) {
        let all = pools.withLock { Array($0.values) }
        var running: [String: Int] = [:]
        for pool in all {
            for env in pool.environments where env.state.withLock({ $0.pending != nil }) {
                running[pool.functionName, default: 0] += 1
            }
        }
        return (running, concurrency.unreserved.current)
    }

    /// Publishes the environments of every pool by state, the invocations running per function and the unreserved
    /// pool's use (a scrape collector: the server registers it with `PlatformMetrics.addCollector`).
    public func publishStateMetrics() {
        let all = pools.withLock { Array($0.values) }
        var environments: [[String]: Double] = [:]
        var running: [[String]: Double] = [:]
        for pool in all {
            for env in pool.environments {
                let (phase, frozen, pending) = env.state.withLock { ($0.phase, $0.frozen, $0.pending != nil) }
                let state: String
                switch phase {
                case .initializing: state = "initialising"
                case .busy: state = "busy"
                case .idle: state = frozen ? "frozen" : "idle"
                case .dead: continue
                }
                environments[[pool.functionName, pool.version, state], default: 0] += 1
                if pending { running[[pool.functionName], default: 0] += 1 }
            }
        }
        metrics.environments.publish(environments)
        metrics.publishStemCells(stemCellCounts)
        var templates: [[String]: Double] = [:]
        for t in snapStart.census {
            templates[[t.function, t.version, "ready"], default: 0] += 1
            templates[[t.function, t.version, "standby_copies"], default: 0] += Double(t.standby)
        }
        metrics.snapStartTemplates.publish(templates)
        metrics.concurrentExecutions.publish(running)
        metrics.unreservedConcurrentExecutions.publish([[]: Double(concurrency.unreserved.current)])
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
