import Auth
import Catalog
import HTTPAPIs
import Identity
import Invoker

extension HTTPIngress {
    /// Serves function URLs from `catalog`'s configurations.
    public func serveFunctionURLs(catalog: FunctionCatalog, invoker: Invoker, authorizer: Identity.Authorizer, verifier: SigV4Verifier,
                                  accountId: String) {
        router.serve(.functionURL, with: FunctionURLEndpoints(
            invoking: FunctionInvoking(catalog: catalog, invoker: invoker), authorizer: authorizer, verifier: verifier,
            registry: self, accountId: accountId, region: settings.region))
    }

    /// Serves HTTP APIs from `directory`'s deployed stages.
    public func serveHTTPAPIs(directory: HTTPAPIDirectory, catalog: FunctionCatalog, invoker: Invoker, authorizer: Identity.Authorizer,
                              verifier: SigV4Verifier, accountId: String) {
        router.serve(.httpAPI, with: HTTPAPIEndpoints(
            directory: directory, invoking: FunctionInvoking(catalog: catalog, invoker: invoker), authorizer: authorizer,
            verifier: verifier, lambdaAuthorizers: LambdaAuthorizers(accountId: accountId, region: settings.region),
            registry: self, accountId: accountId, region: settings.region))
    }
}
