import Testing
@testable import LambdaAPI

@Suite struct LambdaRouteTests {
    @Test(arguments: [
        ("POST", ["2015-03-31", "functions"], LambdaRoute.createFunction),
        ("GET", ["2015-03-31", "functions"], .listFunctions),
        ("GET", ["2015-03-31", "functions", "f"], .getFunction("f")),
        ("DELETE", ["2015-03-31", "functions", "f"], .deleteFunction("f")),
        ("GET", ["2015-03-31", "functions", "f", "configuration"], .getFunctionConfiguration("f")),
        ("PUT", ["2015-03-31", "functions", "f", "configuration"], .updateFunctionConfiguration("f")),
        ("PUT", ["2015-03-31", "functions", "f", "code"], .updateFunctionCode("f")),
        ("GET", ["2016-08-19", "account-settings"], .getAccountSettings),
        ("POST", ["2017-03-31", "tags", "arn:aws:lambda:us-east-1:000000000000:function:f"], .tagResource("arn:aws:lambda:us-east-1:000000000000:function:f")),
        ("DELETE", ["2017-03-31", "tags", "a"], .untagResource("a")),
        ("GET", ["2017-03-31", "tags", "a"], .listTags("a")),
        ("GET", ["_swiftlet", "code", "f", "abc"], .downloadCode(function: "f", digest: "abc")),
    ])
    func matches(method: String, segments: [String], route: LambdaRoute) {
        #expect(LambdaRoute.match(method: method, segments: segments) == route)
        #expect(LambdaRoute.claims(segments))
    }

    @Test(arguments: [
        ("PATCH", ["2015-03-31", "functions", "f"]),
        ("GET", ["2015-03-31", "nothing"]),
        ("POST", ["2015-03-31", "functions", "f", "code"]),
    ])
    func unknownOperations(method: String, segments: [String]) {
        #expect(LambdaRoute.match(method: method, segments: segments) == nil)
    }

    @Test func otherPathsAreNotLambdas() {
        #expect(!LambdaRoute.claims(["health"]))
        #expect(!LambdaRoute.claims([]))
    }
}
