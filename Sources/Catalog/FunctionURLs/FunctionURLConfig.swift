import Foundation

/// A function URL: the dedicated HTTP endpoint of a function (`$LATEST`) or of one of its aliases, with how callers
/// are authenticated, the CORS rules the platform applies, and whether responses are buffered or streamed.
public struct FunctionURLConfig: Codable, Sendable, Equatable {
    public var functionName: String
    /// nil: the unqualified function (`$LATEST`); else an alias name (Lambda refuses version numbers and `$LATEST`).
    public var qualifier: String?
    /// 32 characters of `[a-z0-9]`, drawn at random; the first label of the URL's host name.
    public var urlId: String
    /// `NONE` | `AWS_IAM`.
    public var authType: String
    public var cors: FunctionURLCors?
    /// `BUFFERED` | `RESPONSE_STREAM`.
    public var invokeMode: String
    /// Lambda's timestamp format (`2026-11-24T10:00:00.000+0000`).
    public var creationTime: String
    public var lastModifiedTime: String

    public init(functionName: String, qualifier: String?, urlId: String, authType: String, cors: FunctionURLCors?,
                invokeMode: String, creationTime: String, lastModifiedTime: String) {
        self.functionName = functionName
        self.qualifier = qualifier
        self.urlId = urlId
        self.authType = authType
        self.cors = cors
        self.invokeMode = invokeMode
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime
    }

    public static let authTypes = ["NONE", "AWS_IAM"]
    public static let invokeModes = ["BUFFERED", "RESPONSE_STREAM"]
    public static let defaultInvokeMode = "BUFFERED"
    public static let urlIdLength = 32

    /// A fresh random url id.
    public static func randomURLId() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<urlIdLength).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
    }

    /// Whether `id` has the shape of a url id (so the ingress can refuse anything else without a lookup).
    public static func isURLId(_ id: String) -> Bool {
        id.utf8.count == urlIdLength && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}

/// The CORS settings of a function URL, as CreateFunctionUrlConfig takes them; nil members were not given.
public struct FunctionURLCors: Codable, Sendable, Equatable {
    public var allowCredentials: Bool?
    public var allowHeaders: [String]?
    public var allowMethods: [String]?
    public var allowOrigins: [String]?
    public var exposeHeaders: [String]?
    public var maxAge: Int?

    public init(allowCredentials: Bool? = nil, allowHeaders: [String]? = nil, allowMethods: [String]? = nil,
                allowOrigins: [String]? = nil, exposeHeaders: [String]? = nil, maxAge: Int? = nil) {
        self.allowCredentials = allowCredentials
        self.allowHeaders = allowHeaders
        self.allowMethods = allowMethods
        self.allowOrigins = allowOrigins
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
    }

    /// The methods `AllowMethods` may name (compared without case).
    public static let methods = ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"]
    public static let maxMethods = 6
    public static let maxMethodLength = 6
    public static let maxHeaders = 100
    public static let maxHeaderLength = 1024
    public static let maxOrigins = 100
    public static let originLengths = 1...253
    public static let maxAgeRange = 0...86_400
}
