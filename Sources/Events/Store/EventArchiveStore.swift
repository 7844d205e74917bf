/// Persistence of archives, their events and replays.
public protocol EventArchiveStore: Sendable {
    func loadEventArchives() async throws -> [EventArchive]
    func saveEventArchive(_ archive: EventArchive) async throws
    /// Removes the archive and its events.
    func deleteEventArchive(named name: String) async throws
    func appendArchivedEvent(archive: String, receivedAt: Int64, text: String) async throws
    /// Events of the archive received in `[from, to]`, after `afterSeq`, oldest first.
    func archivedEvents(archive: String, from: Int64, to: Int64, afterSeq: Int64, limit: Int) async throws -> [ArchivedEvent]
    /// How many events the archive holds and their bytes.
    func archiveStatistics(archive: String) async throws -> (count: Int64, bytes: Int64)
    /// Drops the archive's events received before `before` (retention).
    func purgeArchivedEvents(archive: String, before: Int64) async throws
    func loadEventReplays() async throws -> [EventReplay]
    func saveEventReplay(_ replay: EventReplay) async throws
}
