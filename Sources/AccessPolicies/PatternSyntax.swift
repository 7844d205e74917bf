/// One step of a compiled text pattern.
enum PatternUnit: Sendable, Equatable {
    case byte(UInt8)
    /// `*`: any run of characters, the empty one included.
    case anyRun
    /// `?`: exactly one character.
    case anyOne
    /// A policy variable, by index into the pattern's variables; its value matches literally.
    case variable(Int)
}

/// How policy text becomes pattern units.
struct PatternSyntax: Sendable {
    /// `*` and `?` are wildcards (Action, Resource, `…Like`, `Arn…`); otherwise they are plain characters.
    var wildcards: Bool
    /// `${…}` is a policy variable (2012-10-17 documents, in the elements that take variables).
    var variables: Bool

    /// The units of `text` and the variables they refer to. `${*}`, `${?}` and `${$}` stand for those characters
    /// taken literally; a `${` without a well-formed variable after it is plain text.
    func units(of text: String) -> (units: [PatternUnit], variables: [PolicyVariable]) {
        let bytes = Array(text.utf8)
        var units: [PatternUnit] = []
        units.reserveCapacity(bytes.count)
        var variables: [PolicyVariable] = []
        var at = 0
        while at < bytes.count {
            let byte = bytes[at]
            if self.variables, byte == UInt8(ascii: "$"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "{"),
               let close = bytes[(at + 2)...].firstIndex(of: UInt8(ascii: "}")),
               let placeholder = Self.placeholder(String(decoding: bytes[(at + 2)..<close], as: UTF8.self)) {
                switch placeholder {
                case .literal(let character):
                    units.append(.byte(character))
                case .variable(let variable):
                    if let index = variables.firstIndex(of: variable) {
                        units.append(.variable(index))
                    } else {
                        units.append(.variable(variables.count))
                        variables.append(variable)
                    }
                }
                at = close + 1
                continue
            }
            switch byte {
            case UInt8(ascii: "*") where wildcards: units.append(.anyRun)
            case UInt8(ascii: "?") where wildcards: units.append(.anyOne)
            default: units.append(.byte(byte))
            }
            at += 1
        }
        return (units, variables)
    }

    private enum Placeholder {
        case literal(UInt8)
        case variable(PolicyVariable)
    }

    /// What the text between `${` and `}` stands for, or nil when it is not a variable.
    private static func placeholder(_ inner: String) -> Placeholder? {
        let trimmed = inner.trimmingASCIISpaces()
        switch trimmed {
        case "*": return .literal(UInt8(ascii: "*"))
        case "?": return .literal(UInt8(ascii: "?"))
        case "$": return .literal(UInt8(ascii: "$"))
        default: break
        }
        var key = trimmed
        var defaultValue: String?
        if let comma = trimmed.firstIndex(of: ",") {
            key = String(trimmed[..<comma]).trimmingASCIISpaces()
            let fallback = String(trimmed[trimmed.index(after: comma)...]).trimmingASCIISpaces()
            guard fallback.count >= 2, fallback.hasPrefix("'"), fallback.hasSuffix("'") else { return nil }
            defaultValue = String(fallback.dropFirst().dropLast())
        }
        guard !key.isEmpty, key.contains(":"),
              !key.contains(where: { $0 == " " || $0 == "$" || $0 == "{" || $0 == "*" || $0 == "?" }) else { return nil }
        return .variable(PolicyVariable(key: ContextKey(key), defaultValue: defaultValue))
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
