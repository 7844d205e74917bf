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

/// Response of ListProvisionedConcurrencyConfigs.
public struct ListProvisionedConcurrencyConfigsResponse: Codable, Sendable {
    public var ProvisionedConcurrencyConfigs: [ProvisionedConcurrencyConfigListItem]
    public var NextMarker: String?
}
