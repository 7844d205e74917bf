import CloudWatchMetrics
import Foundation
import Testing

extension StoreContract {
    /// CloudWatch alarms (metric and composite in one name space), their tags and history.
    @Suite struct Alarms {
        static func metricAlarm(_ name: String, threshold: Double = 1) throws -> MetricAlarm {
            try JSONDecoder().decode(MetricAlarm.self, from: Data("""
                {"AlarmName":"\(name)","AlarmArn":"arn:aws:cloudwatch:us-east-1:000000000000:alarm:\(name)",
                 "AlarmConfigurationUpdatedTimestamp":1000,"ActionsEnabled":true,"OKActions":[],"AlarmActions":["arn:aws:sns:us-east-1:000000000000:t"],
                 "InsufficientDataActions":[],"StateValue":"OK","StateReason":"r","StateUpdatedTimestamp":1000,"StateTransitionedTimestamp":1000,
                 "MetricName":"Errors","Namespace":"App","Statistic":"Sum","Dimensions":[{"Name":"Api","Value":"a"}],"Period":60,
                 "EvaluationPeriods":1,"Threshold":\(threshold),"ComparisonOperator":"GreaterThanThreshold"}
                """.utf8))
        }

        static func compositeAlarm(_ name: String, rule: String = "ALARM(a)") throws -> CompositeAlarm {
            try JSONDecoder().decode(CompositeAlarm.self, from: Data("""
                {"AlarmName":"\(name)","AlarmArn":"arn:aws:cloudwatch:us-east-1:000000000000:alarm:\(name)","AlarmRule":"\(rule)",
                 "AlarmConfigurationUpdatedTimestamp":1000,"ActionsEnabled":true,"OKActions":[],"AlarmActions":[],"InsufficientDataActions":[],
                 "StateValue":"INSUFFICIENT_DATA","StateReason":"r","StateUpdatedTimestamp":1000,"StateTransitionedTimestamp":1000}
                """.utf8))
        }

        static func history(_ name: String, at timestamp: Double, summary: String = "s") -> AlarmHistoryItem {
            AlarmHistoryItem(AlarmName: name, Timestamp: timestamp, HistoryItemType: "StateUpdate", HistorySummary: summary, HistoryData: "{}")
        }

        @Test(arguments: StoreKind.allCases) func metricAndCompositeAlarmsShareOneNameSpace(kind: StoreKind) async throws {
            try await kind.withStoreServing((any AlarmStore).self) { store in
                #expect(try await store.alarms().isEmpty)
                try await store.putAlarm(try Self.metricAlarm("b"), tags: nil)
                try await store.putAlarm(try Self.metricAlarm("a"), tags: nil)
                try await store.putAlarm(try Self.metricAlarm("a", threshold: 5), tags: nil)
                try await store.putCompositeAlarm(try Self.compositeAlarm("c"), tags: nil)
                #expect(try await store.alarm(named: "a") == (try Self.metricAlarm("a", threshold: 5)))
                #expect(try await store.alarms().map(\.AlarmName) == ["a", "b"])
                #expect(try await store.compositeAlarm(named: "c") == (try Self.compositeAlarm("c")))
                #expect(try await store.compositeAlarms().map(\.AlarmName) == ["c"])
                // Each kind is read as itself only.
                #expect(try await store.alarm(named: "c") == nil)
                #expect(try await store.compositeAlarm(named: "a") == nil)
                // A name written as the other kind becomes that kind.
                try await store.putCompositeAlarm(try Self.compositeAlarm("b", rule: "ALARM(a)"), tags: nil)
                #expect(try await store.alarm(named: "b") == nil)
                #expect(try await store.alarms().map(\.AlarmName) == ["a"])
                #expect(try await store.compositeAlarms().map(\.AlarmName) == ["b", "c"])

                // Deletes either kind; answers the names that existed, in the order asked.
                #expect(try await store.deleteAlarms(["c", "missing", "a", "c"]) == ["c", "a"])
                #expect(try await store.deleteAlarms([]) == [])
                #expect(try await store.alarms().isEmpty)
                #expect(try await store.compositeAlarms().map(\.AlarmName) == ["b"])
            }
        }

