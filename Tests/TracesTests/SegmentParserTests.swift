import JSONText
import Foundation
import Testing
@testable import Traces

@Suite struct SegmentParserTests {
    static let trace = "1-5759e988-bd862e3fe1be46a994272793"

    static func document(_ fields: [String: String]) -> String {
        var base: [String: String] = [
            "name": "\"orders\"", "id": "\"70de5b6f19ff9a0a\"", "trace_id": "\"\(trace)\"",
            "start_time": "1478293361.271", "end_time": "1478293361.449",
        ]
        for (key, value) in fields { base[key] = value }
        let body = base.filter { $0.value != "-" }.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        return "{" + body.joined(separator: ",") + "}"
    }

    @Test func aCompleteSegmentIsAccepted() throws {
        let segment = try SegmentParser.parse(Self.document([
            "http": #"{"request":{"method":"GET","url":"https://example.com/x"},"response":{"status":502}}"#,
            "fault": "true", "annotations": #"{"customer":"c1","count":3,"vip":true}"#, "origin": "\"AWS::EC2::Instance\"",
            "subsegments": #"[{"id":"53995c3f42cd8ad8","name":"db","start_time":1478293361.3,"end_time":1478293361.4,"error":true,"annotations":{"table":"t"}}]"#,
        ])).get()
        #expect(segment.id == "70de5b6f19ff9a0a" && segment.traceId == Self.trace && segment.name == "orders")
        #expect(segment.startTime == 1478293361.271 && segment.endTime == 1478293361.449)
        #expect(segment.fault && !segment.error && segment.anyError && segment.anyFault)
        #expect(segment.http == SegmentHTTP(method: "GET", url: "https://example.com/x", status: 502))
        #expect(segment.annotations["customer"] == .string("c1") && segment.annotations["count"] == .number(3))
        #expect(segment.annotations["vip"] == .bool(true) && segment.annotations["table"] == .string("t"))
        #expect(segment.subsegmentIds == ["53995c3f42cd8ad8"] && segment.origin == "AWS::EC2::Instance")
        #expect(!segment.isSubsegment && segment.parentId == nil)
    }

    @Test func serializationKeepsFieldsInOrderAndNumbersAsWritten() throws {
        let text = #"{"name":"a b","id":"70de5b6f19ff9a0a","trace_id":"\#(Self.trace)","start_time":1.500000,"end_time":2,"metadata":{"q":"line\nbreak \"quoted\""}}"#
        let segment = try SegmentParser.parse(text).get()
        #expect(JSONTextWriter.string(segment.json) == text && segment.text == text)
    }

    @Test func anIndependentSubsegmentNeedsItsParent() throws {
        let sub = try SegmentParser.parse(Self.document(["type": "\"subsegment\"", "parent_id": "\"53995c3f42cd8ad8\""])).get()
        #expect(sub.isSubsegment && sub.parentId == "53995c3f42cd8ad8")
        let orphan = SegmentParser.parse(Self.document(["type": "\"subsegment\""]))
        #expect(orphan.failure?.errorCode == "MissingParentId")
        #expect(orphan.failure?.message.contains("Invalid subsegment") == true)
    }

    @Test func anInProgressSegmentHasNoEndTime() throws {
        let segment = try SegmentParser.parse(Self.document(["end_time": "-", "in_progress": "true"])).get()
        #expect(segment.inProgress && segment.endTime == nil)
        #expect(SegmentParser.parse(Self.document(["in_progress": "true"])).failure?.errorCode == "InvalidEndTime")
    }

    @Test(arguments: [
        (["id": "-"], "MissingId", "id"),
        (["id": "\"70de5b6f19ff9a0\""], "InvalidId", "id"),
        (["id": "\"70DE5B6F19FF9A0Z\""], "InvalidId", "id"),
        (["name": "-"], "MissingName", "name"),
        (["name": "\"\""], "InvalidName", "name"),
        (["name": "\"what?\""], "InvalidName", "name"),
        (["name": "\"\(String(repeating: "n", count: 201))\""], "InvalidName", "name"),
        (["trace_id": "-"], "MissingTraceId", "trace_id"),
        (["trace_id": "\"1-5759e988-bd862e3fe1be46a99427279\""], "InvalidTraceId", "trace_id"),
        (["trace_id": "\"2-5759e988-bd862e3fe1be46a994272793\""], "InvalidTraceId", "trace_id"),
        (["start_time": "-"], "MissingStartTime", "start_time"),
        (["start_time": "\"now\""], "InvalidStartTime", "start_time"),
        (["end_time": "-"], "MissingEndTime", "end_time"),
        (["end_time": "1478293360"], "InvalidEndTime", "end_time"),
        (["parent_id": "\"zz\""], "InvalidParentId", "parent_id"),
        (["type": "\"segment\""], "InvalidType", "type"),
        (["fault": "\"yes\""], "InvalidFault", "fault"),
        (["annotations": #"{"bad-key":"v"}"#], "InvalidAnnotations", "bad-key"),
        (["annotations": #"{"k":{"nested":1}}"#], "InvalidAnnotations", "k"),
        (["http": "[]"], "InvalidHttp", "http"),
        (["subsegments": "{}"], "InvalidSubsegments", "subsegments"),
        (["subsegments": #"[{"id":"53995c3f42cd8ad8","start_time":1,"end_time":2}]"#], "MissingName", "name"),
    ] as [([String: String], String, String)])
    func invalidDocumentsAreRejectedNamingTheField(_ fields: [String: String], _ code: String, _ field: String) {
        let rejection = SegmentParser.parse(Self.document(fields)).failure
        #expect(rejection?.errorCode == code, "\(fields)")
        #expect(rejection?.message.contains(field) == true, "\(rejection?.message ?? "")")
        #expect(rejection?.message.hasPrefix("Invalid ") == true)
    }

    @Test func notJSONOrTooLargeIsRejected() {
        #expect(SegmentParser.parse("{not json").failure?.errorCode == "InvalidSegment")
        #expect(SegmentParser.parse("[1]").failure?.errorCode == "InvalidSegment")
        let big = Self.document(["metadata": "{\"x\":\"\(String(repeating: "a", count: 70_000))\"}"])
        #expect(SegmentParser.parse(big).failure?.errorCode == "SegmentTooLarge")
    }

    @Test func rejectionsCarryTheSegmentIdWhenReadable() {
        #expect(SegmentParser.parse(Self.document(["name": "\"bad!\""])).failure?.id == "70de5b6f19ff9a0a")
        #expect(SegmentParser.parse(Self.document(["id": "-"])).failure?.id == nil)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
