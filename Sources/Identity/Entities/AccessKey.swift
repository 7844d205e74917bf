import Foundation

/// A user's long-term access key. `secret` is the clear secret, held in memory only: the store keeps it sealed.
public struct AccessKey: Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case active = "Active", inactive = "Inactive" }

    public var accessKeyId: String
    public var userName: String
    public var secret: String
    public var status: Status
    public var createDate: Date

    public init(accessKeyId: String, userName: String, secret: String, status: Status, createDate: Date) {
        self.accessKeyId = accessKeyId
        self.userName = userName
        self.secret = secret
        self.status = status
        self.createDate = createDate
    }
}

/// When and where an access key was last used (GetAccessKeyLastUsed).
public struct AccessKeyLastUsed: Codable, Sendable, Equatable {
    public var date: Date
    public var serviceName: String
    public var region: String

    public init(date: Date, serviceName: String, region: String) {
        self.date = date
        self.serviceName = serviceName
        self.region = region
    }
}
