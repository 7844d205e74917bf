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
    /// A buffered response (the whole body at once).
    func invocationResponse(requestId: String, body: ByteBuffer, headers: RuntimeResponseHeaders) -> RuntimeAPIOutcome
    func invocationResponseTooLarge(requestId: String, limit: Int) -> RuntimeAPIOutcome
    func invocationError(requestId: String, errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome
    func initError(errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome

    // Streamed responses (`Lambda-Runtime-Function-Response-Mode: streaming`): the start, each chunk of the body as it
    // is read, then the end, whose outcome is the runtime's answer. A start that is not accepted gets no chunks; its
    // body is read and dropped and its outcome answered at the end. A connection that closes before the end says
    // nothing more: the runtime's exit or the invocation's timeout ends the invocation, as for a cut-short buffered post.

    /// The runtime began a streamed response. `resume` restarts reading after a chunk answered `.pause`.
    func responseStreamStarted(requestId: String, headers: RuntimeResponseHeaders, resume: RuntimeStreamResumer) -> RuntimeAPIOutcome
    func responseStreamChunk(requestId: String, _ chunk: ByteBuffer) -> RuntimeStreamAck
    /// The body ended; `errorType` and `errorBody` (base64 of the error document) when trailers reported an error.
    func responseStreamEnded(requestId: String, errorType: String?, errorBody: String?) -> RuntimeAPIOutcome
}
