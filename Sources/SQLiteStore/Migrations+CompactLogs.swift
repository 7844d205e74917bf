import GRDB

extension Migrations {
    /// Compact log storage: the platform's START/END/REPORT lines are stored as `CompactLogLine` blobs and kept out of
    /// the trigram index (which indexes text rows only and no longer keeps per-row sizes: `columnsize=0`); the
    /// ingestion time is stored as its lag behind the event's timestamp (usually a few milliseconds: one or two bytes
    /// instead of six).
    static func compactLogs(_ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER log_entries_indexed;
            DROP TRIGGER log_entries_unindexed;
            DROP TABLE log_entries_text;
            ALTER TABLE log_entries RENAME COLUMN ingested TO ingest_lag;
            UPDATE log_entries SET ingest_lag = ingest_lag - timestamp;
            CREATE VIRTUAL TABLE log_entries_text USING fts5 (
              message, content = 'log_entries', content_rowid = 'id', tokenize = 'trigram case_sensitive 1',
              detail = 'none', columnsize = 0);
            INSERT INTO log_entries_text (log_entries_text) VALUES ('rebuild');
            CREATE TRIGGER log_entries_indexed AFTER INSERT ON log_entries WHEN typeof(new.message) = 'text' BEGIN
              INSERT INTO log_entries_text (rowid, message) VALUES (new.id, new.message);
            END;
            CREATE TRIGGER log_entries_unindexed AFTER DELETE ON log_entries WHEN typeof(old.message) = 'text' BEGIN
              INSERT INTO log_entries_text (log_entries_text, rowid, message) VALUES ('delete', old.id, old.message);
            END;
            """)
    }
}
