#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Patterns stored as plain values: an exact text or a prefix is a range of one shared byte arena, compared with
/// `memcmp`; anything else refers to its compiled `WildcardPattern`. Action patterns are stored lower-cased and
/// compared with the request's action, which the evaluator lower-cases once.
struct PatternTable: Sendable {
    struct Entry: Sendable {
        var shape: WildcardPattern.Shape
        var bytes: Range<Int>
        /// Index into `general` for `.general` patterns.
        var general: Int
    }

    private(set) var entries: [Entry] = []
    private(set) var bytes: [UInt8] = []
    private(set) var general: [WildcardPattern] = []

    /// Appends `patterns`, returning the range of their entries.
    mutating func append(_ patterns: [WildcardPattern]) -> Range<Int> {
        let start = entries.count
        for pattern in patterns {
            let range = bytes.count..<bytes.count + pattern.literal.count
            bytes.append(contentsOf: pattern.literal)
            var index = -1
            if pattern.shape == .general {
                index = general.count
                general.append(pattern)
            }
            entries.append(Entry(shape: pattern.shape, bytes: range, general: index))
        }
        return start..<entries.count
    }

    func withTable<R>(_ body: (BorrowedTable) -> R) -> R {
        entries.withUnsafeBufferPointer { entries in
            bytes.withUnsafeBufferPointer { bytes in
                body(BorrowedTable(entries: entries, bytes: bytes, general: general))
            }
        }
    }

    /// The table's storage for the duration of `withTable`.
    struct BorrowedTable {
        let entries: UnsafeBufferPointer<Entry>
        let bytes: UnsafeBufferPointer<UInt8>
        let general: [WildcardPattern]

        /// Whether one of the patterns in `range` matches `input`.
        @inline(__always)
        func anyMatches(_ range: Range<Int>, _ input: UnsafeBufferPointer<UInt8>, _ context: EvaluationContext) -> Bool {
            for i in range {
                let entry = entries[i]
                switch entry.shape {
                case .anything:
                    return true
                case .exact:
                    if input.count == entry.bytes.count, hasPrefix(input, entry) { return true }
                case .prefix:
                    if input.count >= entry.bytes.count, hasPrefix(input, entry) { return true }
                case .general:
                    if general[entry.general].matches(input, in: context) { return true }
                }
            }
            return false
        }

        /// Whether `input` starts with the entry's bytes. The last eight bytes are compared first: patterns of one
        /// policy mostly share a long head (`arn:aws:lambda:us-east-1:123456789012:function:`) and differ at the end.
        @inline(__always)
        private func hasPrefix(_ input: UnsafeBufferPointer<UInt8>, _ entry: Entry) -> Bool {
            let count = entry.bytes.count
            guard count > 0 else { return true }
            let pattern = bytes.baseAddress! + entry.bytes.lowerBound
            let text = input.baseAddress!
            if count >= 8 {
                let tail = count - 8
                guard UnsafeRawPointer(text + tail).loadUnaligned(as: UInt64.self)
                        == UnsafeRawPointer(pattern + tail).loadUnaligned(as: UInt64.self) else { return false }
                return tail == 0 || memcmp(text, pattern, tail) == 0
            }
            return memcmp(text, pattern, count) == 0
        }
    }
}
