/// Body of PutFunctionConcurrency and its response (`Concurrency`).
public struct Concurrency: Codable, Sendable, Equatable {
    public var ReservedConcurrentExecutions: Int?
}

/// Body of PutProvisionedConcurrencyConfig.
public struct PutProvisionedConcurrencyConfigRequest: Codable, Sendable {
    public var ProvisionedConcurrentExecutions: Int?
}

/// Response of Put/GetProvisionedConcurrencyConfig.
public struct ProvisionedConcurrencyConfigResponse: Codable, Sendable, Equatable {
    public var RequestedProvisionedConcurrentExecutions: Int
    public var AvailableProvisionedConcurrentExecutions: Int
    public var AllocatedProvisionedConcurrentExecutions: Int
    public var Status: String
    public var StatusReason: String?
    public var LastModified: String
}

/// One item of ListProvisionedConcurrencyConfigs.
public struct ProvisionedConcurrencyConfigListItem: Codable, Sendable, Equatable {
    public var FunctionArn: String
    public var RequestedProvisionedConcurrentExecutions: Int
    public var AvailableProvisionedConcurrentExecutions: Int
    public var AllocatedProvisionedConcurrentExecutions: Int
    public var Status: String
    public var StatusReason: String?
    public var LastModified: String
}

extension ProvisionedConcurrencyConfigListItem {
    /// The item of a configuration whose Get response is `r`.
    init(FunctionArn: String, _ r: ProvisionedConcurrencyConfigResponse) {
        self.init(FunctionArn: FunctionArn, RequestedProvisionedConcurrentExecutions: r.RequestedProvisionedConcurrentExecutions,
                  AvailableProvisionedConcurrentExecutions: r.AvailableProvisionedConcurrentExecutions,
                  AllocatedProvisionedConcurrentExecutions: r.AllocatedProvisionedConcurrentExecutions,
                  Status: r.Status, StatusReason: r.StatusReason, LastModified: r.LastModified)
    }
}

/// Response of ListProvisionedConcurrencyConfigs.
public struct ListProvisionedConcurrencyConfigsResponse: Codable, Sendable {
    public var ProvisionedConcurrencyConfigs: [ProvisionedConcurrencyConfigListItem]
    public var NextMarker: String?
}
