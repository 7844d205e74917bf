import NIOCore

extension Invoker {
    /// Runs `request` and hands back the response as it is produced (backpressured: the runtime is read only as fast
    /// as the consumer iterates). Throws like `invoke` for throttling (LambdaError) before anything runs.
    ///
    /// A buffered answer comes as `.started(streaming: false)`, one `.chunk` and `.finished`; an error before any byte
    /// as `.finished` alone. The environment is given back only once the runtime has finished; a consumer that stops
    /// iterating does not stop the invocation, whose remaining bytes are dropped.
    public func invokeStreaming(_ request: InvocationRequest) async throws -> InvocationStream {
        let function = request.function
        let received = ContinuousClock.now
        let limiter = try await acquireSlot(for: request)
        let meter = startMeasuring(request)
        let (stream, sink) = InvocationStream.make()
        let pool = self.pool(for: function, version: request.version)
        let trace = Self.traceContext(continuing: request.traceId, active: function.tracingMode == "Active")
        let env: ExecutionEnvironment
        do {
            env = try await environment(for: request, pool: pool)
        } catch let error as InvokerError {
            limiter.release()
            meter.failedToStart(error)
            if trace.sampled { recordTrace(trace, request, received: received, env: nil, completion: nil, failed: true) }
            let result = failedStart(request, error: error)
            let outcome = EnvironmentOutcome.functionError(ByteBuffer(bytes: result.payload), type: nil)
            sink.yield(.finished(InvocationStreamEnd(outcome, version: request.version, lines: result.logLines)))
            sink.finish()
            return stream
        } catch {
            limiter.release()
            meter.failedToStart(error)
            throw error
        }
        reportProvisionedUse(request, env: env, meter: meter)
        let invocation = runtimeInvocation(request, trace: trace)
        // Not a child of the caller's task: the invocation runs to its end even when the caller goes away.
        Task {
            let (ran, completion) = await run(invocation, in: env, request: request, pool: pool, sink: sink)
            meter.finished(in: ran, outcome: completion.outcome)
            release(ran, to: pool, after: completion)
            limiter.release()
            if trace.sampled { recordTrace(trace, request, received: received, env: ran, completion: completion) }
            if !completion.streamed, case .response(let body) = completion.outcome {
                sink.yield(.started(contentType: completion.contentType, streaming: false))
                sink.yield(.chunk(body))
            }
            sink.yield(.finished(InvocationStreamEnd(completion.outcome, version: request.version, lines: completion.lines)))
            sink.finish()
        }
        return stream
    }
}
