import Schedules
import SchedulerAPI

/// Wires EventBridge Scheduler: the schedule directory over the store (its `default` group created on first
/// start), its timer handler on the one timer engine, and its API.
enum SchedulerWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        let directory = ScheduleDirectory(store: context.store, engine: context.timers, region: context.configuration.region,
                                          accountId: context.configuration.accountId, logger: context.logger)
        try await directory.prepare()
        // A schedule made through another node fires there; knowing its timer here lets this node fire it too
        // (firings commit exactly once across nodes), so it keeps firing if that node goes.
        let timers = context.timers
        context.changes.on("schedule", "rule") { _ in try await timers.load() }
        return WiredService(hosted: [SchedulerService(directory: directory)])
    }
}
