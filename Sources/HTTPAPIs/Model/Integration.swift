/// An integration: what a route's requests go to. Swiftlet serves `AWS_PROXY` integrations with a Lambda function
/// (a function, version or alias ARN, or API Gateway's `…:lambda:path/2015-03-31/functions/<arn>/invocations` URI).
public struct Integration: Codable, Sendable, Equatable {
    public var integrationId: String
    /// Always `AWS_PROXY`.
    public var integrationType: String
    /// As the caller wrote it.
    public var integrationUri: String
    /// `1.0` or `2.0`: the event the function receives and how its answer is read.
    public var payloadFormatVersion: String
    /// 50…30000.
    public var timeoutInMillis: Int
    public var credentialsArn: String?
    public var description: String?
    public var apiGatewayManaged: Bool

    public static let proxyType = "AWS_PROXY"
    public static let defaultTimeoutMillis = 30_000
    public static let timeoutRange = 50...30_000
    public static let payloadFormatVersions: Set<String> = ["1.0", "2.0"]

    public init(integrationId: String, integrationUri: String, payloadFormatVersion: String,
                timeoutInMillis: Int = Integration.defaultTimeoutMillis, credentialsArn: String? = nil,
                description: String? = nil, apiGatewayManaged: Bool = false) {
        self.integrationId = integrationId
        self.integrationType = Self.proxyType
        self.integrationUri = integrationUri
        self.payloadFormatVersion = payloadFormatVersion
        self.timeoutInMillis = timeoutInMillis
        self.credentialsArn = credentialsArn
        self.description = description
        self.apiGatewayManaged = apiGatewayManaged
    }

    /// The function (or version/alias) ARN the URI names.
    public var functionArn: String? { LambdaTarget.functionArn(in: integrationUri) }
}

/// Lambda function ARNs as integration and authorizer URIs carry them.
public enum LambdaTarget {
    /// The function ARN in `uri`: the ARN itself (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`)
    /// or inside `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`; nil otherwise.
    public static func functionArn(in uri: String) -> String? {
        if isFunctionArn(uri) { return uri }
        return functionArn(inInvocationURI: uri)
    }

    /// The function ARN of the `…:lambda:path/2015-03-31/functions/<arn>/invocations` form only.
    public static func functionArn(inInvocationURI uri: String) -> String? {
        let parts = uri.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "apigateway", !parts[3].isEmpty,
              parts[4].hasPrefix(pathPrefix), parts[4].hasSuffix(pathSuffix) else { return nil }
        let arn = String(parts[4].dropFirst(pathPrefix.count).dropLast(pathSuffix.count))
        return isFunctionArn(arn) ? arn : nil
    }

    /// The invocation URI API Gateway uses for a function ARN.
    public static func invocationURI(region: String, functionArn: String) -> String {
        "arn:aws:apigateway:\(region):lambda:path/2015-03-31/functions/\(functionArn)/invocations"
    }

    private static let pathPrefix = "lambda:path/2015-03-31/functions/"
    private static let pathSuffix = "/invocations"

    /// `arn:aws:lambda:<region>:<12 digits>:function:<name>[:<version or alias>]`.
    public static func isFunctionArn(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 7 || parts.count == 8, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "lambda",
              !parts[3].isEmpty, parts[4].count == 12, parts[4].allSatisfy(\.isASCIIDigit), parts[5] == "function",
              (1...64).contains(parts[6].count), parts[6].allSatisfy(isNameCharacter) else { return false }
        if parts.count == 8 {
            let qualifier = parts[7]
            return qualifier == "$LATEST" || ((1...128).contains(qualifier.count) && qualifier.allSatisfy(isNameCharacter))
        }
        return true
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
