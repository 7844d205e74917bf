/// A `wildcard` value: `*` stands for any run of characters (none included); `\*` is a literal star and `\\` a
/// literal backslash. Compared by UTF-8 bytes, so a star never splits a character it did not start with.
struct WildcardPattern: Sendable, Equatable {
    /// The literal pieces between stars; `n` stars make `n + 1` pieces.
    let pieces: [[UInt8]]

    /// Parses the text; AWS refuses consecutive stars (`**`) and a backslash before anything but `*` or `\`.
    init(parsing text: String) throws(EventPatternError) {
        var pieces: [[UInt8]] = [[]]
        var escaped = false
        var previousWasStar = false
        for byte in text.utf8 {
            if escaped {
                guard byte == UInt8(ascii: "*") || byte == UInt8(ascii: "\\") else {
                    throw EventPatternError("Invalid wildcard value \(text): a backslash escapes only * or \\")
                }
                pieces[pieces.count - 1].append(byte)
                escaped = false
                previousWasStar = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "*") {
                guard !previousWasStar else {
                    throw EventPatternError("Consecutive wildcard characters at pos \(pieces.count) in \(text) are not allowed")
                }
                pieces.append([])
                previousWasStar = true
            } else {
                pieces[pieces.count - 1].append(byte)
                previousWasStar = false
            }
        }
        guard !escaped else { throw EventPatternError("Invalid wildcard value \(text): it ends with a lone backslash") }
        self.pieces = pieces
    }

    func matches(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard pieces.count > 1 else { return bytes == pieces[0] }
        guard let first = pieces.first, let last = pieces.last, bytes.count >= first.count + last.count,
              bytes.starts(with: first), bytes.reversed().starts(with: last.reversed()) else { return false }
        // The middle pieces in order, each at its leftmost place (which is optimal for `*` between them).
        var at = first.count
        let end = bytes.count - last.count
        for piece in pieces.dropFirst().dropLast() {
            guard let found = Self.find(piece, in: bytes, from: at, before: end) else { return false }
            at = found + piece.count
        }
        return true
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int, before end: Int) -> Int? {
        guard !needle.isEmpty else { return start }
        var i = start
        while i + needle.count <= end {
            if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
