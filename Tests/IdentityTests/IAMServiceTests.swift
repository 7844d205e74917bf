import AWSProtocol
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import IAMAPI
import Testing
@testable import Identity

/// IAMService answering form-encoded query requests with the XML botocore's query parser reads.
@Suite struct IAMServiceTests {
    static func request(_ parameters: [(String, String)], caller: CallerIdentity? = nil) -> APIRequest {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
        let body = ([("Version", "2010-05-08")] + parameters)
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return APIRequest(method: "POST", rawPath: "/", pathSegments: [], query: [],
                          headers: [("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
                          body: Array(body.utf8), baseURL: "http://localhost", host: "localhost", requestId: "req-1", caller: caller)
    }

    /// The response's XML, after checking its envelope: `<{Action}Response>` in IAM's namespace with the request id.
    static func call(_ service: IAMService, _ action: String, _ parameters: [(String, String)] = [],
                     callerUserName: String? = nil) async throws -> XMLElement {
        let response = try await service.handle(request([("Action", action)] + parameters), callerUserName: callerUserName)
        #expect(response.status == 200)
        let root = try parse(response.body, root: "\(action)Response")
        #expect(root.name == "\(action)Response")
        #expect(try root.nodes(forXPath: "ResponseMetadata/RequestId").first?.stringValue == "req-1")
        return root
    }

    /// The document with its root's default namespace checked and taken off (XPath 1.0 finds unprefixed names
    /// only outside a namespace).
    static func parse(_ body: [UInt8], root: String) throws -> XMLElement {
        let text = String(decoding: body, as: UTF8.self)
        let declaration = " xmlns=\"\(IAMService.namespace)\""
        #expect(text.hasPrefix("<\(root)\(declaration)>"))
        let document = try XMLDocument(xmlString: text.replacingOccurrences(of: declaration, with: ""))
        return try #require(document.rootElement())
    }

    static func text(_ element: XMLElement, _ path: String) throws -> String? {
        try element.nodes(forXPath: path).first?.stringValue
    }

    static func texts(_ element: XMLElement, _ path: String) throws -> [String] {
        try element.nodes(forXPath: path).compactMap(\.stringValue)
    }

    @Test func usersAndTheirKeysAsXML() async throws {
        let iam = try await IAMFixture()
        let s = iam.service
        let created = try await Self.call(s, "CreateUser", [("UserName", "ci"), ("Path", "/bots/"),
                                                            ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "infra")])
        #expect(try Self.text(created, "CreateUserResult/User/Arn") == "arn:aws:iam::123456789012:user/bots/ci")
        #expect(try Self.text(created, "CreateUserResult/User/Tags/member/Key") == "team")
        let date = try #require(try Self.text(created, "CreateUserResult/User/CreateDate"))
        #expect(date.count == 20 && date.hasSuffix("Z") && date.dropFirst(10).first == "T", "ISO 8601 with Z: \(date)")

        let key = try await Self.call(s, "CreateAccessKey", [("UserName", "ci")])
        let id = try #require(try Self.text(key, "CreateAccessKeyResult/AccessKey/AccessKeyId"))
        #expect(try Self.text(key, "CreateAccessKeyResult/AccessKey/SecretAccessKey")?.count == 40)
        #expect(try Self.text(key, "CreateAccessKeyResult/AccessKey/Status") == "Active")

        let mine = try await Self.call(s, "ListAccessKeys", callerUserName: "ci")
        #expect(try Self.texts(mine, "ListAccessKeysResult/AccessKeyMetadata/member/AccessKeyId") == [id])
        #expect(try Self.text(mine, "ListAccessKeysResult/IsTruncated") == "false")
        #expect(try Self.text(try await Self.call(s, "GetUser", callerUserName: "ci"), "GetUserResult/User/UserName") == "ci")
        let root = try await Self.call(s, "GetUser")
        #expect(try Self.text(root, "GetUserResult/User/Arn") == "arn:aws:iam::123456789012:root")
        #expect(try Self.text(root, "GetUserResult/User/UserId") == "123456789012")

        let unused = try await Self.call(s, "GetAccessKeyLastUsed", [("AccessKeyId", id)])
        #expect(try Self.text(unused, "GetAccessKeyLastUsedResult/UserName") == "ci")
        #expect(try Self.text(unused, "GetAccessKeyLastUsedResult/AccessKeyLastUsed/ServiceName") == "N/A")
        #expect(try Self.text(unused, "GetAccessKeyLastUsedResult/AccessKeyLastUsed/LastUsedDate") == nil)

        let deleted = try await Self.call(s, "DeleteAccessKey", [("AccessKeyId", id)], callerUserName: "ci")
        #expect(try deleted.nodes(forXPath: "DeleteAccessKeyResult").isEmpty, "operations without output have no Result element")
    }

    @Test func listsArePagedWithMarkers() async throws {
        let iam = try await IAMFixture()
        for i in 1...5 { _ = try await iam.directory.createUser(name: "user\(i)") }
        var names: [String] = []
        var marker: String?
        var pages = 0
        repeat {
            let page = try await Self.call(iam.service, "ListUsers", [("MaxItems", "2")] + (marker.map { [("Marker", $0)] } ?? []))
            names += try Self.texts(page, "ListUsersResult/Users/member/UserName")
            marker = try Self.text(page, "ListUsersResult/Marker")
            #expect(try Self.text(page, "ListUsersResult/IsTruncated") == (marker == nil ? "false" : "true"))
            pages += 1
        } while marker != nil
        #expect(names == ["user1", "user2", "user3", "user4", "user5"] && pages == 3)
        await #expect(throws: IAMError.self) { _ = try await Self.call(iam.service, "ListUsers", [("MaxItems", "0")]) }
        await #expect(throws: IAMError.validation("Invalid Marker.")) {
            _ = try await Self.call(iam.service, "ListUsers", [("Marker", "garbage")])
        }
    }

