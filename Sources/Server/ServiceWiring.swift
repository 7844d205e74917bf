import AsyncInvocation
import Catalog
import CloudWatchLogs
import Delivery
import Edge
import FunctionLogs
import HTTPIngress
import Identity
import Invoker
import Logging
import PlatformMetrics
import Queues
import SQLiteStore
import Schedules
import ServiceLifecycle

/// What the composition root hands a second-stage service (events, schedules, topics, metrics) to wire itself:
/// the store, the one delivery path and its router, and the parts of Lambda and SQS it delivers to.
struct WiringContext: Sendable {
    let configuration: ServerConfiguration
    let store: any PlatformStore
    /// The one delivery path: producers `accept` deliveries; sinks register on `router` by channel.
    let deliveries: DeliveryService
    let router: DeliveryRouter
    /// The one timer engine: each kind (`rule`, `schedule`) registers its handler while wired.
    let timers: TimerEngine
    let catalog: FunctionCatalog
    let queues: QueueBroker
    let dispatcher: AsyncDispatcher
    let invoker: Invoker
    let authorizer: Authorizer
    let metrics: PlatformMetrics
    /// Function logs on their way to the store.
    let logWriter: LogWriter
    /// CloudWatch Logs (its metric filters publish into CloudWatch metrics).
    let logsDirectory: LogsDirectory
    let logger: Logger
    /// What a wired part reloads after another node of a cluster changed what it keeps in memory.
    let changes: ChangeHandlers
    /// Whose turn each retention job is (in a cluster, one node's at a time).
    let janitorTurns: JanitorTurns
    /// The main listener as reached from this host (`http://127.0.0.1:8900`), once it is bound.
    let endpointURL: @Sendable () -> String?
}

/// What a wired service adds to the server: APIs the edge routes to, and background services run (and shut
/// down) with the rest.
struct WiredService {
    var hosted: [any HostedService] = []
    var services: [any Service] = []
}

/// A second-stage service's wiring: each lives in its own `…Wiring.swift`.
protocol ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService
}

enum Wirings {
    /// In order: a later one may rely on sinks an earlier one registered (all are registered before any runs).
    static let all: [any ServiceWiring.Type] = [SchedulerWiring.self, EventsWiring.self, TopicsWiring.self, MetricsWiring.self, TracesWiring.self, LogSubscriptionsWiring.self, LiveTailWiring.self]
}
