@testable import Catalog
import Foundation
import Testing

extension StoreContract {
    @Suite struct Functions {
        @Test(arguments: StoreKind.allCases) func createReadList(kind: StoreKind) async throws {
            try await kind.withStore { store in
                for name in ["b", "a", "C", "c"] { try await store.createFunction(Fixtures.function(name), tags: [:]) }
                #expect(try await store.function(named: "a") == Fixtures.function("a"))
                #expect(try await store.function(named: "missing") == nil)
                await #expect(throws: StoreError.alreadyExists) { try await store.createFunction(Fixtures.function("a"), tags: [:]) }

                // Ordered by name as bytes ("C" before "a"), pages strictly after the cursor.
                let first = try await store.listFunctions(after: nil, limit: 2)
                #expect(first.functions.map(\.name) == ["C", "a"])
                #expect(first.nextAfter == "a")
                let second = try await store.listFunctions(after: first.nextAfter, limit: 2)
                #expect(second.functions.map(\.name) == ["b", "c"])
                #expect(second.nextAfter == nil)
            }
        }

        @Test(arguments: StoreKind.allCases) func replaceChecksTheRevision(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createFunction(Fixtures.function("f", revision: "r1"), tags: [:])
                let updated = Fixtures.function("f", revision: "r2", code: "new", size: 7)
                await #expect(throws: StoreError.revisionMismatch) { try await store.replaceFunction(updated, expectedRevision: "stale") }
                #expect(try await store.function(named: "f")?.revisionId == "r1")
                try await store.replaceFunction(updated, expectedRevision: "r1")
                #expect(try await store.function(named: "f") == updated)
                await #expect(throws: StoreError.notFound) {
                    try await store.replaceFunction(Fixtures.function("nope"), expectedRevision: "r1")
                }
            }
        }

        @Test(arguments: StoreKind.allCases) func deleteCascades(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createFunction(Fixtures.function("f"), tags: ["team": "a"])
                try await store.createFunction(Fixtures.function("fx"), tags: [:])
                let v1 = try await store.publishVersion(of: "f") { latest, _, n in Self.published(latest, n) }
                try await store.createAlias(Fixtures.alias("live", of: "f", version: "1"))
                try await store.setReservedConcurrency(of: "f", to: 5) { _ in }
                try await store.putProvisionedConcurrencyConfig(.init(functionName: "f", qualifier: "live", requested: 1, lastModified: Date()))
                try await store.putEventInvokeConfig(.init(functionName: "f", qualifier: "$LATEST", maximumRetryAttempts: 1,
                                                           maximumEventAgeInSeconds: nil, onSuccess: nil, onFailure: nil, lastModified: Date()))
                try await store.createFunctionURL(Fixtures.url("f", qualifier: nil, id: "u1"))
                for resource in ["function:f", "function:f:live", "function:fx"] {
                    _ = try await store.updatePolicy(of: resource, expectedRevision: nil) { _ in PolicyDocument(statements: [Fixtures.statement("s")]) }
                }

                try await store.deleteFunction(named: "f")
                #expect(try await store.function(named: "f") == nil)
                #expect(try await store.tags(ofFunction: "f") == nil)
                #expect(try await store.version(v1.publishedVersion!, of: "f") == nil)
                #expect(try await store.aliases(of: "f").isEmpty)
                #expect(try await store.reservedConcurrency(of: "f") == nil)
                #expect(try await store.provisionedConcurrencyConfigs(of: "f").isEmpty)
                #expect(try await store.eventInvokeConfigs(of: "f").isEmpty)
                #expect(try await store.functionURL(id: "u1") == nil)
                #expect(try await store.policy(of: "function:f") == nil)
                #expect(try await store.policy(of: "function:f:live") == nil)
                // A function whose name starts with the deleted one's keeps its policy.
                #expect(try await store.policy(of: "function:fx") != nil)
                await #expect(throws: StoreError.notFound) { try await store.deleteFunction(named: "f") }
            }
        }

        @Test(arguments: StoreKind.allCases) func tagsAndTheirLimit(kind: StoreKind) async throws {
            try await kind.withStore { store in
                #expect(try await store.tags(ofFunction: "f") == nil)
                await #expect(throws: StoreError.notFound) { try await store.updateTags(ofFunction: "f", set: [:], remove: [], limit: 50) }
                try await store.createFunction(Fixtures.function("f"), tags: ["a": "1", "b": "2"])
                #expect(try await store.tags(ofFunction: "f") == ["a": "1", "b": "2"])
                #expect(try await store.updateTags(ofFunction: "f", set: ["b": "3", "c": "4"], remove: ["a"], limit: 3) == 2)
                #expect(try await store.tags(ofFunction: "f") == ["b": "3", "c": "4"])
                // Over the limit: nothing changes.
                await #expect(throws: TagLimitExceeded()) {
                    try await store.updateTags(ofFunction: "f", set: ["d": "5", "e": "6"], remove: [], limit: 3)
                }
                #expect(try await store.tags(ofFunction: "f") == ["b": "3", "c": "4"])
                try await store.createFunction(Fixtures.function("g"), tags: [:])
                #expect(try await store.tags(ofFunction: "g") == [:])
            }
        }

        @Test(arguments: StoreKind.allCases) func usageAndReferencedCode(kind: StoreKind) async throws {
            try await kind.withStore { store in
                #expect(try await store.usage() == StoreUsage(functionCount: 0, totalCodeSize: 0))
                let layerRef = FunctionLayer(arn: "arn:aws:lambda:us-east-1:000000000000:layer:gone:1", digest: Fixtures.digest("gone"),
                                             size: 1, unzippedSize: 1)
                try await store.createFunction(Fixtures.function("f", code: "one", size: 100, layers: [layerRef]), tags: [:])
                try await store.createFunction(Fixtures.function("g", code: "two", size: 50), tags: [:])
                _ = try await store.publishVersion(of: "f") { latest, _, n in Self.published(latest, n) }
                _ = try await store.publishLayerVersion(named: "l") { Fixtures.layer("l", $0) }
                #expect(try await store.usage() == StoreUsage(functionCount: 2, totalCodeSize: 100 + 50 + 100 + 10))
                let digests = try await store.referencedBlobDigests()
                #expect(digests == [Fixtures.digest("one").hex, Fixtures.digest("two").hex, Fixtures.digest("layer1").hex,
                                    Fixtures.digest("gone").hex])
            }
        }

        static func published(_ latest: FunctionDefinition, _ number: Int) -> FunctionDefinition {
            var version = latest
            version.publishedVersion = number
            version.sourceRevisionId = latest.revisionId
            version.revisionId = "v\(number)"
            return version
        }
    }
}
