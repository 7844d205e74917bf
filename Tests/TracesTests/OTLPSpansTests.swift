import Foundation
import Logging
import Testing
@testable import Traces

@Suite struct OTLPSpansTests {
    @Test func lambdasSegmentsBecomeAChainOfSpans() throws {
        let invocation = LambdaSegmentsTests.invocation(cold: true, error: "ValueError", caller: "cccccccccccccccc")
        let segments = LambdaSegments.documents(for: invocation)
        let spans = OTLPSpans.spans(of: segments)
        #expect(spans.map(\.name) == ["orders", "orders", "Initialization", "Invocation", "Overhead"])
        #expect(spans.allSatisfy { $0.traceId == "5759e988bd862e3fe1be46a994272793" })
        let (service, function) = (spans[0], spans[1])
        #expect(service.parentSpanId == "cccccccccccccccc" && service.kind == 2)
        #expect(function.spanId == "aaaaaaaaaaaaaaaa" && function.parentSpanId == service.spanId && function.kind == 1)
        #expect(spans[2...].allSatisfy { $0.parentSpanId == function.spanId })
        #expect(service.startTimeUnixNano == "1000000001000" && service.endTimeUnixNano == "1000250500000")
        #expect(function.status.code == 2 && spans[3].status.code == 2 && spans[2].status.code == 1 && service.status.code == 1)
        #expect(service.attributes.contains(KeyValue("aws.xray.origin", "AWS::Lambda")))
        #expect(service.attributes.contains(KeyValue("faas.invocation_id", "r-1")))
    }

    @Test func theRequestBodyIsOTLPJSON() throws {
        let exporter = try #require(OTLPExporter(endpoint: "http://127.0.0.1:4318", logger: Logger(label: "t")))
        #expect(exporter.url.absoluteString == "http://127.0.0.1:4318/v1/traces")
        #expect(OTLPExporter(endpoint: "http://collector:4318/v1/traces", logger: Logger(label: "t"))?.url.path == "/v1/traces")
        #expect(OTLPExporter(endpoint: "collector:4318", logger: Logger(label: "t")) == nil)
        let spans = OTLPSpans.spans(of: LambdaSegments.documents(for: LambdaSegmentsTests.invocation(cold: false)))
        let data = try JSONEncoder().encode(exporter.request(spans))
        let body = String(decoding: data, as: UTF8.self)
        #expect(try JSONDecoder().decode(ExportTraceServiceRequest.self, from: data) == exporter.request(spans))
        #expect(body.contains(#"{"stringValue":"swiftlet"}"#) && body.contains(#""startTimeUnixNano":"1000200000000""#))
        #expect(body.contains(#""traceId":"5759e988bd862e3fe1be46a994272793""#))
    }
}
