/// One message of the AWS event stream binary framing (`application/vnd.amazon.eventstream`), as Lambda's
/// InvokeWithResponseStream sends them:
///
///     total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)
///
/// all big-endian; each header is name length (1), name, type (1; 7 = string), value length (2), value.
public struct EventStreamMessage: Sendable {
    public var headers: [(name: String, value: String)]
    public var payload: [UInt8]

    public init(headers: [(name: String, value: String)], payload: [UInt8]) {
        self.headers = headers
        self.payload = payload
    }

    /// An `event` message of type `eventType` with a `:content-type` header.
    public static func event(_ eventType: String, contentType: String, payload: [UInt8]) -> EventStreamMessage {
        EventStreamMessage(
            headers: [(":event-type", eventType), (":content-type", contentType), (":message-type", "event")],
            payload: payload)
    }

    /// The message on the wire.
    public var encoded: [UInt8] {
        var headerBytes: [UInt8] = []
        for (name, value) in headers {
            let nameBytes = Array(name.utf8), valueBytes = Array(value.utf8)
            headerBytes.append(UInt8(nameBytes.count))
            headerBytes += nameBytes
            headerBytes.append(7)
            headerBytes.append(UInt8(valueBytes.count >> 8))
            headerBytes.append(UInt8(valueBytes.count & 0xFF))
            headerBytes += valueBytes
        }
        let total = 12 + headerBytes.count + payload.count + 4
        var out: [UInt8] = []
        out.reserveCapacity(total)
        Self.append(UInt32(total), to: &out)
        Self.append(UInt32(headerBytes.count), to: &out)
        Self.append(CRC32.checksum(out), to: &out)
        out += headerBytes
        out += payload
        Self.append(CRC32.checksum(out), to: &out)
        return out
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 24))
        bytes.append(UInt8((value >> 16) & 0xFF))
        bytes.append(UInt8((value >> 8) & 0xFF))
        bytes.append(UInt8(value & 0xFF))
    }
}
