import Events
import Foundation
import Testing

extension StoreContract {
    /// EventBridge's buses, rules, archives with their events, and replays.
    @Suite struct EventBridge {
        static func rule(_ name: String, bus: String, pattern: String = "{\"source\":[\"a\"]}") -> EventRule {
            EventRule(busName: bus, name: name, eventPattern: pattern, description: "d", tags: ["t": "1"])
        }

        static func archive(_ name: String, retention: Int = 0) -> EventArchive {
            EventArchive(name: name, busName: "default", description: nil, eventPattern: nil, retentionDays: retention, creationTime: 1_700_000_000)
        }

        @Test(arguments: StoreKind.allCases) func busesAndRulesAreSavedLoadedDeleted(kind: StoreKind) async throws {
            try await kind.withStoreServing((any EventStore).self) { store in
                #expect(try await store.loadEventBuses().isEmpty)
                #expect(try await store.loadEventRules().isEmpty)
                try await store.saveEventBus(EventBus(name: "default", creationTime: 1))
                try await store.saveEventBus(EventBus(name: "orders", creationTime: 2))
                let described = EventBus(name: "orders", description: "orders", policy: "{}", creationTime: 2, lastModifiedTime: 3, tags: ["a": "b"])
                try await store.saveEventBus(described)
                #expect(Set(try await store.loadEventBuses().map(\.name)) == ["default", "orders"])
                #expect(try await store.loadEventBuses().first { $0.name == "orders" } == described)

                try await store.saveEventRule(Self.rule("r1", bus: "orders"))
                try await store.saveEventRule(Self.rule("r2", bus: "orders"))
                try await store.saveEventRule(Self.rule("r1", bus: "default"))
                let changed = Self.rule("r2", bus: "orders", pattern: "{\"source\":[\"b\"]}")
                try await store.saveEventRule(changed)
                #expect(try await store.loadEventRules().count == 3)
                #expect(try await store.loadEventRules().first { $0.key == changed.key } == changed)
                try await store.deleteEventRule(RuleKey(bus: "default", name: "r1"))
                try await store.deleteEventRule(RuleKey(bus: "default", name: "missing"))
                #expect(Set(try await store.loadEventRules().map(\.key)) == [RuleKey(bus: "orders", name: "r1"), RuleKey(bus: "orders", name: "r2")])

                // A bus goes with its rules; the other buses' stay.
                try await store.saveEventRule(Self.rule("r9", bus: "default"))
                try await store.deleteEventBus(named: "orders")
                #expect(try await store.loadEventBuses().map(\.name) == ["default"])
                #expect(try await store.loadEventRules().map(\.key) == [RuleKey(bus: "default", name: "r9")])
            }
        }

        @Test(arguments: StoreKind.allCases) func archivesKeepTheirEventsInOrder(kind: StoreKind) async throws {
            try await kind.withStoreServing((any EventArchiveStore).self) { store in
                try await store.saveEventArchive(Self.archive("a"))
                try await store.saveEventArchive(Self.archive("b"))
                try await store.saveEventArchive(Self.archive("a", retention: 7))
                #expect(try await store.loadEventArchives().sorted { $0.name < $1.name } == [Self.archive("a", retention: 7), Self.archive("b")])

                // Received out of order: read back by receive time, then insertion.
                for (at, text) in [(300, "c"), (100, "a1"), (200, "b"), (100, "a2"), (400, "é")] {
                    try await store.appendArchivedEvent(archive: "a", receivedAt: Int64(at), text: text)
                }
                try await store.appendArchivedEvent(archive: "b", receivedAt: 100, text: "other")
                let all = try await store.archivedEvents(archive: "a", from: 0, to: 1_000, afterSeq: 0, limit: 100)
                #expect(all.map(\.text) == ["a1", "a2", "b", "c", "é"])
                #expect(all.map(\.receivedAt) == [100, 100, 200, 300, 400])
                #expect(Set(all.map(\.seq)).count == 5)
                // The range is inclusive at both ends.
                #expect(try await store.archivedEvents(archive: "a", from: 100, to: 300, afterSeq: 0, limit: 100).map(\.text) == ["a1", "a2", "b", "c"])
                #expect(try await store.archivedEvents(archive: "a", from: 0, to: 1_000, afterSeq: 0, limit: 2).map(\.text) == ["a1", "a2"])
                // Paging on by sequence number: what came after the last seen.
                let afterFirst = try await store.archivedEvents(archive: "a", from: 300, to: 1_000, afterSeq: all[3].seq, limit: 100)
                #expect(afterFirst.map(\.text) == ["é"])

                // Bytes are UTF-8 bytes.
                let stats = try await store.archiveStatistics(archive: "a")
                #expect(stats.count == 5 && stats.bytes == 2 + 2 + 1 + 1 + 2)
                let none = try await store.archiveStatistics(archive: "none")
                #expect(none.count == 0 && none.bytes == 0)

                try await store.purgeArchivedEvents(archive: "a", before: 200)
                #expect(try await store.archivedEvents(archive: "a", from: 0, to: 1_000, afterSeq: 0, limit: 100).map(\.text) == ["b", "c", "é"])
                #expect(try await store.archivedEvents(archive: "b", from: 0, to: 1_000, afterSeq: 0, limit: 100).map(\.text) == ["other"])

                try await store.deleteEventArchive(named: "a")
                #expect(try await store.loadEventArchives() == [Self.archive("b")])
                #expect(try await store.archiveStatistics(archive: "a").count == 0)
                #expect(try await store.archiveStatistics(archive: "b").count == 1)
            }
        }

        @Test(arguments: StoreKind.allCases) func replaysAreSavedAndLoaded(kind: StoreKind) async throws {
            try await kind.withStoreServing((any EventArchiveStore).self) { store in
                #expect(try await store.loadEventReplays().isEmpty)
                var replay = EventReplay(name: "r", archiveName: "a", description: nil, eventStartTime: 1, eventEndTime: 2,
                                         destinationArn: "arn:aws:events:us-east-1:000000000000:event-bus/default", filterArns: nil,
                                         replayStartTime: 3)
                try await store.saveEventReplay(replay)
                replay.state = .completed
                replay.replayEndTime = 4
                try await store.saveEventReplay(replay)
                #expect(try await store.loadEventReplays() == [replay])
            }
        }
    }
}
