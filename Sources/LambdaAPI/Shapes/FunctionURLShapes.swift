import Catalog

/// The CORS settings of a function URL (AWS shape `Cors`).
public struct Cors: Codable, Sendable, Equatable {
    public var AllowCredentials: Bool?
    public var AllowHeaders: [String]?
    public var AllowMethods: [String]?
    public var AllowOrigins: [String]?
    public var ExposeHeaders: [String]?
    public var MaxAge: Int?

    init(_ cors: FunctionURLCors) {
        AllowCredentials = cors.allowCredentials
        AllowHeaders = cors.allowHeaders
        AllowMethods = cors.allowMethods
        AllowOrigins = cors.allowOrigins
        ExposeHeaders = cors.exposeHeaders
        MaxAge = cors.maxAge
    }

    var domain: FunctionURLCors {
        FunctionURLCors(allowCredentials: AllowCredentials, allowHeaders: AllowHeaders, allowMethods: AllowMethods,
                        allowOrigins: AllowOrigins, exposeHeaders: ExposeHeaders, maxAge: MaxAge)
    }
}

/// Body of CreateFunctionUrlConfig and UpdateFunctionUrlConfig (every member optional on update).
public struct FunctionUrlConfigRequest: Codable, Sendable {
    public var AuthType: String?
    public var Cors: Cors?
    public var InvokeMode: String?

    var input: FunctionURLInput {
        FunctionURLInput(authType: AuthType, cors: self.Cors?.domain, invokeMode: InvokeMode)
    }
}

public struct CreateFunctionUrlConfigResponse: Codable, Sendable {
    public var FunctionUrl: String
    public var FunctionArn: String
    public var AuthType: String
    public var Cors: Cors?
    public var CreationTime: String
    public var InvokeMode: String?
}

/// Response of GetFunctionUrlConfig and UpdateFunctionUrlConfig, and an element of ListFunctionUrlConfigs
/// (AWS shapes `GetFunctionUrlConfigResponse`, `UpdateFunctionUrlConfigResponse`, `FunctionUrlConfig`: same members).
public struct FunctionUrlConfig: Codable, Sendable {
    public var FunctionUrl: String
    public var FunctionArn: String
    public var AuthType: String
    public var Cors: Cors?
    public var CreationTime: String
    public var LastModifiedTime: String
    public var InvokeMode: String?
}

public struct ListFunctionUrlConfigsResponse: Codable, Sendable {
    public var FunctionUrlConfigs: [FunctionUrlConfig]
    public var NextMarker: String?
}

/// The member of Create/UpdateFunctionUrlConfig that authorization reads (`lambda:FunctionUrlAuthType`).
struct FunctionUrlAuthTypeMember: Decodable {
    var AuthType: String?
}
