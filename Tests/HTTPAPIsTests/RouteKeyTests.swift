import Testing
@testable import HTTPAPIs

@Suite struct RouteKeyTests {
    @Test(arguments: ["$default", "GET /", "GET /items/{id}", "ANY /{proxy+}", "POST /a/b/{c}/{rest+}", "DELETE /x-y/z.json",
                      "OPTIONS /items", "PATCH /items/{item_id}"])
    func accepts(_ key: String) throws {
        #expect(try RouteKey.parse(key).rawValue == key)
    }

    @Test(arguments: ["", "GET", "/items", "get /items", "FETCH /items", "GET items", "GET  /items", "GET /items/",
                      "GET //items", "GET /{proxy+}/x", "GET /{}", "GET /{id}/{id}", "GET /a{id}", "GET /items?x=1",
                      "$default ", "GET /items extra"])
    func refuses(_ key: String) {
        #expect(throws: HTTPAPIError.self) { try RouteKey.parse(key) }
    }

    @Test func refusalIsABadRequest() {
        do {
            _ = try RouteKey.parse("GET items")
            Issue.record("parsed")
        } catch {
            #expect(error.awsError.code == "BadRequestException")
            #expect(error.awsError.status == 400)
        }
    }

    @Test func segments() throws {
        let key = try RouteKey.parse("GET /items/{id}/{rest+}")
        #expect(key.method == "GET")
        #expect(key.segments == [.literal("items"), .variable("id"), .greedy("rest")])
        #expect(try RouteKey.parse("$default").isDefault)
    }
}
