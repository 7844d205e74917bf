import Foundation

/// A stage: a named, addressable snapshot of the API (the deployment it serves) with its variables.
/// `$default` is served at the API's base URL; any other stage at `/<name>/…`.
public struct Stage: Codable, Sendable, Equatable {
    public var stageName: String
    /// Deploy every change of routes, integrations or authorizers to this stage.
    public var autoDeploy: Bool
    public var deploymentId: String?
    public var description: String?
    public var stageVariables: [String: String]
    public var tags: [String: String]
    public var createdDate: Date
    public var lastUpdatedDate: Date
    public var apiGatewayManaged: Bool
    /// Stored and returned; throttling and detailed metrics are not enforced.
    public var defaultRouteSettings: RouteSettings?
    public var routeSettings: [String: RouteSettings]?
    /// Stored and returned; access logs are not written to CloudWatch Logs.
    public var accessLogSettings: AccessLogSettings?
    public var lastDeploymentStatusMessage: String?

    public static let defaultName = "$default"

    public init(stageName: String, autoDeploy: Bool = false, deploymentId: String? = nil, description: String? = nil,
                stageVariables: [String: String] = [:], tags: [String: String] = [:], createdDate: Date,
                apiGatewayManaged: Bool = false) {
        self.stageName = stageName
        self.autoDeploy = autoDeploy
        self.deploymentId = deploymentId
        self.description = description
        self.stageVariables = stageVariables
        self.tags = tags
        self.createdDate = createdDate
        self.lastUpdatedDate = createdDate
        self.apiGatewayManaged = apiGatewayManaged
    }

    /// `$default`, or 1–128 letters, digits, `-` and `_`.
    static func validateName(_ name: String) throws(HTTPAPIError) {
        if name == defaultName { return }
        guard (1...128).contains(name.count),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .badRequest("Stage name only allows a-zA-Z0-9_- and must be between 1 and 128 characters, or $default: \(name)")
        }
    }
}

/// Throttling and metrics settings of a stage or route (stored as given).
public struct RouteSettings: Codable, Sendable, Equatable {
    public var dataTraceEnabled: Bool?
    public var detailedMetricsEnabled: Bool?
    public var loggingLevel: String?
    public var throttlingBurstLimit: Int?
    public var throttlingRateLimit: Double?

    public init(dataTraceEnabled: Bool? = nil, detailedMetricsEnabled: Bool? = nil, loggingLevel: String? = nil,
                throttlingBurstLimit: Int? = nil, throttlingRateLimit: Double? = nil) {
        self.dataTraceEnabled = dataTraceEnabled
        self.detailedMetricsEnabled = detailedMetricsEnabled
        self.loggingLevel = loggingLevel
        self.throttlingBurstLimit = throttlingBurstLimit
        self.throttlingRateLimit = throttlingRateLimit
    }
}

/// Where a stage's access logs would go (stored as given).
public struct AccessLogSettings: Codable, Sendable, Equatable {
    public var destinationArn: String?
    public var format: String?

    public init(destinationArn: String? = nil, format: String? = nil) {
        self.destinationArn = destinationArn
        self.format = format
    }
}
