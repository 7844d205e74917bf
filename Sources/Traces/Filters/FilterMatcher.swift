/// Evaluates a filter expression against a trace's summary.
extension FilterExpression {
    public func matches(_ trace: TraceSummary) -> Bool {
        switch self {
        case .and(let a, let b): return a.matches(trace) && b.matches(trace)
        case .or(let a, let b): return a.matches(trace) || b.matches(trace)
        case .not(let a): return !a.matches(trace)
        case .flag(let flag): return Self.flag(flag, error: trace.hasError, fault: trace.hasFault, throttle: trace.hasThrottle,
                                               partial: trace.isPartial)
        case .number(let keyword, let comparison, let value):
            let actual = keyword == .responsetime ? trace.responseTime : trace.duration
            return Self.compare(actual, comparison, value)
        case .httpStatus(let comparison, let value):
            return trace.segments.contains { $0.http.status.map { Self.compare(Double($0), comparison, value) } ?? false }
        case .text(let keyword, let comparison, let value):
            if keyword == .user { return trace.users.contains { Self.compare($0, comparison, value) } }
            return trace.segments.contains { segment in
                let actual: String?
                switch keyword {
                case .url: actual = segment.http.url
                case .method: actual = segment.http.method
                case .userAgent: actual = segment.http.userAgent
                case .clientIp: actual = segment.http.clientIp
                case .user: actual = segment.user
                }
                return actual.map { Self.compare($0, comparison, value) } ?? false
            }
        case .annotation(let key, let comparison, let value):
            guard let values = trace.annotations[key] else { return false }
            guard let comparison, let value else { return values.contains { $0.value != .bool(false) } }
            return values.contains { Self.compare($0.value, comparison, value) }
        case .service(let name, let type, let flag):
            let segments = trace.segments.filter { segment in
                !segment.isSubsegment && (name.map { segment.name == $0 } ?? true) && (type.map { segment.origin == $0 } ?? true)
            }
            guard !segments.isEmpty else { return false }
            guard let flag else { return true }
            return Self.flag(flag, error: segments.contains(where: \.anyError), fault: segments.contains(where: \.anyFault),
                             throttle: segments.contains(where: \.anyThrottle), partial: segments.contains(where: \.inProgress))
        }
    }

    static func flag(_ flag: FilterFlag, error: Bool, fault: Bool, throttle: Bool, partial: Bool) -> Bool {
        switch flag {
        case .ok: return !error && !fault && !throttle
        case .error: return error
        case .fault: return fault
        case .throttle: return throttle
        case .partial: return partial
        }
    }

    static func compare(_ actual: Double, _ comparison: FilterComparison, _ value: Double) -> Bool {
        switch comparison {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .less: return actual < value
        case .lessOrEqual: return actual <= value
        case .greater: return actual > value
        case .greaterOrEqual: return actual >= value
        case .contains, .beginsWith, .endsWith: return false
        }
    }

    static func compare(_ actual: String, _ comparison: FilterComparison, _ value: String) -> Bool {
        switch comparison {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .contains: return actual.contains(value)
        case .beginsWith: return actual.hasPrefix(value)
        case .endsWith: return actual.hasSuffix(value)
        case .less: return actual < value
        case .lessOrEqual: return actual <= value
        case .greater: return actual > value
        case .greaterOrEqual: return actual >= value
        }
    }

    static func compare(_ actual: AnnotationValue, _ comparison: FilterComparison, _ value: FilterValue) -> Bool {
        switch (actual, value) {
        case (.string(let a), .string(let b)): return compare(a, comparison, b)
        case (.number(let a), .number(let b)): return compare(a, comparison, b)
        case (.bool(let a), .bool(let b)):
            switch comparison {
            case .equal: return a == b
            case .notEqual: return a != b
            default: return false
            }
        // A different type never equals; it always differs.
        default: return comparison == .notEqual
        }
    }
}
