/// A value a filter policy compares: a message attribute's value (an element of a `String.Array`) or a leaf of
/// the JSON message body. Numbers keep their text (exact matches of numbers compare values, as SNS does).
enum FilterValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }
}
