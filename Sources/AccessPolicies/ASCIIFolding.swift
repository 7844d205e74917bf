/// ASCII-only lower-casing: IAM names, keys and actions are ASCII, and folding only ASCII keeps compile-time and
/// evaluation-time folding identical.
func asciiLowercased(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
    return String(decoding: text.utf8.map(foldASCII), as: UTF8.self)
}

/// A hash of ASCII-folded UTF-8, the same for `aws:SourceIp` and `AWS:sourceip`, taken eight bytes at a time.
/// Only a filter: every lookup confirms the name.
func foldedHash(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { foldedHash($0) }
}

func foldedHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
    var at = 0
    if let base = bytes.baseAddress {
        let raw = UnsafeRawPointer(base)
        while at + 8 <= bytes.count {
            hash = mix(hash ^ fold8(raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            at += 8
        }
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while at < bytes.count {
        tail |= UInt64(foldASCII(bytes[at])) << shift
        shift += 8
        at += 1
    }
    return mix(hash ^ tail)
}

@inline(__always)
private func mix(_ x: UInt64) -> UInt64 {
    var x = x &* 0x9E37_79B9_7F4A_7C15
    x ^= x >> 29
    return x &* 0xBF58_476D_1CE4_E5B9
}

/// ASCII lower-casing of eight bytes at once: adds 0x20 to each byte in `A`...`Z`.
@inline(__always)
private func fold8(_ word: UInt64) -> UInt64 {
    let high: UInt64 = 0x8080_8080_8080_8080
    let low7 = word & ~high
    let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F
    let aboveZ = low7 &+ 0x2525_2525_2525_2525
    let upper = atLeastA & ~aboveZ & ~word & high
    return word | (upper >> 2)
}

@inline(__always)
func foldASCII(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
}
