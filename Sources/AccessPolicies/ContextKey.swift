/// A condition context key, or the key a policy variable names, resolved once when a policy is compiled.
/// Names are case-insensitive (`aws:CurrentTime` is `AWS:currenttime`); the keys that describe the principal
/// or the time have their own kinds because the evaluator supplies them itself. Kind and hash are plain values,
/// so looking a key up costs no reference counting.
struct ContextKey: Sendable, Equatable {
    enum Kind: UInt8, Sendable {
        case principalArn
        case principalAccount
        case principalType
        case userId
        case username
        case principalServiceName
        case principalIsAWSService
        case currentTime
        case epochTime
        /// Any other key, looked up in the request's context.
        case named
    }

    let kind: Kind
    /// The name, lower-cased.
    let name: String
    /// `foldedHash(name)`.
    let hash: UInt64

    init(_ name: String) {
        let lower = asciiLowercased(name)
        self.name = lower
        self.hash = foldedHash(lower)
        switch lower {
        case "aws:principalarn": kind = .principalArn
        case "aws:principalaccount": kind = .principalAccount
        case "aws:principaltype": kind = .principalType
        case "aws:userid": kind = .userId
        case "aws:username": kind = .username
        case "aws:principalservicename": kind = .principalServiceName
        case "aws:principalisawsservice": kind = .principalIsAWSService
        case "aws:currenttime": kind = .currentTime
        case "aws:epochtime": kind = .epochTime
        default: kind = .named
        }
    }
}
