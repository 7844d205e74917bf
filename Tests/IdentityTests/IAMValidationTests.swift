import Testing
@testable import Identity

/// IAM's input constraints as its service model states them, and AWS's wording of the violations.
@Suite struct IAMValidationTests {
    @Test(arguments: ["ci", "deploy-bot", "a.b@c,d=e+f_g", String(repeating: "n", count: 64)])
    func acceptsNamesOfTheModelsPattern(_ name: String) throws {
        #expect(try IAMValidation.name(name, member: "userName", max: 64) == name)
    }

    @Test(arguments: [
        ("a b", "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
        ("ci/1", "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
        ("é", "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
        ("", "Member must have length greater than or equal to 1"),
        (String(repeating: "n", count: 65), "Member must have length less than or equal to 64"),
    ])
    func refusesOtherNamesAsAWSWordsIt(_ name: String, _ constraint: String) {
        #expect(throws: IAMError.validation(
            "1 validation error detected: Value '\(name)' at 'userName' failed to satisfy constraint: \(constraint)")) {
            try IAMValidation.name(name, member: "userName", max: 64)
        }
    }

    @Test func aMissingRequiredMemberIsNull() {
        #expect(throws: IAMError.validation(
            "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null")) {
            try IAMValidation.name(nil, member: "roleName", max: 64)
        }
    }

    @Test(arguments: [(nil, "/"), ("/", "/"), ("/division_abc/subdivision_xyz/", "/division_abc/subdivision_xyz/"), ("/a!b/", "/a!b/")])
    func entityPaths(_ path: String?, _ expected: String) throws {
        #expect(try IAMValidation.path(path) == expected)
    }

    @Test(arguments: ["a/", "/a", "//", "/a b/", ""])
    func refusesPathsThatDoNotBeginAndEndWithASlash(_ path: String) {
        #expect(throws: IAMError.self) { try IAMValidation.path(path) }
    }

    @Test func policyPathsAllowOnlyNameCharactersBetweenSlashes() throws {
        #expect(try IAMValidation.policyPath("/service-role/") == "/service-role/")
        #expect(throws: IAMError.self) { try IAMValidation.policyPath("/a!b/") }
        #expect(throws: IAMError.self) { try IAMValidation.policyPath("/a//b/") }
    }

    @Test func policySizeIgnoresWhitespace() {
        #expect(IAMValidation.policySize("{ \"a\" :\n\t\"b\" }") == 9)
    }

    @Test func policyTextIsLatin1AndControlCharactersBarTabsAndNewlines() throws {
        #expect(try IAMValidation.policyText("{\t\"é\"\r\n}") == "{\t\"é\"\r\n}")
        #expect(throws: IAMError.self) { try IAMValidation.policyText("{\"€\"}") }
        #expect(throws: IAMError.self) { try IAMValidation.policyText("{\u{1}}") }
    }

    @Test func sessionDurationIsAnHourToTwelve() throws {
        #expect(try IAMValidation.maxSessionDuration(3600) == 3600)
        #expect(try IAMValidation.maxSessionDuration(43200) == 43200)
        #expect(throws: IAMError.validation(
            "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")) {
            try IAMValidation.maxSessionDuration(3599)
        }
        #expect(throws: IAMError.self) { try IAMValidation.maxSessionDuration(43201) }
    }

    @Test func versionIds() throws {
        #expect(try IAMValidation.versionId("v1") == "v1")
        #expect(try IAMValidation.versionId("v12") == "v12")
        for bad in ["1", "v0", "v", "va", "V1"] {
            #expect(throws: IAMError.self) { try IAMValidation.versionId(bad) }
        }
    }

    @Test func tagsAreAtMostFiftyWithDistinctKeysIgnoringCase() throws {
        try IAMValidation.tags((1...50).map { IAMTag(key: "k\($0)", value: "v") })
        try IAMValidation.tags([IAMTag(key: "équipe: été", value: "")])
        #expect(throws: IAMError.self) { try IAMValidation.tags((1...51).map { IAMTag(key: "k\($0)", value: "v") }) }
        #expect(throws: IAMError.invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")) {
            try IAMValidation.tags([IAMTag(key: "Env", value: "a"), IAMTag(key: "env", value: "b")])
        }
        #expect(throws: IAMError.self) { try IAMValidation.tags([IAMTag(key: "a*b", value: "")]) }
        #expect(throws: IAMError.self) { try IAMValidation.tags([IAMTag(key: String(repeating: "k", count: 129), value: "")]) }
        #expect(throws: IAMError.self) { try IAMValidation.tags([IAMTag(key: "k", value: String(repeating: "v", count: 257))]) }
    }

    @Test func errorsCarryTheirModeledCodesAndStatuses() {
        #expect(IAMError.noSuchEntity("x").awsError.status == 404)
        #expect(IAMError.entityAlreadyExists("x").awsError.status == 409)
        #expect(IAMError.deleteConflict("x").awsError.status == 409)
        #expect(IAMError.limitExceeded("x").awsError.status == 409)
        #expect(IAMError.malformedPolicyDocument("x").awsError.code == "MalformedPolicyDocument")
        #expect(IAMError.validation("x").awsError.code == "ValidationError")
        #expect(IAMError.invalidAction("Frobnicate", version: "2010-05-08").awsError.message
            == "Could not find operation Frobnicate for version 2010-05-08")
    }
}
