/// A committed change to configuration that nodes of a cluster cache in memory, as the database announces it on the
/// `swiftlet_changes` channel (`ChangeFeed`): which cache it concerns (`area`) and which entry of it (`key`). A change
/// without a key concerns the whole area (its key was too long to announce, or a table was truncated): drop all of
/// it. `everything` says changes may have been missed — the feed (re)started listening — so every cache is to be
/// dropped.
///
/// Changes say what changed, never the new value: a consumer drops what it cached and reads again. They arrive for a
/// node's own writes too (dropping twice is harmless), only after the writing transaction committed, in commit order.
/// The payload is `<area>` or `<area>:<key>`; areas hold no `:`, keys may (composite keys are joined by `:`, their
/// parts other than the last never hold one).
public struct StoreChange: Sendable, Hashable, CustomStringConvertible {
    public var area: Area
    /// The entry of `area` that changed; nil: any of them may have.
    public var key: String?

    public init(_ area: Area, _ key: String? = nil) {
        self.area = area
        self.key = key
    }

    /// Parses a notification's payload (never fails: an area this build does not know is kept as it came).
    public init(payload: String) {
        if let colon = payload.firstIndex(of: ":") {
            self.init(Area(rawValue: String(payload[..<colon])), String(payload[payload.index(after: colon)...]))
        } else {
            self.init(Area(rawValue: payload))
        }
    }

    /// Drop every cache: notifications may have been missed. Also how an operator makes every node drop its caches
    /// (after editing the database by hand): `NOTIFY swiftlet_changes, 'everything'`.
    public static let everything = StoreChange(.everything)

    /// As the database announces it.
    public var payload: String { key.map { "\(area.rawValue):\($0)" } ?? area.rawValue }

    public var description: String { payload }

    /// The function whose catalog entries changed, for the areas keyed by function name (nil for others, and for a
    /// change to a whole area).
    public var functionName: String? { area.isKeyedByFunction ? key : nil }

    /// Which cache a change concerns, and so what its key is.
    public struct Area: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        // Lambda's catalog, keyed by function name (`CachingStore` drops a function's entries by name).

        /// A function's configuration (`$LATEST`), also when a version is published (its last version number). Key: function name.
        public static let function = Area(rawValue: "function")
        /// A function's tags. Key: function name.
        public static let tags = Area(rawValue: "tags")
        /// A function's published versions. Key: function name.
        public static let version = Area(rawValue: "version")
        /// A function's aliases. Key: function name.
        public static let alias = Area(rawValue: "alias")
        /// A function's reserved concurrency. Key: function name.
        public static let concurrency = Area(rawValue: "concurrency")
        /// A function's provisioned concurrency configs. Key: function name.
        public static let provisionedConcurrency = Area(rawValue: "provisioned-concurrency")
        /// A function's event invoke configs (any qualifier). Key: function name.
        public static let eventInvokeConfig = Area(rawValue: "event-invoke-config")
        /// A function's URL configs (any qualifier). Key: function name.
        public static let functionURL = Area(rawValue: "function-url")
        /// The resource policy of a function, version or alias. Key: function name.
        public static let policy = Area(rawValue: "policy")

        // Layers, keyed by layer name.

        /// A layer's versions. Key: layer name.
        public static let layer = Area(rawValue: "layer")
        /// The resource policy of a layer version. Key: layer name.
        public static let layerPolicy = Area(rawValue: "layer-policy")

        // Everything else, keyed by its own name.

        /// An event source mapping. Key: its UUID.
        public static let mapping = Area(rawValue: "mapping")
        /// A queue's attributes (created, changed, deleted; never its messages). Key: queue name.
        public static let queue = Area(rawValue: "queue")
        /// An EventBridge bus. Key: bus name.
        public static let eventBus = Area(rawValue: "event-bus")
        /// An EventBridge rule with its targets. Key: `<bus name>:<rule name>`.
        public static let rule = Area(rawValue: "rule")
        /// An EventBridge archive (never its events). Key: archive name.
        public static let archive = Area(rawValue: "archive")
        /// An EventBridge replay's state. Key: replay name.
        public static let replay = Area(rawValue: "replay")
        /// A Scheduler schedule group. Key: group name.
        public static let scheduleGroup = Area(rawValue: "schedule-group")
        /// A Scheduler schedule. Key: `<group name>:<schedule name>`.
        public static let schedule = Area(rawValue: "schedule")
        /// An SNS topic. Key: topic ARN.
        public static let topic = Area(rawValue: "topic")
        /// An SNS subscription. Key: subscription ARN (its topic's ARN, `:`, an id).
        public static let subscription = Area(rawValue: "subscription")
        /// A CloudWatch metric or composite alarm. Key: alarm name (none when it holds NUL).
        public static let alarm = Area(rawValue: "alarm")
        /// An API Gateway HTTP API (routes, integrations, stages, authorizers). Key: API id.
        public static let httpAPI = Area(rawValue: "http-api")
        /// IAM: an entity, or what hangs off one (access keys, memberships, inline policies, attachments). Key:
        /// `user:<name>`, `group:<name>`, `role:<name>` or `policy:<ARN>` (a managed policy).
        public static let iam = Area(rawValue: "iam")
        /// A log group's settings (retention, tags; created, deleted). Key: log group name.
        public static let logGroup = Area(rawValue: "log-group")
        /// A CloudWatch Logs metric filter. Key: `<log group name>:<filter name>`.
        public static let metricFilter = Area(rawValue: "metric-filter")
        /// A CloudWatch Logs subscription filter. Key: `<log group name>:<filter name>`.
        public static let subscriptionFilter = Area(rawValue: "subscription-filter")

        /// Every area: notifications may have been missed. Never keyed.
        public static let everything = Area(rawValue: "everything")

        /// The areas whose key is a function name.
        public var isKeyedByFunction: Bool { Self.keyedByFunction.contains(self) }

        static let keyedByFunction: Set<Area> = [
            .function, .tags, .version, .alias, .concurrency, .provisionedConcurrency, .eventInvokeConfig, .functionURL, .policy,
        ]
    }
}
