import Catalog
import CloudWatchLogs
import CloudWatchMetrics
import Delivery
import Events
import FunctionLogs
import HTTPAPIs
import Identity
import PostgresStore
import Queues
import SQLiteStore
import Schedules
import Topics
import Traces

/// Everything the server keeps, behind the protocols its parts use: the embedded `SQLiteStore` of one node, or the
/// `PostgresStore` a cluster's nodes share. The composition root holds one and hands each part the protocol it needs.
protocol PlatformStore: Store, QueueStore, DeliveryStore, TimerStore, EventStore, EventArchiveStore, ScheduleStore,
    TopicStore, IdentityStore, HTTPAPIStore, LogStore, LogEventStore, MetricFilterStore, SubscriptionFilterStore,
    MetricStore, AlarmStore, TraceStore, Sendable {
    /// Asynchronous events waiting, by function (`/metrics`).
    func asyncBacklog() async throws -> [AsyncBacklog]
    /// Bytes the store takes on this host's disk (`/health`); 0 when the database is elsewhere.
    func localBytes() -> Int64
    /// Where the data is, for the log (a path or a URL without its password).
    var location: String { get }
}

extension SQLiteStore: PlatformStore {
    func localBytes() -> Int64 { fileSizeBytes() }
    var location: String { path }
}

extension PostgresStore: PlatformStore {
    func localBytes() -> Int64 { 0 }
    var location: String { target }
}
