@testable import Catalog
import Foundation
import Testing

extension StoreContract {
    @Suite struct Releases {
        typealias Functions = StoreContract.Functions

        @Test(arguments: StoreKind.allCases) func versionsAreNumberedAndNeverReused(kind: StoreKind) async throws {
            try await kind.withStore { store in
                await #expect(throws: StoreError.notFound) {
                    _ = try await store.publishVersion(of: "f") { latest, _, n in Functions.published(latest, n) }
                }
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                let v1 = try await store.publishVersion(of: "f") { latest, newest, n in
                    #expect(newest == nil)
                    return Functions.published(latest, n)
                }
                #expect(v1.publishedVersion == 1)
                // `make` may decline: the newest version stands for it.
                let same = try await store.publishVersion(of: "f") { _, newest, _ in
                    #expect(newest == v1)
                    return nil
                }
                #expect(same == v1)
                let v2 = try await store.publishVersion(of: "f") { latest, _, n in Functions.published(latest, n) }
                #expect(v2.publishedVersion == 2)
                try await store.deleteVersion(2, of: "f")
                let v3 = try await store.publishVersion(of: "f") { latest, _, n in Functions.published(latest, n) }
                #expect(v3.publishedVersion == 3)
                #expect(try await store.version(1, of: "f") == v1)
                #expect(try await store.version(2, of: "f") == nil)
                #expect(try await store.listVersions(of: "f", after: nil, limit: 10).map(\.publishedVersion) == [1, 3])
                #expect(try await store.listVersions(of: "f", after: 1, limit: 10).map(\.publishedVersion) == [3])
                #expect(try await store.listVersions(of: "f", after: nil, limit: 1).map(\.publishedVersion) == [1])
                await #expect(throws: StoreError.notFound) { try await store.deleteVersion(2, of: "f") }
            }
        }

