import GRDB

extension Migrations {
    /// Tables of the `schedules` store (filled in by the module that owns them).
    static func schedules(_ db: Database) throws {
    }
}
