/// Parsing of one cron field's list of values, ranges and steps (`0,15`, `10-20`, `*/5`, `MON-FRI`).
enum CronField {
    /// The sorted values a plain numeric field (minutes, hours, month, year, or the numeric part of a
    /// day field) selects.
    static func numbers(_ text: String, name: String, range: ClosedRange<Int>, names: [String] = [],
                        nameBase: Int = 1) throws(ScheduleExpressionError) -> [Int] {
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            for value in try self.item(item, field: text, name: name, range: range, names: names, nameBase: nameBase) {
                values.insert(value)
            }
        }
        return values.sorted()
    }

    /// One comma-separated item: `*`, `v`, `v-w`, each optionally with `/step`.
    static func item(_ item: String, field: String, name: String, range: ClosedRange<Int>, names: [String],
                     nameBase: Int) throws(ScheduleExpressionError) -> [Int] {
        guard !item.isEmpty else {
            throw ScheduleExpressionError("The \(name) field '\(field)' of the cron expression has an empty list item.")
        }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            throw ScheduleExpressionError("The \(name) field '\(field)' of the cron expression has more than one '/'.")
        }
        var step = 1
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parsed > 0, parts[1].allSatisfy(\.isASCII) else {
                throw ScheduleExpressionError("The \(name) field '\(field)' of the cron expression has an invalid step '\(parts[1])'.")
            }
            step = parsed
        }
        let base = parts[0]
        var low: Int
        var high: Int
        if base == "*" {
            low = range.lowerBound
            high = range.upperBound
        } else if let dash = base.firstIndex(of: "-"), dash != base.startIndex {
            low = try value(String(base[..<dash]), field: field, name: name, range: range, names: names, nameBase: nameBase)
            high = try value(String(base[base.index(after: dash)...]), field: field, name: name, range: range, names: names,
                             nameBase: nameBase)
        } else {
            low = try value(base, field: field, name: name, range: range, names: names, nameBase: nameBase)
            high = parts.count == 2 ? range.upperBound : low
        }
        // A range that wraps (FRI-MON, 22-2) runs to the end of the field and on from its start.
        var sequence: [Int] = []
        if low <= high {
            sequence = Array(low...high)
        } else {
            sequence = Array(low...range.upperBound) + Array(range.lowerBound...high)
        }
        return sequence.enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }

    /// A number or a name (`JAN`, `MON`) within the field's range.
    static func value(_ text: String, field: String, name: String, range: ClosedRange<Int>, names: [String],
                      nameBase: Int) throws(ScheduleExpressionError) -> Int {
        if let index = names.firstIndex(of: text.uppercased()) { return index + nameBase }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text) else {
            throw ScheduleExpressionError("The \(name) field '\(field)' of the cron expression has an invalid value '\(text)'.")
        }
        guard range.contains(number) else {
            throw ScheduleExpressionError(
                "The \(name) field '\(field)' of the cron expression has '\(text)', outside \(range.lowerBound)-\(range.upperBound).")
        }
        return number
    }
}
