import PostgresStore
import ServiceLifecycle

/// Hands the cluster's change feed to this node's reloads: each change to the handlers of its area (the immediate ones
/// where the feed reads it), and after the feed (re)connected — when changes may have been missed — everything.
struct ChangeFeedFollower: Service {
    let changes: AsyncStream<StoreChange>
    let handlers: ChangeHandlers

    /// Subscribes now, before the feed runs, so the first `everything` is not missed.
    init(feed: ChangeFeed, handlers: ChangeHandlers) {
        self.changes = feed.changes()
        self.handlers = handlers
        // Drops that must not wait for this service's task: where the feed reads the change.
        feed.observeInline { change in
            if change.area == .everything {
                handlers.noteEverythingImmediately()
            } else {
                handlers.noteImmediately(area: change.area.rawValue, key: change.key)
            }
        }
    }

    func run() async throws {
        // The stream ends when the feed stops, which shuts down before this service (it comes later in the group).
        for await change in changes {
            if change.area == .everything {
                handlers.noteEverything()
            } else {
                handlers.note(area: change.area.rawValue, key: change.key)
            }
        }
        // A service that returns before its turn to shut down fails the group.
        try? await gracefulShutdown()
    }
}
