import CloudWatchMetrics
import Foundation
import Testing

@Suite struct AlarmEvaluationTests {
    func alarm(periods: Int = 3, toAlarm: Int? = nil, missing: String? = nil, op: String = "GreaterThanThreshold",
               state: String = "OK") -> MetricAlarm {
        var fields: [String: Any] = [
            "AlarmName": "a", "AlarmArn": "arn", "AlarmConfigurationUpdatedTimestamp": 0, "ActionsEnabled": true, "OKActions": [],
            "AlarmActions": [], "InsufficientDataActions": [], "StateValue": state, "StateReason": "r", "StateUpdatedTimestamp": 0,
            "StateTransitionedTimestamp": 0, "MetricName": "M", "Namespace": "N", "Statistic": "Sum", "Dimensions": [], "Period": 60,
            "EvaluationPeriods": periods, "Threshold": 5, "ComparisonOperator": op,
        ]
        if let toAlarm { fields["DatapointsToAlarm"] = toAlarm }
        if let missing { fields["TreatMissingData"] = missing }
        let data = try! JSONSerialization.data(withJSONObject: fields)
        return try! JSONDecoder().decode(MetricAlarm.self, from: data)
    }

    @Test func mOutOfN() {
        #expect(AlarmEvaluation.evaluate(alarm(), values: [6, 7, 8]).state == "ALARM")
        #expect(AlarmEvaluation.evaluate(alarm(), values: [6, 1, 8]).state == "OK")
        #expect(AlarmEvaluation.evaluate(alarm(toAlarm: 2), values: [6, 1, 8]).state == "ALARM")
        #expect(AlarmEvaluation.evaluate(alarm(op: "LessThanOrEqualToThreshold"), values: [5, 5, 4]).state == "ALARM")
        #expect(AlarmEvaluation.evaluate(alarm(toAlarm: 1, op: "GreaterThanOrEqualToThreshold"), values: [1, 1, 5]).state == "ALARM")
    }

    @Test func missingDataAsConfigured() {
        #expect(AlarmEvaluation.evaluate(alarm(), values: [nil, nil, nil]).state == "INSUFFICIENT_DATA")
        #expect(AlarmEvaluation.evaluate(alarm(missing: "breaching"), values: [nil, nil, nil]).state == "ALARM")
        #expect(AlarmEvaluation.evaluate(alarm(missing: "notBreaching"), values: [nil, nil, nil]).state == "OK")
        // `ignore` keeps the current state when nothing is known.
        #expect(AlarmEvaluation.evaluate(alarm(missing: "ignore", state: "ALARM"), values: [nil, nil, nil]).state == "ALARM")
        // Missing periods do not count towards M when treated as missing.
        #expect(AlarmEvaluation.evaluate(alarm(), values: [nil, 9, 9]).state == "OK")
        #expect(AlarmEvaluation.evaluate(alarm(missing: "breaching"), values: [nil, 9, 9]).state == "ALARM")
        #expect(AlarmEvaluation.evaluate(alarm(toAlarm: 2), values: [nil, 9, 9]).state == "ALARM")
    }

    @Test func reasonsReadLikeCloudWatchs() {
        let e = AlarmEvaluation.evaluate(alarm(periods: 1), values: [10])
        #expect(e.reason == "Threshold Crossed: 1 out of the last 1 datapoints [10.0] were greater than the threshold (5.0) (minimum 1 datapoints for OK -> ALARM transition).")
        #expect(e.recent == [10])
    }
}
