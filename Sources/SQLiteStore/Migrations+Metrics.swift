import GRDB

extension Migrations {
    /// Tables of the `metrics` store (filled in by the module that owns them).
    static func metrics(_ db: Database) throws {
    }
}
