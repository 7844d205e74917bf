import Catalog
import PlatformMetrics

/// The invoker's part of the platform's metrics: the gauges it publishes when scraped (environments by state,
/// concurrent executions) and, through `InvocationMeter`, the per-invocation counters and histograms.
struct InvokerMetrics: Sendable {
    let platform: PlatformMetrics
    let environments: StateGauge
    let concurrentExecutions: StateGauge
    let unreservedConcurrentExecutions: StateGauge

    init(_ platform: PlatformMetrics) {
        self.platform = platform
        environments = platform.stateGauge(MetricNames.environments, labelNames: ["function", "version", "state"])
        concurrentExecutions = platform.stateGauge(MetricNames.concurrentExecutions, labelNames: ["function"])
        unreservedConcurrentExecutions = platform.stateGauge(MetricNames.unreservedConcurrentExecutions, labelNames: [])
    }
}

/// One invocation being measured: its series, found once, and when it began (after its concurrency slot was taken).
struct InvocationMeter {
    let series: FunctionSeries
    let started: ContinuousClock.Instant
    let observer: (any InvocationObserver)?

    /// Records an invocation that ran in `env` and ended with `outcome`. An environment created after the invocation
    /// began was started for it: a cold start, whose initialisation is left out of the duration and recorded apart.
    func finished(in env: ExecutionEnvironment, outcome: EnvironmentOutcome) {
        let now = ContinuousClock.now
        var functionStarted = started
        if env.createdAt >= started {
            series.coldStarts.increment()
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
    func acquireSlot(for request: InvocationRequest) throws -> ConcurrencyLimiter {
        do {
            return try concurrency.acquire(request.function.name) {
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
        return InvocationMeter(series: series, started: .now, observer: observer)
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
