import GRDB

extension Migrations {
    /// Tables of the `topics` store (filled in by the module that owns them).
    static func topics(_ db: Database) throws {
    }
}
