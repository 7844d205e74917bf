import Foundation

extension FunctionCatalog {
    /// UpdateFunctionCode. A dry run validates and returns what the function would look like.
    public func updateCode(_ input: UpdateFunctionCodeInput) async throws -> FunctionDefinition {
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
        let code = try await storeCode(package)
        let updated = try await modify(input.functionName, expectedRevision: input.revisionId) { current in
            var next = current
            next.code = code
            try checkUnzippedSize(next)
            if let architectures { next.architectures = architectures }
            return next
        }
        guard input.publish else { return updated }
        return try await publishVersion(updated.name, codeSha256: nil, description: nil, revisionId: updated.revisionId)
    }

    /// UpdateFunctionConfiguration.
    public func updateConfiguration(_ functionName: String, settings: FunctionSettings, revisionId: String?) async throws -> FunctionDefinition {
        var layers: [FunctionLayer]?
        if let arns = settings.layers {
            _ = try await resolve(functionName)
            try FieldValidator.layers(arns)
            layers = try await resolveLayers(arns)
        }
        if settings.deadLetterTargetArn?.isEmpty == false || settings.role != nil {
            // The role must be able to send to the dead-letter queue the function will have.
            var next = try await resolve(functionName).0
            try apply(settings, to: &next)
            if let dlq = next.deadLetterTargetArn { try await requireRoleMaySend(next, to: dlq) }
        }
        return try await modify(functionName, expectedRevision: revisionId) { current in
            var next = current
            try apply(settings, to: &next)
            if let layers {
                next.layers = layers
                try checkUnzippedSize(next)
            }
            return next
        }
    }

    /// DeleteFunction: the whole function, or with a version number as qualifier only that version.
    public func delete(_ functionName: String, qualifier: String?) async throws {
        let (id, effective) = try identify(functionName, qualifier: qualifier)
        if effective == "$LATEST" {
            throw LambdaError.invalidParameter("$LATEST version cannot be deleted without deleting the function.")
        }
        if let effective {
            guard Self.isVersionNumber(effective) else {
                throw LambdaError.invalidParameter("Deletion of aliases is not supported through DeleteFunction; use DeleteAlias: \(effective)")
            }
            do {
                try await store.deleteVersion(Int(effective) ?? -1, of: id.name)
            } catch StoreError.notFound {
                throw LambdaError.functionNotFound(arns.function(id.name, qualifier: effective))
            } catch StoreError.referenced(let alias) {
                throw LambdaError.resourceConflict(
                    "Unable to delete version because the following aliases reference it: [\(alias)]")
            }
            logger.info("version deleted", metadata: ["function": "\(id.name)", "version": "\(effective)"])
            return
        }
        do {
            try await store.deleteFunction(named: id.name)
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(id.name))
        }
        logger.info("function deleted", metadata: ["function": "\(id.name)"])
    }
}