        @Test(arguments: StoreKind.allCases) func concurrentPublishesGetDistinctNumbers(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await store.publishVersion(of: "f") { latest, _, n in Functions.published(latest, n) }.publishedVersion! }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(numbers.sorted() == Array(1...8))
            }
        }

        @Test(arguments: StoreKind.allCases) func aliasesRouteToExistingVersions(kind: StoreKind) async throws {
            try await kind.withStore { store in
                await #expect(throws: StoreError.notFound) { try await store.createAlias(Fixtures.alias("live", of: "f", version: "$LATEST")) }
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                _ = try await store.publishVersion(of: "f") { latest, _, n in Functions.published(latest, n) }
                _ = try await store.publishVersion(of: "f") { latest, _, n in Functions.published(latest, n) }
                await #expect(throws: StoreError.versionNotFound("7")) { try await store.createAlias(Fixtures.alias("live", of: "f", version: "7")) }
                await #expect(throws: StoreError.versionNotFound("9")) {
                    try await store.createAlias(Fixtures.alias("live", of: "f", version: "1", weights: ["9": 0.5]))
                }
                let live = Fixtures.alias("live", of: "f", version: "1", weights: ["2": 0.25])
                try await store.createAlias(live)
                try await store.createAlias(Fixtures.alias("beta", of: "f", version: "$LATEST"))
                await #expect(throws: StoreError.alreadyExists) { try await store.createAlias(live) }
                #expect(try await store.alias("live", of: "f") == live)
                #expect(try await store.aliases(of: "f").map(\.name) == ["beta", "live"])

                // Referenced versions cannot go, as the main or the additional version.
                await #expect(throws: StoreError.referenced(by: "live")) { try await store.deleteVersion(1, of: "f") }
                await #expect(throws: StoreError.referenced(by: "live")) { try await store.deleteVersion(2, of: "f") }

                var moved = Fixtures.alias("live", of: "f", version: "2", revision: "a2")
                await #expect(throws: StoreError.revisionMismatch) { try await store.replaceAlias(moved, expectedRevision: "stale") }
                moved.functionVersion = "5"
                await #expect(throws: StoreError.versionNotFound("5")) { try await store.replaceAlias(moved, expectedRevision: "a1") }
                moved.functionVersion = "2"
                try await store.replaceAlias(moved, expectedRevision: "a1")
                #expect(try await store.alias("live", of: "f") == moved)
                await #expect(throws: StoreError.notFound) {
                    try await store.replaceAlias(Fixtures.alias("nope", of: "f", version: "1"), expectedRevision: "a1")
                }
                try await store.deleteVersion(1, of: "f")

                // Deleting an alias takes what belongs to it.
                try await store.putProvisionedConcurrencyConfig(.init(functionName: "f", qualifier: "live", requested: 2, lastModified: Date()))
                try await store.putEventInvokeConfig(.init(functionName: "f", qualifier: "live", maximumRetryAttempts: 0,
                                                           maximumEventAgeInSeconds: 60, onSuccess: nil, onFailure: nil, lastModified: Date()))
                try await store.createFunctionURL(Fixtures.url("f", qualifier: "live", id: "ulive"))
                _ = try await store.updatePolicy(of: "function:f:live", expectedRevision: nil) { _ in PolicyDocument(statements: [Fixtures.statement("s")]) }
                try await store.deleteAlias("live", of: "f")
                #expect(try await store.alias("live", of: "f") == nil)
                #expect(try await store.provisionedConcurrencyConfigs(of: "f").isEmpty)
                #expect(try await store.eventInvokeConfig(of: "f", qualifier: "live") == nil)
                #expect(try await store.functionURL(id: "ulive") == nil)
                #expect(try await store.policy(of: "function:f:live") == nil)
                try await store.deleteVersion(2, of: "f")
            }
        }

        @Test(arguments: StoreKind.allCases) func deletingAVersionTakesItsSettings(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createFunction(Fixtures.function("f"), tags: [:])
                _ = try await store.publishVersion(of: "f") { latest, _, n in Functions.published(latest, n) }
                try await store.putProvisionedConcurrencyConfig(.init(functionName: "f", qualifier: "1", requested: 2, lastModified: Date()))
                try await store.putEventInvokeConfig(.init(functionName: "f", qualifier: "1", maximumRetryAttempts: 0,
                                                           maximumEventAgeInSeconds: 60, onSuccess: nil, onFailure: nil, lastModified: Date()))
                _ = try await store.updatePolicy(of: "function:f:1", expectedRevision: nil) { _ in PolicyDocument(statements: [Fixtures.statement("s")]) }
                try await store.deleteVersion(1, of: "f")
                #expect(try await store.provisionedConcurrencyConfigs(of: "f").isEmpty)
                #expect(try await store.eventInvokeConfig(of: "f", qualifier: "1") == nil)
                #expect(try await store.policy(of: "function:f:1") == nil)
            }
        }

        @Test(arguments: StoreKind.allCases) func layers(kind: StoreKind) async throws {
            try await kind.withStore { store in
                let one = try await store.publishLayerVersion(named: "l") { Fixtures.layer("l", $0) }
                let two = try await store.publishLayerVersion(named: "l") { Fixtures.layer("l", $0) }
                let other = try await store.publishLayerVersion(named: "a") { Fixtures.layer("a", $0) }
                #expect([one.version, two.version, other.version] as [Int] == [1, 2, 1])
                #expect(try await store.layerVersion(2, of: "l") == two)
                #expect(try await store.layerVersions(of: "l") == [two, one])
                #expect(try await store.allLayerVersions() == [other, two, one])
                _ = try await store.updatePolicy(of: "layer:l:2", expectedRevision: nil) { _ in PolicyDocument(statements: [Fixtures.statement("s")]) }
                try await store.deleteLayerVersion(2, of: "l")
                try await store.deleteLayerVersion(2, of: "l")
                #expect(try await store.layerVersion(2, of: "l") == nil)
                #expect(try await store.policy(of: "layer:l:2") == nil)
                // Numbers are never reused, even of the deleted newest.
                #expect(try await store.publishLayerVersion(named: "l") { Fixtures.layer("l", $0) }.version == 3)
            }
        }
    }
}
