import BlobStore
import Foundation
import Logging

/// Account-wide figures GetAccountSettings reports.
public struct AccountLimits: Sendable, Equatable {
    public var totalCodeSize: Int
    public var concurrentExecutions: Int
    /// Reservations may not shrink the unreserved pool below this: 100 on Lambda's default limit of
    /// 1,000, a tenth of smaller limits here (at least 1).
    public var minimumUnreservedConcurrency: Int

    public init(totalCodeSize: Int = 80 * 1024 * 1024 * 1024, concurrentExecutions: Int) {
        self.totalCodeSize = totalCodeSize
        self.concurrentExecutions = concurrentExecutions
        self.minimumUnreservedConcurrency = min(100, max(1, concurrentExecutions / 10))
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
    /// Checks of execution roles; nil accepts any well-formed role ARN (catalog tests without identities).
    public let executionRoles: (any ExecutionRolePolicy)?
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(
        store: any Store,
        blobs: BlobStore,
        runtimes: RuntimeRegistry,
        arns: ARNBuilder,
        limits: AccountLimits,
        hostArchitecture: String = FunctionCatalog.currentArchitecture,
        executionRoles: (any ExecutionRolePolicy)? = nil,
        logger: Logger = Logger(label: "swiftlet.catalog"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.blobs = blobs
        self.runtimes = runtimes
        self.arns = arns
        self.hostArchitecture = hostArchitecture
        self.limits = limits
        self.executionRoles = executionRoles
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

    /// The function a caller names, with the qualifier it asked for (from the name or the `Qualifier`
    /// parameter): `$LATEST`, a published version, or an alias (whose main version is returned).
    public func resolve(_ functionName: String, qualifier: String? = nil) async throws -> (FunctionDefinition, qualifier: String?) {
        let (id, effective) = try identify(functionName, qualifier: qualifier)
        return try await resolve(id, effective)
    }

    private func resolve(_ id: FunctionIdentifier, _ effective: String?) async throws -> (FunctionDefinition, qualifier: String?) {
        let notFound = LambdaError.functionNotFound(arns.function(id.name, qualifier: effective))
        switch try await target(of: id.name, qualifier: effective) {
        case .latest:
            guard let latest = try await store.function(named: id.name) else { throw notFound }
            return (latest, effective)
        case .version(let number):
            guard let version = try await store.version(number, of: id.name) else { throw notFound }
            return (version, effective)
        case .alias(let alias):
            return (try await definition(of: alias.functionVersion, function: id.name, notFound: notFound), effective)
        }
    }

    /// The version one invocation runs: aliases with routing pick their version with `draw` (uniform in 0..<1).
    public func resolveForInvocation(_ functionName: String, qualifier: String?,
                                     draw: Double = Double.random(in: 0..<1)) async throws -> (FunctionDefinition, qualifier: String?) {
        let (id, effective) = try identify(functionName, qualifier: qualifier)
        guard let effective, !Self.isVersionNumber(effective), effective != "$LATEST" else {
            return try await resolve(id, effective)
        }
        let notFound = LambdaError.functionNotFound(arns.function(id.name, qualifier: effective))
        guard let alias = try await store.alias(effective, of: id.name) else { throw notFound }
        return (try await definition(of: alias.route(draw: draw), function: id.name, notFound: notFound), effective)
    }

    /// What a qualifier names.
    enum Target {
        case latest
        case version(Int)
        case alias(AliasDefinition)
    }

    func target(of functionName: String, qualifier: String?) async throws -> Target {
        guard let qualifier, qualifier != "$LATEST" else { return .latest }
        if Self.isVersionNumber(qualifier) { return .version(Int(qualifier) ?? -1) }
        guard let alias = try await store.alias(qualifier, of: functionName) else {
            throw LambdaError.functionNotFound(arns.function(functionName, qualifier: qualifier))
        }
        return .alias(alias)
    }

    /// `$LATEST` or a published version, by its name.
    func definition(of version: String, function: String, notFound: LambdaError) async throws -> FunctionDefinition {
        let found = version == "$LATEST" ? try await store.function(named: function)
            : try await store.version(Int(version) ?? -1, of: function)
        guard let found else { throw notFound }
        return found
    }

    /// Parses the name, checks its region and account, and merges its qualifier with the parameter.
    func identify(_ functionName: String, qualifier: String?) throws -> (FunctionIdentifier, String?) {
        let id = try FunctionIdentifier.parse(functionName)
        if let q = qualifier, let inName = id.qualifier, q != inName {
            throw LambdaError.invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
        }
        if let q = qualifier, !FunctionIdentifier.isValidQualifier(q) {
            throw LambdaError.validation(field: "qualifier", value: q, constraint: "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)")
        }
        let effective = qualifier ?? id.qualifier
        guard id.region == nil || id.region == arns.region, id.accountId == nil || id.accountId == arns.accountId else {
            throw LambdaError.functionNotFound(arns.function(id.name, qualifier: effective))
        }
        return (id, effective)
    }

    /// Whether a qualifier names a published version (aliases may not be all digits).
    public static func isVersionNumber(_ qualifier: String) -> Bool {
        !qualifier.isEmpty && qualifier.utf8.count <= 10 && qualifier.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
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

    /// Stores a checked package (on a cluster's node, in the shared tier too, before any record can name it) and
    /// returns its identity.
    func storeCode(_ package: CodePackage) async throws -> FunctionDefinition.CodeIdentity {
        do {
            let digest = try await blobs.store(package.bytes)
            return .init(digest: digest, size: package.bytes.count, unzippedSize: package.unzippedSize)
        } catch {
            logger.error("storing code failed", metadata: ["error": "\(error)"])
            throw LambdaError.service("Could not store the deployment package.")
        }
    }

    /// The zip of a function or one of its versions, for the presigned download location.
    public func code(of functionName: String, digest: String) async throws -> Data {
        let (definition, _) = try await resolve(functionName)
        var known = definition.code.digest.hex == digest ? definition.code.digest : nil
        if known == nil {
            known = try await store.listVersions(of: definition.name, after: nil, limit: Int.max)
                .first { $0.code.digest.hex == digest }?.code.digest
        }
        guard let known else {
            throw LambdaError.resourceNotFound("The code of \(arns.function(definition.name)) has changed since this location was issued.")
        }
        return try await blobs.fetch(known)
    }
}
