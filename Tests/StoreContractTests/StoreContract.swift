import Testing

/// The store contract: the behaviour every `Store` implementation owes its callers, written from the protocols'
/// documentation and `SQLiteStore`'s behaviour, run against each `StoreKind`. Nested suites hold the areas; this
/// parent holds the throwaway PostgreSQL server while they run.
@Suite(.throwawayPostgres) struct StoreContract {}
