import GRDB

extension Migrations {
    /// Tables of the `traces` store (filled in by the module that owns them).
    static func traces(_ db: Database) throws {
    }
}
