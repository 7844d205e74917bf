/// One sampled Lambda invocation as the platform saw it; `LambdaSegments` turns it into the segments Lambda writes.
/// Times are seconds since 1970.
public struct LambdaInvocation: Sendable {
    public var traceId: String
    /// The `AWS::Lambda::Function` segment's id (the `Parent` the function was given).
    public var functionSegmentId: String
    /// The caller's segment, when its trace header named one.
    public var callerSegmentId: String?
    public var functionName: String
    public var functionArn: String
    public var requestId: String
    public var received: Double
    /// An asynchronous event's: when it was queued (the service segment then starts there) and the attempt number.
    public var queuedAt: Double?
    public var attempt: Int?
    public var initStart: Double?
    public var initEnd: Double?
    public var invocationStart: Double?
    public var invocationEnd: Double?
    public var finished: Double
    /// The function's error type when it failed.
    public var functionError: String?
    /// The platform ended the invocation (timeout, crash).
    public var platformError: Bool

    public init(traceId: String, functionSegmentId: String, callerSegmentId: String?, functionName: String, functionArn: String,
                requestId: String, received: Double, initStart: Double?, initEnd: Double?, invocationStart: Double?,
                invocationEnd: Double?, finished: Double, functionError: String?, platformError: Bool) {
        self.traceId = traceId
        self.functionSegmentId = functionSegmentId
        self.callerSegmentId = callerSegmentId
        self.functionName = functionName
        self.functionArn = functionArn
        self.requestId = requestId
        self.received = received
        self.initStart = initStart
        self.initEnd = initEnd
        self.invocationStart = invocationStart
        self.invocationEnd = invocationEnd
        self.finished = finished
        self.functionError = functionError
        self.platformError = platformError
    }
}
