/// SNS topics and subscriptions: each definition as JSON, with the subscription's topic as a column.
extension Migrations {
    static let topics: [Migration] = [
        Migration(id: "014-topics", statements: [
            """
            CREATE TABLE sns_topics (
                arn TEXT COLLATE "C" PRIMARY KEY,
                definition BYTEA NOT NULL)
            """,
            """
            CREATE TABLE sns_subscriptions (
                arn TEXT COLLATE "C" PRIMARY KEY,
                topic_arn TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL)
            """,
            "CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_arn)",
        ]),
    ]
}
