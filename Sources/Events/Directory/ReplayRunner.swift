import ServiceLifecycle

/// Runs replays one at a time as StartReplay queues them; at start, those a previous process left unfinished.
public struct ReplayRunner: Service {
    let bridge: EventBridge

    public init(bridge: EventBridge) {
        self.bridge = bridge
    }

    public func run() async throws {
        for name in bridge.unfinishedReplays { bridge.replayQueue.continuation.yield(name) }
        await bridge.purgeExpiredArchivedEvents()
        await cancelWhenGracefulShutdown {
            for await name in bridge.replayQueue.stream {
                if Task.isCancelled { break }
                await bridge.runReplay(name)
            }
        }
    }
}
