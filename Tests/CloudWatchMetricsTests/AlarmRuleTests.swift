import Foundation
@testable import CloudWatchMetrics
import Testing

/// Composite alarms' rule language as CloudWatch documents it.
@Suite struct AlarmRuleTests {
    @Test func parsesTheDocumentedForms() throws {
        let rule = try AlarmRule(parsing: #"ALARM(CPUUtilizationTooHigh) AND NOT ALARM("DeploymentInProgress")"#)
        #expect(rule == .and(.state("ALARM", alarm: "CPUUtilizationTooHigh"), .not(.state("ALARM", alarm: "DeploymentInProgress"))))
        #expect(rule.alarms == ["CPUUtilizationTooHigh", "DeploymentInProgress"])
        let arn = try AlarmRule(parsing: "OK(arn:aws:cloudwatch:us-east-1:000000000000:alarm:disk) OR INSUFFICIENT_DATA(disk)")
        #expect(arn.alarms == ["disk"])
        #expect(try AlarmRule(parsing: "TRUE") == .constant(true))
        // AND binds tighter than OR.
        #expect(try AlarmRule(parsing: "ALARM(a) OR ALARM(b) AND ALARM(c)")
                == .or(.state("ALARM", alarm: "a"), .and(.state("ALARM", alarm: "b"), .state("ALARM", alarm: "c"))))
        #expect(try AlarmRule(parsing: "(ALARM(a) OR ALARM(b)) AND FALSE")
                == .and(.or(.state("ALARM", alarm: "a"), .state("ALARM", alarm: "b")), .constant(false)))
    }

    @Test func evaluatesOverStates() throws {
        let rule = try AlarmRule(parsing: "ALARM(a) AND NOT ALARM(b)")
        #expect(rule.evaluate(["a": "ALARM", "b": "OK"]))
        #expect(!rule.evaluate(["a": "ALARM", "b": "ALARM"]))
        #expect(!rule.evaluate(["a": "INSUFFICIENT_DATA", "b": "OK"]))
        #expect(try AlarmRule(parsing: "INSUFFICIENT_DATA(gone)").evaluate([:]) == false, "an alarm not known is in no state")
    }

    @Test func malformedRulesSayWhy() {
        for bad in ["", "ALARM()", "ALARM(a", "ALARM(a) AND", "alarm(a)", "ALARM(a) XOR ALARM(b)", "WARN(a)", "NOT", String(repeating: "x", count: 10_241)] {
            #expect(throws: MetricsError.self, "\(bad.prefix(30))") { try AlarmRule(parsing: bad) }
        }
    }
}

/// What a composite alarm publishes to a topic: its rule and the children that made it change, no trigger.
@Suite struct CompositeNotificationTests {
    @Test func snsMessageNamesTheRuleAndTheTriggeringChildren() throws {
        let at = Date(timeIntervalSince1970: 1_796_072_400)
        let alarm = CompositeAlarm(
            AlarmName: "service", AlarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:service", AlarmDescription: nil,
            AlarmRule: "ALARM(errors) OR ALARM(latency)", AlarmConfigurationUpdatedTimestamp: at, ActionsEnabled: true, OKActions: [],
            AlarmActions: ["arn:aws:sns:us-east-1:000000000000:ops"], InsufficientDataActions: [], StateValue: "ALARM",
            StateReason: "rule TRUE", StateReasonData: nil, StateUpdatedTimestamp: at, StateTransitionedTimestamp: at)
        let transition = AlarmTransition(
            subject: .composite(alarm, triggering: [.init(arn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:latency", state: "ALARM", timestamp: at)]),
            oldState: "OK", actions: alarm.AlarmActions)
        let (message, subject) = AlarmNotification.snsMessage(transition, accountId: "000000000000", region: "us-east-1")
        #expect(subject == #"ALARM: "service" in US East (N. Virginia)"#)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any])
        #expect(json["AlarmRule"] as? String == "ALARM(errors) OR ALARM(latency)")
        #expect(json["Trigger"] == nil && json["OldStateValue"] as? String == "OK")
        let children = try #require(json["TriggeringChildren"] as? [[String: Any]])
        #expect(children.first?["Arn"] as? String == "arn:aws:cloudwatch:us-east-1:000000000000:alarm:latency")
        #expect((children.first?["State"] as? [String: Any])?["Value"] as? String == "ALARM")
    }
}
