import AWSProtocol
import BlobStore
import Foundation
import Testing
@testable import Catalog
@testable import SQLiteStore

@Suite struct FunctionCatalogTests {
    @Test func createStoresCodeAndConfiguration() async throws {
        let catalog = try TestSupport.catalog()
        let zip = try TestSupport.zip(["app.py": "x = 1\n"])
        let created = try await catalog.create(TestSupport.createInput("hello", zip: zip))
        #expect(created.code.sha256Base64 == BlobDigest(of: Data(zip)).base64)
        #expect(created.code.size == zip.count)
        #expect(created.timeout == 3 && created.memorySize == 128 && created.ephemeralStorageSize == 512)
        #expect(created.architectures == ["x86_64"])
        #expect(try catalog.blobs.get(created.code.digest) == Data(zip))
        let (read, _) = try await catalog.resolve("arn:aws:lambda:us-east-1:000000000000:function:hello")
        #expect(read == created)
    }

    @Test func duplicateCreateConflictsAndKeepsTheOriginal() async throws {
        let catalog = try TestSupport.catalog()
        let first = try await catalog.create(TestSupport.createInput("dup"))
        await #expect(throws: LambdaError.resourceConflict("Function already exist: dup")) {
            _ = try await catalog.create(TestSupport.createInput("dup", zip: TestSupport.zip(["other.py": ""])))
        }
        let (read, _) = try await catalog.resolve("dup")
        #expect(read == first)
    }

    @Test func revisionIdPreconditions() async throws {
        let catalog = try TestSupport.catalog()
        let created = try await catalog.create(TestSupport.createInput("rev"))
        let updated = try await catalog.updateConfiguration("rev", settings: FunctionSettings(timeout: 10), revisionId: created.revisionId)
        #expect(updated.timeout == 10)
        #expect(updated.revisionId != created.revisionId)
        do {
            _ = try await catalog.updateConfiguration("rev", settings: FunctionSettings(timeout: 20), revisionId: created.revisionId)
            Issue.record("expected PreconditionFailed")
        } catch let error as LambdaError {
            #expect(error.awsError.code == "PreconditionFailedException")
            #expect(error.awsError.status == 412)
        }
        let (read, _) = try await catalog.resolve("rev")
        #expect(read.timeout == 10)
    }

    @Test func rejectedUpdateChangesNothing() async throws {
        let catalog = try TestSupport.catalog()
        let created = try await catalog.create(TestSupport.createInput("keep"))
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.updateConfiguration("keep", settings: FunctionSettings(timeout: 30, memorySize: 99999), revisionId: nil)
        }
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.updateCode(UpdateFunctionCodeInput(functionName: "keep", zipFile: Array("junk".utf8)))
        }
        let (read, _) = try await catalog.resolve("keep")
        #expect(read == created)
    }

    @Test func listPagesInNameOrder() async throws {
        let catalog = try TestSupport.catalog()
        let names = (0..<7).map { String(format: "fn-%02d", 6 - $0) }
        for name in names { _ = try await catalog.create(TestSupport.createInput(name)) }
        var seen: [String] = []
        var marker: String?
        repeat {
            let page = try await catalog.list(marker: marker, maxItems: 3)
            #expect(page.functions.count <= 3)
            seen += page.functions.map(\.name)
            marker = page.nextMarker
        } while marker != nil
        #expect(seen == names.sorted())
    }

    @Test func tagsAreLimitedAndRemovable() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(TestSupport.createInput("tagged"))
        let arn = catalog.arns.function("tagged")
        try await catalog.tagResource(arn, tags: ["a": "1", "b": "2"])
        try await catalog.untagResource(arn, keys: ["a"])
        #expect(try await catalog.tags(ofResource: arn) == ["b": "2"])
        let many = Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", "v") })
        await #expect(throws: LambdaError.self) { try await catalog.tagResource(arn, tags: many) }
        #expect(try await catalog.tags(ofResource: arn) == ["b": "2"])
    }

    @Test func deleteRemovesFunctionAndTags() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(CreateFunctionInput(
            functionName: "gone",
            settings: FunctionSettings(runtime: "provided.al2023", role: "arn:aws:iam::000000000000:role/r", handler: "bootstrap"),
            zipFile: try TestSupport.zip(["bootstrap": "#!/bin/sh\n"]), tags: ["t": "v"]))
        try await catalog.delete("gone", qualifier: nil)
        await #expect(throws: LambdaError.self) { _ = try await catalog.resolve("gone") }
        #expect(try await catalog.store.tags(ofFunction: "gone") == nil)
        let usage = try await catalog.accountUsage()
        #expect(usage.functionCount == 0)
    }

    @Test func storeSurvivesReopen() async throws {
        let dir = try TestSupport.tempDir()
        let catalog = try TestSupport.catalog(dir: dir)
        let created = try await catalog.create(TestSupport.createInput("durable"))
        try (catalog.store as! SQLiteStore).close()
        let reopened = try TestSupport.catalog(dir: dir)
        let (read, _) = try await reopened.resolve("durable")
        #expect(read == created)
    }

    @Test func concurrentUpdatesAllLand() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(TestSupport.createInput("busy"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    _ = try await catalog.updateConfiguration("busy", settings: FunctionSettings(description: "d\(i)"), revisionId: nil)
                }
            }
            try await group.waitForAll()
        }
        let (read, _) = try await catalog.resolve("busy")
        #expect(read.description.hasPrefix("d"))
    }
}