        @Test(arguments: StoreKind.allCases) func tagsStayUnlessGiven(kind: StoreKind) async throws {
            try await kind.withStoreServing((any AlarmStore).self) { store in
                #expect(try await store.alarmTags("a") == nil)
                try await store.putAlarm(try Self.metricAlarm("a"), tags: nil)
                #expect(try await store.alarmTags("a") == [:])
                try await store.putAlarm(try Self.metricAlarm("a"), tags: ["team": "x"])
                try await store.putAlarm(try Self.metricAlarm("a", threshold: 2), tags: nil)
                #expect(try await store.alarmTags("a") == ["team": "x"])
                #expect(try await store.alarm(named: "a")?.Threshold == 2)
                try await store.setAlarmTags("a", ["team": "y", "env": "prod"])
                #expect(try await store.alarmTags("a") == ["team": "y", "env": "prod"])
                try await store.putCompositeAlarm(try Self.compositeAlarm("c"), tags: ["k": "v"])
                #expect(try await store.alarmTags("c") == ["k": "v"])
                try await store.putAlarm(try Self.metricAlarm("a"), tags: [:])
                #expect(try await store.alarmTags("a") == [:])
                // Tagging a missing alarm creates nothing.
                try await store.setAlarmTags("missing", ["k": "v"])
                #expect(try await store.alarmTags("missing") == nil)
            }
        }

        /// Alarm names may hold any character, NUL included.
        @Test(arguments: StoreKind.allCases) func namesWithNULCharactersRoundTrip(kind: StoreKind) async throws {
            try await kind.withStoreServing((any AlarmStore).self) { store in
                try await withKnownIssue("SQLiteStore binds text up to the first NUL: an alarm named \"a\\0b\" is the alarm \"a\"") {
                    let name = "a\u{0}b"
                    var alarm = try Self.metricAlarm("x")
                    alarm.AlarmName = name
                    try await store.putAlarm(alarm, tags: ["k": "v"])
                    try await store.putAlarm(try Self.metricAlarm("a"), tags: nil)
                    #expect(try await store.alarm(named: name) == alarm)
                    #expect(try await store.alarms().map(\.AlarmName) == ["a", name])
                    #expect(try await store.alarmTags(name) == ["k": "v"])
                    #expect(try await store.alarmTags("a") == [:])
                    try await store.appendAlarmHistory(Self.history(name, at: 10))
                    try await store.appendAlarmHistory(Self.history("a", at: 20))
                    #expect(try await store.alarmHistory(name: name, since: 0, until: 100).map(\.AlarmName) == [name])
                    #expect(try await store.deleteAlarms([name]) == [name])
                    #expect(try await store.alarm(named: "a") != nil)
                } when: { kind == .sqlite }
            }
        }

        @Test(arguments: StoreKind.allCases) func historyIsReadNewestFirstAndKeptTwoWeeks(kind: StoreKind) async throws {
            try await kind.withStoreServing((any AlarmStore).self) { store in
                let day = 86_400.0
                try await store.appendAlarmHistory(Self.history("a", at: 1_000))
                try await store.appendAlarmHistory(Self.history("b", at: 2_000))
                try await store.appendAlarmHistory(Self.history("a", at: 3_000, summary: "first"))
                try await store.appendAlarmHistory(Self.history("a", at: 3_000, summary: "second"))
                #expect(try await store.alarmHistory(name: nil, since: 0, until: 10_000).map(\.HistorySummary) == ["second", "first", "s", "s"])
                #expect(try await store.alarmHistory(name: "a", since: 0, until: 10_000).map(\.Timestamp) == [3_000, 3_000, 1_000])
                #expect(try await store.alarmHistory(name: "a", since: 1_000, until: 2_999) == [Self.history("a", at: 1_000)])
                #expect(try await store.alarmHistory(name: "none", since: 0, until: 10_000).isEmpty)
                // An entry two weeks newer than the oldest drops what is older than two weeks before it.
                try await store.appendAlarmHistory(Self.history("b", at: 2_000 + 14 * day))
                #expect(try await store.alarmHistory(name: nil, since: 0, until: 100 * day).map(\.Timestamp) == [2_000 + 14 * day, 3_000, 3_000, 2_000])
            }
        }
    }
}
