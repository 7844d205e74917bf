import AWSProtocol
import Foundation
import Testing

/// The query protocol's generic coders: form parameters into `Decodable` shapes, `Encodable` shapes into XML members.
@Suite struct QueryCodingTests {
    struct Dimension: Codable, Equatable { var Name: String; var Value: String }
    struct Datum: Codable, Equatable {
        var MetricName: String
        var Dimensions: [Dimension]?
        var Values: [Double]?
        var Timestamp: Date?
        var StorageResolution: Int?
    }
    struct Input: Codable, Equatable {
        var Namespace: String
        var MetricData: [Datum]
        var Strict: Bool?
        var Empty: [String]?
    }

    func form(_ text: String) -> QueryForm { QueryForm(body: Array(text.utf8)) }

    @Test func decodesStructuresListsAndTimestamps() throws {
        let input = try QueryDecoder().decode(Input.self, from: form(
            "Action=PutMetricData&Version=2010-08-01&Namespace=App%2FOrders&MetricData.member.1.MetricName=Latency"
            + "&MetricData.member.1.Dimensions.member.1.Name=Fn&MetricData.member.1.Dimensions.member.1.Value=a"
            + "&MetricData.member.1.Values.member.1=1.5&MetricData.member.1.Values.member.2=2"
            + "&MetricData.member.1.Timestamp=2026-11-30T21%3A00%3A00Z&MetricData.member.2.MetricName=Count"
            + "&MetricData.member.2.Timestamp=2026-11-30T21%3A00%3A00.250Z&MetricData.member.2.StorageResolution=1&Strict=true&Empty="))
        #expect(input.Namespace == "App/Orders" && input.Strict == true)
        #expect(input.MetricData.count == 2)
        #expect(input.MetricData[0].Dimensions == [Dimension(Name: "Fn", Value: "a")])
        #expect(input.MetricData[0].Values == [1.5, 2])
        #expect(input.MetricData[0].Timestamp == Date(timeIntervalSince1970: 1_796_072_400))
        #expect(input.MetricData[1].Timestamp == Date(timeIntervalSince1970: 1_796_072_400.25))
        #expect(input.MetricData[1].Dimensions == nil && input.MetricData[1].StorageResolution == 1)
        #expect(input.Empty == [], "`Name=` is an empty list")
    }

    @Test func badValuesAndMissingMembersThrow() {
        #expect(throws: DecodingError.self) { try QueryDecoder().decode(Input.self, from: form("MetricData.member.1.MetricName=x")) }
        #expect(throws: DecodingError.self) {
            try QueryDecoder().decode(Input.self, from: form("Namespace=n&MetricData.member.1.MetricName=x&MetricData.member.1.StorageResolution=one"))
        }
        #expect(throws: DecodingError.self) { try QueryDecoder().decode(Input.self, from: form("Namespace=n&MetricData=&Strict=yes")) }
    }

    struct Output: Encodable {
        var Label: String
        var Datapoints: [Point]
        var NextToken: String?
    }
    struct Point: Encodable {
        var Timestamp: Date
        var Sum: Double?
        var ExtendedStatistics: [String: Double]?
        var Flag: Bool
    }

    @Test func encodesMembersListsMapsAndDates() throws {
        let nodes = try QueryXMLEncoder().encode(Output(Label: "a<b", Datapoints: [
            Point(Timestamp: Date(timeIntervalSince1970: 1_796_072_400), Sum: 3, ExtendedStatistics: ["p99": 2.5], Flag: true),
        ], NextToken: nil))
        let xml = nodes.map(\.xml).joined()
        #expect(xml == "<Label>a&lt;b</Label><Datapoints><member><Timestamp>2026-11-30T21:00:00.000Z</Timestamp><Sum>3</Sum>"
                + "<ExtendedStatistics><entry><key>p99</key><value>2.5</value></entry></ExtendedStatistics><Flag>true</Flag>"
                + "</member></Datapoints>")
    }
}
