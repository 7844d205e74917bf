import CloudWatchLogs
import Foundation
import GRDB
@testable import SQLiteStore
import Testing

/// A store written before compact log storage keeps every event through the migration: messages, ingestion times,
/// and what filters find.
@Suite struct CompactLogMigrationTests {
    @Test func eventsStoredBeforeTheMigrationReadTheSame() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clm-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sqlite"
        let now: Int64 = 1_700_000_000_000
        let report = "REPORT RequestId: abcae99e-4612-43a9-b1db-b6f579e8a6d4\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\t"
        do {
            // The schema as the previous release left it, with events in it.
            let pool = try DatabasePool(path: path)
            try Migrations.migrator.migrate(pool, upTo: "v18-log-subscription-filters")
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO log_groups (id, name, created) VALUES (1, 'g', ?)", arguments: [now])
                try db.execute(sql: "INSERT INTO log_streams (id, group_id, name, created) VALUES (1, 1, 's', ?)", arguments: [now])
                for (i, message) in ["START RequestId: abcae99e-4612-43a9-b1db-b6f579e8a6d4 Version: $LATEST", "ERROR boom", report].enumerated() {
                    try db.execute(sql: "INSERT INTO log_entries (group_id, stream_id, timestamp, ingested, message) VALUES (1, 1, ?, ?, ?)",
                                   arguments: [now + Int64(i), now + 50, message])
                }
            }
            try pool.close()
        }
        let store = try SQLiteStore(path: path)
        let logs = LogsDirectory(store: store, arns: LogARNs(region: "us-east-1", accountId: "000000000000"), clock: { now })
        let page = try await logs.getLogEvents(group: "g", stream: "s", startTime: nil, endTime: nil, nextToken: nil, limit: nil, startFromHead: true)
        #expect(page.events.map(\.message) == ["START RequestId: abcae99e-4612-43a9-b1db-b6f579e8a6d4 Version: $LATEST", "ERROR boom", report])
        #expect(page.events.map(\.ingestionTime) == [now + 50, now + 50, now + 50])
        for (pattern, count) in [("ERROR", 1), ("REPORT", 1), ("abcae99e", 2), ("\"Version: $LATEST\"", 1)] {
            let found = try await logs.filterLogEvents(group: "g", streamNames: nil, streamPrefix: nil, startTime: nil, endTime: nil,
                                                       filterPattern: pattern, limit: nil, nextToken: nil)
            #expect(found.events.count == count, "\(pattern)")
        }
        // New events go in compact beside the old text rows.
        _ = try await logs.putLogEvents(group: "g", stream: "s", events: [IncomingLogEvent(timestamp: now + 10, message: report)])
        let reports = try await logs.filterLogEvents(group: "g", streamNames: nil, streamPrefix: nil, startTime: nil, endTime: nil,
                                                     filterPattern: "REPORT", limit: nil, nextToken: nil)
        #expect(reports.events.map(\.message) == [report, report])
    }
}
