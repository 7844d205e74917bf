import AWSProtocol
import Foundation
import ZIPFoundation

/// Request bodies an SDK compressed (`Content-Encoding: gzip`: botocore compresses CloudWatch's PutMetricData
/// above 10 KB, as the service model's `requestcompression` trait asks). The signature covers the compressed
/// bytes; the service gets them inflated, never more than the edge's body limit.
enum GzipBody {
    static func isGzip(_ headers: [(name: String, value: String)]) -> Bool {
        headers.contains { $0.name.lowercased() == "content-encoding" && $0.value.lowercased().contains("gzip") }
    }

    static func malformed(_ why: String) -> AWSError {
        AWSError(code: "SerializationException", status: 400, message: "The gzip request body could not be read: \(why).")
    }

    /// The inflated member of a gzip stream (RFC 1952: header, raw DEFLATE data, CRC-32 and size).
    static func inflate(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
        guard bytes.count >= 18, bytes[0] == 0x1f, bytes[1] == 0x8b, bytes[2] == 8 else { throw malformed("not a gzip stream") }
        let flags = bytes[3]
        var offset = 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard offset + 2 <= bytes.count else { throw malformed("truncated header") }
            offset += 2 + Int(bytes[offset]) + Int(bytes[offset + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            guard let end = bytes[min(offset, bytes.count)...].firstIndex(of: 0) else { throw malformed("truncated header") }
            offset = end + 1
        }
        if flags & 0x02 != 0 { offset += 2 }  // FHCRC
        guard offset <= bytes.count - 8 else { throw malformed("truncated stream") }
        let deflated = Data(bytes[offset..<(bytes.count - 8)])
        var out = Data()
        do {
            let crc = try Data.decompress(size: Int64(deflated.count), bufferSize: 64 * 1024, skipCRC32: false, provider: { position, size in
                let start = Int(position)
                return deflated.subdata(in: start..<min(deflated.count, start + size))
            }, consumer: { chunk in
                out.append(chunk)
                if out.count > limit { throw AWSError(code: "RequestEntityTooLargeException", status: 413,
                                                      message: "The inflated request body is larger than \(limit) bytes.") }
            })
            let trailer = bytes[(bytes.count - 8)...].map(UInt32.init)
            let expected = trailer[0] | trailer[1] << 8 | trailer[2] << 16 | trailer[3] << 24
            guard crc == expected else { throw malformed("its CRC-32 does not match") }
        } catch let error as AWSError {
            throw error
        } catch {
            throw malformed("\(error)")
        }
        return Array(out)
    }
}
