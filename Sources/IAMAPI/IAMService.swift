import AWSProtocol
import Foundation
import Identity

/// The IAM query protocol (signing name `iam`, `POST /` with a form body, version 2010-05-08) over an
/// `IAMDirectory`: reads the form, dispatches on `Action`, answers in XML as botocore's query parser reads it.
/// Errors are thrown as `IAMError` for the Edge to encode.
public struct IAMService: Sendable {
    public static let namespace = "https://iam.amazonaws.com/doc/2010-05-08/"
    public static let iamSigningName = "iam"
    public static let version = "2010-05-08"

    public let directory: IAMDirectory
    /// What GetUser tells root credentials the root's creation date is: when this service started.
    let rootCreateDate: Date

    public init(directory: IAMDirectory) {
        self.directory = directory
        self.rootCreateDate = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    }

    /// The IAM permission the request needs (`iam:<Action>` on the entity it names), for the Edge to check.
    public func permissions(for request: APIRequest) -> [RequiredPermission] {
        let form = QueryForm(body: request.body, query: request.query)
        // An unknown action needs no permission: the operation answers InvalidAction, as IAM does.
        guard let action = form.action, Self.operations[action] != nil else { return [] }
        return IAMPermissions.required(action: action, form: form, caller: request.caller,
                                       snapshot: directory.state.snapshot, accountId: directory.accountId)
    }

    /// Answers one request. `callerUserName` is the IAM user who signed it (nil for the root), which the
    /// operations that may omit `UserName` (GetUser, the access key operations) act on.
    public func handle(_ request: APIRequest, callerUserName: String?) async throws -> APIResponse {
        let form = QueryForm(body: request.body, query: request.query)
        let action = form.action ?? ""
        guard let operation = Self.operations[action] else {
            throw IAMError.invalidAction(action, version: form["Version"] ?? Self.version)
        }
        let caller = request.caller
        let input = IAMRequest(form: form, callerUserName: callerUserName,
                               callerIsNonUser: callerUserName == nil && caller != nil && caller?.isRoot == false)
        let result = try await operation(self, input)
        return QueryResponse.success(action: action, namespace: Self.namespace, result: result, requestId: request.requestId)
    }

    /// An operation: reads its members, calls the directory, returns its result's members (nil: no result element).
    typealias Operation = @Sendable (IAMService, IAMRequest) async throws -> [XMLNode]?

    static let operations: [String: Operation] = userOperations
        .merging(accessKeyOperations) { a, _ in a }
        .merging(groupOperations) { a, _ in a }
        .merging(roleOperations) { a, _ in a }
        .merging(inlinePolicyOperations) { a, _ in a }
        .merging(managedPolicyOperations) { a, _ in a }
        .merging(attachmentOperations) { a, _ in a }
        .merging(accountOperations) { a, _ in a }

    /// The names of every operation this service answers.
    public static var operationNames: [String] { operations.keys.sorted() }

    /// A page of `items` as `<listName><member>…</member></listName>` followed by `IsTruncated` (and `Marker`).
    static func paged<T>(_ items: [T], _ request: IAMRequest, listName: String, _ member: (T) -> XMLNode) throws -> [XMLNode] {
        let page = try request.paging().page(items)
        return [XMLNode.list(listName, page.items.map(member))] + page.truncation
    }
}
