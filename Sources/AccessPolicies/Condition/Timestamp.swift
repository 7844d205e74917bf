/// Dates as the `Date…` condition operators read them: the W3C profile of ISO 8601 (`2020`, `2020-06`,
/// `2020-06-30`, `2020-06-30T12:00Z`, `2020-06-30T12:00:01.5+02:00`) or epoch seconds (`1593518400`), as seconds
/// since 1970 UTC. Hand-written so that evaluation neither allocates nor calls into Foundation's date parsing.
enum Timestamp {
    /// Seconds since 1970 for `text`, or nil when it is neither form. Text without `-` or `T` is epoch seconds.
    static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !b.isEmpty else { return nil }
        if !b.contains(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: "t") }) {
            return epochSeconds(b)
        }
        var at = 0
        func digits(_ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var value = 0
            for i in at..<at + count {
                let d = Int(b[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            at += count
            return value
        }
        func take(_ ascii: Unicode.Scalar) -> Bool {
            guard at < b.count, b[at] == UInt8(ascii: ascii) else { return false }
            at += 1
            return true
        }
        guard let year = digits(4) else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0
        var second = 0.0
        if take("-") {
            guard let m = digits(2), (1...12).contains(m) else { return nil }
            month = m
            if take("-") {
                guard let d = digits(2), (1...31).contains(d) else { return nil }
                day = d
            }
        }
        var offset = 0
        if take("T") || take("t") {
            guard let h = digits(2), h <= 23 else { return nil }
            hour = h
            if take(":") {
                guard let m = digits(2), m <= 59 else { return nil }
                minute = m
                if take(":") {
                    guard let s = digits(2), s <= 59 else { return nil }
                    second = Double(s)
                    if take(".") {
                        var scale = 0.1
                        let start = at
                        while at < b.count, b[at] >= 48, b[at] <= 57 {
                            second += Double(b[at] - 48) * scale
                            scale /= 10
                            at += 1
                        }
                        guard at > start else { return nil }
                    }
                }
            }
            if take("Z") || take("z") {
                offset = 0
            } else if at < b.count, b[at] == UInt8(ascii: "+") || b[at] == UInt8(ascii: "-") {
                let sign = b[at] == UInt8(ascii: "-") ? -1 : 1
                at += 1
                guard let h = digits(2), h <= 23 else { return nil }
                _ = take(":")
                let m = at < b.count ? digits(2) : 0
                guard let m, m <= 59 else { return nil }
                offset = sign * (h * 3600 + m * 60)
            }
        }
        guard at == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 - offset) + second
    }

    /// Digits with an optional fraction.
    private static func epochSeconds(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var whole = 0.0, fraction = 0.0, scale = 1.0
        var seenDot = false, seenDigit = false
        for byte in b {
            if byte == UInt8(ascii: "."), !seenDot {
                seenDot = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            seenDigit = true
            if seenDot {
                scale /= 10
                fraction += Double(byte - 48) * scale
            } else {
                whole = whole * 10 + Double(byte - 48)
            }
        }
        return seenDigit ? whole + fraction : nil
    }

    /// `2024-05-01T12:00:00Z`, as `aws:CurrentTime` reads.
    static func iso8601(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let rest = total - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    /// Whole seconds, as `aws:EpochTime` reads.
    static func epochText(_ seconds: Double) -> String {
        String(Int(seconds.rounded(.down)))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
