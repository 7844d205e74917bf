import NIOCore

/// An event as `GET /runtime/invocation/next` hands it to the runtime.
public struct RuntimeInvocation: Sendable {
    public var requestId: String
    public var payload: ByteBuffer
    /// Epoch milliseconds by which the runtime must answer.
    public var deadlineMs: Int64
    public var invokedFunctionArn: String
    public var traceId: String
    /// JSON of the client context, when the caller sent one.
    public var clientContext: String?
    /// JSON of the Cognito identity, when there is one.
    public var cognitoIdentity: String?

    public init(requestId: String, payload: ByteBuffer, deadlineMs: Int64, invokedFunctionArn: String, traceId: String,
                clientContext: String? = nil, cognitoIdentity: String? = nil) {
        self.requestId = requestId
        self.payload = payload
        self.deadlineMs = deadlineMs
        self.invokedFunctionArn = invokedFunctionArn
        self.traceId = traceId
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
    }
}

/// The Runtime API's answer to a response, error or init-error post.
public enum RuntimeAPIOutcome: Sendable, Equatable {
    /// 202.
    case accepted
    /// 400: no invocation with that id is in flight in this environment.
    case invalidRequestId
    /// 403: the invocation has already been answered.
    case invalidStateTransition
    /// 413: the response is larger than the limit (the invocation fails with `Function.ResponseSizeTooLarge`).
    case payloadTooLarge(limit: Int)
}

/// What one execution environment does with its runtime's calls. Called on the connection's event loop:
/// implementations must not block.
public protocol RuntimeAPIHandler: Sendable {
    /// The runtime asks for its next event: call `deliver` once there is one (possibly at once), from any thread.
    func nextInvocation(_ deliver: @escaping @Sendable (RuntimeInvocation) -> Void)
    /// A delivered event could not be written because the runtime's connection had closed.
    func deliveryFailed(requestId: String)
    func invocationResponse(requestId: String, body: ByteBuffer) -> RuntimeAPIOutcome
    func invocationResponseTooLarge(requestId: String, limit: Int) -> RuntimeAPIOutcome
    func invocationError(requestId: String, errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome
    func initError(errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome
}
