@testable import Catalog
import Foundation
import Testing

extension StoreContract {
    /// Concurrency, resource policies, event source mappings, function URLs.
    @Suite struct Settings {
        struct Refused: Error, Equatable {}

        @Test(arguments: StoreKind.allCases) func reservedConcurrency(kind: StoreKind) async throws {
            try await kind.withStore { store in
                await #expect(throws: StoreError.notFound) { try await store.setReservedConcurrency(of: "f", to: 1) { _ in } }
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                try await store.createFunction(Fixtures.function("g"), tags: [:])
                try await store.setReservedConcurrency(of: "f", to: 10) { others in #expect(others == 0) }
                try await store.setReservedConcurrency(of: "g", to: 5) { others in #expect(others == 10) }
                // The check sees the others' sum (not the function's own) and may refuse: nothing changes.
                await #expect(throws: Refused()) {
                    try await store.setReservedConcurrency(of: "f", to: 100) { others in
                        #expect(others == 5)
                        throw Refused()
                    }
                }
                #expect(try await store.reservedConcurrency(of: "f") == 10)
                #expect(try await store.reservedConcurrencies() == ["f": 10, "g": 5])
                try await store.setReservedConcurrency(of: "f", to: nil) { _ in }
                #expect(try await store.reservedConcurrency(of: "f") == nil)
                #expect(try await store.reservedConcurrencies() == ["g": 5])
            }
        }

        @Test(arguments: StoreKind.allCases) func provisionedConcurrency(kind: StoreKind) async throws {
            try await kind.withStore { store in
                let date = Date(timeIntervalSince1970: 1_700_000_000)
                await #expect(throws: StoreError.notFound) {
                    try await store.putProvisionedConcurrencyConfig(.init(functionName: "f", qualifier: "1", requested: 1, lastModified: date))
                }
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                try await store.createFunction(Fixtures.function("e"), tags: [:])
                let live = ProvisionedConcurrencyConfig(functionName: "f", qualifier: "live", requested: 3, lastModified: date)
                let one = ProvisionedConcurrencyConfig(functionName: "f", qualifier: "1", requested: 1, lastModified: date)
                let other = ProvisionedConcurrencyConfig(functionName: "e", qualifier: "x", requested: 1, lastModified: date)
                for config in [live, one, other] { try await store.putProvisionedConcurrencyConfig(config) }
                var more = live
                more.requested = 4
                try await store.putProvisionedConcurrencyConfig(more)
                #expect(try await store.provisionedConcurrencyConfigs(of: "f") == [one, more])
                #expect(try await store.allProvisionedConcurrencyConfigs() == [other, one, more])
                try await store.deleteProvisionedConcurrencyConfig(of: "f", qualifier: "1")
                await #expect(throws: StoreError.notFound) { try await store.deleteProvisionedConcurrencyConfig(of: "f", qualifier: "1") }
            }
        }

        @Test(arguments: StoreKind.allCases) func policies(kind: StoreKind) async throws {
            try await kind.withStore { store in
                #expect(try await store.policy(of: "function:f") == nil)
                let first = try #require(try await store.updatePolicy(of: "function:f", expectedRevision: nil) { current in
                    #expect(current.Statement.isEmpty)
                    return PolicyDocument(statements: [Fixtures.statement("a")])
                })
                // Compared by document and revision: `PolicyRecord.json` is encoded without sorted keys, so two encodes
                // of one document may differ in key order.
                #expect(try await store.policy(of: "function:f").map { [$0.document == first.document, $0.revisionId == first.revisionId] } == [true, true])
                await #expect(throws: StoreError.revisionMismatch) {
                    _ = try await store.updatePolicy(of: "function:f", expectedRevision: "stale") { $0 }
                }
                let second = try #require(try await store.updatePolicy(of: "function:f", expectedRevision: first.revisionId) { current in
                    var next = current
                    next.Statement.append(Fixtures.statement("b"))
                    return next
                })
                #expect(second.revisionId != first.revisionId)
                #expect(second.document.Statement.map(\.Sid) == ["a", "b"])
                // A change that throws leaves the policy as it was.
                await #expect(throws: Refused()) { _ = try await store.updatePolicy(of: "function:f", expectedRevision: nil) { _ in throw Refused() } }
                #expect(try await store.policy(of: "function:f").map { [$0.document == second.document, $0.revisionId == second.revisionId] } == [true, true])
                // An empty document deletes it.
                #expect(try await store.updatePolicy(of: "function:f", expectedRevision: nil) { _ in PolicyDocument() } == nil)
                #expect(try await store.policy(of: "function:f") == nil)
            }
        }

        @Test(arguments: StoreKind.allCases) func concurrentPolicyChangesAllLand(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<10 {
                        group.addTask {
                            _ = try await store.updatePolicy(of: "function:f", expectedRevision: nil) { current in
                                var next = current
                                next.Statement.append(Fixtures.statement("s\(i)"))
                                return next
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await store.policy(of: "function:f")?.document.Statement.count == 10)
            }
        }

        @Test(arguments: StoreKind.allCases) func mappings(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.putMapping(Fixtures.mapping("b"))
                try await store.putMapping(Fixtures.mapping("a"))
                var disabled = Fixtures.mapping("b", function: "g")
                disabled.enabled = false
                try await store.putMapping(disabled)
                #expect(try await store.mapping("b") == disabled)
                #expect(try await store.mapping("zz") == nil)
                #expect(try await store.mappings().map(\.uuid) == ["a", "b"])
                #expect(try await store.deleteMapping("a"))
                #expect(try await !store.deleteMapping("a"))
                #expect(try await store.mappings() == [disabled])
            }
        }

        @Test(arguments: StoreKind.allCases) func functionURLs(kind: StoreKind) async throws {
            try await kind.withStore { store in
                await #expect(throws: StoreError.notFound) { try await store.createFunctionURL(Fixtures.url("f", qualifier: nil, id: "u0")) }
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                try await store.createFunction(Fixtures.function("e"), tags: [:])
                await #expect(throws: StoreError.notFound) { try await store.createFunctionURL(Fixtures.url("f", qualifier: "live", id: "u1")) }
                try await store.createAlias(Fixtures.alias("live", of: "f", version: "$LATEST"))
                let live = Fixtures.url("f", qualifier: "live", id: "u1")
                let latest = Fixtures.url("f", qualifier: nil, id: "u2")
                let other = Fixtures.url("e", qualifier: nil, id: "u3")
                for config in [live, latest, other] { try await store.createFunctionURL(config) }
                await #expect(throws: StoreError.alreadyExists) { try await store.createFunctionURL(Fixtures.url("f", qualifier: nil, id: "u9")) }
                #expect(try await store.functionURL(of: "f", qualifier: nil) == latest)
                #expect(try await store.functionURL(id: "u1") == live)
                #expect(try await store.functionURLs(of: "f") == [latest, live])
                #expect(try await store.allFunctionURLs() == [other, latest, live])

                var changed = latest
                changed.authType = "AWS_IAM"
                try await store.replaceFunctionURL(changed)
                #expect(try await store.functionURL(id: "u2") == changed)
                var wrongId = changed
                wrongId.urlId = "other"
                await #expect(throws: StoreError.notFound) { try await store.replaceFunctionURL(wrongId) }
                #expect(try await store.deleteFunctionURL(of: "f", qualifier: nil) == changed)
                #expect(try await store.deleteFunctionURL(of: "f", qualifier: nil) == nil)
                #expect(try await store.functionURLs(of: "f") == [live])
            }
        }
    }
}
