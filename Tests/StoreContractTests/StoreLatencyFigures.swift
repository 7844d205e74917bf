@testable import Catalog
import Foundation
import Testing

extension StoreContract {
    /// Prints the p50 latency of an async enqueue and of a function read on each store (figures, not assertions).
    /// `SWIFTLET_STORE_BENCH_N` sets the number of samples (default 300).
    @Suite struct LatencyFigures {
        @Test(.serialized, arguments: StoreKind.allCases) func p50(kind: StoreKind) async throws {
            let samples = ProcessInfo.processInfo.environment["SWIFTLET_STORE_BENCH_N"].flatMap { Int($0) } ?? 300
            try await kind.withStore { store in
                try await store.createFunction(Fixtures.function("bench"), tags: [:])
                let clock = ContinuousClock()
                var enqueue: [Duration] = []
                var read: [Duration] = []
                for i in 0..<samples {
                    let event = Fixtures.event("b\(i)", function: "bench", due: 0, payload: String(repeating: "x", count: 512))
                    enqueue.append(try await clock.measure { try await store.enqueue(event) })
                    read.append(try await clock.measure { _ = try await store.function(named: "bench") })
                }
                func p50(_ values: [Duration]) -> String {
                    let sorted = values.sorted()
                    let micros = sorted[sorted.count / 2].components.attoseconds / 1_000_000_000_000 + sorted[sorted.count / 2].components.seconds * 1_000_000
                    return "\(micros) µs"
                }
                print("store latency \(kind.rawValue): enqueue p50 \(p50(enqueue)), function read p50 \(p50(read)) (\(samples) samples each)")
                #expect(try await store.claimDueEvents(now: 1, leaseUntil: 2, limit: samples + 1).count == samples)
            }
        }
    }
}
