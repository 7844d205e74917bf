import Foundation

/// The smithy RPC v2 CBOR protocol (`POST /service/<Service>/operation/<Operation>`, header
/// `smithy-protocol: rpc-v2-cbor`, CBOR bodies): shapes decode and encode through `CBORBridge`.
public enum RPCv2CBOR {
    public static let contentType = "application/cbor"
    public static let protocolHeader = "smithy-protocol"
    public static let protocolName = "rpc-v2-cbor"

    /// Whether the request speaks this protocol.
    public static func matches(_ request: APIRequest) -> Bool {
        request.header(protocolHeader) == protocolName
    }

    /// The operation a request path names: `/service/<Service>/operation/<Operation>`.
    public static func operation(inPath segments: [String], service: String) -> String? {
        guard segments.count == 4, segments[0] == "service", segments[1] == service, segments[2] == "operation" else { return nil }
        return segments[3]
    }

    /// The request's input shape; an empty body is the empty structure.
    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        let json: [UInt8]
        if body.isEmpty {
            json = Array("{}".utf8)
        } else {
            do {
                json = try CBORBridge.json(from: CBORReader.decode(body))
            } catch {
                throw AWSError(code: "SerializationException", status: 400, message: "The request body is not valid CBOR: \(error)")
            }
        }
        return try CBORBridge.decoder.decode(T.self, from: Data(json))
    }

    /// The CBOR body of an output shape.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let json = try CBORBridge.encoder.encode(value)
        return CBORWriter.encode(try CBORBridge.cbor(fromJSON: Array(json)))
    }

    /// A 200 answer carrying `value`.
    public static func response<T: Encodable>(_ value: T) throws -> APIResponse {
        APIResponse(status: 200, headers: [(protocolHeader, protocolName), ("content-type", contentType)], body: try encode(value))
    }
}
