import JSONText

/// Writes JSON with fields in the order given, as SNS's envelopes and events have them.
struct JSONWriter {
    private(set) var text = ""

    /// A JSON string literal.
    static func quote(_ value: String) -> String { JSONTextWriter.quote(value) }

    /// `{"a":…,"b":…}` from already-encoded values, compact.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// `{\n  "a" : …,\n  "b" : …\n}`: the pretty layout SNS writes its HTTP and SQS envelopes in.
    static func pretty(_ fields: [(String, String)]) -> String {
        "{\n" + fields.map { "  " + quote($0.0) + " : " + $0.1 }.joined(separator: ",\n") + "\n}"
    }
}

extension JSONWriter {
    /// A parsed document written back compactly (numbers as they were written).
    static func render(_ json: JSONText) -> String { JSONTextWriter.write(json) }
}
