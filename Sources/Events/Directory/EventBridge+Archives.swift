import Delivery
import EventPatterns
import Foundation

/// Archives (CreateArchive with a pattern and retention; events stored as they are put) and replays (StartReplay
/// of a time range back onto the archive's bus, each event with `replay-name`).
extension EventBridge {
    /// The delivery channel that stores an event in an archive (target: the archive's ARN).
    public static let archiveChannel = "events-archive"

    static func reindexArchives(_ state: inout State) {
        var byBus: [String: [(name: String, pattern: EventPattern?)]] = [:]
        for archive in state.archives.values.sorted(by: { $0.name < $1.name }) {
            byBus[archive.busName, default: []].append((archive.name, archive.eventPattern.flatMap { try? EventPattern(parsing: $0) }))
        }
        state.archivesByBus = byBus
    }

    static func checkName(_ name: String, member: String, max: Int) throws(EventsError) {
        guard !name.isEmpty, name.utf8.count <= max, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw .validation("1 validation error detected: Value '\(name)' at '\(member)' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and \(max)")
        }
    }

    public func createArchive(name: String, sourceArn: String, description: String?, eventPattern: String?, retentionDays: Int?) async throws -> EventArchive {
        try Self.checkName(name, member: "archiveName", max: 48)
        if let eventPattern { _ = try Self.parsePattern(eventPattern) }
        if let days = retentionDays, days < 0 {
            throw EventsError.validation("1 validation error detected: Value '\(days)' at 'retentionDays' failed to satisfy constraint: Member must have value greater than or equal to 0")
        }
        return try await mutate {
            guard sourceArn.contains(":event-bus/"), let busName = arns.busName(sourceArn),
                  state.withLock({ $0.buses[busName] }) != nil else {
                throw EventsError.resourceNotFound("Event bus \(sourceArn) does not exist.")
            }
            guard state.withLock({ $0.archives[name] }) == nil else {
                throw EventsError.resourceAlreadyExists("Archive \(name) already exists.")
            }
            let archive = EventArchive(name: name, busName: busName, description: description, eventPattern: eventPattern,
                                       retentionDays: retentionDays ?? 0, creationTime: now)
            try await store.saveEventArchive(archive)
            state.withLock { state in
                state.archives[name] = archive
                Self.reindexArchives(&state)
            }
            return archive
        }
    }

    public func archive(_ name: String) throws(EventsError) -> EventArchive {
        guard let archive = state.withLock({ $0.archives[name] }) else { throw .resourceNotFound("Archive \(name) does not exist.") }
        return archive
    }

    public func archives(prefix: String?, sourceArn: String?) -> [EventArchive] {
        let bus = sourceArn.flatMap { arns.busName($0) }
        return state.withLock { Array($0.archives.values) }
            .filter { archive in (prefix.map(archive.name.hasPrefix) ?? true) && (bus.map { archive.busName == $0 } ?? true) }
            .sorted { $0.name < $1.name }
    }

    public func archiveStatistics(_ name: String) async throws -> (count: Int64, bytes: Int64) {
        try await store.archiveStatistics(archive: name)
    }

    public func updateArchive(name: String, description: String?, eventPattern: String?, retentionDays: Int?) async throws -> EventArchive {
        if let eventPattern { _ = try Self.parsePattern(eventPattern) }
        return try await mutate {
            var archive = try self.archive(name)
            if let description { archive.description = description }
            if let eventPattern { archive.eventPattern = eventPattern }
            if let retentionDays {
                guard retentionDays >= 0 else { throw EventsError.validation("RetentionDays must be 0 or more.") }
                archive.retentionDays = retentionDays
            }
            try await store.saveEventArchive(archive)
            let saved = archive
            state.withLock { state in
                state.archives[name] = saved
                Self.reindexArchives(&state)
            }
            return saved
        }
    }

    public func deleteArchive(name: String) async throws {
        try await mutate {
            _ = try self.archive(name)
            try await store.deleteEventArchive(named: name)
            state.withLock { state in
                state.archives[name] = nil
                Self.reindexArchives(&state)
            }
        }
    }

    /// Stores an archived event (the `events-archive` channel's sink); an archive deleted meanwhile takes nothing.
    public func archiveEvent(archiveArn: String, text: String, receivedAt: Int64) async throws {
        guard let name = arns.archiveName(archiveArn), state.withLock({ $0.archives[name] }) != nil else { return }
        try await store.appendArchivedEvent(archive: name, receivedAt: receivedAt, text: text)
    }

    /// Drops events past their archive's retention.
    func purgeExpiredArchivedEvents() async {
        let nowMs = Int64(now * 1000)
        for archive in state.withLock({ Array($0.archives.values) }) where archive.retentionDays > 0 {
            do {
                try await store.purgeArchivedEvents(archive: archive.name, before: nowMs - Int64(archive.retentionDays) * 86_400_000)
            } catch {
                logger.error("purging archived events failed", metadata: ["archive": "\(archive.name)", "error": "\(error)"])
            }
        }
    }

    // MARK: Replays

    public func startReplay(name: String, description: String?, archiveArn: String, start: Double, end: Double,
                            destinationArn: String, filterArns: [String]?) async throws -> EventReplay {
        try Self.checkName(name, member: "replayName", max: 64)
        guard start < end else { throw EventsError.validation("Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.") }
        let replay = try await mutate {
            guard let archiveName = arns.archiveName(archiveArn) else {
                throw EventsError.validation("Parameter EventSourceArn is not valid. Reason: Provided Arn is not an archive.")
            }
            let archive = try self.archive(archiveName)
            guard arns.busName(destinationArn) == archive.busName, destinationArn.contains(":event-bus/") else {
                throw EventsError.validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.")
            }
            guard state.withLock({ $0.replays[name] }) == nil else {
                throw EventsError.resourceAlreadyExists("Replay \(name) already exists.")
            }
            let replay = EventReplay(name: name, archiveName: archiveName, description: description, eventStartTime: start,
                                     eventEndTime: end, destinationArn: destinationArn, filterArns: filterArns, replayStartTime: now)
            try await store.saveEventReplay(replay)
            state.withLock { $0.replays[name] = replay }
            return replay
        }
        replayQueue.continuation.yield(name)
        return replay
    }

    public func replay(_ name: String) throws(EventsError) -> EventReplay {
        guard let replay = state.withLock({ $0.replays[name] }) else { throw .resourceNotFound("Replay \(name) does not exist.") }
        return replay
    }

    public func replays(prefix: String?, state filter: EventReplay.State?, archiveArn: String?) -> [EventReplay] {
        let archive = archiveArn.flatMap { arns.archiveName($0) }
        return state.withLock { Array($0.replays.values) }
            .filter { replay in
                (prefix.map(replay.name.hasPrefix) ?? true) && (filter.map { replay.state == $0 } ?? true)
                    && (archive.map { replay.archiveName == $0 } ?? true)
            }
            .sorted { $0.name < $1.name }
    }

    /// Asks a running replay to stop; one already finished cannot be cancelled.
    public func cancelReplay(_ name: String) async throws -> EventReplay {
        try await mutate {
            var replay = try self.replay(name)
            guard !replay.state.isFinished, replay.state != .cancelling else {
                throw EventsError.illegalStatus("Replay \(name) is \(replay.state.rawValue) and cannot be cancelled.")
            }
            replay.state = .cancelling
            try await store.saveEventReplay(replay)
            let saved = replay
            state.withLock { $0.replays[name] = saved }
            return saved
        }
    }

    /// Writes a replay's progress (its state unless it was cancelled meanwhile).
    func updateReplay(_ name: String, _ change: @Sendable (inout EventReplay) -> Void) async throws -> EventReplay? {
        try await mutate {
            guard var replay = state.withLock({ $0.replays[name] }) else { return nil }
            change(&replay)
            try await store.saveEventReplay(replay)
            let saved = replay
            state.withLock { $0.replays[name] = saved }
            return saved
        }
    }

    /// Runs one replay to its end: pages through the archive, puts each event (with `replay-name`) to the
    /// destination bus's matching rules (those named in FilterArns only, when given).
    func runReplay(_ name: String) async {
        guard let started = try? await updateReplay(name, { if $0.state == .starting { $0.state = .running } }),
              started.state == .running, let archive = state.withLock({ $0.archives[started.archiveName] }) else {
            _ = try? await updateReplay(name) { replay in
                if replay.state == .cancelling { replay.state = .cancelled; replay.replayEndTime = Date().timeIntervalSince1970 }
                else if !replay.state.isFinished { replay.state = .failed; replay.stateReason = "The archive no longer exists." }
            }
            return
        }
        await purgeExpiredArchivedEvents()
        let from = Int64(started.eventStartTime * 1000)
        let to = Int64(started.eventEndTime * 1000)
        let filters = started.filterArns.map(Set.init)
        var after: Int64 = 0
        do {
            while true {
                if state.withLock({ $0.replays[name]?.state }) == .cancelling {
                    _ = try await updateReplay(name) { $0.state = .cancelled; $0.replayEndTime = Date().timeIntervalSince1970 }
                    return
                }
                let page = try await store.archivedEvents(archive: archive.name, from: from, to: to, afterSeq: after, limit: 100)
                guard let last = page.last else { break }
                after = last.seq
                let nowDate = clock()
                let acceptedAt = Int64(nowDate.timeIntervalSince1970 * 1000)
                let index = state.withLock { $0.indexes[archive.busName] } ?? RuleIndex.empty
                var deliveries: [Delivery] = []
                for archived in page {
                    guard let original = EventEnvelope(forwarding: archived.text, ingestionTime: nowDate) else { continue }
                    let event = original.replayed(as: name, at: nowDate)
                    for rule in index.matches(event.matchable) where filters.map({ $0.contains(rule.arn) }) ?? true {
                        deliveries += self.deliveries(for: event, rule: rule, acceptedAt: acceptedAt)
                    }
                }
                try await accept(deliveries)
                let lastTime = Double(last.receivedAt) / 1000
                _ = try await updateReplay(name) { $0.eventLastReplayedTime = lastTime }
            }
            _ = try await updateReplay(name) { replay in
                replay.state = replay.state == .cancelling ? .cancelled : .completed
                replay.replayEndTime = Date().timeIntervalSince1970
            }
        } catch {
            logger.error("a replay failed", metadata: ["replay": "\(name)", "error": "\(error)"])
            _ = try? await updateReplay(name) { $0.state = .failed; $0.stateReason = "\(error)"; $0.replayEndTime = Date().timeIntervalSince1970 }
        }
    }

    /// Replays left unfinished by a previous process (run again from their start: at least once).
    var unfinishedReplays: [String] {
        state.withLock { $0.replays.values.filter { !$0.state.isFinished }.map(\.name).sorted() }
    }
}
