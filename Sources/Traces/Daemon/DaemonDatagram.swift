import JSONText

/// One datagram of the X-Ray daemon protocol: a header line `{"format": "json", "version": 1}`, a newline, and one
/// segment document (a segment or an independent subsegment).
public enum DaemonDatagram {
    /// The largest datagram the daemon reads (its receive buffer).
    public static let maxBytes = 64 * 1024

    /// Why a datagram was dropped.
    public enum Failure: Error, Equatable, Sendable {
        /// No newline after the header.
        case missingHeader
        /// The header is not `{"format": "json", "version": 1}`.
        case invalidHeader
        /// No document after the header.
        case emptyDocument
    }

    /// The document's bytes, after a valid header.
    public static func document(in datagram: some Collection<UInt8>) -> Result<ArraySlice<UInt8>, Failure> {
        let bytes = Array(datagram)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return .failure(.missingHeader) }
        guard let header = JSONText(parsing: bytes[..<newline]),
              header["format"]?.stringValue == "json", header["version"]?.numberValue == 1 else {
            return .failure(.invalidHeader)
        }
        let document = bytes[(newline + 1)...]
        guard document.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else {
            return .failure(.emptyDocument)
        }
        return .success(document)
    }
}
