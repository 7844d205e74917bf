import GRDB

/// The schema, versioned in code: each migration runs once, in order, inside a transaction.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-functions") { db in
            try db.create(table: "functions") { t in
                t.primaryKey("name", .text)
                t.column("revision_id", .text).notNull()
                t.column("code_digest", .text).notNull()
                t.column("code_size", .integer).notNull()
                // The whole validated definition as JSON: one row is one consistent revision.
                t.column("definition", .blob).notNull()
            }
            try db.create(table: "function_tags") { t in
                t.column("function_name", .text).notNull().references("functions", column: "name", onDelete: .cascade)
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["function_name", "key"])
            }
        }
        migrator.registerMigration("v2-logs") { db in
            try db.create(table: "log_streams") { t in
                t.column("log_group", .text).notNull()
                t.column("name", .text).notNull()
                t.column("created", .integer).notNull()
                t.column("first_event", .integer)
                t.column("last_event", .integer)
                t.column("event_count", .integer).notNull().defaults(to: 0)
                t.primaryKey(["log_group", "name"])
            }
            try db.create(table: "log_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("log_group", .text).notNull()
                t.column("stream", .text).notNull()
                t.column("timestamp", .integer).notNull()
                t.column("message", .text).notNull()
            }
            try db.create(index: "log_events_by_stream", on: "log_events", columns: ["log_group", "stream", "id"])
        }
        migrator.registerMigration("v3-releases") { db in
            try db.alter(table: "functions") { t in
                // Highest version number ever published: numbers are never reused.
                t.add(column: "last_version", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "function_versions") { t in
                t.column("function_name", .text).notNull().references("functions", column: "name", onDelete: .cascade)
                t.column("version", .integer).notNull()
                t.column("code_digest", .text).notNull()
                t.column("code_size", .integer).notNull()
                t.column("definition", .blob).notNull()
                t.primaryKey(["function_name", "version"])
            }
            try db.create(table: "aliases") { t in
                t.column("function_name", .text).notNull().references("functions", column: "name", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("definition", .blob).notNull()
                t.primaryKey(["function_name", "name"])
            }
            try db.create(table: "layer_versions") { t in
                t.column("layer_name", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("code_digest", .text).notNull()
                t.column("code_size", .integer).notNull()
                t.column("definition", .blob).notNull()
                t.primaryKey(["layer_name", "version"])
            }
            try db.create(table: "layer_counters") { t in
                t.primaryKey("layer_name", .text)
                t.column("last_version", .integer).notNull()
            }
            try db.create(table: "reserved_concurrency") { t in
                t.primaryKey("function_name", .text).references("functions", column: "name", onDelete: .cascade)
                t.column("reserved", .integer).notNull()
            }
            try db.create(table: "provisioned_concurrency") { t in
                t.column("function_name", .text).notNull().references("functions", column: "name", onDelete: .cascade)
                t.column("qualifier", .text).notNull()
                t.column("definition", .blob).notNull()
                t.primaryKey(["function_name", "qualifier"])
            }
            try db.create(table: "policies") { t in
                // `function:<name>`, `function:<name>:<qualifier>` or `layer:<name>:<version>`.
                t.primaryKey("resource", .text)
                t.column("revision_id", .text).notNull()
                t.column("document", .blob).notNull()
            }
        }
        migrator.registerMigration("v4-queues") { db in
            try db.create(table: "queues") { t in
                t.primaryKey("name", .text)
                t.column("definition", .blob).notNull()
            }
            try db.create(table: "queue_messages") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("id", .text).notNull().unique()
                t.column("queue", .text).notNull()
                t.column("body", .text).notNull()
                // Message and system attributes, sender: JSON.
                t.column("extra", .blob).notNull()
                t.column("sent_at", .integer).notNull()
                t.column("visible_at", .integer).notNull()
                t.column("receive_count", .integer).notNull().defaults(to: 0)
                t.column("first_receive_at", .integer)
                t.column("receipt", .text)
            }
            try db.create(index: "queue_messages_by_visibility", on: "queue_messages", columns: ["queue", "visible_at", "seq"])
            try db.create(index: "queue_messages_by_age", on: "queue_messages", columns: ["queue", "sent_at"])
        }
        migrator.registerMigration("v5-async") { db in
            try db.create(table: "async_events") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("id", .text).notNull().unique()
                t.column("function_name", .text).notNull()
                t.column("definition", .blob).notNull()
                t.column("payload", .blob).notNull()
                t.column("due_at", .integer).notNull()
                t.column("lease_until", .integer)
            }
            try db.create(index: "async_events_by_due", on: "async_events", columns: ["lease_until", "due_at", "seq"])
            try db.create(table: "event_invoke_configs") { t in
                t.column("function_name", .text).notNull().references("functions", column: "name", onDelete: .cascade)
                t.column("qualifier", .text).notNull()
                t.column("definition", .blob).notNull()
                t.primaryKey(["function_name", "qualifier"])
            }
            try db.create(table: "event_source_mappings") { t in
                t.primaryKey("uuid", .text)
                t.column("function_name", .text).notNull()
                t.column("definition", .blob).notNull()
            }
        }
        migrator.registerMigration("v6-fifo-queues") { db in
            try db.alter(table: "queue_messages") { t in
                t.add(column: "group_id", .text)
                // Set on FIFO messages only (given, or derived from the body).
                t.add(column: "deduplication_id", .text)
                // When a FIFO message moved to a dead-letter queue: its retention counts from then.
                t.add(column: "retained_from", .integer)
            }
            try db.create(index: "queue_messages_by_group", on: "queue_messages", columns: ["queue", "group_id", "seq"])
            // The FIFO messages received and not deleted, by group: the latest of their visibilities holds the group.
            try db.execute(sql: """
                CREATE INDEX fifo_leases ON queue_messages (queue, group_id, visible_at)
                WHERE receive_count > 0 AND deduplication_id IS NOT NULL
                """)
            // Each FIFO message group: its first message, and when the group can next be received from.
            try db.create(table: "fifo_groups") { t in
                t.column("queue", .text).notNull()
                t.column("group_id", .text).notNull()
                t.column("head_seq", .integer).notNull()
                t.column("free_at", .integer).notNull()
                t.primaryKey(["queue", "group_id"])
            }
            try db.create(index: "fifo_groups_by_freedom", on: "fifo_groups", columns: ["queue", "free_at", "head_seq"])
            try db.create(table: "queue_deduplication") { t in
                t.column("queue", .text).notNull()
                // The deduplication id, prefixed by the message group when the queue deduplicates per group.
                t.column("key", .text).notNull()
                t.column("message_id", .text).notNull()
                t.column("seq", .integer).notNull()
                t.column("expires_at", .integer).notNull()
                t.primaryKey(["queue", "key"])
            }
            try db.create(index: "queue_deduplication_by_expiry", on: "queue_deduplication", columns: ["expires_at"])
            try db.create(table: "queue_receive_attempts") { t in
                t.column("queue", .text).notNull()
                t.column("attempt_id", .text).notNull()
                // What the receive handed out, JSON: message id, receipt and the visibility it set.
                t.column("leases", .blob).notNull()
                t.column("expires_at", .integer).notNull()
                t.primaryKey(["queue", "attempt_id"])
            }
        }
        migrator.registerMigration("v7-identity") { db in
            // IAM. Names compare without case, as IAM's do; each entity's fields are one JSON definition.
            for table in ["iam_users", "iam_groups", "iam_roles"] {
                try db.create(table: table) { t in
                    t.primaryKey("name", .text).collate(.nocase)
                    t.column("unique_id", .text).notNull().unique()
                    t.column("definition", .blob).notNull()
                }
            }
            try db.create(table: "iam_access_keys") { t in
                t.primaryKey("access_key_id", .text)
                t.column("user_name", .text).notNull().collate(.nocase).indexed()
                // AES-GCM under the data dir's identity key, the access key id as associated data: never the clear secret.
                t.column("sealed_secret", .blob).notNull()
                t.column("status", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("last_used_at", .integer)
                t.column("last_used_service", .text)
                t.column("last_used_region", .text)
            }
            // Rows keep insertion order (rowid): members and attachments are listed in the order they were added.
            try db.create(table: "iam_group_members") { t in
                t.column("group_name", .text).notNull().collate(.nocase)
                t.column("user_name", .text).notNull().collate(.nocase).indexed()
                t.primaryKey(["group_name", "user_name"])
            }
            try db.create(table: "iam_inline_policies") { t in
                t.column("owner_kind", .text).notNull()
                t.column("owner_name", .text).notNull().collate(.nocase)
                t.column("policy_name", .text).notNull()
                t.column("document", .text).notNull()
                t.primaryKey(["owner_kind", "owner_name", "policy_name"])
            }
            // Customer managed policies with their versions and tags; AWS managed ones are built in.
            try db.create(table: "iam_managed_policies") { t in
                t.primaryKey("arn", .text)
                t.column("name", .text).notNull().collate(.nocase).unique()
                t.column("definition", .blob).notNull()
            }
            try db.create(table: "iam_policy_attachments") { t in
                t.column("owner_kind", .text).notNull()
                t.column("owner_name", .text).notNull().collate(.nocase)
                t.column("policy_arn", .text).notNull().indexed()
                t.primaryKey(["owner_kind", "owner_name", "policy_arn"])
            }
        }
        migrator.registerMigration("v8-function-urls") { db in
            // One config per function and qualifier (`$LATEST` for the unqualified function); the url id is the
            // endpoint's identity. An alias's row is deleted with the alias (`deleteAlias`).
            try db.create(table: "function_url_configs") { t in
                t.primaryKey("url_id", .text)
                t.column("function_name", .text).notNull().references("functions", column: "name", onDelete: .cascade)
                t.column("qualifier", .text).notNull()
                t.column("definition", .blob).notNull()
                t.uniqueKey(["function_name", "qualifier"])
            }
        }
        // API Gateway HTTP APIs: each API (routes, integrations, stages, deployments, authorizers) one JSON document;
        // `revision` is the compare-and-swap token of every write.
        migrator.registerMigration("v9-http-apis") { db in
            try db.create(table: "http_apis") { t in
                t.primaryKey("api_id", .text)
                t.column("revision", .integer).notNull()
                t.column("definition", .blob).notNull()
            }
        }
        // CloudWatch Logs: groups (retention, tags) and streams get integer ids that events refer to, which keeps
        // each event row small; a trigram full-text index over messages (detail none: rowids only) narrows
        // FilterLogEvents. Deleted groups and streams leave their events to `log_purges`, removed in batches.
        migrator.registerMigration("v10-cloudwatch-logs") { db in
            try db.execute(sql: """
                CREATE TABLE log_groups (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  name TEXT NOT NULL UNIQUE,
                  created INTEGER NOT NULL,
                  retention_days INTEGER,
                  tags TEXT NOT NULL DEFAULT '{}');
                INSERT INTO log_groups (name, created) SELECT log_group, MIN(created) FROM log_streams GROUP BY log_group;
                ALTER TABLE log_streams RENAME TO log_streams_v2;
                ALTER TABLE log_events RENAME TO log_events_v2;
                DROP INDEX log_events_by_stream;
                CREATE TABLE log_streams (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  group_id INTEGER NOT NULL REFERENCES log_groups(id) ON DELETE CASCADE,
                  name TEXT NOT NULL,
                  created INTEGER NOT NULL,
                  first_event INTEGER,
                  last_event INTEGER,
                  last_ingestion INTEGER,
                  stored_bytes INTEGER NOT NULL DEFAULT 0,
                  sequence INTEGER NOT NULL DEFAULT 0,
                  UNIQUE (group_id, name));
                CREATE INDEX log_streams_by_last_event ON log_streams (group_id, last_event);
                INSERT INTO log_streams (group_id, name, created, first_event, last_event, last_ingestion, stored_bytes)
                  SELECT g.id, o.name, o.created, o.first_event, o.last_event, o.last_event, 0
                  FROM log_streams_v2 o JOIN log_groups g ON g.name = o.log_group;
                CREATE TABLE log_entries (
                  id INTEGER PRIMARY KEY,
                  group_id INTEGER NOT NULL,
                  stream_id INTEGER NOT NULL,
                  timestamp INTEGER NOT NULL,
                  ingested INTEGER NOT NULL,
                  message TEXT NOT NULL);
                INSERT INTO log_entries (id, group_id, stream_id, timestamp, ingested, message)
                  SELECT o.id, s.group_id, s.id, o.timestamp, o.timestamp, o.message
                  FROM log_events_v2 o JOIN log_groups g ON g.name = o.log_group JOIN log_streams s ON s.group_id = g.id AND s.name = o.stream;
                UPDATE log_streams SET stored_bytes = (SELECT COALESCE(SUM(length(CAST(message AS BLOB))), 0) FROM log_entries WHERE stream_id = log_streams.id);
                DROP TABLE log_events_v2;
                DROP TABLE log_streams_v2;
                CREATE INDEX log_entries_by_stream ON log_entries (stream_id, timestamp);
                CREATE INDEX log_entries_by_group ON log_entries (group_id, timestamp);
                CREATE VIRTUAL TABLE log_entries_text USING fts5 (
                  message, content = 'log_entries', content_rowid = 'id', tokenize = 'trigram case_sensitive 1', detail = 'none');
                INSERT INTO log_entries_text (log_entries_text) VALUES ('rebuild');
                CREATE TRIGGER log_entries_indexed AFTER INSERT ON log_entries BEGIN
                  INSERT INTO log_entries_text (rowid, message) VALUES (new.id, new.message);
                END;
                CREATE TRIGGER log_entries_unindexed AFTER DELETE ON log_entries BEGIN
                  INSERT INTO log_entries_text (log_entries_text, rowid, message) VALUES ('delete', old.id, old.message);
                END;
                CREATE TABLE log_purges (kind TEXT NOT NULL, owner_id INTEGER NOT NULL, PRIMARY KEY (kind, owner_id));
                """)
        }
        migrator.registerMigration("v11-deliveries") { db in try deliveries(db) }
        migrator.registerMigration("v12-events") { db in try events(db) }
        migrator.registerMigration("v13-schedules") { db in try schedules(db) }
        migrator.registerMigration("v14-topics") { db in try topics(db) }
        migrator.registerMigration("v15-metrics") { db in try metrics(db) }
        migrator.registerMigration("v16-traces") { db in try traces(db) }
        migrator.registerMigration("v17-log-metric-filters") { db in
            // A log group's metric filters; deleting the group deletes them (LogStore.deleteLogGroup).
            try db.execute(sql: """
                CREATE TABLE log_metric_filters (
                  log_group TEXT NOT NULL,
                  name TEXT NOT NULL,
                  document BLOB NOT NULL,
                  PRIMARY KEY (log_group, name));
                """)
        }
        migrator.registerMigration("v18-log-subscription-filters") { db in
            try db.execute(sql: """
                CREATE TABLE log_subscription_filters (
                  log_group TEXT NOT NULL,
                  name TEXT NOT NULL,
                  document BLOB NOT NULL,
                  PRIMARY KEY (log_group, name));
                """)
        }
        migrator.registerMigration("v19-compact-logs") { db in try compactLogs(db) }
        // Composite alarms share metric alarms' table (one name space), told apart by `kind`.
        migrator.registerMigration("v20-composite-alarms") { db in
            try db.execute(sql: "ALTER TABLE metric_alarms ADD COLUMN kind TEXT NOT NULL DEFAULT 'metric'")
        }
        return migrator
    }
}
