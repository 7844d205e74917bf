@testable import CloudWatchLogs
import Foundation
import SQLiteStore
import Synchronization
import Testing

/// Two PutMetricFilter calls at once: each reloads the filters in force after its write. The reload that read first
/// must not publish last — the filter of the other write would be missing until the next write.
@Suite struct MetricFilterReloadTests {
    /// Keeps filters in memory; the first read after the next write (that write's reload) can be held — its snapshot
    /// taken, its answer kept back — until released.
    final class HeldStore: MetricFilterStore, Sendable {
        private struct State {
            var filters: [MetricFilter] = []
            var armed = false
            var holdNext = false
            var held: CheckedContinuation<Void, Never>?
            var reads = 0
        }
        private let state = Mutex(State())

        func putMetricFilter(_ filter: MetricFilter) async throws {
            state.withLock { s in
                s.filters.append(filter)
                if s.armed { (s.armed, s.holdNext) = (false, true) }
            }
        }

        func deleteMetricFilter(group: String, name: String) async throws -> Bool { false }

        func metricFilters() async throws -> [MetricFilter] {
            let (snapshot, hold) = state.withLock { s -> ([MetricFilter], Bool) in
                defer { s.holdNext = false }
                return (s.filters, s.holdNext)
            }
            if hold {
                await withCheckedContinuation { continuation in state.withLock { $0.held = continuation } }
            }
            state.withLock { $0.reads += 1 }
            return snapshot
        }

        func holdTheReloadOfTheNextWrite() { state.withLock { $0.armed = true } }
        var isHolding: Bool { state.withLock { $0.held != nil } }
        var reads: Int { state.withLock { $0.reads } }
        var stored: Int { state.withLock { $0.filters.count } }
        func release() { state.withLock { s in defer { s.held = nil }; return s.held }?.resume() }
    }

    final class Found: Sendable {
        let names = Mutex<[String]>([])
    }

    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("timed out waiting for \(what)"); return }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func aReloadThatReadFirstDoesNotPublishLast() async throws {
        let dir = NSTemporaryDirectory() + "mfreload-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let filters = HeldStore()
        let logs = LogsDirectory(store: store, arns: LogARNs(region: "us-east-1", accountId: "000000000000"),
                                 metricFilterStore: filters)
        for group in ["g1", "g2"] { try await logs.createLogGroup(name: group, tags: [:]) }
        let transformation = [MetricTransformation(metricName: "M", metricNamespace: "N", metricValue: "1", defaultValue: nil,
                                                   dimensions: nil, unit: nil)]

        // The first write's reload takes its snapshot (one filter) and is held there.
        filters.holdTheReloadOfTheNextWrite()
        let first = Task { try await logs.putMetricFilter(group: "g1", name: "a", pattern: "A", transformations: transformation) }
        try await Self.waitUntil("the first reload to be held") { filters.isHolding }
        // The second write commits; its reload, unserialised, would read both filters and publish them now.
        let second = Task { try await logs.putMetricFilter(group: "g2", name: "b", pattern: "B", transformations: transformation) }
        try await Self.waitUntil("the second write to be stored") { filters.stored == 2 }
        // Give an unserialised second reload (the third read: each write also reads for its quota) the moment it needs
        // to publish; a serialised one waits for the first.
        let until = ContinuousClock.now + .milliseconds(300)
        while filters.reads < 3 && ContinuousClock.now < until { try await Task.sleep(for: .milliseconds(2)) }
        filters.release()
        try await first.value
        try await second.value

        let found = Found()
        logs.metricFilters.publish { metrics in found.names.withLock { $0 += metrics.map(\.name) } }
        logs.metricFilters.apply(group: "g1", events: [("A", 0)])
        logs.metricFilters.apply(group: "g2", events: [("B", 0)])
        #expect(found.names.withLock { $0.count } == 2, "both filters in force once both writes returned")
    }
}
