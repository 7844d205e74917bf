import ServiceLifecycle

/// Runs replays one at a time as StartReplay queues them (at start, those a previous process left unfinished),
/// and drops archived events past their retention every hour.
public struct ReplayRunner: Service {
    let bridge: EventBridge
    let purgeInterval: Duration

    public init(bridge: EventBridge, purgeInterval: Duration = .seconds(3600)) {
        self.bridge = bridge
        self.purgeInterval = purgeInterval
    }

    public func run() async throws {
        for name in bridge.unfinishedReplays { bridge.replayQueue.continuation.yield(name) }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await name in bridge.replayQueue.stream {
                        if Task.isCancelled { break }
                        await bridge.runReplay(name)
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        await bridge.purgeExpiredArchivedEvents()
                        try? await Task.sleep(for: purgeInterval)
                    }
                }
                await group.waitForAll()
            }
        }
    }
}