    @Test func policyDocumentsTravelURLEncoded() async throws {
        let iam = try await IAMFixture()
        let s = iam.service
        let trust = IAMFixture.lambdaTrust
        let role = try await Self.call(s, "CreateRole", [("RoleName", "exec"), ("AssumeRolePolicyDocument", trust),
                                                         ("MaxSessionDuration", "7200")])
        let encoded = try #require(try Self.text(role, "CreateRoleResult/Role/AssumeRolePolicyDocument"))
        #expect(encoded.hasPrefix("%7B%22Version%22") && !encoded.contains(" "))
        #expect(encoded.removingPercentEncoding == trust)
        #expect(try Self.text(role, "CreateRoleResult/Role/MaxSessionDuration") == "7200")

        _ = try await Self.call(s, "PutRolePolicy", [("RoleName", "exec"), ("PolicyName", "all"), ("PolicyDocument", IAMFixture.allowAll)])
        let inline = try await Self.call(s, "GetRolePolicy", [("RoleName", "exec"), ("PolicyName", "all")])
        #expect(try Self.text(inline, "GetRolePolicyResult/RoleName") == "exec")
        #expect(try Self.text(inline, "GetRolePolicyResult/PolicyDocument")?.removingPercentEncoding == IAMFixture.allowAll)

        let created = try await Self.call(s, "CreatePolicy", [("PolicyName", "deploy"), ("PolicyDocument", IAMFixture.allowAll)])
        let arn = try #require(try Self.text(created, "CreatePolicyResult/Policy/Arn"))
        #expect(try Self.text(created, "CreatePolicyResult/Policy/DefaultVersionId") == "v1")
        #expect(try Self.text(created, "CreatePolicyResult/Policy/IsAttachable") == "true")
        _ = try await Self.call(s, "AttachRolePolicy", [("RoleName", "exec"), ("PolicyArn", arn)])
        let got = try await Self.call(s, "GetPolicy", [("PolicyArn", arn)])
        #expect(try Self.text(got, "GetPolicyResult/Policy/AttachmentCount") == "1")
        let version = try await Self.call(s, "GetPolicyVersion", [("PolicyArn", arn), ("VersionId", "v1")])
        #expect(try Self.text(version, "GetPolicyVersionResult/PolicyVersion/Document")?.removingPercentEncoding == IAMFixture.allowAll)
        #expect(try Self.text(version, "GetPolicyVersionResult/PolicyVersion/IsDefaultVersion") == "true")

        let aws = try await Self.call(s, "ListPolicies", [("Scope", "AWS"), ("PathPrefix", "/service-role/")])
        #expect(Set(try Self.texts(aws, "ListPoliciesResult/Policies/member/PolicyName"))
            == ["AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaRole"])
        let attached = try await Self.call(s, "ListPolicies", [("OnlyAttached", "true")])
        #expect(try Self.texts(attached, "ListPoliciesResult/Policies/member/Arn") == [arn])

