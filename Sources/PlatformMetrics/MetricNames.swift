import Prometheus

/// The name and help text of every series Swiftlet exposes on `/metrics`, in one place so dashboards have one list to
/// read. Names follow Prometheus' conventions: `swiftlet_` prefix, base units (seconds), `_total` on counters.
public enum MetricNames {
    /// A metric family: its name and the `# HELP` line (the registry insists each name keeps one help text).
    public struct Family: Sendable {
        public let name: String
        public let help: String

        /// The name and help as swift-prometheus takes them (the whole name in `metricName`).
        var descriptor: MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }
    }

    // Invocations (labels: function, resource, version).
    public static let invocations = Family(
        name: "swiftlet_invocations_total", help: "Invocations that ran or tried to run the function (throttles excluded).")
    /// Label `kind`: `function` (the runtime reported an error) or `platform` (timeout, crash, out of memory,
    /// oversized response, an environment that could not start).
    public static let errors = Family(
        name: "swiftlet_errors_total", help: "Invocations that ended in an error, by kind: function or platform.")
    public static let throttles = Family(
        name: "swiftlet_throttles_total", help: "Invocation requests refused for lack of concurrency.")
    public static let duration = Family(
        name: "swiftlet_invocation_duration_seconds", help: "Time the function spent on an invocation, initialisation excluded.")
    public static let coldStarts = Family(
        name: "swiftlet_cold_starts_total", help: "Invocations that started a new execution environment.")
    public static let initDuration = Family(
        name: "swiftlet_init_duration_seconds", help: "Initialisation time of execution environments started for an invocation.")

    // State, computed when scraped.
    /// Labels: function, version, state (`initialising`, `busy`, `idle`, `frozen`).
    public static let environments = Family(
        name: "swiftlet_environments", help: "Live execution environments by function version and state.")
    /// Label: function.
    public static let concurrentExecutions = Family(
        name: "swiftlet_concurrent_executions", help: "Invocations running now, by function.")
    public static let unreservedConcurrentExecutions = Family(
        name: "swiftlet_unreserved_concurrent_executions",
        help: "Invocations running now in the unreserved pool (functions without reserved concurrency).")
    /// Labels: function, version, state (`ready` templates, `standby_copies`).
    public static let snapStartTemplates = Family(
        name: "swiftlet_snapstart_templates",
        help: "SnapStart templates ready on this node (state=ready) and the copies of them waiting on standby (state=standby_copies), "
            + "by function and version.")
    /// Label: function.
    public static let asyncEvents = Family(
        name: "swiftlet_async_events", help: "Asynchronous invocation events accepted and not yet finished, by function.")
    /// Label: function.
    public static let asyncEventOldestAge = Family(
        name: "swiftlet_async_event_oldest_age_seconds", help: "Age of the oldest unfinished asynchronous event, by function.")
    /// Labels: queue, state (`visible`, `in_flight`, `delayed`).
    public static let queueMessages = Family(
        name: "swiftlet_queue_messages", help: "Messages in each queue by state: visible, in_flight, delayed.")

    // The server's own traffic.
    /// Labels: service (the signing name), operation, status.
    public static let httpRequests = Family(
        name: "swiftlet_http_requests_total", help: "Requests to the API listener by service, operation and HTTP status.")
    /// Labels: service, operation.
    public static let httpRequestDuration = Family(
        name: "swiftlet_http_request_duration_seconds", help: "Time to answer requests to the API listener by service and operation.")
    /// Labels: kind (`function_url`, `http_api`, `none`), status.
    public static let ingressRequests = Family(
        name: "swiftlet_ingress_requests_total", help: "Requests to function URLs and HTTP APIs by endpoint kind and HTTP status.")
    /// Label: kind.
    public static let ingressRequestDuration = Family(
        name: "swiftlet_ingress_request_duration_seconds", help: "Time to answer requests to function URLs and HTTP APIs by endpoint kind.")

    // The store and the delivery path.
    public static let storeStatementDuration = Family(
        name: "swiftlet_store_statement_duration_seconds", help: "Time the store (SQLite) took to run each SQL statement.")
    public static let deliveriesPending = Family(
        name: "swiftlet_deliveries_pending", help: "Deliveries (rule targets, subscriptions, schedules, destinations) stored and not yet delivered.")
}
