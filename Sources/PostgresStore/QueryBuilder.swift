import PostgresNIO

/// A statement put together from parts, for queries whose conditions depend on the request (listings with optional
/// filters, cursors): SQL text appended piece by piece, every value bound as a parameter, never spliced in.
struct QueryBuilder {
    private(set) var sql: String
    private var binds = PostgresBindings()

    init(_ sql: String) {
        self.sql = sql
    }

    /// Appends SQL text (written by us, never a value).
    mutating func append(_ text: String) {
        sql += text
    }

    /// Binds `value` and returns its placeholder (`$n`) to put into the SQL.
    mutating func bind(_ value: some PostgresThrowingDynamicTypeEncodable) throws -> String {
        try binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
