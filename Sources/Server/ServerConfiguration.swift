import Foundation
import Logging

/// Everything the server is configured with, built once from flags and the environment and passed down.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; the one chosen is logged and written to `<dataDir>/endpoint`.
    public var port: Int
    public var dataDir: String
    public var region: String
    public var accountId: String
    /// Account concurrency limit reported by GetAccountSettings.
    public var maxConcurrency: Int
    public var logLevel: Logger.Level
    /// The process environment (root credentials may come from it).
    public var environment: [String: String]

    public init(
        host: String = "127.0.0.1",
        port: Int = 8900,
        dataDir: String = ".swiftlet",
        region: String = "us-east-1",
        accountId: String = "000000000000",
        maxConcurrency: Int? = nil,
        logLevel: Logger.Level = .info,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.host = host
        self.port = port
        self.dataDir = dataDir
        self.region = region
        self.accountId = accountId
        self.maxConcurrency = maxConcurrency ?? Self.defaultConcurrency()
        self.logLevel = logLevel
        self.environment = environment
    }

    /// One 128 MB environment per 256 MB of host memory, between 10 and 1000.
    public static func defaultConcurrency() -> Int {
        let bytes = ProcessInfo.processInfo.physicalMemory
        return max(10, min(1000, Int(bytes / (256 * 1024 * 1024))))
    }
}
