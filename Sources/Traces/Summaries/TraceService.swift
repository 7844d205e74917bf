/// A service a trace went through: a segment's name and origin (`Type`), and its account when known.
public struct TraceService: Sendable, Hashable {
    public var name: String
    public var type: String?
    public var accountId: String?

    public init(name: String, type: String?, accountId: String?) {
        self.name = name
        self.type = type
        self.accountId = accountId
    }
}
