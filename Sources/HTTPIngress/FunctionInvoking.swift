import AWSProtocol
import Catalog
import Invoker

/// Runs a function for an HTTP request and says how it went, in the terms the HTTP answer needs.
struct FunctionInvoking: Sendable {
    let catalog: FunctionCatalog
    let invoker: Invoker

    enum Failure: Error, Sendable {
        /// Concurrency exhausted (429 / 500).
        case throttled
        /// The function (or alias) is gone, or the integration names nothing.
        case notFound
        /// Anything else Lambda refused the invocation for.
        case refused(String)
    }

    /// The definition and ARN that will run for `function` (a name or ARN) and `qualifier`.
    func prepare(_ function: String, qualifier: String?, payload: [UInt8], requestId: String) async throws(Failure) -> InvocationRequest {
        do {
            let (definition, resolved) = try await catalog.resolveForInvocation(function, qualifier: qualifier)
            return InvocationRequest(
                function: definition, version: definition.version,
                invokedFunctionArn: catalog.arns.function(definition.name, qualifier: resolved),
                payload: payload, clientContext: nil, requestId: requestId)
        } catch let error as LambdaError {
            if case .resourceNotFound = error { throw .notFound }
            throw .refused("\(error)")
        } catch {
            throw .refused("\(error)")
        }
    }

    /// Runs `request` to its end.
    func invoke(_ request: InvocationRequest) async throws(Failure) -> InvocationResult {
        do {
            return try await invoker.invoke(request)
        } catch let error as LambdaError {
            if case .tooManyRequests = error { throw .throttled }
            throw .refused("\(error)")
        } catch {
            throw .refused("\(error)")
        }
    }

    /// The error type of a failed invocation (`Sandbox.Timedout`, `Runtime.ExitError`, the function's own).
    static func errorType(_ payload: [UInt8]) -> String? {
        guard case .object(let object)? = JSONValue(parsing: payload) else { return nil }
        return object["errorType"]?.stringValue
    }
}
