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
        ("GET", ["_swiftlet", "layer", "l", "2"], .downloadLayer(layer: "l", version: "2")),
        ("POST", ["2015-03-31", "functions", "f", "versions"], .publishVersion("f")),
        ("GET", ["2015-03-31", "functions", "f", "versions"], .listVersions("f")),
        ("POST", ["2015-03-31", "functions", "f", "aliases"], .createAlias("f")),
        ("GET", ["2015-03-31", "functions", "f", "aliases"], .listAliases("f")),
        ("GET", ["2015-03-31", "functions", "f", "aliases", "live"], .getAlias(function: "f", alias: "live")),
        ("PUT", ["2015-03-31", "functions", "f", "aliases", "live"], .updateAlias(function: "f", alias: "live")),
        ("DELETE", ["2015-03-31", "functions", "f", "aliases", "live"], .deleteAlias(function: "f", alias: "live")),
        ("POST", ["2015-03-31", "functions", "f", "policy"], .addPermission("f")),
        ("GET", ["2015-03-31", "functions", "f", "policy"], .getPolicy("f")),
        ("DELETE", ["2015-03-31", "functions", "f", "policy", "sid"], .removePermission(function: "f", statementId: "sid")),
        ("PUT", ["2017-10-31", "functions", "f", "concurrency"], .putFunctionConcurrency("f")),
        ("DELETE", ["2017-10-31", "functions", "f", "concurrency"], .deleteFunctionConcurrency("f")),
        ("GET", ["2019-09-30", "functions", "f", "concurrency"], .getFunctionConcurrency("f")),
        ("PUT", ["2019-09-30", "functions", "f", "provisioned-concurrency"], .putProvisionedConcurrency("f")),
        ("GET", ["2019-09-30", "functions", "f", "provisioned-concurrency"], .getProvisionedConcurrency("f")),
        ("DELETE", ["2019-09-30", "functions", "f", "provisioned-concurrency"], .deleteProvisionedConcurrency("f")),
        ("GET", ["2018-10-31", "layers"], .listLayers),
        ("POST", ["2018-10-31", "layers", "l", "versions"], .publishLayerVersion("l")),
        ("GET", ["2018-10-31", "layers", "l", "versions"], .listLayerVersions("l")),
        ("GET", ["2018-10-31", "layers", "l", "versions", "3"], .getLayerVersion(layer: "l", version: "3")),
        ("DELETE", ["2018-10-31", "layers", "l", "versions", "3"], .deleteLayerVersion(layer: "l", version: "3")),
        ("POST", ["2018-10-31", "layers", "l", "versions", "3", "policy"], .addLayerVersionPermission(layer: "l", version: "3")),
        ("GET", ["2018-10-31", "layers", "l", "versions", "3", "policy"], .getLayerVersionPolicy(layer: "l", version: "3")),
        ("DELETE", ["2018-10-31", "layers", "l", "versions", "3", "policy", "s"],
         .removeLayerVersionPermission(layer: "l", version: "3", statementId: "s")),
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

    @Test func queryParametersPickTheOperation() {
        let list = LambdaRoute.match(method: "GET", segments: ["2019-09-30", "functions", "f", "provisioned-concurrency"],
                                     query: { $0 == "List" ? "ALL" : nil })
        #expect(list == .listProvisionedConcurrency("f"))
        let byArn = LambdaRoute.match(method: "GET", segments: ["2018-10-31", "layers"], query: { $0 == "find" ? "LayerVersion" : nil })
        #expect(byArn == .getLayerVersionByArn)
    }

    @Test func otherPathsAreNotLambdas() {
        #expect(!LambdaRoute.claims(["health"]))
        #expect(!LambdaRoute.claims([]))
    }
}
