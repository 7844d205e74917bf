/// API Gateway HTTP APIs: each API (routes, integrations, stages, deployments, authorizers) one JSON document;
/// `revision` is the compare-and-swap token of every write.
extension Migrations {
    static let httpAPIs: [Migration] = [
        Migration(id: "021-http-apis", statements: [
            """
            CREATE TABLE http_apis (
                api_id TEXT COLLATE "C" PRIMARY KEY,
                revision BIGINT NOT NULL,
                definition BYTEA NOT NULL)
            """,
        ]),
    ]
}
