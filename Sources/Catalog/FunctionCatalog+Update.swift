import Foundation

extension FunctionCatalog {
    /// UpdateFunctionCode. A dry run validates and returns what the function would look like.
    public func updateCode(_ input: UpdateFunctionCodeInput) async throws -> FunctionDefinition {
        if input.publish { throw LambdaError.publishNotSupported }
        let zip = try requireZip(input.zipFile, s3Location: input.s3Location, operation: "UpdateFunctionCode")
        let package = try CodePackage(zip: zip, operation: "UpdateFunctionCode")
        let architectures = try input.architectures.map { arch throws(LambdaError) in try checkArchitectures(arch) }
        if input.dryRun {
            var (current, _) = try await resolve(input.functionName)
            if let revision = input.revisionId, revision != current.revisionId {
                throw LambdaError.preconditionFailed(
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
            }
            current.code = .init(digest: .init(of: package.bytes), size: package.bytes.count, unzippedSize: package.unzippedSize)
            return current
        }
        let code = try storeCode(package)
        return try await modify(input.functionName, expectedRevision: input.revisionId) { current in
            var next = current
            next.code = code
            if let architectures { next.architectures = architectures }
            return next
        }
    }

    /// UpdateFunctionConfiguration.
    public func updateConfiguration(_ functionName: String, settings: FunctionSettings, revisionId: String?) async throws -> FunctionDefinition {
        try await modify(functionName, expectedRevision: revisionId) { current in
            var next = current
            try apply(settings, to: &next)
            return next
        }
    }

    /// DeleteFunction. Deleting with a qualifier other than `$LATEST` names a version, which does not exist yet.
    public func delete(_ functionName: String, qualifier: String?) async throws {
        let (definition, effective) = try await resolve(functionName, qualifier: qualifier)
        if effective == "$LATEST" {
            throw LambdaError.invalidParameter("$LATEST version cannot be deleted without deleting the function.")
        }
        do {
            try await store.deleteFunction(named: definition.name)
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(definition.name))
        }
        logger.info("function deleted", metadata: ["function": "\(definition.name)"])
    }
}
