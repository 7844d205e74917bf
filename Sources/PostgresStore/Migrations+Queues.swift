/// SQS queues and messages: FIFO message groups, deduplication, remembered receive attempts.
extension Migrations {
    static let queues: [Migration] = [
        Migration(id: "005-queues", statements: [
            """
            CREATE TABLE queues (
                name TEXT COLLATE "C" PRIMARY KEY,
                definition BYTEA NOT NULL)
            """,
            """
            CREATE TABLE queue_messages (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT COLLATE "C" NOT NULL UNIQUE,
                queue TEXT COLLATE "C" NOT NULL,
                body TEXT NOT NULL,
                -- Message and system attributes, sender: JSON.
                extra BYTEA NOT NULL,
                sent_at BIGINT NOT NULL,
                visible_at BIGINT NOT NULL,
                receive_count BIGINT NOT NULL DEFAULT 0,
                first_receive_at BIGINT,
                receipt TEXT,
                group_id TEXT COLLATE "C",
                -- Set on FIFO messages only (given, or derived from the body).
                deduplication_id TEXT,
                -- When a FIFO message moved to a dead-letter queue: its retention counts from then.
                retained_from BIGINT)
            """,
            "CREATE INDEX queue_messages_by_visibility ON queue_messages (queue, visible_at, seq)",
            "CREATE INDEX queue_messages_by_age ON queue_messages (queue, sent_at)",
            "CREATE INDEX queue_messages_by_group ON queue_messages (queue, group_id, seq)",
            """
            -- Each FIFO message group: its first message, and when the group can next be received from.
            CREATE TABLE fifo_groups (
                queue TEXT COLLATE "C" NOT NULL,
                group_id TEXT COLLATE "C" NOT NULL,
                head_seq BIGINT NOT NULL,
                free_at BIGINT NOT NULL,
                PRIMARY KEY (queue, group_id))
            """,
            "CREATE INDEX fifo_groups_by_freedom ON fifo_groups (queue, free_at, head_seq)",
            """
            CREATE TABLE queue_deduplication (
                queue TEXT COLLATE "C" NOT NULL,
                -- The deduplication id, prefixed by the message group when the queue deduplicates per group.
                key TEXT COLLATE "C" NOT NULL,
                message_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                PRIMARY KEY (queue, key))
            """,
            "CREATE INDEX queue_deduplication_by_expiry ON queue_deduplication (expires_at)",
            """
            CREATE TABLE queue_receive_attempts (
                queue TEXT COLLATE "C" NOT NULL,
                attempt_id TEXT COLLATE "C" NOT NULL,
                -- What the receive handed out, JSON: message id, receipt and the visibility it set.
                leases BYTEA NOT NULL,
                expires_at BIGINT NOT NULL,
                PRIMARY KEY (queue, attempt_id))
            """,
        ]),
    ]
}
