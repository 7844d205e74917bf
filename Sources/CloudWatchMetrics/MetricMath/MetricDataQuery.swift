import Foundation

// The shapes of a metric data query — GetMetricData's `MetricDataQueries` and an alarm's `Metrics` — named and spelled
// as CloudWatch's service model names them, so a stored alarm is also the answer.

public struct Dimension: Codable, Sendable, Equatable {
    public var Name: String
    public var Value: String

    public init(Name: String, Value: String) {
        self.Name = Name
        self.Value = Value
    }
}

public struct Metric: Codable, Sendable, Equatable {
    public var Namespace: String?
    public var MetricName: String?
    public var Dimensions: [Dimension]?

    public init(Namespace: String?, MetricName: String?, Dimensions: [Dimension]?) {
        self.Namespace = Namespace
        self.MetricName = MetricName
        self.Dimensions = Dimensions
    }
}

public struct MetricStat: Codable, Sendable, Equatable {
    public var Metric: Metric
    public var Period: Int
    public var Stat: String
    public var Unit: String?

    public init(Metric: Metric, Period: Int, Stat: String, Unit: String? = nil) {
        self.Metric = Metric
        self.Period = Period
        self.Stat = Stat
        self.Unit = Unit
    }
}

public struct MetricDataQuery: Codable, Sendable, Equatable {
    public var Id: String
    public var MetricStat: MetricStat?
    public var Expression: String?
    public var Label: String?
    public var ReturnData: Bool?
    public var Period: Int?
    public var AccountId: String?

    public init(Id: String, MetricStat: MetricStat? = nil, Expression: String? = nil, Label: String? = nil,
                ReturnData: Bool? = nil, Period: Int? = nil, AccountId: String? = nil) {
        self.Id = Id
        self.MetricStat = MetricStat
        self.Expression = Expression
        self.Label = Label
        self.ReturnData = ReturnData
        self.Period = Period
        self.AccountId = AccountId
    }
}
