import Events
import Foundation
import JSONText
import Testing

/// The examples of AWS's "Amazon EventBridge input transformation" page and the InputTransformer API reference,
/// on their EC2 state-change event.
@Suite struct InputTransformerTests {
    static let ec2Detail = #"{"instance-id": "i-0123456789", "state": "RUNNING", "count": 3, "tags": {"a": 1}}"#

    static func event() -> EventEnvelope {
        EventEnvelope(id: "7bf73129-1428-4cd3-a780-95db273d1602", source: "aws.ec2", detailType: "EC2 Instance State-change Notification",
                      detail: JSONText(parsing: Array(ec2Detail.utf8))!, resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
                      time: Date(timeIntervalSince1970: 1_447_277_394), account: "123456789012", region: "us-east-1",
                      ingestionTime: Date(timeIntervalSince1970: 1_447_277_394.5))
    }

    static let rule = RuleContext(arn: "arn:aws:events:us-east-1:123456789012:rule/r", name: "r")

    func render(_ paths: [String: String], _ template: String) throws -> String {
        let target = EventTarget(Id: "t", Arn: "arn:aws:sqs:us-east-1:123456789012:q",
                                 InputTransformer: TargetInputTransformer(InputPathsMap: paths, InputTemplate: template))
        return try TargetInput(target).render(Self.event(), rule: Self.rule)
    }

    static let paths = ["instance": "$.detail.instance-id", "state": "$.detail.state", "timestamp": "$.time",
                        "resource": "$.resources[0]", "count": "$.detail.count", "tags": "$.detail.tags"]

    @Test func stringTemplateTakesValuesAsText() throws {
        #expect(try render(Self.paths, #""instance <instance> is in <state>""#) == #""instance i-0123456789 is in RUNNING""#)
        #expect(try render(Self.paths, #""<instance> is in state \"<state>\"""#) == #""i-0123456789 is in state \"RUNNING\"""#)
        // Not JSON at all: plain text.
        #expect(try render(Self.paths, "<instance> is in state <state> at <timestamp>") == "i-0123456789 is in state RUNNING at 2015-11-11T21:29:54Z")
    }

    @Test func jsonTemplateQuotesStringsAndKeepsOtherValues() throws {
        #expect(try render(Self.paths, #"{"instance" : <instance>, "state": [9, <state>, true], "Transformed" : "Yes" }"#)
                == #"{"instance" : "i-0123456789", "state": [9, "RUNNING", true], "Transformed" : "Yes" }"#)
        #expect(try render(Self.paths, #"{"myInstance": <instance>,"myStatus": "<instance> is in state \"<state>\""}"#)
                == #"{"myInstance": "i-0123456789","myStatus": "i-0123456789 is in state \"RUNNING\""}"#)
        #expect(try render(Self.paths, #"{"n": <count>, "tags": <tags>, "r": <resource>}"#)
                == #"{"n": 3, "tags": {"a":1}, "r": "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"}"#)
        // A path that reaches nothing: null as a value, nothing inside a string.
        #expect(try render(["gone": "$.detail.nothing"], #"{"v": <gone>, "s": "x<gone>y"}"#) == #"{"v": null, "s": "xy"}"#)
    }

    @Test func predefinedVariables() throws {
        #expect(try render([:], #"{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": <aws.events.event.ingestion-time>}"#)
                == #"{"arn": "arn:aws:events:us-east-1:123456789012:rule/r", "name": "r", "at": "2015-11-11T21:29:54.500Z"}"#)
        let whole = try render([:], #"{"e": <aws.events.event.json>}"#)
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(whole.utf8)) as? [String: Any])
        let e = try #require(parsed["e"] as? [String: Any])
        #expect(e["id"] as? String == "7bf73129-1428-4cd3-a780-95db273d1602")
        #expect((e["detail"] as? [String: Any])?["state"] as? String == "RUNNING")
        let noDetail = try render([:], #"{"e": <aws.events.event>}"#)
        #expect(!noDetail.contains("\"detail\":") && noDetail.contains("\"detail-type\""))
    }

    @Test func inputAndInputPath() throws {
        let constant = EventTarget(Id: "t", Arn: "arn:aws:sqs:us-east-1:1:q", Input: #"{"fixed": [1, 2]}"#)
        #expect(try TargetInput(constant).render(Self.event(), rule: Self.rule) == #"{"fixed": [1, 2]}"#)
        let path = EventTarget(Id: "t", Arn: "arn:aws:sqs:us-east-1:1:q", InputPath: "$.detail")
        #expect(try TargetInput(path).render(Self.event(), rule: Self.rule) == #"{"instance-id":"i-0123456789","state":"RUNNING","count":3,"tags":{"a":1}}"#)
        let wildcard = EventTarget(Id: "t", Arn: "arn:aws:sqs:us-east-1:1:q", InputPath: "$.resources[*]")
        #expect(try TargetInput(wildcard).render(Self.event(), rule: Self.rule) == #"["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]"#)
    }

    @Test func badTransformersAreRefused() {
        let cases: [EventTarget] = [
            EventTarget(Id: "t", Arn: "a", Input: "{", InputPath: nil),
            EventTarget(Id: "t", Arn: "a", Input: "{}", InputPath: "$.detail"),
            EventTarget(Id: "t", Arn: "a", InputPath: "detail"),
            EventTarget(Id: "t", Arn: "a", InputTransformer: TargetInputTransformer(InputPathsMap: ["a": "$.x"], InputTemplate: #"{"a": <a>,}"#)),
            EventTarget(Id: "t", Arn: "a", InputTransformer: TargetInputTransformer(InputPathsMap: ["a b": "$.x"], InputTemplate: "<a b>")),
            EventTarget(Id: "t", Arn: "a", InputTransformer: TargetInputTransformer(
                InputPathsMap: Dictionary(uniqueKeysWithValues: (0...100).map { ("v\($0)", "$.x") }), InputTemplate: "x")),
            EventTarget(Id: "t", Arn: "a", InputTransformer: TargetInputTransformer(InputTemplate: "")),
        ]
        for target in cases {
            #expect(throws: EventsError.self) { _ = try TargetInput(target) }
        }
    }
}
