import Testing
@testable import HTTPIngress

@Suite struct ProxyResponseTests {
    @Test func aResultWithStatusCodeIsAResponse() throws {
        let mapped = try #require(ProxyResponse.v2(Array(#"""
            {"statusCode": 201, "headers": {"x-b": "2", "X-A": 1, "flag": true}, "cookies": ["c=1", "d=2"], "body": "hi"}
            """#.utf8)))
        #expect(mapped.status == 201)
        #expect(mapped.headers.map(\.name) == ["x-b", "X-A", "flag", "Set-Cookie", "Set-Cookie", "Content-Type"])
        #expect(mapped.headers.map(\.value) == ["2", "1", "true", "c=1", "d=2", "application/json"])
        #expect(mapped.body == Array("hi".utf8))
    }

    @Test func anyOtherJSONIsA200WithTheJSONAsBody() throws {
        for text in [#"{"hello":"world"}"#, #""text""#, "42", "[1,2]", "null"] {
            let mapped = try #require(ProxyResponse.v2(Array(text.utf8)))
            #expect(mapped.status == 200)
            #expect(mapped.headers.first?.value == "application/json")
            #expect(mapped.body == Array(text.utf8))
        }
    }

    @Test func base64BodiesAreDecoded() throws {
        let mapped = try #require(ProxyResponse.v2(Array(#"{"statusCode":200,"isBase64Encoded":true,"body":"AAH/"}"#.utf8)))
        #expect(mapped.body == [0, 1, 255])
    }

    @Test func malformedResponsesAreRefused() {
        for text in [#"{"statusCode":"200"}"#, #"{"statusCode":99}"#, #"{"statusCode":101}"#, #"{"statusCode":1e300}"#, #"{"statusCode":200.5}"#, #"{"statusCode":200,"headers":[]}"#,
                     #"{"statusCode":200,"body":{"a":1}}"#, #"{"statusCode":200,"isBase64Encoded":true,"body":"!!"}"#,
                     "not json", #"{"statusCode":200,"cookies":"a=1"}"#] {
            #expect(ProxyResponse.v2(Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test func payload1NeedsStatusCodeAndMergesMultiValueHeaders() throws {
        #expect(ProxyResponse.v1(Array(#"{"body":"x"}"#.utf8)) == nil)
        let mapped = try #require(ProxyResponse.v1(Array(#"""
            {"statusCode": 200, "headers": {"a": "1", "b": "2"}, "multiValueHeaders": {"b": ["3", "4"]}, "body": "x"}
            """#.utf8)))
        #expect(mapped.headers.map { "\($0.name)=\($0.value)" } == ["b=3", "b=4", "a=1"])
    }
}

@Suite struct RequestFactsTests {
    @Test func headersCookiesAndQueryAreGroupedAsAPIGatewayGroupsThem() {
        let request = IngressRequest(
            method: "GET", rawPath: "/a%20b", rawQuery: "x=1&x=2&y=%2F&flag",
            headers: [("Cookie", "a=1; b=2"), ("X-Many", "1"), ("x-many", "2"), ("User-Agent", "ua")], body: [],
            httpVersion: "HTTP/1.1", sourceIp: "127.0.0.1", requestId: "r")
        let facts = RequestFacts(request)
        #expect(facts.cookies == ["a=1", "b=2"])
        #expect(facts.headers["x-many"] == "1,2" && facts.headers["user-agent"] == "ua" && facts.headers["cookie"] == nil)
        #expect(facts.headers["x-forwarded-for"] == "127.0.0.1" && facts.headers["x-forwarded-proto"] == "http")
        #expect(facts.headers["x-amzn-trace-id"]?.hasPrefix("Root=1-") == true)
        #expect(facts.multiValueHeaders["X-Many"] == ["1", "2"])
        #expect(facts.query == ["x": "1,2", "y": "/", "flag": ""])
        #expect(facts.multiValueQuery["x"] == ["1", "2"])
        #expect(facts.body == nil && !facts.isBase64Encoded)
        #expect(request.decodedPath == "/a b")
    }

    @Test func binaryOrNonUTF8BodiesAreBase64() {
        func facts(_ type: String?, _ body: [UInt8]) -> RequestFacts {
            RequestFacts(IngressRequest(method: "POST", rawPath: "/", rawQuery: "", headers: type.map { [("Content-Type", $0)] } ?? [],
                                        body: body, httpVersion: "HTTP/1.1", sourceIp: "127.0.0.1", requestId: "r"))
        }
        #expect(facts("application/json; charset=utf-8", Array("{}".utf8)).body == "{}")
        #expect(facts("application/vnd.api+json", Array("{}".utf8)).isBase64Encoded == false)
        #expect(facts(nil, Array("plain".utf8)).body == "plain")
        #expect(facts("image/png", [1, 2, 3]).body == "AQID")
        #expect(facts("text/plain", [0xff, 0xfe]).isBase64Encoded == true)
    }

    @Test func timeIsInCommonLogFormat() {
        #expect(RequestFacts.clfTime(1_583_348_638) == "04/Mar/2020:19:03:58 +0000")
    }
}

@Suite struct CorsRulesTests {
    let rules = CorsRules(allowOrigins: ["https://a.example"], allowMethods: ["GET", "POST"], allowHeaders: ["x-h"],
                          exposeHeaders: ["x-e"], maxAge: 60, allowCredentials: true)

    func preflight(origin: String, method: String) -> IngressRequest {
        IngressRequest(method: "OPTIONS", rawPath: "/", rawQuery: "",
                       headers: [("Origin", origin), ("Access-Control-Request-Method", method)], body: [],
                       httpVersion: "HTTP/1.1", sourceIp: "127.0.0.1", requestId: "r")
    }

    @Test func preflightAnswersOnlyAllowedOriginsAndMethods() {
        #expect(CorsRules.isPreflight(preflight(origin: "https://a.example", method: "GET")))
        let headers = rules.preflightHeaders(preflight(origin: "https://a.example", method: "POST"))
        #expect(headers.first { $0.name == "Access-Control-Allow-Origin" }?.value == "https://a.example")
        #expect(headers.first { $0.name == "Access-Control-Max-Age" }?.value == "60")
        #expect(rules.preflightHeaders(preflight(origin: "https://b.example", method: "POST")).isEmpty)
        #expect(rules.preflightHeaders(preflight(origin: "https://a.example", method: "DELETE")).isEmpty)
    }

    @Test func responsesGetTheConfiguredHeadersInsteadOfTheFunctions() {
        let headers = rules.applied(to: [("access-control-allow-origin", "*"), ("x", "1")], origin: "https://a.example")
        #expect(headers.filter { $0.name.lowercased() == "access-control-allow-origin" }.map(\.value) == ["https://a.example"])
        #expect(headers.contains { $0.name == "Access-Control-Expose-Headers" && $0.value == "x-e" })
        let star = CorsRules(allowOrigins: ["*"])
        #expect(star.applied(to: [], origin: "https://z.example").first?.value == "*")
        #expect(rules.applied(to: [("x", "1")], origin: "https://evil.example").count == 1)
    }
}

@Suite struct AddressingTests {
    @Test func loopbackAddressesAreStableAndOutsideTheHostsOwn() {
        let address = LoopbackAddress.of(.functionURL, id: "abc")
        #expect(address == LoopbackAddress.of(.functionURL, id: "abc"))
        #expect(address != LoopbackAddress.of(.httpAPI, id: "abc"))
        #expect(LoopbackAddress.isEndpointAddress(address))
        #expect(!LoopbackAddress.isEndpointAddress("127.0.0.1"))
        for i in 0..<2000 {
            let parts = LoopbackAddress.of(.httpAPI, id: "id\(i)").split(separator: ".").compactMap { Int($0) }
            #expect(parts.count == 4 && parts[0] == 127 && (1...254).contains(parts[1]))
        }
    }

    @Test func hostRouting() {
        let url = EndpointTable.parseHost("Abc123.lambda-url.us-east-1.localhost:8910", region: "us-east-1", domain: "localhost")
        #expect(url == .init(kind: .functionURL, id: "abc123"))
        #expect(EndpointTable.parseHost("a1.execute-api.us-east-1.example.com", region: "us-east-1", domain: "example.com")
                == .init(kind: .httpAPI, id: "a1"))
        #expect(EndpointTable.parseHost("a1.execute-api.eu-west-1.example.com", region: "us-east-1", domain: "example.com") == nil)
        #expect(EndpointTable.parseHost("127.0.0.1:8910", region: "us-east-1", domain: "localhost") == nil)
        #expect(EndpointTable.parseHost("x.y.lambda-url.us-east-1.localhost", region: "us-east-1", domain: "localhost") == nil)
    }

    @Test func tableRoutesByAddressFirst() {
        let table = EndpointTable(region: "us-east-1", domain: "localhost")
        let endpoint = EndpointTable.Endpoint(kind: .httpAPI, id: "api1")
        let address = table.add(endpoint)
        #expect(table.endpoint(localAddress: address, host: "whatever") == endpoint)
        // Its address is its own (free for itself), another endpoint's address is free, and it is taken while routed.
        #expect(table.isFree(endpoint))
        #expect(LoopbackAddress.of(.httpAPI, id: "other") != address && table.isFree(.init(kind: .httpAPI, id: "other")))
        #expect(table.endpoint(localAddress: address, host: nil) == endpoint)
        #expect(table.remove(endpoint) == address)
        #expect(table.endpoint(localAddress: address, host: nil) == nil)
    }

    @Test func targetsSplitIntoPathAndQuery() {
        #expect(IngressConnectionHandler.splitTarget("/a/b?x=1&y") == ("/a/b", "x=1&y"))
        #expect(IngressConnectionHandler.splitTarget("/") == ("/", ""))
        #expect(IngressConnectionHandler.splitTarget("http://h:1/p?q") == ("/p", "q"))
    }
}

@Suite struct StreamPreludeTests {
    @Test func preludeEndsAtEightNULs() throws {
        var bytes = Array(#"{"statusCode":201,"headers":{"a":"b"},"cookies":["c=1"]}"#.utf8)
        let end = bytes.count
        bytes += [UInt8](repeating: 0, count: 8) + Array("body".utf8)
        #expect(StreamSource.delimiter(in: bytes) == end)
        let prelude = try #require(StreamSource.prelude(Array(bytes[..<end])))
        #expect(prelude.status == 201)
        #expect(prelude.headers.map(\.name) == ["a", "Set-Cookie", "Content-Type"])
        #expect(StreamSource.delimiter(in: [0, 0, 0, 0, 0, 0, 0]) == nil)
        // A status no HTTP response can carry is refused, not trapped on.
        for status in ["1e300", "100", "42", "\"200\"", "200.5"] {
            #expect(StreamSource.prelude(Array("{\"statusCode\":\(status)}".utf8)) == nil, "\(status)")
        }
    }
}
