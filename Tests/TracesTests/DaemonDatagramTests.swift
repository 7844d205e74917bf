import Testing
@testable import Traces

@Suite struct DaemonDatagramTests {
    static let header = #"{"format": "json", "version": 1}"#

    @Test func theDocumentFollowsTheHeaderLine() throws {
        let datagram = Array((Self.header + "\n" + #"{"name":"x"}"#).utf8)
        let document = try DaemonDatagram.document(in: datagram).get()
        #expect(String(decoding: document, as: UTF8.self) == #"{"name":"x"}"#)
    }

    @Test func aCompactHeaderIsAccepted() throws {
        let datagram = Array(("{\"version\":1,\"format\":\"json\"}\n{}").utf8)
        #expect(String(decoding: try DaemonDatagram.document(in: datagram).get(), as: UTF8.self) == "{}")
    }

    @Test(arguments: [
        (#"{"name":"x"}"#, DaemonDatagram.Failure.missingHeader),
        ("{\"format\": \"xml\", \"version\": 1}\n{}", .invalidHeader),
        ("{\"format\": \"json\", \"version\": 2}\n{}", .invalidHeader),
        ("not json\n{}", .invalidHeader),
        (header + "\n", .emptyDocument),
        (header + "\n  \n", .emptyDocument),
    ])
    func malformedDatagramsAreDropped(_ text: String, _ failure: DaemonDatagram.Failure) {
        #expect(DaemonDatagram.document(in: Array(text.utf8)).failure == failure)
    }

    @Test func aDatagramsSegmentValidatesLikeTheAPIs() throws {
        let text = Self.header + "\n" + #"{"name":"fn","id":"70de5b6f19ff9a0a","trace_id":"1-5759e988-bd862e3fe1be46a994272793","start_time":1,"end_time":2,"type":"subsegment","parent_id":"53995c3f42cd8ad8"}"#
        let segment = try SegmentParser.parse(try DaemonDatagram.document(in: Array(text.utf8)).get()).get()
        #expect(segment.isSubsegment && segment.parentId == "53995c3f42cd8ad8")
    }
}
