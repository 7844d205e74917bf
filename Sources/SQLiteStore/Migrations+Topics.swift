import GRDB

extension Migrations {
    /// SNS topics and subscriptions: each definition as JSON, with the subscription's topic as a column.
    static func topics(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE sns_topics (
              arn TEXT PRIMARY KEY,
              definition BLOB NOT NULL);
            CREATE TABLE sns_subscriptions (
              arn TEXT PRIMARY KEY,
              topic_arn TEXT NOT NULL,
              definition BLOB NOT NULL);
            CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn);
            """)
    }
}
