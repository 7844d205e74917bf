import Delivery
import Testing
@testable import Topics

/// Filter policies against the examples of SNS's documentation ("Amazon SNS message filtering").
struct FilterPolicyTests {
    /// The documented message's attributes.
    let attributes: [String: DeliveryAttribute] = [
        "customer_interests": .init(dataType: "String.Array", stringValue: #"["soccer", "rugby", "hockey"]"#),
        "store": .string("example_corp"),
        "event": .string("order_placed"),
        "price_usd": .init(dataType: "Number", stringValue: "210.75"),
        "source_ip": .string("10.0.0.255"),
        "blob": .init(dataType: "Binary", binaryValue: [1, 2, 3]),
    ]

    func matches(_ policy: String) throws -> Bool {
        try FilterPolicy(json: policy, scope: .messageAttributes).matches(attributes: attributes)
    }

    @Test func documentedPolicyMatches() throws {
        #expect(try matches("""
            {"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],
             "customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]}
            """))
    }

    @Test func exactStringsAndArrays() throws {
        #expect(try matches(#"{"customer_interests":["rugby"]}"#))
        #expect(try !matches(#"{"customer_interests":["basketball"]}"#))
        #expect(try !matches(#"{"store":["Example_Corp"]}"#))
        // AND across keys, OR within a list.
        #expect(try !matches(#"{"store":["example_corp"],"event":["order_cancelled"]}"#))
        #expect(try matches(#"{"store":["other","example_corp"]}"#))
    }

    @Test func numbers() throws {
        #expect(try matches(#"{"price_usd":[210.75]}"#))
        #expect(try matches(#"{"price_usd":[{"numeric":["=",210.75]}]}"#))
        #expect(try !matches(#"{"price_usd":[{"numeric":[">",0,"<=",150]}]}"#))
        #expect(try matches(#"{"price_usd":[{"numeric":[">",100,"<",300]}]}"#))
        // A number is not a string.
        #expect(try !matches(#"{"price_usd":["210.75"]}"#))
    }

    @Test func prefixSuffixAndCase() throws {
        #expect(try matches(#"{"event":[{"prefix":"order_"}]}"#))
        #expect(try !matches(#"{"event":[{"prefix":"order-"}]}"#))
        #expect(try matches(#"{"event":[{"suffix":"_placed"}]}"#))
        #expect(try matches(#"{"event":[{"equals-ignore-case":"ORDER_PLACED"}]}"#))
    }

    @Test func anythingBut() throws {
        #expect(try !matches(#"{"event":[{"anything-but":["order_placed","x"]}]}"#))
        #expect(try !matches(#"{"event":[{"anything-but":{"prefix":"order"}}]}"#))
        #expect(try matches(#"{"event":[{"anything-but":{"prefix":["ship","bill"]}}]}"#))
        #expect(try !matches(#"{"event":[{"anything-but":{"suffix":["_placed"]}}]}"#))
        #expect(try matches(#"{"price_usd":[{"anything-but":[100, 200]}]}"#))
        // An absent attribute matches no anything-but.
        #expect(try !matches(#"{"missing":[{"anything-but":"x"}]}"#))
    }

    @Test func existsAndBinary() throws {
        #expect(try !matches(#"{"store":[{"exists":false}]}"#))
        #expect(try matches(#"{"encrypted":[{"exists":false}]}"#))
        #expect(try matches(#"{"store":[{"exists":true}]}"#))
        // Binary attributes are not filtered on.
        #expect(try !matches(#"{"blob":[{"exists":true}]}"#))
    }

    @Test func cidr() throws {
        #expect(try matches(#"{"source_ip":[{"cidr":"10.0.0.0/24"}]}"#))
        #expect(try !matches(#"{"source_ip":[{"cidr":"10.0.1.0/24"}]}"#))
        #expect(CIDRBlock("2001:db8::/32")!.contains("2001:db8:1::5"))
        #expect(!CIDRBlock("2001:db8::/32")!.contains("2001:db9::1"))
    }

    @Test func or() throws {
        #expect(try matches(#"{"store":["example_corp"],"$or":[{"event":["nope"]},{"price_usd":[{"numeric":[">",200]}]}]}"#))
        #expect(try !matches(#"{"$or":[{"event":["nope"]},{"price_usd":[{"numeric":["<",200]}]}]}"#))
    }

    @Test func stringArrayOfNumbers() throws {
        let policy = try FilterPolicy(json: #"{"ids":[2]}"#, scope: .messageAttributes)
        #expect(policy.matches(attributes: ["ids": .init(dataType: "String.Array", stringValue: "[1,2,3]")]))
        #expect(!policy.matches(attributes: ["ids": .init(dataType: "String.Array", stringValue: "[4]")]))
    }

    @Test func messageBodyScope() throws {
        let policy = try FilterPolicy(json: """
            {"store":{"name":["example_corp"]},"price_usd":[{"numeric":[">",100]}],"interests":["rugby"]}
            """, scope: .messageBody)
        #expect(policy.matches(body: #"{"store":{"name":"example_corp"},"price_usd":210.75,"interests":["soccer","rugby"]}"#))
        #expect(!policy.matches(body: #"{"store":{"name":"other"},"price_usd":210.75,"interests":["rugby"]}"#))
        #expect(!policy.matches(body: "not json"))
        let exists = try FilterPolicy(json: #"{"store":{"missing":[{"exists":false}]}}"#, scope: .messageBody)
        #expect(exists.matches(body: #"{"store":{"name":"x"}}"#))
    }

    @Test func refusedPolicies() {
        func reason(_ policy: String, _ scope: FilterPolicy.Scope = .messageAttributes) -> String? {
            do {
                _ = try FilterPolicy(json: policy, scope: scope)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason(#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#) == "Filter policy can not have more than 5 keys")
        let many = (0..<151).map { "\"v\($0)\"" }.joined(separator: ",")
        #expect(reason("{\"a\":[\(many)]}") == "Filter policy is too complex")
        #expect(reason(#"{"a":{"b":["x"]}}"#)?.hasPrefix("Filter policy scope MessageAttributes") == true)
        #expect(reason(#"{"a":{"b":["x"]}}"#, .messageBody) == nil)
        #expect(reason(#"{"a":[{"regex":"x"}]}"#) == "Unrecognized match type regex")
        #expect(reason(#"{"a":[]}"#) != nil)
        #expect(reason("[1]") != nil)
        #expect(reason("{") != nil)
        #expect(reason(#"{"a":[{"numeric":["<",5,">",1]}]}"#) != nil)
        #expect(reason(#"{"a":[{"cidr":"10.0.0.0"}]}"#) != nil)
        #expect(FilterPolicyError("Filter policy is too complex").topicError.message == "Invalid parameter: FilterPolicy: Filter policy is too complex")
    }
}
