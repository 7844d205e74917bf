import AWSProtocol
import Catalog

extension LambdaService {
    /// `GET /2016-08-19/account-settings/`.
    func getAccountSettings(_ request: APIRequest) async throws -> APIResponse {
        let usage = try await catalog.accountUsage()
        let limits = catalog.limits
        return try .json(GetAccountSettingsResponse(
            AccountLimit: AccountLimit(
                TotalCodeSize: limits.totalCodeSize,
                CodeSizeUnzipped: CodePackage.maxUnzippedBytes,
                CodeSizeZipped: CodePackage.maxZippedBytes,
                ConcurrentExecutions: limits.concurrentExecutions,
                UnreservedConcurrentExecutions: try await catalog.unreservedConcurrency()
            ),
            AccountUsage: AccountUsage(TotalCodeSize: usage.totalCodeSize, FunctionCount: usage.functionCount)
        ))
    }
}