        let details = try await Self.call(s, "GetAccountAuthorizationDetails")
        #expect(try Self.text(details, "GetAccountAuthorizationDetailsResult/RoleDetailList/member/RolePolicyList/member/PolicyName") == "all")
        #expect(try Self.text(details, "GetAccountAuthorizationDetailsResult/RoleDetailList/member/AttachedManagedPolicies/member/PolicyArn") == arn)
        #expect(try Self.texts(details, "GetAccountAuthorizationDetailsResult/Policies/member/PolicyName") == ["deploy"])
    }

    @Test func errorsAreIAMErrorsForTheEdgeToEncode() async throws {
        let iam = try await IAMFixture()
        await #expect(throws: IAMError.invalidAction("Frobnicate", version: "2010-05-08")) {
            _ = try await Self.call(iam.service, "Frobnicate")
        }
        await #expect(throws: IAMError.noSuchEntity("The user with name ci cannot be found.")) {
            _ = try await Self.call(iam.service, "GetUser", [("UserName", "ci")])
        }
        await #expect(throws: IAMError.validation("Must specify userName when calling with non-User credentials")) {
            let session = CallerIdentity(arn: "arn:aws:sts::123456789012:assumed-role/r/s", accountId: IAMFixture.account,
                                         userId: "AROAEXAMPLE:s", roleName: "r", accessKeyId: "ASIAEXAMPLE", isRoot: false)
            _ = try await iam.service.handle(Self.request([("Action", "GetUser")], caller: session), callerUserName: nil)
        }
        let error = IAMError.noSuchEntity("The user with name ci cannot be found.").awsError
        let xml = QueryResponse.error(error, namespace: IAMService.namespace, requestId: "req-2")
        let root = try Self.parse(xml.body, root: "ErrorResponse")
        #expect(xml.status == 404)
        #expect(try Self.text(root, "Error/Code") == "NoSuchEntity")
        #expect(try Self.text(root, "Error/Message") == "The user with name ci cannot be found.")
    }

    @Test func permissionsNameTheEntityTheRequestActsOn() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci", path: "/bots/")
        let needed = iam.service.permissions(for: Self.request([("Action", "DeleteUser"), ("UserName", "ci")]))
        #expect(needed == [RequiredPermission(action: "iam:DeleteUser", resource: "arn:aws:iam::123456789012:user/bots/ci")])
    }

    @Test func everyOperationOfTheBriefIsAnswered() {
        let expected = """
            CreateUser GetUser ListUsers DeleteUser UpdateUser TagUser UntagUser ListUserTags CreateAccessKey ListAccessKeys
            DeleteAccessKey UpdateAccessKey GetAccessKeyLastUsed CreateRole GetRole ListRoles DeleteRole UpdateRole
            UpdateRoleDescription UpdateAssumeRolePolicy TagRole UntagRole ListRoleTags PutUserPolicy GetUserPolicy
            ListUserPolicies DeleteUserPolicy PutRolePolicy GetRolePolicy ListRolePolicies DeleteRolePolicy PutGroupPolicy
            GetGroupPolicy ListGroupPolicies DeleteGroupPolicy CreatePolicy GetPolicy DeletePolicy ListPolicies TagPolicy
            UntagPolicy ListPolicyTags CreatePolicyVersion GetPolicyVersion ListPolicyVersions DeletePolicyVersion
            SetDefaultPolicyVersion AttachUserPolicy AttachRolePolicy AttachGroupPolicy DetachUserPolicy DetachRolePolicy
            DetachGroupPolicy ListAttachedUserPolicies ListAttachedRolePolicies ListAttachedGroupPolicies ListEntitiesForPolicy
            CreateGroup GetGroup ListGroups DeleteGroup UpdateGroup AddUserToGroup RemoveUserFromGroup ListGroupsForUser
            GetAccountAuthorizationDetails
            """.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(Set(IAMService.operationNames) == Set(expected))
    }
}
