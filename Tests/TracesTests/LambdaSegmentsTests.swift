import JSONText
import Testing
@testable import Traces

@Suite struct LambdaSegmentsTests {
    static func invocation(cold: Bool, error: String? = nil, caller: String? = nil) -> LambdaInvocation {
        LambdaInvocation(
            traceId: "1-5759e988-bd862e3fe1be46a994272793", functionSegmentId: "aaaaaaaaaaaaaaaa", callerSegmentId: caller,
            functionName: "orders", functionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders:live",
            requestId: "r-1", received: 1000.000001, initStart: cold ? 1000.001 : nil, initEnd: cold ? 1000.2 : nil,
            invocationStart: 1000.2, invocationEnd: 1000.25, finished: 1000.2505, functionError: error, platformError: false)
    }

    @Test func aColdStartHasBothSegmentsAndThreeSubsegments() throws {
        let docs = LambdaSegments.documents(for: Self.invocation(cold: true))
        try #require(docs.count == 2)
        let (service, function) = (docs[0], docs[1])
        #expect(service.origin == "AWS::Lambda" && function.origin == "AWS::Lambda::Function")
        #expect(service.name == "orders" && function.name == "orders")
        #expect(service.parentId == nil && function.parentId == service.id && function.id == "aaaaaaaaaaaaaaaa")
        #expect(service.startTime == 1000.000001 && service.endTime == 1000.2505)
        #expect(function.startTime == 1000.001 && function.endTime == 1000.2505)
        #expect(service.resourceARN == "arn:aws:lambda:us-east-1:000000000000:function:orders:live")
        #expect(function.resourceARN == "arn:aws:lambda:us-east-1:000000000000:function:orders")
        #expect(service.accountId == "000000000000" && service.http.status == 200)
        #expect(function.subsegmentIds.count == 3 && !function.anyFault)
        let text = function.text
        let names = ["\"Initialization\"", "\"Invocation\"", "\"Overhead\""].map { text.range(of: $0)?.lowerBound }
        #expect(names.allSatisfy { $0 != nil } && names[0]! < names[1]! && names[1]! < names[2]!)
        #expect(service.text.contains("\"start_time\":1000.000001,"), "microseconds: \(service.text)")
    }

    @Test func aWarmInvocationHasNoInitialization() {
        let docs = LambdaSegments.documents(for: Self.invocation(cold: false))
        #expect(docs[1].startTime == 1000.2 && docs[1].subsegmentIds.count == 2)
        #expect(!docs[1].text.contains("Initialization"))
    }

    @Test func aFunctionErrorIsAFaultWithItsType() {
        let docs = LambdaSegments.documents(for: Self.invocation(cold: false, error: "ValueError", caller: "bbbbbbbbbbbbbbbb"))
        #expect(docs[0].parentId == "bbbbbbbbbbbbbbbb" && !docs[0].anyFault)
        #expect(docs[1].fault && docs[1].text.contains("\"type\":\"ValueError\""))
    }
}

extension LambdaSegmentsTests {
    @Test(arguments: [true, false])
    func theBuiltDocumentsAreWhatTheParserReadsFromTheirText(_ cold: Bool) throws {
        var invocation = Self.invocation(cold: cold, error: cold ? nil : "ValueError", caller: "bbbbbbbbbbbbbbbb")
        if !cold { invocation.queuedAt = 999.5; invocation.attempt = 2 }
        for built in LambdaSegments.documents(for: invocation) {
            let parsed = try SegmentParser.parse(built.text).get()
            #expect(parsed.id == built.id && parsed.traceId == built.traceId && parsed.name == built.name)
            #expect(parsed.parentId == built.parentId && parsed.origin == built.origin && parsed.resourceARN == built.resourceARN)
            #expect(parsed.startTime == built.startTime && parsed.endTime == built.endTime)
            #expect(parsed.fault == built.fault && parsed.anyFault == built.anyFault && parsed.http == built.http)
            #expect(parsed.subsegmentIds == built.subsegmentIds && parsed.accountId == built.accountId)
            #expect(JSONTextWriter.string(parsed.json) == built.text)
        }
    }
}
