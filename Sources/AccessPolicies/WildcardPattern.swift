/// A compiled text pattern: an Action (`lambda:Get*`, case-insensitive), a Resource ARN (`arn:aws:s3:::b/*`, where
/// `*` spans `:` and `/`), or a string condition value. Matching walks UTF-8 bytes with no allocation; the common
/// shapes (everything, an exact text, a prefix) take a shortcut.
final class WildcardPattern: Sendable {
    enum Shape: Sendable {
        /// `*`.
        case anything
        /// No wildcard and no variable.
        case exact
        /// A literal followed by one final `*`.
        case prefix
        /// Anything else: the units are walked with backtracking over the last `*`.
        case general
    }

    let text: String
    let shape: Shape
    /// The literal of `exact` and `prefix` (case-folded when `foldsCase`).
    let literal: [UInt8]
    let units: [PatternUnit]
    let variables: [PolicyVariable]
    /// ASCII case-insensitive (Actions, `StringEqualsIgnoreCase`).
    let foldsCase: Bool

    init(_ text: String, syntax: PatternSyntax, foldsCase: Bool) {
        self.text = text
        self.foldsCase = foldsCase
        var (units, variables) = syntax.units(of: text)
        if foldsCase {
            units = units.map { unit in
                if case .byte(let b) = unit { return .byte(foldASCII(b)) }
                return unit
            }
        }
        self.units = units
        self.variables = variables
        let literalBytes: [UInt8] = units.compactMap { unit in
            if case .byte(let b) = unit { return b }
            return nil
        }
        if !units.isEmpty, units.allSatisfy({ $0 == .anyRun }) {
            shape = .anything
            literal = []
        } else if literalBytes.count == units.count {
            shape = .exact
            literal = literalBytes
        } else if literalBytes.count == units.count - 1, units.last == .anyRun {
            shape = .prefix
            literal = literalBytes
        } else {
            shape = .general
            literal = []
        }
    }

    /// Whether the pattern covers all of `input`. A variable the context cannot resolve makes it match nothing.
    func matches(_ input: UnsafeBufferPointer<UInt8>, in context: EvaluationContext) -> Bool {
        switch shape {
        case .anything:
            return true
        case .exact:
            return input.count == literal.count && hasPrefix(input)
        case .prefix:
            return input.count >= literal.count && hasPrefix(input)
        case .general:
            return matchesGeneral(input, in: context)
        }
    }

    func matches(_ text: String, in context: EvaluationContext) -> Bool {
        var text = text
        return text.withUTF8 { matches($0, in: context) }
    }

    @inline(__always)
    private func hasPrefix(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        literal.withUnsafeBufferPointer { lit in
            if foldsCase {
                for i in 0..<lit.count where foldASCII(input[i]) != lit[i] { return false }
            } else {
                for i in 0..<lit.count where input[i] != lit[i] { return false }
            }
            return true
        }
    }

    /// Glob matching over units where every non-`*` unit consumes a length fixed by its position, so on a mismatch
    /// it suffices to let the last `*` take one more character and retry.
    private func matchesGeneral(_ input: UnsafeBufferPointer<UInt8>, in context: EvaluationContext) -> Bool {
        let n = input.count
        return units.withUnsafeBufferPointer { u in
            let m = u.count
            var p = 0, s = 0
            var starP = -1, starS = 0
            while true {
                if p < m {
                    switch u[p] {
                    case .anyRun:
                        starP = p
                        starS = s
                        p += 1
                        continue
                    case .byte(let b):
                        if s < n, (foldsCase ? foldASCII(input[s]) : input[s]) == b {
                            p += 1
                            s += 1
                            continue
                        }
                    case .anyOne:
                        if s < n {
                            s = min(n, s + scalarLength(input[s]))
                            p += 1
                            continue
                        }
                    case .variable(let index):
                        guard let value = context.value(of: variables[index]) else { return false }
                        if let length = literalLength(value, in: input, at: s) {
                            p += 1
                            s += length
                            continue
                        }
                    }
                } else if s == n {
                    return true
                }
                guard starP >= 0, starS < n else { return false }
                starS = min(n, starS + scalarLength(input[starS]))
                s = starS
                p = starP + 1
            }
        }
    }

    /// The length of `value` if `input` holds it (literally) at `start`.
    private func literalLength(_ value: String, in input: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start
        for byte in value.utf8 {
            guard i < input.count else { return nil }
            if foldsCase ? foldASCII(input[i]) != foldASCII(byte) : input[i] != byte { return nil }
            i += 1
        }
        return i - start
    }
}

/// The byte length of the UTF-8 sequence a lead byte starts (1 for a stray continuation byte).
@inline(__always)
func scalarLength(_ lead: UInt8) -> Int {
    switch lead {
    case 0xF0...: 4
    case 0xE0...: 3
    case 0xC0...: 2
    default: 1
    }
}
