import AWSProtocol
import Foundation
import Queues
import Testing
@testable import AsyncInvocation
@testable import EventSourceMappings

@Suite struct AsyncTimingTests {
    @Test func retriesWaitAboutOneThenTwoMinutesAndSpeedUpScalesEverything() {
        let real = AsyncTiming()
        #expect(real.retryDelayMs(afterAttempts: 1) == 60_000)
        #expect(real.retryDelayMs(afterAttempts: 2) == 120_000)
        #expect(real.eventAgeMs(seconds: 60) == 60_000)
        let fast = AsyncTiming(speedup: 100)
        #expect(fast.retryDelayMs(afterAttempts: 1) == 600)
        #expect(fast.eventAgeMs(seconds: 21_600) == 216_000)
        #expect(fast.throttleDelayMs == 10)
    }

    @Test func recordTimestampsAreUTCWithMilliseconds() {
        #expect(InvocationRecord.timestamp(Date(timeIntervalSince1970: 1_795_650_000.123)) == "2026-11-25T23:40:00.123Z")
    }

    @Test func recordEmbedsPayloadsAsJSON() throws {
        let record = InvocationRecord(
            timestamp: "t", requestContext: .init(requestId: "r", functionArn: "a", condition: "Success", approximateInvokeCount: 1),
            requestPayload: JSONValue(parsing: Array(#"{"x":[1,true,null]}"#.utf8))!, responseContext: nil, responsePayload: nil)
        let parsed = try JSONSerialization.jsonObject(with: Data(record.json.utf8)) as! [String: Any]
        let payload = parsed["requestPayload"] as! [String: Any]
        #expect((payload["x"] as! [Any]).count == 3)
        #expect(parsed["version"] as? String == "1.0")
        #expect(parsed["responseContext"] == nil)
    }
}

@Suite struct BatchItemFailuresTests {
    let batch: Set<String> = ["a", "b"]

    @Test func reportedIdsAreKeptTheRestDeleted() {
        #expect(BatchItemFailures.failedIds(Array(#"{"batchItemFailures":[{"itemIdentifier":"b"}]}"#.utf8), batch: batch) == ["b"])
        #expect(BatchItemFailures.failedIds(Array(#"{"batchItemFailures":[]}"#.utf8), batch: batch) == [])
        #expect(BatchItemFailures.failedIds(Array("null".utf8), batch: batch) == [])
        #expect(BatchItemFailures.failedIds([], batch: batch) == [])
    }

    /// FIFO: a failed message keeps the later messages of its group; other groups are settled as reported.
    @Test func aFailedFifoMessageHoldsBackTheRestOfItsGroup() {
        func received(_ id: String, _ group: String) -> ReceivedMessage {
            ReceivedMessage(message: StoredMessage(id: id, body: id, attributes: [:], systemAttributes: [:], senderId: "s", sentAt: 0,
                                                   visibleAt: 0, groupId: group), receipt: id)
        }
        let batch = [received("a1", "a"), received("b1", "b"), received("a2", "a"), received("b2", "b"), received("a3", "a")]
        #expect(MappingPoller.withLaterOfTheirGroups(["a2"], in: batch) == ["a2", "a3"])
        #expect(MappingPoller.withLaterOfTheirGroups(["b1", "a3"], in: batch) == ["b1", "b2", "a3"])
        #expect(MappingPoller.withLaterOfTheirGroups([], in: batch) == [])
    }

    @Test func anUnknownOrEmptyIdentifierFailsTheWholeBatch() {
        #expect(BatchItemFailures.failedIds(Array(#"{"batchItemFailures":[{"itemIdentifier":"zzz"}]}"#.utf8), batch: batch) == nil)
        #expect(BatchItemFailures.failedIds(Array(#"{"batchItemFailures":[{"itemIdentifier":""}]}"#.utf8), batch: batch) == nil)
        #expect(BatchItemFailures.failedIds(Array("not json".utf8), batch: batch) == nil)
    }

    @Test func sqsEventCarriesLambdasRecordShape() throws {
        let message = StoredMessage(id: "m1", body: "hi", attributes: ["k": MessageAttributeValue(DataType: "String", StringValue: "v")],
                                    systemAttributes: [:], senderId: "000000000000", sentAt: 10, visibleAt: 10, receiveCount: 1, firstReceiveAt: 12)
        let event = SQSEvent([ReceivedMessage(message: message, receipt: "rh")], queueArn: "arn:aws:sqs:us-east-1:000000000000:q", region: "us-east-1")
        let parsed = try JSONSerialization.jsonObject(with: Data(event.json)) as! [String: Any]
        let record = (parsed["Records"] as! [[String: Any]])[0]
        #expect(record["eventSource"] as? String == "aws:sqs")
        #expect(record["md5OfBody"] as? String == "49f68a5c8493ec2c0bf489821c21fc3b")
        #expect((record["attributes"] as! [String: Any])["ApproximateFirstReceiveTimestamp"] as? String == "12")
        #expect(((record["messageAttributes"] as! [String: Any])["k"] as! [String: Any])["dataType"] as? String == "String")
    }
}
