import Crypto
import Foundation

/// Lower-case hex of digests and MACs.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func sha256(_ string: String) -> String {
        encode(SHA256.hash(data: Array(string.utf8)))
    }

    public static func sha256(bytes: some DataProtocol) -> String {
        encode(SHA256.hash(data: bytes))
    }
}
