/// Cross-node cache invalidation: every table of configuration a node caches announces each row it inserts, updates
/// or deletes on the `swiftlet_changes` channel (`pg_notify`, delivered when the transaction commits, to the nodes
/// listening through `ChangeFeed`), as `<area>:<key>` (`StoreChange`). Tables of data — messages, events, log events,
/// metric points, traces, leases, timers' due times, blobs, heartbeats — announce nothing: transactions that notify
/// commit one at a time (PostgreSQL orders them under one lock for the whole server), which their write rates should
/// not queue on. An UPDATE that changes no
/// column (or none of those watched) announces nothing; one that changes the key announces the old key and the new one;
/// TRUNCATE announces each of the table's areas without a key. Keys longer than `ChangeSource.longestKey` bytes are
/// left out (NOTIFY payloads stay under 8000 bytes): the whole area is announced instead.
extension Migrations {
    static let changes: [Migration] = [
        Migration(id: "026-changes", statements: ChangeSource.functionStatements + ChangeSource.all.flatMap(\.statements)),
    ]
}

/// One table that announces its changes: the area and key(s) each changed row announces, as SQL over the row.
struct ChangeSource: Sendable {
    /// The channel `ChangeFeed` listens on.
    static let channel = "swiftlet_changes"
    /// The longest key announced, in bytes; a longer one is left out and the whole area announced.
    static let longestKey = 4000

    var table: String
    /// What TRUNCATE announces (each area without a key).
    var areas: [StoreChange.Area]
    /// The area a row announces, an SQL expression over the row (the argument names it: `OLD` or `NEW`).
    var area: @Sendable (String) -> String
    /// The keys a row announces (one notification each), SQL expressions over the row; NULL announces the whole area.
    var keys: [@Sendable (String) -> String]
    /// UPDATEs that change none of these columns announce nothing (nil: any column).
    var watched: [String]?

    /// A table whose rows all announce `area` and `key`.
    init(_ table: String, _ area: StoreChange.Area, key: @escaping @Sendable (String) -> String, watched: [String]? = nil) {
        self.init(table, areas: [area], area: { _ in "'\(area.rawValue)'" }, keys: [key], watched: watched)
    }

    init(_ table: String, areas: [StoreChange.Area], area: @escaping @Sendable (String) -> String,
         keys: [@Sendable (String) -> String], watched: [String]? = nil) {
        self.table = table
        self.areas = areas
        self.area = area
        self.keys = keys
        self.watched = watched
    }

    /// The configuration tables (every table is here or in `silentTables`).
    static let all: [ChangeSource] = [
        // Lambda's catalog: keyed by function name, whatever the row's own key.
        ChangeSource("functions", .function) { "\($0).name" },
        ChangeSource("function_tags", .tags) { "\($0).function_name" },
        ChangeSource("function_versions", .version) { "\($0).function_name" },
        ChangeSource("aliases", .alias) { "\($0).function_name" },
        ChangeSource("reserved_concurrency", .concurrency) { "\($0).function_name" },
        ChangeSource("provisioned_concurrency", .provisionedConcurrency) { "\($0).function_name" },
        ChangeSource("event_invoke_configs", .eventInvokeConfig) { "\($0).function_name" },
        ChangeSource("function_url_configs", .functionURL) { "\($0).function_name" },
        // `function:<name>[:<qualifier>]` or `layer:<name>:<version>`.
        ChangeSource("policies", areas: [.policy, .layerPolicy],
                     area: { "CASE WHEN starts_with(\($0).resource, 'layer:') THEN '\(StoreChange.Area.layerPolicy)' ELSE '\(StoreChange.Area.policy)' END" },
                     keys: [{ "split_part(\($0).resource, ':', 2)" }]),
        ChangeSource("layer_versions", .layer) { "\($0).layer_name" },
        ChangeSource("event_source_mappings", .mapping) { "\($0).uuid" },
        ChangeSource("queues", .queue) { "\($0).name" },
        ChangeSource("event_buses", .eventBus) { "\($0).name" },
        ChangeSource("event_rules", .rule) { "\($0).bus || ':' || \($0).name" },
        ChangeSource("event_archives", .archive) { "\($0).name" },
        ChangeSource("event_replays", .replay) { "\($0).name" },
        ChangeSource("scheduler_groups", .scheduleGroup) { "\($0).name" },
        ChangeSource("scheduler_schedules", .schedule) { "\($0).group_name || ':' || \($0).name" },
        ChangeSource("sns_topics", .topic) { "\($0).arn" },
        ChangeSource("sns_subscriptions", .subscription) { "\($0).arn" },
        // Names are UTF-8 bytes, which may hold NUL (then the whole area).
        ChangeSource("metric_alarms", .alarm) { "swiftlet_change_key(\($0).name)" },
        ChangeSource("http_apis", .httpAPI) { "\($0).api_id" },
        ChangeSource("iam_users", .iam) { "'user:' || \($0).name" },
        ChangeSource("iam_groups", .iam) { "'group:' || \($0).name" },
        ChangeSource("iam_roles", .iam) { "'role:' || \($0).name" },
        ChangeSource("iam_managed_policies", .iam) { "'policy:' || \($0).arn" },
        // Recording a key's last use (a batch a minute per node) is not a change of configuration.
        ChangeSource("iam_access_keys", .iam, key: { "'user:' || \($0).user_name" }, watched: ["user_name", "sealed_secret", "status"]),
        ChangeSource("iam_group_members", areas: [.iam], area: { _ in "'\(StoreChange.Area.iam)'" },
                     keys: [{ "'group:' || \($0).group_name" }, { "'user:' || \($0).user_name" }]),
        ChangeSource("iam_inline_policies", .iam) { "\($0).owner_kind || ':' || \($0).owner_name" },
        ChangeSource("iam_policy_attachments", .iam) { "\($0).owner_kind || ':' || \($0).owner_name" },
        ChangeSource("log_groups", .logGroup) { "\($0).name" },
        ChangeSource("log_metric_filters", .metricFilter) { "\($0).log_group || ':' || \($0).name" },
        ChangeSource("log_subscription_filters", .subscriptionFilter) { "\($0).log_group || ':' || \($0).name" },
    ]

