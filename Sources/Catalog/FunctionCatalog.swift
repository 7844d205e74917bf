import BlobStore
import Foundation
import Logging

/// Account-wide figures GetAccountSettings reports.
public struct AccountLimits: Sendable, Equatable {
    public var totalCodeSize: Int
    public var concurrentExecutions: Int
    public var unreservedConcurrentExecutions: Int

    public init(totalCodeSize: Int = 80 * 1024 * 1024 * 1024, concurrentExecutions: Int, unreservedConcurrentExecutions: Int? = nil) {
        self.totalCodeSize = totalCodeSize
        self.concurrentExecutions = concurrentExecutions
        self.unreservedConcurrentExecutions = unreservedConcurrentExecutions ?? concurrentExecutions
    }
}

/// The validated state of Lambda functions: every control-plane operation goes through here,
/// which checks input as Lambda does, writes code to the blob store and state to the store.
public struct FunctionCatalog: Sendable {
    public let store: any Store
    public let blobs: BlobStore
    public let runtimes: RuntimeRegistry
    public let arns: ARNBuilder
    public let hostArchitecture: String
    public let limits: AccountLimits
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(
        store: any Store,
        blobs: BlobStore,
        runtimes: RuntimeRegistry,
        arns: ARNBuilder,
        limits: AccountLimits,
        hostArchitecture: String = FunctionCatalog.currentArchitecture,
        logger: Logger = Logger(label: "swiftlet.catalog"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.blobs = blobs
        self.runtimes = runtimes
        self.arns = arns
        self.hostArchitecture = hostArchitecture
        self.limits = limits
        self.logger = logger
        self.clock = clock
    }

    /// Lambda's name for this machine's instruction set.
    public static var currentArchitecture: String {
        #if arch(arm64)
        "arm64"
        #else
        "x86_64"
        #endif
    }

    /// The function a caller names, with the qualifier it asked for (from the name or the `Qualifier` parameter).
    /// Until versions exist, only `$LATEST` resolves.
    public func resolve(_ functionName: String, qualifier: String? = nil) async throws -> (FunctionDefinition, qualifier: String?) {
        let id = try FunctionIdentifier.parse(functionName)
        if let q = qualifier, let inName = id.qualifier, q != inName {
            throw LambdaError.invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
        }
        let effective = qualifier ?? id.qualifier
        if let q = qualifier, !FunctionIdentifier.isValidQualifier(q) {
            throw LambdaError.validation(field: "qualifier", value: q, constraint: "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)")
        }
        guard id.region == nil || id.region == arns.region, id.accountId == nil || id.accountId == arns.accountId,
              let definition = try await store.function(named: id.name),
              effective == nil || effective == "$LATEST"
        else {
            throw LambdaError.functionNotFound(arns.function(id.name, qualifier: effective))
        }
        return (definition, effective)
    }

    /// Reads `name`, applies `change`, and writes it back if nobody changed it meanwhile; retried on a lost race.
    func modify(
        _ functionName: String,
        expectedRevision: String?,
        _ change: (FunctionDefinition) async throws -> FunctionDefinition?
    ) async throws -> FunctionDefinition {
        for _ in 0..<16 {
            let (current, qualifier) = try await resolve(functionName)
            if qualifier != nil && qualifier != "$LATEST" {
                throw LambdaError.invalidParameter("Cannot modify a published version: \(functionName)")
            }
            if let expectedRevision, expectedRevision != current.revisionId {
                throw LambdaError.preconditionFailed(
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
            }
            guard var next = try await change(current) else { return current }
            next.revisionId = UUID().uuidString.lowercased()
            next.lastModified = now()
            do {
                try await store.replaceFunction(next, expectedRevision: current.revisionId)
                return next
            } catch StoreError.revisionMismatch {
                continue
            } catch StoreError.notFound {
                throw LambdaError.functionNotFound(arns.function(current.name))
            }
        }
        throw LambdaError.resourceConflict("The operation cannot be performed at this time. An update is in progress for resource: \(arns.function(functionName))")
    }

    /// The current time at the millisecond precision Lambda reports and the store keeps.
    func now() -> Date {
        Date(timeIntervalSince1970: (clock().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// Stores a checked package and returns its identity.
    func storeCode(_ package: CodePackage) throws -> FunctionDefinition.CodeIdentity {
        do {
            let digest = try blobs.put(package.bytes)
            return .init(digest: digest, size: package.bytes.count, unzippedSize: package.unzippedSize)
        } catch {
            logger.error("storing code failed", metadata: ["error": "\(error)"])
            throw LambdaError.service("Could not store the deployment package.")
        }
    }

    /// The zip of a function, for the presigned download location.
    public func code(of functionName: String, digest: String) async throws -> Data {
        let (definition, _) = try await resolve(functionName)
        guard definition.code.digest.hex == digest else {
            throw LambdaError.resourceNotFound("The code of \(arns.function(definition.name)) has changed since this location was issued.")
        }
        return try blobs.get(definition.code.digest)
    }
}
