import CloudWatchMetrics
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
