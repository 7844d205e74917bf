import Schedules
import SchedulerAPI

/// Wires EventBridge Scheduler: the schedule directory over the store (its `default` group created on first
/// start), its timer handler on the one timer engine, and its API.
enum SchedulerWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        let directory = ScheduleDirectory(store: context.store, engine: context.timers, region: context.configuration.region,
                                          accountId: context.configuration.accountId, logger: context.logger)
        try await directory.prepare()
        return WiredService(hosted: [SchedulerService(directory: directory)])
    }
}
