import Foundation
import Testing
@testable import Catalog

/// `LoggingConfig` on create and update: Lambda's enums, levels only with JSON, members not given kept.
@Suite struct LoggingConfigTests {
    static let base = FunctionSettings(runtime: "python3.11", role: "arn:aws:iam::000000000000:role/r", handler: "app.handler")

    static func settings(format: String? = nil, app: String? = nil, system: String? = nil, group: String? = nil) -> FunctionSettings {
        var s = base
        s.logFormat = format
        s.applicationLogLevel = app
        s.systemLogLevel = system
        s.logGroup = group
        return s
    }

    @Test func textByDefaultWithoutLevels() async throws {
        let catalog = try TestSupport.catalog()
        let created = try await catalog.create(TestSupport.createInput("plain", settings: Self.base))
        #expect(created.logFormat == "Text")
        #expect(created.applicationLogLevel == nil && created.systemLogLevel == nil && created.logGroup == nil)
    }

    @Test func jsonDefaultsBothLevelsToInfo() async throws {
        let catalog = try TestSupport.catalog()
        let created = try await catalog.create(TestSupport.createInput("j", settings: Self.settings(format: "JSON")))
        #expect(created.logFormat == "JSON")
        #expect(created.applicationLogLevel == "INFO" && created.systemLogLevel == "INFO")
        let (read, _) = try await catalog.resolve("j")
        #expect(read == created)
    }

    @Test func jsonKeepsGivenLevelsAndGroup() async throws {
        let catalog = try TestSupport.catalog()
        let created = try await catalog.create(TestSupport.createInput(
            "k", settings: Self.settings(format: "JSON", app: "WARN", system: "DEBUG", group: "/custom/orders#1")))
        #expect(created.applicationLogLevel == "WARN" && created.systemLogLevel == "DEBUG")
        #expect(created.logGroup == "/custom/orders#1")
    }

    @Test(arguments: [
        (Self.settings(app: "WARN"), true),
        (Self.settings(system: "INFO"), true),
        (Self.settings(format: "Text", app: "DEBUG"), true),
        (Self.settings(format: "JSON", app: "VERBOSE"), false),
        (Self.settings(format: "JSON", system: "ERROR"), false),
        (Self.settings(format: "json"), false),
        (Self.settings(group: "bad group!"), false),
    ])
    func refusedCombinations(settings: FunctionSettings, textWithLevel: Bool) async throws {
        let catalog = try TestSupport.catalog()
        do {
            _ = try await catalog.create(TestSupport.createInput("bad", settings: settings))
            Issue.record("expected InvalidParameterValueException")
        } catch let error as LambdaError {
            #expect(error.awsError.code == "InvalidParameterValueException")
            let message = error.awsError.message
            if textWithLevel {
                #expect(message.contains("LogLevel is not supported when LogFormat is set to \"Text\""))
            } else {
                #expect(message.hasPrefix("1 validation error detected: Value '"))
                #expect(message.contains("at 'loggingConfig."))
            }
        }
        await #expect(throws: LambdaError.self) { _ = try await catalog.resolve("bad") }
    }

    @Test func validationNamesTheField() async throws {
        let catalog = try TestSupport.catalog()
        do {
            _ = try await catalog.create(TestSupport.createInput("v", settings: Self.settings(format: "JSON", app: "VERBOSE")))
            Issue.record("expected a validation error")
        } catch let error as LambdaError {
            #expect(error.awsError.message ==
                "1 validation error detected: Value 'VERBOSE' at 'loggingConfig.applicationLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]")
        }
    }

    @Test func updateMergesSwitchesAndClears() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(TestSupport.createInput("u", settings: Self.base))
        // Levels while the function stays Text are refused and change nothing.
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.updateConfiguration("u", settings: FunctionSettings(applicationLogLevel: "ERROR"), revisionId: nil)
        }
        var d = try await catalog.updateConfiguration("u", settings: FunctionSettings(logFormat: "JSON", applicationLogLevel: "ERROR"), revisionId: nil)
        #expect(d.logFormat == "JSON" && d.applicationLogLevel == "ERROR" && d.systemLogLevel == "INFO")
        // A level alone changes only that level; the format stays JSON.
        d = try await catalog.updateConfiguration("u", settings: FunctionSettings(systemLogLevel: "WARN"), revisionId: nil)
        #expect(d.logFormat == "JSON" && d.applicationLogLevel == "ERROR" && d.systemLogLevel == "WARN")
        // Back to Text drops the levels; back to JSON starts again from INFO.
        d = try await catalog.updateConfiguration("u", settings: FunctionSettings(logFormat: "Text"), revisionId: nil)
        #expect(d.logFormat == "Text" && d.applicationLogLevel == nil && d.systemLogLevel == nil)
        d = try await catalog.updateConfiguration("u", settings: FunctionSettings(logFormat: "JSON"), revisionId: nil)
        #expect(d.applicationLogLevel == "INFO" && d.systemLogLevel == "INFO")
    }

    @Test func versionsKeepTheirLoggingConfig() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(TestSupport.createInput("ver", settings: Self.settings(format: "JSON", app: "DEBUG")))
        let v1 = try await catalog.publishVersion("ver", codeSha256: nil, description: nil, revisionId: nil)
        _ = try await catalog.updateConfiguration("ver", settings: FunctionSettings(logFormat: "Text"), revisionId: nil)
        let (read, _) = try await catalog.resolve("ver", qualifier: v1.version)
        #expect(read.logFormat == "JSON" && read.applicationLogLevel == "DEBUG" && read.systemLogLevel == "INFO")
    }

    @Test func definitionsStoredBeforeTheLevelsDecodeAsText() throws {
        let created = try JSONEncoder().encode(FunctionDefinition(
            name: "old", runtime: "python3.11", role: "r", handler: "app.handler", description: "", timeout: 3, memorySize: 128,
            ephemeralStorageSize: 512, environment: nil, tracingMode: "PassThrough", architectures: ["x86_64"], layers: [],
            packageType: "Zip", logFormat: "Text", logGroup: nil, deadLetterTargetArn: nil, kmsKeyArn: nil,
            code: .init(digest: .init(of: Data()), size: 0, unzippedSize: 0), lastModified: Date(timeIntervalSince1970: 0),
            revisionId: "r1"))
        var object = try #require(try JSONSerialization.jsonObject(with: created) as? [String: Any])
        object.removeValue(forKey: "applicationLogLevel")
        object.removeValue(forKey: "systemLogLevel")
        let old = try JSONDecoder().decode(FunctionDefinition.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.logFormat == "Text" && old.applicationLogLevel == nil && old.systemLogLevel == nil)
    }
}
