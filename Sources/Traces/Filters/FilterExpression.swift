/// A parsed X-Ray filter expression (the subset Swiftlet evaluates): boolean keywords, numeric keywords, `http.*`,
/// `annotation.*`, `user`, `service(…)` / `id(…)`, combined with `and`, `or`, `!` and parentheses.
public indirect enum FilterExpression: Sendable, Equatable {
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case not(FilterExpression)
    /// `ok`, `error`, `fault`, `throttle`, `partial`.
    case flag(FilterFlag)
    /// `responsetime > 5`, `duration <= 1.5`.
    case number(FilterNumberKeyword, FilterComparison, Double)
    /// `http.status = 500`.
    case httpStatus(FilterComparison, Double)
    /// `http.url CONTAINS "/api"`, `http.method = "GET"`, `user = "alice"`.
    case text(FilterTextKeyword, FilterComparison, String)
    /// `annotation.key = "v"` / `= 5` / `= true`; with no comparison, the annotation exists (and is not `false`).
    case annotation(String, FilterComparison?, FilterValue?)
    /// `service("name")` / `service(id(name: "n", type: "AWS::Lambda"))` / `id(name: "n")`: a service the trace went
    /// through, optionally with a flag of that service's segments (`service("n") { fault }`).
    case service(name: String?, type: String?, flag: FilterFlag?)
}

public enum FilterFlag: String, Sendable, Equatable {
    case ok, error, fault, throttle, partial
}

public enum FilterNumberKeyword: String, Sendable, Equatable {
    case responsetime, duration
}

public enum FilterTextKeyword: String, Sendable, Equatable {
    case url = "http.url"
    case method = "http.method"
    case userAgent = "http.useragent"
    case clientIp = "http.clientip"
    case user
}

public enum FilterComparison: String, Sendable, Equatable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case contains = "CONTAINS"
    case beginsWith = "BEGINSWITH"
    case endsWith = "ENDSWITH"
}

public enum FilterValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
}
