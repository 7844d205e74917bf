import AWSProtocol
import Testing
@testable import Catalog

@Suite struct FieldValidationTests {
    /// Each bad value is refused with InvalidParameterValueException naming the field.
    @Test(arguments: [
        (FunctionSettings(timeout: 0), "timeout"),
        (FunctionSettings(timeout: 901), "timeout"),
        (FunctionSettings(memorySize: 127), "memorySize"),
        (FunctionSettings(memorySize: 10241), "memorySize"),
        (FunctionSettings(ephemeralStorageSize: 511), "ephemeralStorage.size"),
        (FunctionSettings(ephemeralStorageSize: 10241), "ephemeralStorage.size"),
        (FunctionSettings(description: String(repeating: "d", count: 257)), "description"),
        (FunctionSettings(handler: "has space"), "handler"),
        (FunctionSettings(handler: String(repeating: "h", count: 129)), "handler"),
        (FunctionSettings(role: "not-a-role"), "role"),
        (FunctionSettings(tracingMode: "Sometimes"), "tracingConfig.mode"),
        (FunctionSettings(environment: ["1BAD": "x"]), "environment.variables"),
        (FunctionSettings(layers: ["nope"]), "layers"),
        (FunctionSettings(runtime: "python2.7"), "runtime"),
    ])
    func refusesBadValue(settings: FunctionSettings, field: String) async throws {
        let catalog = try TestSupport.catalog()
        do {
            _ = try await catalog.updateConfiguration("missing", settings: settings, revisionId: nil)
            Issue.record("expected an error")
        } catch let error as LambdaError {
            // Validation happens after resolution, so first create the function.
            #expect(error.awsError.code == "ResourceNotFoundException")
        }
        _ = try await catalog.create(TestSupport.createInput("f"))
        do {
            _ = try await catalog.updateConfiguration("f", settings: settings, revisionId: nil)
            Issue.record("expected an error for \(field)")
        } catch let error as LambdaError {
            #expect(error.awsError.code == "InvalidParameterValueException")
            #expect(error.awsError.status == 400)
            #expect(error.awsError.message.contains("'\(field)'"))
        }
    }

    @Test func reservedEnvironmentKeysAreListed() {
        #expect(throws: LambdaError.self) { try EnvironmentValidator.validate(["AWS_REGION": "x", "OK_KEY": "y"]) }
        do {
            try EnvironmentValidator.validate(["AWS_REGION": "x", "_HANDLER": "y"])
        } catch {
            #expect(error.awsError.message.hasSuffix("Reserved keys used in this request: AWS_REGION, _HANDLER"))
        }
    }

    @Test func environmentOver4KBIsRefused() throws {
        try EnvironmentValidator.validate(["BIG": String(repeating: "x", count: 4000)])
        #expect(throws: LambdaError.self) { try EnvironmentValidator.validate(["BIG": String(repeating: "x", count: 4100)]) }
    }

    @Test(arguments: [
        ("hello", "hello", nil as String?),
        ("hello:$LATEST", "hello", "$LATEST"),
        ("000000000000:function:hello", "hello", nil),
        ("arn:aws:lambda:us-east-1:000000000000:function:hello", "hello", nil),
        ("arn:aws:lambda:us-east-1:000000000000:function:hello:live", "hello", "live"),
    ])
    func functionIdentifiers(raw: String, name: String, qualifier: String?) throws {
        let id = try FunctionIdentifier.parse(raw)
        #expect(id.name == name)
        #expect(id.qualifier == qualifier)
    }

    @Test(arguments: ["", "bad name", "a/b", String(repeating: "n", count: 65), "arn:aws:s3:::bucket", "x:y:z"])
    func badFunctionIdentifiers(raw: String) {
        #expect(throws: LambdaError.self) { try FunctionIdentifier.parse(raw) }
    }

    @Test func runtimeRegistryNamesWhatIsAvailable() {
        let registry = RuntimeRegistry(runtimes: [RuntimeInfo(identifier: "python3.11"), RuntimeInfo(identifier: "provided")])
        do {
            try registry.check("python3.12")
            Issue.record("expected an error")
        } catch {
            #expect(error.awsError.message.contains("python3.11, provided"))
        }
    }

    @Test func invalidZipIsRefused() throws {
        #expect(throws: LambdaError.self) { try CodePackage(zip: Array("not a zip".utf8), operation: "CreateFunction") }
        let package = try CodePackage(zip: TestSupport.zip(["a.txt": String(repeating: "a", count: 1000)]), operation: "CreateFunction")
        #expect(package.unzippedSize == 1000)
    }
}
