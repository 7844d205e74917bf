import Delivery
import Foundation

/// The timer handler of Scheduler's schedules: a due schedule becomes one `Delivery` to its target, acting
/// as its role for `scheduler.amazonaws.com`, and the timer moves to the next due time (none after a
/// one-time schedule or past EndDate, which also deletes the schedule when ActionAfterCompletion is DELETE).
///
/// After downtime: a missed due time still fires once at start when it is within its flexible window, or,
/// with the window OFF, within the target's MaximumEventAgeInSeconds; the further times missed are skipped.
struct ScheduleFiring: TimerHandler {
    /// Strong: the directory and the engine live as long as the server.
    let directory: ScheduleDirectory

    func fire(id: String, dueAt: Int64, now: Int64) async -> TimerFiring {
        guard let (group, name) = ScheduleTimerID.parse(id) else { return TimerFiring(next: nil) }
        let found: Schedule?
        do {
            found = try await directory.store.schedule(group: group, name: name)
        } catch {
            directory.logger.error("reading a due schedule failed; it is tried again in a second",
                                   metadata: ["schedule": "\(id)", "error": "\(error)"])
            return TimerFiring(next: dueAt + 1_000)
        }
        guard let schedule = found, schedule.isEnabled, let timing = try? ScheduleTiming(schedule) else {
            return TimerFiring(next: nil)
        }
        let nominal = timing.nominal(forDue: dueAt)
        let window = timing.windowMs
        let maxAgeMs = Int64(schedule.target.effectiveRetryPolicy.MaximumEventAgeInSeconds ?? 86_400) * 1000
        // Scheduler's precision is a minute: a firing up to a minute past its window is on time.
        let onTime = window > 0 ? now <= nominal + window + 60_000 : now - nominal <= maxAgeMs
        var deliveries: [Delivery] = []
        if onTime {
            deliveries.append(Self.delivery(for: schedule, nominal: nominal, dueAt: dueAt))
        } else {
            directory.logger.warning("a schedule's due time passed while the server was down, beyond its window; it is skipped",
                                     metadata: ["schedule": "\(schedule.arn)", "due": "\(dueAt)"])
        }
        guard let nextNominal = timing.nominal(after: nominal, notBefore: now) else {
            return TimerFiring(deliveries: deliveries, next: nil, removeOwner: schedule.actionAfterCompletion == "DELETE")
        }
        return TimerFiring(deliveries: deliveries, next: max(timing.due(nextNominal), dueAt + 1))
    }

    /// The delivery of one firing: the target's Input (with the context attributes Scheduler substitutes)
    /// or `{}`; for an event bus, a PutEvents entry with EventBridgeParameters' Source and DetailType.
    static func delivery(for schedule: Schedule, nominal: Int64, dueAt: Int64) -> Delivery {
        let target = schedule.target
        let executionId = UUID().uuidString.lowercased()
        let scheduledTime = AWSTimestampText.iso8601(Date(timeIntervalSince1970: Double(nominal) / 1000))
        var payload = target.Input ?? "{}"
        if payload.contains("<aws.scheduler.") {
            payload = payload
                .replacingOccurrences(of: "<aws.scheduler.schedule-arn>", with: schedule.arn)
                .replacingOccurrences(of: "<aws.scheduler.scheduled-time>", with: scheduledTime)
                .replacingOccurrences(of: "<aws.scheduler.execution-id>", with: executionId)
                .replacingOccurrences(of: "<aws.scheduler.attempt-number>", with: "1")
        }
        let channel = Delivery.channel(forARN: target.Arn) ?? "unknown"
        if channel == "events", let parameters = target.EventBridgeParameters {
            let entry = PutEventsEntry(Source: parameters.Source, DetailType: parameters.DetailType, Detail: payload,
                                       Resources: [schedule.arn])
            payload = (try? String(decoding: JSONEncoder().encode(entry), as: UTF8.self)) ?? payload
        }
        let policy = target.effectiveRetryPolicy
        var deadLetter: DeadLetter?
        if let arn = target.DeadLetterConfig?.Arn {
            deadLetter = DeadLetter(arn: arn, attributes: ["SCHEDULE_ARN": .string(schedule.arn), "TARGET_ARN": .string(target.Arn)])
        }
        return Delivery(
            id: executionId, channel: channel, target: target.Arn, payload: payload,
            messageGroupId: target.SqsParameters?.MessageGroupId,
            deduplicationId: String(ScheduleTiming.hash("\(schedule.arn)|\(nominal)"), radix: 16),
            origin: DeliveryOrigin(servicePrincipal: ScheduleDirectory.servicePrincipal, sourceArn: schedule.arn,
                                   sourceAccount: account(of: schedule), roleArn: target.RoleArn),
            retry: DeliveryRetryPolicy(maximumRetries: policy.MaximumRetryAttempts ?? 185,
                                       maximumAgeSeconds: policy.MaximumEventAgeInSeconds ?? 86_400,
                                       backoff: DeliveryRetryPolicy.eventBridgeDefault.backoff),
            deadLetter: deadLetter, acceptedAt: dueAt,
            context: ["scheduledTime": scheduledTime])
    }

    /// The account of a schedule ARN.
    static func account(of schedule: Schedule) -> String? {
        let parts = schedule.arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : nil
    }

    /// One PutEvents request entry, as the `events` channel takes it.
    struct PutEventsEntry: Encodable {
        var Source: String
        var DetailType: String
        var Detail: String
        var Resources: [String]
    }
}
