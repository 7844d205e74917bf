import Delivery
import Foundation
import JSONText

/// PutEvents and the other ways events reach a bus (the `events` delivery channel, schedules): the event is
/// matched against the bus's rules and every (rule, target) becomes a `Delivery`.
extension EventBridge {
    public static let maxEntries = 10
    public static let maxRequestBytes = 256 * 1024
    /// FIFO queue targets' channel (see `deliveries(for:rule:acceptedAt:)`).
    public static let fifoQueueChannel = "events-sqs-fifo"

    /// The outcome of one PutEvents entry.
    public enum EntryResult: Sendable, Equatable {
        case accepted(eventId: String)
        case failed(EventEntry.Failure)
    }

    /// Accepts the entries: each valid one gets an event id; what its bus's rules match is durable (one store
    /// transaction for the whole request) before this returns.
    public func putEvents(_ entries: [EventEntry]) async throws -> [EntryResult] {
        guard !entries.isEmpty, entries.count <= Self.maxEntries else {
            throw EventsError.validation("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to \(Self.maxEntries)")
        }
        guard entries.reduce(0, { $0 + $1.size }) <= Self.maxRequestBytes else {
            throw EventsError.validation("Total size of the entries in the request is over the limit.")
        }
        let now = clock()
        let acceptedAt = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        var results: [EntryResult] = []
        var deliveries: [Delivery] = []
        for entry in entries {
            switch accepted(entry, now: now) {
            case .failure(let failure): results.append(.failed(failure))
            case .success(let (event, bus)):
                results.append(.accepted(eventId: event.id))
                deliveries += self.deliveries(for: event, on: bus, acceptedAt: acceptedAt)
            }
        }
        try await accept(deliveries)
        return results
    }

    /// One entry as an event on its bus, or why not.
    func accepted(_ entry: EventEntry, now: Date) -> Result<(EventEnvelope, String), EventEntry.Failure> {
        let detail: JSONText
        switch entry.check() {
        case .failure(let failure): return .failure(failure)
        case .success(let json): detail = json
        }
        guard let name = arns.busName(entry.EventBusName), state.withLock({ $0.buses[name] }) != nil else {
            return .failure(.init(code: "NotFoundException", message: "Event bus \(entry.EventBusName ?? "") does not exist."))
        }
        let event = EventEnvelope(id: UUID().uuidString.lowercased(), source: entry.Source ?? "", detailType: entry.DetailType ?? "",
                                  detail: detail, resources: entry.Resources ?? [],
                                  time: entry.Time.map { Date(timeIntervalSince1970: $0) } ?? now,
                                  account: arns.accountId, region: arns.region, ingestionTime: now)
        return .success((event, name))
    }

    /// An event that reached a bus by the `events` channel (a PutEvents entry, or a whole event forwarded by a
    /// rule of another bus): matched and its deliveries handed on (durable when this returns).
    public func ingest(payload: String, forwarded: Bool, busArn: String) async throws(EventsError) {
        guard let name = arns.busName(busArn), state.withLock({ $0.buses[name] }) != nil else {
            throw .resourceNotFound("Event bus \(busArn) does not exist.")
        }
        let now = clock()
        let event: EventEnvelope
        if forwarded {
            guard let forwardedEvent = EventEnvelope(forwarding: payload, ingestionTime: now) else {
                throw .validation("The forwarded event is not an event.")
            }
            event = forwardedEvent
        } else {
            guard let entry = try? JSONDecoder().decode(EventEntry.self, from: Data(payload.utf8)) else {
                throw .validation("The entry is not a PutEvents entry.")
            }
            var onBus = entry
            onBus.EventBusName = name
            switch accepted(onBus, now: now) {
            case .failure(let failure): throw .validation("\(failure.code): \(failure.message)")
            case .success(let (accepted, _)): event = accepted
            }
        }
        let deliveries = self.deliveries(for: event, on: name, acceptedAt: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        do {
            try await accept(deliveries)
        } catch {
            throw .internalFailure("The event's deliveries were not stored: \(error)")
        }
    }

    /// The bus's bus policy, for the sink's check of other accounts and roles.
    public func policy(ofBusArn arn: String) -> (name: String, policy: String?)? {
        guard let name = arns.busName(arn), let bus = state.withLock({ $0.buses[name] }) else { return nil }
        return (name, bus.policy)
    }

    /// What the bus's enabled rules match, as deliveries to their targets.
    public func deliveries(for event: EventEnvelope, on bus: String, acceptedAt: Int64) -> [Delivery] {
        let index = state.withLock { $0.indexes[bus] } ?? RuleIndex.empty
        var out: [Delivery] = []
        for rule in index.matches(event.matchable) {
            out += deliveries(for: event, rule: rule, acceptedAt: acceptedAt)
        }
        // Archiving rides the same durable batch: the `events-archive` channel stores the event in each archive.
        let archives = state.withLock { $0.archivesByBus[bus] } ?? []
        for archive in archives where archive.pattern?.matches(event.matchable) ?? true {
            out.append(Delivery(
                id: UUID().uuidString.lowercased(), channel: Self.archiveChannel, target: arns.archive(archive.name), payload: event.text,
                origin: DeliveryOrigin(), retry: DeliveryRetryPolicy(maximumRetries: 185, maximumAgeSeconds: 86_400,
                                                                     backoff: DeliveryRetryPolicy.eventBridgeDefault.backoff),
                acceptedAt: acceptedAt))
        }
        return out
    }

    /// One delivery per target of the rule.
    public func deliveries(for event: EventEnvelope, rule: CompiledRule, acceptedAt: Int64) -> [Delivery] {
        rule.targets.map { target, input in
            let channel = Delivery.channelOf(target.Arn)
            var context: [String: String] = [:]
            let payload: String
            if channel == "events" {
                context["format"] = "event"
                payload = event.text
            } else {
                payload = input.render(event, rule: rule.context)
            }
            let fifo = target.Arn.hasSuffix(".fifo") && (channel == "sqs" || channel == "sns")
            // A FIFO queue target goes through `events-sqs-fifo`, which keeps the event id as deduplication id only
            // when the queue has no content-based deduplication (then the queue hashes the body, as AWS documents).
            let routed = fifo && channel == "sqs" ? Self.fifoQueueChannel : channel
            let retry = DeliveryRetryPolicy(
                maximumRetries: target.RetryPolicy?.MaximumRetryAttempts ?? 185,
                maximumAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400,
                backoff: DeliveryRetryPolicy.eventBridgeDefault.backoff)
            let deadLetter = target.DeadLetterConfig?.Arn.map {
                DeadLetter(arn: $0, attributes: ["RULE_ARN": .string(rule.arn), "TARGET_ARN": .string(target.Arn)], includeError: true)
            }
            return Delivery(
                id: UUID().uuidString.lowercased(), channel: routed, target: target.Arn, payload: payload,
                messageGroupId: fifo ? target.SqsParameters?.MessageGroupId : nil, deduplicationId: fifo ? event.id : nil,
                origin: DeliveryOrigin(servicePrincipal: Self.servicePrincipal, sourceArn: rule.arn, sourceAccount: arns.accountId,
                                       roleArn: target.RoleArn),
                retry: retry, deadLetter: deadLetter, acceptedAt: acceptedAt, context: context)
        }
    }
}
