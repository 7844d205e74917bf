import Foundation
import Testing
@testable import Catalog

/// `SnapStart.ApplyOn` on create and update: kept with the function and its published versions, cleared by `None`,
/// refused (with AWS's message, nothing stored) for a runtime without SnapStart.
@Suite struct SnapStartConfigTests {
    static let base = FunctionSettings(runtime: "python3.11", role: "arn:aws:iam::000000000000:role/r", handler: "app.handler")

    static func with(_ applyOn: String?, runtime: String = "python3.11") -> FunctionSettings {
        var s = base
        s.runtime = runtime
        s.snapStart = applyOn
        return s
    }

    @Test func keptWithTheFunctionAndItsVersions() async throws {
        let catalog = try TestSupport.catalog()
        let created = try await catalog.create(TestSupport.createInput("s", settings: Self.with("PublishedVersions")))
        #expect(created.snapStart == "PublishedVersions")
        let version = try await catalog.publishVersion("s", codeSha256: nil, description: nil, revisionId: nil)
        #expect(version.snapStart == "PublishedVersions" && version.publishedVersion == 1)
        let off = try await catalog.updateConfiguration("s", settings: FunctionSettings(snapStart: "None"), revisionId: nil)
        #expect(off.snapStart == nil)
        let (kept, _) = try await catalog.resolve("s:1")
        #expect(kept.snapStart == "PublishedVersions")
    }

    @Test func refusedForARuntimeWithoutIt() async throws {
        let catalog = try TestSupport.catalog()
        await #expect(throws: LambdaError.invalidParameter("provided.al2023 is not supported for SnapStart enabled functions.")) {
            _ = try await catalog.create(TestSupport.createInput("p", settings: Self.with("PublishedVersions", runtime: "provided.al2023")))
        }
        await #expect(throws: LambdaError.self) { _ = try await catalog.resolve("p") }
        // Switching the runtime of a SnapStart function to one without it is refused too, and changes nothing.
        _ = try await catalog.create(TestSupport.createInput("q", settings: Self.with("PublishedVersions")))
        await #expect(throws: LambdaError.invalidParameter("provided.al2023 is not supported for SnapStart enabled functions.")) {
            _ = try await catalog.updateConfiguration("q", settings: FunctionSettings(runtime: "provided.al2023"), revisionId: nil)
        }
        let (q, _) = try await catalog.resolve("q")
        #expect(q.runtime == "python3.11" && q.snapStart == "PublishedVersions")
    }

    /// What AWS's SnapStart does not support: more than 512 MB of ephemeral storage, provisioned concurrency.
    @Test func ephemeralStorageAndProvisionedConcurrencyExcludeIt() async throws {
        let catalog = try TestSupport.catalog()
        var large = Self.with("PublishedVersions")
        large.ephemeralStorageSize = 1024
        await #expect(throws: LambdaError.invalidParameter("SnapStart is not supported for functions with ephemeral storage greater than 512 MB.")) {
            _ = try await catalog.create(TestSupport.createInput("e", settings: large))
        }
        _ = try await catalog.create(TestSupport.createInput("v", settings: Self.with("PublishedVersions")))
        _ = try await catalog.publishVersion("v", codeSha256: nil, description: nil, revisionId: nil)
        do {
            _ = try await catalog.putProvisionedConcurrency("v", qualifier: "1", count: 1)
            Issue.record("provisioned concurrency was accepted on a SnapStart version")
        } catch let error as LambdaError {
            #expect(error.awsError.code == "InvalidParameterValueException")
            #expect(error.awsError.message.contains("SnapStart"))
        }
    }

    @Test(arguments: [("python3.8", false), ("python3.9", true), ("python3.11", true), ("python3.13", true),
                      ("nodejs20.x", false), ("provided.al2023", false), ("java21", false)])
    func runtimesWithSnapStart(runtime: String, supported: Bool) {
        #expect(RuntimeRegistry.supportsSnapStart(runtime) == supported)
    }
}
