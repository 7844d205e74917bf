import JSONText

/// The JSON paths EventBridge's InputPath and InputPathsMap take: `$`, dot notation (names of letters, digits,
/// `-`, `_`, `/`), bracketed names (`['a b']`), array indices and the wildcard `*`. A path through a wildcard
/// yields the list of what it reached.
public struct EventJSONPath: Sendable, Equatable {
    enum Step: Sendable, Equatable {
        case field(String)
        case index(Int)
        case wildcard
    }

    let steps: [Step]

    public init?(parsing text: String) {
        var chars = Array(text)
        guard chars.first == "$" else { return nil }
        chars.removeFirst()
        var steps: [Step] = []
        var i = 0
        func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "-" || c == "_" || c == "/" || c == ":" }
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                if i < chars.count && chars[i] == "*" {
                    steps.append(.wildcard)
                    i += 1
                    continue
                }
                let start = i
                while i < chars.count && isNameChar(chars[i]) { i += 1 }
                guard i > start else { return nil }
                steps.append(.field(String(chars[start..<i])))
            } else if chars[i] == "[" {
                guard let close = chars[i...].firstIndex(of: "]") else { return nil }
                let inner = String(chars[(i + 1)..<close])
                if inner == "*" {
                    steps.append(.wildcard)
                } else if let n = Int(inner), n >= 0 {
                    steps.append(.index(n))
                } else if inner.count >= 2, let q = inner.first, q == "'" || q == "\"", inner.last == q {
                    steps.append(.field(String(inner.dropFirst().dropLast())))
                } else {
                    return nil
                }
                i = close + 1
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    /// What the path reaches in the document; nil when nothing.
    public func evaluate(_ document: JSONText) -> JSONText? {
        var current: [JSONText] = [document]
        var multiple = false
        for step in steps {
            var next: [JSONText] = []
            for value in current {
                switch (step, value) {
                case (.field(let name), .object(let fields)):
                    if let found = fields.last(where: { $0.key == name }) { next.append(found.value) }
                case (.index(let n), .array(let items)):
                    if n < items.count { next.append(items[n]) }
                case (.wildcard, .array(let items)):
                    next += items
                    multiple = true
                case (.wildcard, .object(let fields)):
                    next += fields.map(\.value)
                    multiple = true
                default: break
                }
            }
            current = next
        }
        if multiple { return current.isEmpty ? nil : .array(current) }
        return current.first
    }
}
