import Synchronization

/// Takes deliveries of one channel to their target. A sink returns once the target holds the message
/// durably (a queue committed it, an async invoke was accepted, an HTTP endpoint answered 2xx).
public protocol DeliverySink: Sendable {
    func deliver(_ delivery: Delivery) async throws(DeliveryFailure)
}

/// Why a delivery did not happen. `retryable` failures are tried again within the retry policy; the others
/// (the target does not exist, the sender is not allowed) go to the dead-letter queue at once, as
/// EventBridge does with `ResourceNotFoundException` and permission errors.
public struct DeliveryFailure: Error, Sendable, Equatable {
    /// EventBridge-style error code (`ResourceNotFoundException`, `AccessDeniedException`, `ThrottlingException`, …).
    public var code: String
    public var message: String
    public var retryable: Bool

    public init(code: String, message: String, retryable: Bool) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    public static func notFound(_ message: String) -> DeliveryFailure {
        .init(code: "ResourceNotFoundException", message: message, retryable: false)
    }
    public static func denied(_ message: String) -> DeliveryFailure {
        .init(code: "AccessDeniedException", message: message, retryable: false)
    }
    public static func transient(_ code: String, _ message: String) -> DeliveryFailure {
        .init(code: code, message: message, retryable: true)
    }
}

/// The sinks by channel. Filled while the server is wired (services that deliver to each other register
/// after all exist, so a topic can deliver to a bus and a bus to a topic).
public final class DeliveryRouter: Sendable {
    private let sinks = Mutex<[String: any DeliverySink]>([:])

    public init() {}

    public func register(_ channel: String, _ sink: any DeliverySink) {
        sinks.withLock { $0[channel] = sink }
    }

    public func sink(for channel: String) -> (any DeliverySink)? {
        sinks.withLock { $0[channel] }
    }
}
