import Delivery
import EventPatterns
import Events
import Foundation
import Logging
import Synchronization
import Testing

/// The domain without the wire: rules matched through the index, deliveries built as AWS sends them, the envelope.
@Suite struct EventBridgeTests {
    final class Accepted: Sendable {
        let batches = Mutex<[[Delivery]]>([])
    }

    func bridge(_ accepted: Accepted = Accepted(), store: InMemoryEventStore = InMemoryEventStore()) async throws -> EventBridge {
        let bridge = EventBridge(store: store, arns: EventARNs(region: "us-east-1", accountId: "123456789012"), logger: Logger(label: "test"),
                                 clock: { Date(timeIntervalSince1970: 1_700_000_000) }, accept: { d in accepted.batches.withLock { $0.append(d) } })
        try await bridge.load()
        return bridge
    }

    @Test func putEventsMatchesThroughTheIndexInOneBatch() async throws {
        let accepted = Accepted()
        let bridge = try await bridge(accepted)
        _ = try await bridge.putRule(.init(name: "by-source", eventPattern: #"{"source": ["shop"]}"#))
        _ = try await bridge.putRule(.init(name: "by-type", eventPattern: #"{"detail-type": ["order"], "detail": {"n": [{"numeric": [">", 1]}]}}"#))
        _ = try await bridge.putRule(.init(name: "any", eventPattern: #"{"detail": {"n": [{"exists": true}]}}"#))
        _ = try await bridge.putRule(.init(name: "off", eventPattern: #"{"source": ["shop"]}"#, state: .disabled))
        for name in ["by-source", "by-type", "any", "off"] {
            let failed = try await bridge.putTargets(rule: name, busName: nil, targets: [
                EventTarget(Id: "q", Arn: "arn:aws:sqs:us-east-1:123456789012:\(name)")])
            #expect(failed.isEmpty)
        }
        let results = try await bridge.putEvents([
            EventEntry(Source: "shop", DetailType: "order", Detail: #"{"n": 2}"#),
            EventEntry(Source: "crm", DetailType: "order", Detail: #"{"m": 2}"#),
            EventEntry(Source: "shop", DetailType: "order", Detail: "[1]"),
        ])
        guard case .accepted = results[0], case .accepted = results[1], case .failed(let failure) = results[2] else {
            Issue.record("unexpected results \(results)")
            return
        }
        #expect(failure.code == "MalformedDetail")
        let batches = accepted.batches.withLock { $0 }
        #expect(batches.count == 1)
        #expect(Set(batches[0].map(\.target)) == Set(["by-source", "by-type", "any"].map { "arn:aws:sqs:us-east-1:123456789012:\($0)" }))
        let delivery = try #require(batches[0].first)
        #expect(delivery.origin == DeliveryOrigin(servicePrincipal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:123456789012:rule/\(delivery.target.split(separator: ":").last!)", sourceAccount: "123456789012"))
        #expect(delivery.retry.maximumRetries == 185 && delivery.retry.maximumAgeSeconds == 86_400)
    }

    @Test func theEnvelopeIsWrittenAsAWSWritesIt() async throws {
        let accepted = Accepted()
        let bridge = try await bridge(accepted)
        _ = try await bridge.putRule(.init(name: "r", eventPattern: #"{"source": ["s"]}"#))
        _ = try await bridge.putTargets(rule: "r", busName: nil, targets: [
            EventTarget(Id: "f", Arn: "arn:aws:sqs:us-east-1:123456789012:q.fifo", SqsParameters: TargetSqsParameters(MessageGroupId: "g"),
                        DeadLetterConfig: TargetDeadLetterConfig(Arn: "arn:aws:sqs:us-east-1:123456789012:dlq"),
                        RetryPolicy: TargetRetryPolicy(MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60))])
        let results = try await bridge.putEvents([EventEntry(Source: "s", DetailType: "t", Detail: #"{"b": 1.50, "a": [true]}"#,
                                                             Resources: ["r1"], Time: 1_600_000_000)])
        guard case .accepted(let id) = results[0] else { Issue.record("refused"); return }
        let delivery = try #require(accepted.batches.withLock { $0.first?.first })
        #expect(delivery.payload == #"{"version":"0","id":"\#(id)","detail-type":"t","source":"s","account":"123456789012","time":"2020-09-13T12:26:40Z","region":"us-east-1","resources":["r1"],"detail":{"b":1.50,"a":[true]}}"#)
        #expect(delivery.messageGroupId == "g" && delivery.deduplicationId == id)
        #expect(delivery.retry.maximumRetries == 2 && delivery.retry.maximumAgeSeconds == 60)
        #expect(delivery.deadLetter?.attributes["RULE_ARN"]?.stringValue == "arn:aws:events:us-east-1:123456789012:rule/r")
        #expect(delivery.deadLetter?.attributes["TARGET_ARN"]?.stringValue == "arn:aws:sqs:us-east-1:123456789012:q.fifo")
    }

    @Test func rulesAndTargetsFollowAWSLimits() async throws {
        let store = InMemoryEventStore()
        let bridge = try await bridge(store: store)
        await #expect(throws: EventsError.validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")) {
            _ = try await bridge.putRule(.init(name: "none"))
        }
        await #expect(throws: EventsError.self) { _ = try await bridge.putRule(.init(name: "bad", eventPattern: #"{"a": "b"}"#)) }
        await #expect(throws: EventsError.self) { _ = try await bridge.putRule(.init(name: "at", scheduleExpression: "at(2030-01-01T00:00:00)")) }
        _ = try await bridge.putRule(.init(name: "r", scheduleExpression: "cron(0 3 * * ? *)"))
        let targets = (0..<6).map { EventTarget(Id: "t\($0)", Arn: "arn:aws:sqs:us-east-1:123456789012:q") }
        await #expect(throws: EventsError.limitExceeded("The requested resource exceeds the maximum number allowed.")) {
            _ = try await bridge.putTargets(rule: "r", busName: nil, targets: targets)
        }
        #expect(try bridge.rule(name: "r", busName: nil).targets.isEmpty)
        _ = try await bridge.putTargets(rule: "r", busName: nil, targets: Array(targets.prefix(1)))
        await #expect(throws: EventsError.validation("Rule can't be deleted since it has targets.")) {
            try await bridge.deleteRule(name: "r", busName: nil, force: false)
        }
        // Written through: a new directory over the same store sees it.
        let reloaded = try await self.bridge(store: store)
        #expect(try reloaded.rule(name: "r", busName: "default").targets.map(\.Id) == ["t0"])
        #expect(try reloaded.bus(nil).name == "default")
    }

    @Test func testEventPatternNeedsTheEnvelopeFields() throws {
        let event = #"{"id": "1", "account": "1", "source": "s", "time": "t", "region": "r", "resources": [], "detail-type": "d", "detail": {"x": 5}}"#
        #expect(try EventBridge.testPattern(#"{"detail": {"x": [{"numeric": [">=", 5]}]}}"#, event: event))
        #expect(try !EventBridge.testPattern(#"{"source": ["other"]}"#, event: event))
        #expect(throws: EventsError.self) { try EventBridge.testPattern(#"{"source": ["s"]}"#, event: #"{"source": "s"}"#) }
    }
}

/// The index files each rule under one exact-string field and still finds every rule that matches.
@Suite struct RuleIndexTests {
    @Test func indexedAndUnindexedRulesMatchAsAFullScanWould() throws {
        let arns = EventARNs(region: "us-east-1", accountId: "1")
        let patterns = [
            #"{"source": ["a", "b"]}"#, #"{"detail-type": ["t"]}"#, #"{"detail": {"kind": ["k"]}}"#,
            #"{"detail": {"n": [{"numeric": [">", 1]}]}}"#, #"{"source": [{"prefix": "a"}], "detail": {"tags": ["x"]}}"#,
            #"{"source": ["a"], "$or": [{"detail-type": ["t"]}, {"detail": {"kind": ["k"]}}]}"#,
        ]
        let rules = patterns.enumerated().map { i, p in CompiledRule(EventRule(busName: "default", name: "r\(i)", eventPattern: p), arns: arns) }
        let disabled = CompiledRule(EventRule(busName: "default", name: "off", eventPattern: #"{"source": ["a"]}"#, state: .disabled), arns: arns)
        let index = RuleIndex(rules + [disabled])
        let events = [
            #"{"source": "a", "detail-type": "t", "detail": {"kind": "k", "n": 2, "tags": ["y", "x"]}}"#,
            #"{"source": "b", "detail-type": "u", "detail": {"kind": ["z", "k"]}}"#,
            #"{"source": "c", "detail-type": "u", "detail": {"n": 0}}"#,
            #"{"source": "ab", "detail": [{"tags": "x"}]}"#,
        ]
        for text in events {
            let event = try #require(EventJSON(parsing: Array(text.utf8)))
            let scanned = rules.filter { $0.pattern?.matches(event) == true }.map(\.rule.name)
            #expect(index.matches(event).map(\.rule.name) == scanned, "\(text)")
        }
        let first = try #require(EventJSON(parsing: Array(events[0].utf8)))
        #expect(index.matches(first).map(\.rule.name) == ["r0", "r1", "r2", "r3", "r4", "r5"])
    }
}
