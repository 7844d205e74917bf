/// A lossless compact form for the lines the platform writes around every invocation in Lambda's text format —
/// `START RequestId: … Version: …`, `END RequestId: …`, `REPORT RequestId: …\tDuration: …` — which are three of every
/// four events of a one-line function. Such a line is stored as a kind byte, the request id's 16 bytes and its
/// numbers as varints (17–27 bytes instead of 50–150), and is kept out of the full-text index: what a filter could
/// find in it is decided from the line's template (`CompactLogLine.kinds(couldContain:)`).
///
/// A line is compacted only when rendering its compact form gives back exactly the same text; every other line is
/// stored as it came.
public enum CompactLogLine {
    public enum Kind: UInt8, Sendable, CaseIterable {
        case start = 1
        case end = 2
        case report = 3
        /// REPORT with `Init Duration: … ms\t` at its end.
        case reportWithInit = 4
    }

    /// The compact bytes of `line`, or nil when it is not one of the platform's lines exactly as the platform writes them.
    public static func encode(_ line: String) -> [UInt8]? {
        var utf8 = Substring(line).utf8
        var out: [UInt8] = []
        if utf8.starts(with: "START RequestId: ".utf8) {
            utf8 = utf8.dropFirst(17)
            out.append(Kind.start.rawValue)
            guard take(requestId: &utf8, into: &out), utf8.starts(with: " Version: ".utf8) else { return nil }
            // `$LATEST` (most lines) is no bytes at all; a published version its digits.
            let version = utf8.dropFirst(10)
            guard isVersion(version) else { return nil }
            if !version.elementsEqual("$LATEST".utf8) { out.append(contentsOf: version) }
        } else if utf8.starts(with: "END RequestId: ".utf8) {
            utf8 = utf8.dropFirst(15)
            out.append(Kind.end.rawValue)
            guard take(requestId: &utf8, into: &out), utf8.isEmpty else { return nil }
        } else if utf8.starts(with: "REPORT RequestId: ".utf8) {
            utf8 = utf8.dropFirst(18)
            out.append(Kind.report.rawValue)
            guard take(requestId: &utf8, into: &out) else { return nil }
            for (label, isDecimal) in reportFields {
                guard utf8.starts(with: label.utf8) else { return nil }
                utf8 = utf8.dropFirst(label.utf8.count)
                guard let value = takeNumber(&utf8, decimal: isDecimal) else { return nil }
                appendVarint(value, to: &out)
            }
            guard utf8.starts(with: " MB\t".utf8) else { return nil }
            utf8 = utf8.dropFirst(4)
            if !utf8.isEmpty {
                out[0] = Kind.reportWithInit.rawValue
                guard utf8.starts(with: "Init Duration: ".utf8) else { return nil }
                utf8 = utf8.dropFirst(15)
                guard let value = takeNumber(&utf8, decimal: true), utf8.elementsEqual(" ms\t".utf8) else { return nil }
                appendVarint(value, to: &out)
            }
        } else {
            return nil
        }
        // Lossless or not at all: numbers written another way (leading zeros, other precision) stay text.
        guard decode(out) == line else { return nil }
        return out
    }

    /// The line `bytes` stand for; nil when they are not a compact line.
    public static func decode(_ bytes: some Collection<UInt8>) -> String? {
        let bytes = Array(bytes)
        guard let first = bytes.first, let kind = Kind(rawValue: first), bytes.count >= 17 else { return nil }
        let id = requestId(bytes[1..<17])
        var rest = bytes[17...]
        switch kind {
        case .start:
            guard let digits = String(validating: rest, as: UTF8.self) else { return nil }
            let version = digits.isEmpty ? "$LATEST" : digits
            guard isVersion(Substring(version).utf8) else { return nil }
            return "START RequestId: \(id) Version: \(version)"
        case .end:
            return rest.isEmpty ? "END RequestId: \(id)" : nil
        case .report, .reportWithInit:
            var line = "REPORT RequestId: \(id)"
            for (label, isDecimal) in reportFields {
                guard let value = readVarint(&rest) else { return nil }
                line += label + render(value, decimal: isDecimal)
            }
            line += " MB\t"
            if kind == .reportWithInit {
                guard let value = readVarint(&rest) else { return nil }
                line += "Init Duration: " + render(value, decimal: true) + " ms\t"
            }
            return rest.isEmpty ? line : nil
        }
    }

    /// REPORT's numbers after the request id: each label, then whether the value has two decimals. The unit of one
    /// field is part of the next label; the last field's ` MB\t` closes the line.
    private static let reportFields: [(String, Bool)] = [
        ("\tDuration: ", true), (" ms\tBilled Duration: ", false), (" ms\tMemory Size: ", false),
        (" MB\tMax Memory Used: ", false),
    ]

    private static func isVersion(_ text: Substring.UTF8View) -> Bool {
        text.elementsEqual("$LATEST".utf8)
            || (!text.isEmpty && text.count <= 10 && text.first != UInt8(ascii: "0") && text.allSatisfy { (48...57).contains($0) })
    }

    /// A lowercase canonical UUID (8-4-4-4-12) as 16 bytes.
    private static func take(requestId utf8: inout Substring.UTF8View, into out: inout [UInt8]) -> Bool {
        let text = Array(utf8.prefix(36))
        guard text.count == 36 else { return false }
        var nibbles: [UInt8] = []
        for (i, c) in text.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return false }
                continue
            }
            switch c {
            case 48...57: nibbles.append(c - 48)
            case 97...102: nibbles.append(c - 87)
            default: return false
            }
        }
        for i in stride(from: 0, to: 32, by: 2) { out.append(nibbles[i] << 4 | nibbles[i + 1]) }
        utf8 = utf8.dropFirst(36)
        return true
    }

    private static func requestId(_ bytes: ArraySlice<UInt8>) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Digits (with exactly two decimals when `decimal`) as an integer (hundredths when `decimal`).
    private static func takeNumber(_ utf8: inout Substring.UTF8View, decimal: Bool) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        while let c = utf8.first, (48...57).contains(c), digits < 15 {
            value = value * 10 + UInt64(c - 48)
            digits += 1
            utf8 = utf8.dropFirst()
        }
        guard digits > 0 else { return nil }
        guard decimal else { return value }
        guard utf8.first == UInt8(ascii: ".") else { return nil }
        utf8 = utf8.dropFirst()
        for _ in 0..<2 {
            guard let c = utf8.first, (48...57).contains(c) else { return nil }
            value = value * 10 + UInt64(c - 48)
            utf8 = utf8.dropFirst()
        }
        return value
    }

    private static func render(_ value: UInt64, decimal: Bool) -> String {
        guard decimal else { return String(value) }
        let cents = value % 100
        return "\(value / 100)." + (cents < 10 ? "0" : "") + String(cents)
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private static func readVarint(_ bytes: inout ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let b = bytes.first, shift < 64 {
            bytes = bytes.dropFirst()
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
