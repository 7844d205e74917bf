/// Tokens of JSON and space-delimited filter patterns.
enum PatternToken: Equatable {
    case open(Character)       // { [ (
    case close(Character)      // } ] )
    case comma
    case and, or
    case op(String)            // = != < > <= >=
    case quoted(String)
    case word(String)          // selectors, names, bare values, keywords, `...`
}

/// Splits a pattern into tokens: quoted strings keep their spaces, a bare word ends at a space or punctuation.
enum PatternLexer {
    static func tokens(_ text: String) throws(LogsError) -> [PatternToken] {
        let chars = Array(text)
        var out: [PatternToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            switch c {
            case "{", "[", "(": out.append(.open(c)); i += 1
            case "}", "]", ")": out.append(.close(c)); i += 1
            case ",": out.append(.comma); i += 1
            case "&":
                guard i + 1 < chars.count, chars[i + 1] == "&" else { throw FilterPattern.invalid("expected '&&'") }
                out.append(.and); i += 2
            case "|":
                guard i + 1 < chars.count, chars[i + 1] == "|" else { throw FilterPattern.invalid("expected '||'") }
                out.append(.or); i += 2
            case "=": out.append(.op("=")); i += 1
            case "!":
                guard i + 1 < chars.count, chars[i + 1] == "=" else { throw FilterPattern.invalid("expected '!='") }
                out.append(.op("!=")); i += 2
            case "<", ">":
                if i + 1 < chars.count, chars[i + 1] == "=" { out.append(.op(String(c) + "=")); i += 2 } else { out.append(.op(String(c))); i += 1 }
            case "\"":
                i += 1
                var text = ""
                var closed = false
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count { text.append(chars[i + 1]); i += 2; continue }
                    if chars[i] == "\"" { closed = true; i += 1; break }
                    text.append(chars[i]); i += 1
                }
                guard closed else { throw FilterPattern.invalid("unterminated quoted string") }
                out.append(.quoted(text))
            default:
                var word = ""
                // `$.a[0]` keeps its brackets: inside a selector `[` starts an index, not a group.
                while i < chars.count {
                    let d = chars[i]
                    if d.isWhitespace || "{}(),&|=!<>\"".contains(d) { break }
                    if d == "]" && !word.contains("[") { break }
                    if d == "[" && !word.hasPrefix("$") { break }
                    if d == "]" { word.append(d); i += 1; if !word.hasPrefix("$") { break }; continue }
                    word.append(d); i += 1
                }
                out.append(.word(word))
            }
        }
        return out
    }
}

/// Reads tokens front to back.
struct TokenCursor {
    let tokens: [PatternToken]
    var index = 0

    init(_ tokens: [PatternToken]) {
        self.tokens = tokens
    }

    var peek: PatternToken? { index < tokens.count ? tokens[index] : nil }
    var atEnd: Bool { index >= tokens.count }

    mutating func next() -> PatternToken? {
        defer { index += 1 }
        return peek
    }

    mutating func expect(_ token: PatternToken, _ what: String) throws(LogsError) {
        guard next() == token else { throw FilterPattern.invalid("expected \(what)") }
    }
}
