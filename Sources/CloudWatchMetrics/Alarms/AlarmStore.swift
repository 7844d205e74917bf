/// Persistence of alarms: one document per alarm (metric alarms and composite alarms share one name space), and the
/// history of their changes.
public protocol AlarmStore: Sendable {
    func putAlarm(_ alarm: MetricAlarm, tags: [String: String]?) async throws
    func alarm(named name: String) async throws -> MetricAlarm?
    func alarms() async throws -> [MetricAlarm]
    func putCompositeAlarm(_ alarm: CompositeAlarm, tags: [String: String]?) async throws
    func compositeAlarm(named name: String) async throws -> CompositeAlarm?
    func compositeAlarms() async throws -> [CompositeAlarm]
    /// Deletes the named alarms (of either kind) that exist; returns their names.
    func deleteAlarms(_ names: [String]) async throws -> [String]
    func alarmTags(_ name: String) async throws -> [String: String]?
    func setAlarmTags(_ name: String, _ tags: [String: String]) async throws
    func appendAlarmHistory(_ item: AlarmHistoryItem) async throws
    func alarmHistory(name: String?, since: Double, until: Double) async throws -> [AlarmHistoryItem]
}

/// One entry of DescribeAlarmHistory.
public struct AlarmHistoryItem: Codable, Sendable, Equatable {
    public var AlarmName: String
    public var AlarmType: String
    public var Timestamp: Double
    public var HistoryItemType: String
    public var HistorySummary: String
    public var HistoryData: String

    public init(AlarmName: String, AlarmType: String = "MetricAlarm", Timestamp: Double, HistoryItemType: String, HistorySummary: String,
                HistoryData: String) {
        self.AlarmName = AlarmName
        self.AlarmType = AlarmType
        self.Timestamp = Timestamp
        self.HistoryItemType = HistoryItemType
        self.HistorySummary = HistorySummary
        self.HistoryData = HistoryData
    }
}