    /// Tables that announce nothing: data, or state no node caches. A new table belongs here or in `all`
    /// (`ChangeFeedTests` checks that every table is in one of them).
    static let silentTables: Set<String> = [
        "swiftlet_migrations",
        "layer_counters",  // bumped with `layer_versions`, which announces
        "async_events", "deliveries", "timers",
        "queue_messages", "fifo_groups", "queue_deduplication", "queue_receive_attempts",
        "event_archive_events",
        "metric_series", "metric_points", "alarm_history",
        "log_streams", "log_entries", "log_purges",
        "traces", "trace_segments",
        "blobs", "blob_chunks",
        "cluster_nodes", "cluster_secrets", "concurrency_leases", "work_leases",
    ]

    /// The helpers every trigger calls.
    static let functionStatements = [
        """
        -- Announces a change of `area` (its entry `change_key`; a NULL or long key: the whole area).
        CREATE FUNCTION swiftlet_notify_change(area text, change_key text) RETURNS void LANGUAGE sql VOLATILE AS $$
            SELECT pg_notify('\(channel)',
                CASE WHEN change_key IS NULL OR octet_length(change_key) > \(longestKey) THEN area ELSE area || ':' || change_key END)
        $$
        """,
        """
        -- The text of a key kept as UTF-8 bytes; NULL when it holds NUL or is not UTF-8 (a trigger must not fail a write).
        CREATE FUNCTION swiftlet_change_key(bytes bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF position('\\x00'::bytea IN bytes) > 0 THEN RETURN NULL; END IF;
            RETURN convert_from(bytes, 'UTF8');
        EXCEPTION WHEN OTHERS THEN
            RETURN NULL;
        END
        $$
        """,
        """
        -- TRUNCATE: each area named by the trigger's arguments, whole.
        CREATE FUNCTION swiftlet_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            FOR i IN 0 .. TG_NARGS - 1 LOOP
                PERFORM swiftlet_notify_change(TG_ARGV[i], NULL);
            END LOOP;
            RETURN NULL;
        END
        $$
        """,
    ]

    /// The table's trigger function and its three triggers.
    var statements: [String] {
        let function = "swiftlet_changed_\(table)"
        func announce(_ row: String) -> String {
            keys.map { "        PERFORM swiftlet_notify_change(\(area(row)), \($0(row)));" }.joined(separator: "\n")
        }
        let changed = watched.map { columns in
            "(\(columns.map { "OLD.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(columns.map { "NEW.\($0)" }.joined(separator: ", ")))"
        } ?? "OLD.* IS DISTINCT FROM NEW.*"
        return [
            """
            CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
            \(announce("OLD"))
                END IF;
                IF TG_OP <> 'DELETE' THEN
            \(announce("NEW"))
                END IF;
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER swiftlet_changes AFTER INSERT OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION \(function)()",
            """
            CREATE TRIGGER swiftlet_changes_update AFTER UPDATE ON \(table) FOR EACH ROW WHEN (\(changed))
            EXECUTE FUNCTION \(function)()
            """,
            """
            CREATE TRIGGER swiftlet_changes_truncate AFTER TRUNCATE ON \(table) FOR EACH STATEMENT
            EXECUTE FUNCTION swiftlet_notify_truncate(\(areas.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
            """,
        ]
    }
}
