/// Identifiers as API Gateway makes them: lower-case letters and digits, 10 characters for an API, 7 for
/// everything inside one.
public enum ResourceIDs {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    public static func apiId() -> String { random(10) }

    /// A 7-character id not in `taken`.
    public static func childId(avoiding taken: some Sequence<String>) -> String {
        let used = Set(taken)
        while true {
            let id = random(7)
            if !used.contains(id) { return id }
        }
    }

    static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
