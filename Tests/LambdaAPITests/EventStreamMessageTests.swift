import AWSProtocol
import Foundation
import Invoker
@testable import LambdaAPI
import Testing

/// The event stream framing of InvokeWithResponseStream, against messages botocore's `EventStreamBuffer` decodes
/// (the vectors were built with Python's struct + binascii.crc32 and checked with botocore).
@Suite struct EventStreamMessageTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func crc32MatchesTheCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        // Continuing over two halves gives the checksum of the whole.
        let whole = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(whole[20...], continuing: CRC32.checksum(whole[..<20])) == CRC32.checksum(whole))
    }

    @Test func payloadChunkAsBotocoreDecodesIt() {
        let message = EventStreamMessage.event("PayloadChunk", contentType: "application/octet-stream", payload: Array("hello".utf8))
        #expect(Self.hex(message.encoded) == "0000006f0000005af5fe871f0b3a6576656e742d7479706507000c5061796c6f61644368756e6b0d3a636f6e74656e742d747970650700186170706c69636174696f6e2f6f637465742d73747265616d0d3a6d6573736167652d747970650700056576656e7468656c6c6f29e71260")
    }

    @Test func invokeCompleteAsBotocoreDecodesIt() {
        let message = EventStreamMessage.event("InvokeComplete", contentType: "application/json", payload: Array("{}".utf8))
        #expect(Self.hex(message.encoded) == "00000066000000541f56c8690b3a6576656e742d7479706507000e496e766f6b65436f6d706c6574650d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b7d7006d467")
    }

    @Test func invokeCompleteCarriesTheErrorAndTheLogTail() throws {
        let failed = InvocationStreamEnd(
            functionError: "Unhandled", errorType: "Sandbox.Timedout",
            errorBody: Array(#"{"errorMessage":"Task timed out after 1.00 seconds","errorType":"Sandbox.Timedout"}"#.utf8),
            executedVersion: "$LATEST", logLines: ["START", "REPORT"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(LambdaService.invokeComplete(failed, tail: true))) as? [String: String])
        #expect(json == ["ErrorCode": "Sandbox.Timedout", "ErrorDetails": "Task timed out after 1.00 seconds",
                         "LogResult": Data("START\nREPORT\n".utf8).base64EncodedString()])
        let fine = InvocationStreamEnd(functionError: nil, errorType: nil, errorBody: nil, executedVersion: "1", logLines: ["START"])
        #expect(String(decoding: LambdaService.invokeComplete(fine, tail: false), as: UTF8.self) == "{}")
    }

    @Test func routeAndItsInvocationTypes() {
        #expect(LambdaRoute.match(method: "POST", segments: ["2021-11-15", "functions", "f", "response-streaming-invocations"])
            == .invokeWithResponseStream("f"))
        #expect(LambdaRoute.match(method: "GET", segments: ["2021-11-15", "functions", "f", "response-streaming-invocations"]) == nil)
    }
}
