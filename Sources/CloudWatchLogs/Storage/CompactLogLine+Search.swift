/// Compact lines are not in the full-text index, so a filter that narrows through the index must still be offered
/// the compact lines it could match. Each kind's lines follow a template — fixed text around fields drawn from small
/// alphabets (hex digits and `-` for the request id, digits and `.` for durations) — and a text can occur in some
/// line of the kind only if it can be read along that template. The answer errs only towards "could".
extension CompactLogLine {
    /// The kinds in which some line could contain every text of at least one of `alternatives` (a disjunction of
    /// conjunctions, as `GroupEventScan.requiredTexts`).
    public static func kinds(couldContain alternatives: [[String]]) -> [Kind] {
        Kind.allCases.filter { kind in
            let template = templates[kind]!
            return alternatives.contains { texts in texts.allSatisfy { template.couldContain($0) } }
        }
    }

    private enum Atom {
        case byte(UInt8)
        case field(Set<UInt8>)
    }

    private enum Part {
        case text(String)
        case field(Set<UInt8>)
    }

    private struct Template {
        let atoms: [Atom]

        init(_ parts: [Part]) {
            atoms = parts.flatMap { part -> [Atom] in
                switch part {
                case .text(let text): text.utf8.map(Atom.byte)
                case .field(let set): [.field(set)]
                }
            }
        }

        /// Whether `text` is a substring of some line of this template: the states are atoms about to be read;
        /// a field may read any number of its bytes, then hands over to the next atom.
        func couldContain(_ text: String) -> Bool {
            var states = closure(Set(0...atoms.count))
            for c in text.utf8 {
                var next = Set<Int>()
                for i in states where i < atoms.count {
                    switch atoms[i] {
                    case .byte(let b) where b == c: next.insert(i + 1)
                    case .field(let set) where set.contains(c): next.insert(i)
                    default: break
                    }
                }
                states = closure(next)
                if states.isEmpty { return false }
            }
            return true
        }

        private func closure(_ states: Set<Int>) -> Set<Int> {
            var out = states
            var pending = Array(states)
            while let i = pending.popLast() {
                if i < atoms.count, case .field = atoms[i], out.insert(i + 1).inserted { pending.append(i + 1) }
            }
            return out
        }
    }

    private static let digits = Set("0123456789".utf8)
    private static let requestIdBytes = digits.union("abcdef-".utf8)
    private static let decimalBytes = digits.union(".".utf8)
    private static let versionBytes = digits.union("$LATEST".utf8)

    private static let reportParts: [Part] = [
        .text("REPORT RequestId: "), .field(requestIdBytes), .text("\tDuration: "), .field(decimalBytes),
        .text(" ms\tBilled Duration: "), .field(digits), .text(" ms\tMemory Size: "), .field(digits),
        .text(" MB\tMax Memory Used: "), .field(digits), .text(" MB\t"),
    ]

    private static let templates: [Kind: Template] = [
        .start: Template([.text("START RequestId: "), .field(requestIdBytes), .text(" Version: "), .field(versionBytes)]),
        .end: Template([.text("END RequestId: "), .field(requestIdBytes)]),
        .report: Template(reportParts),
        .reportWithInit: Template(reportParts + [.text("Init Duration: "), .field(decimalBytes), .text(" ms\t")]),
    ]
}
