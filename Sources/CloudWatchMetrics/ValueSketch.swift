import Foundation

/// A mergeable quantile sketch with bounded relative error (the DDSketch construction): positive values fall in
/// logarithmic buckets `γ^(i-1) < v ≤ γ^i` with γ = (1+α)/(1−α), α = 1 %, so any percentile read back is within 1 %
/// of a value that was recorded; sketches of different minutes add bucket by bucket. Zero has its own count;
/// negative values make percentiles unavailable (as CloudWatch's are), which `hasNegative` records.
public struct ValueSketch: Sendable, Equatable {
    static let alpha = 0.01
    static let gamma = (1 + alpha) / (1 - alpha)
    static let logGamma = log(gamma)

    /// Bucket index → count.
    public private(set) var buckets: [Int32: Double] = [:]
    public private(set) var zeros: Double = 0
    public private(set) var hasNegative = false

    public init() {}

    public var count: Double { zeros + buckets.values.reduce(0, +) }
    public var isEmpty: Bool { zeros == 0 && buckets.isEmpty && !hasNegative }

    public mutating func add(_ value: Double, count: Double = 1) {
        guard count > 0, value.isFinite else { return }
        if value < 0 { hasNegative = true; return }
        if value < 1e-12 { zeros += count; return }
        buckets[Self.index(of: value), default: 0] += count
    }

    static func index(of value: Double) -> Int32 {
        Int32(clamping: Int((log(value) / logGamma).rounded(.up)))
    }

    /// The representative value of bucket `i` (the point of least relative error).
    static func value(ofBucket i: Int32) -> Double {
        2 * pow(gamma, Double(i)) / (gamma + 1)
    }

    public mutating func merge(_ other: ValueSketch) {
        zeros += other.zeros
        hasNegative = hasNegative || other.hasNegative
        for (i, c) in other.buckets { buckets[i, default: 0] += c }
    }

    /// The `q`-quantile (0…1), clamped to [minimum, maximum] when given; nil when it cannot be told.
    public func quantile(_ q: Double, minimum: Double? = nil, maximum: Double? = nil) -> Double? {
        guard !hasNegative else { return nil }
        let total = count
        guard total > 0 else { return nil }
        let rank = q * (total - 1)
        var seen = zeros
        var result: Double
        if rank < zeros {
            result = 0
        } else {
            result = buckets.keys.max().map(Self.value(ofBucket:)) ?? 0
            for i in buckets.keys.sorted() {
                seen += buckets[i]!
                if seen > rank {
                    result = Self.value(ofBucket: i)
                    break
                }
            }
        }
        if let minimum { result = max(result, minimum) }
        if let maximum { result = min(result, maximum) }
        return result
    }

    // MARK: Compact bytes: flags, zeros, then (zigzag index delta, count) varints in index order.

    public var serialized: [UInt8] {
        var out: [UInt8] = [hasNegative ? 1 : 0]
        Self.putCount(zeros, into: &out)
        var previous: Int64 = 0
        for i in buckets.keys.sorted() {
            let delta = Int64(i) - previous
            previous = Int64(i)
            Self.putVarint(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)), into: &out)
            Self.putCount(buckets[i]!, into: &out)
        }
        return out
    }

    public init?(serialized bytes: [UInt8]) {
        guard let flags = bytes.first else { return nil }
        hasNegative = flags & 1 != 0
        var offset = 1
        guard let z = Self.count(bytes, &offset) else { return nil }
        zeros = z
        var previous: Int64 = 0
        while offset < bytes.count {
            guard let raw = Self.varint(bytes, &offset), let c = Self.count(bytes, &offset) else { return nil }
            let delta = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
            previous += delta
            buckets[Int32(clamping: previous)] = c
        }
    }

    /// Whole counts as a varint `2n`; fractional ones (statistic sets) as `1` followed by the 8 bytes of the double.
    static func putCount(_ c: Double, into out: inout [UInt8]) {
        if c >= 0, c < 1e15, c == c.rounded() {
            putVarint(UInt64(c) << 1, into: &out)
        } else {
            out.append(1)
            withUnsafeBytes(of: c.bitPattern.bigEndian) { out += $0 }
        }
    }

    static func count(_ bytes: [UInt8], _ offset: inout Int) -> Double? {
        guard let v = varint(bytes, &offset) else { return nil }
        if v & 1 == 0 { return Double(v >> 1) }
        guard offset + 8 <= bytes.count else { return nil }
        var bits: UInt64 = 0
        for b in bytes[offset..<offset + 8] { bits = bits << 8 | UInt64(b) }
        offset += 8
        return Double(bitPattern: bits)
    }

    static func putVarint(_ v: UInt64, into out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func varint(_ bytes: [UInt8], _ offset: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}
