import GRDB

extension Migrations {
    /// Tables of the `events` store (filled in by the module that owns them).
    static func events(_ db: Database) throws {
    }
}
