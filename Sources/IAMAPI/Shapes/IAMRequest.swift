import AWSProtocol
import Foundation
import Identity

/// One IAM request's members as the query protocol sends them, read into typed values; malformed numbers and
/// booleans are refused as IAM's front end refuses them.
struct IAMRequest: Sendable {
    let form: QueryForm
    /// The IAM user who signed the request; nil for the root and for role sessions.
    let callerUserName: String?
    /// Whether the signer is a role session (or another identity that is no IAM user, the root aside).
    let callerIsNonUser: Bool

    subscript(name: String) -> String? { form[name] }

    /// The user an operation that may omit `UserName` acts on: the one named, else the calling user.
    func userNameOrCaller() throws(IAMError) -> String {
        if let name = form["UserName"] { return name }
        if let callerUserName { return callerUserName }
        throw IAMError.validation("Must specify userName when calling with non-User credentials")
    }

    func int(_ name: String) throws(IAMError) -> Int? {
        guard let text = form[name] else { return nil }
        guard let value = Int(text) else {
            throw IAMError.validation("1 validation error detected: Value '\(text)' at '\(Self.member(name))' failed to satisfy constraint: Member must be a number")
        }
        return value
    }

    func bool(_ name: String) throws(IAMError) -> Bool? {
        switch form[name]?.lowercased() {
        case nil: return nil
        case "true": return true
        case "false": return false
        case let other?:
            throw IAMError.validation("1 validation error detected: Value '\(other)' at '\(Self.member(name))' failed to satisfy constraint: Member must be a boolean")
        }
    }

    /// `Tags.member.N.Key` / `.Value`.
    func tags() -> [IAMTag] {
        form.tags().map { IAMTag(key: $0.key, value: $0.value) }
    }

    /// A list of strings (`Name.member.N`); nil when the request has none (the member is required where asked).
    func requiredList(_ name: String) throws(IAMError) -> [String] {
        guard form.hasList(name) else {
            throw IAMError.validation("1 validation error detected: Value null at '\(Self.member(name))' failed to satisfy constraint: Member must not be null")
        }
        return form.list(name)
    }

    /// The model's member name: `UserName` → `userName`.
    static func member(_ name: String) -> String {
        name.prefix(1).lowercased() + name.dropFirst()
    }

    /// `PolicyUsageFilter` of ListPolicies and ListEntitiesForPolicy.
    func policyUsage() throws(IAMError) -> PolicyUsage? {
        guard let text = form["PolicyUsageFilter"] else { return nil }
        guard let usage = PolicyUsage(rawValue: text) else {
            throw IAMError.validation("1 validation error detected: Value '\(text)' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
        }
        return usage
    }

    func paging() throws(IAMError) -> Paging {
        try Paging(marker: form["Marker"], maxItems: try int("MaxItems"))
    }
}

/// `Marker` / `MaxItems` of IAM's list operations: at most `maxItems` (1–1,000, default 100) from the marker on;
/// `IsTruncated` and the next `Marker` when more remain. Markers are opaque to callers.
struct Paging: Sendable {
    let start: Int
    let maxItems: Int

    init(marker: String?, maxItems: Int?) throws(IAMError) {
        let maxItems = maxItems ?? 100
        if maxItems < 1 {
            throw IAMError.validation("1 validation error detected: Value '\(maxItems)' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1")
        }
        if maxItems > 1000 {
            throw IAMError.validation("1 validation error detected: Value '\(maxItems)' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000")
        }
        self.maxItems = maxItems
        guard let marker else {
            start = 0
            return
        }
        guard let start = Self.decode(marker) else { throw IAMError.validation("Invalid Marker.") }
        self.start = start
    }

    /// The page of `items` and the nodes that say whether more remain.
    func page<T>(_ items: [T]) -> (items: ArraySlice<T>, truncation: [XMLNode]) {
        let from = min(start, items.count)
        let to = min(from + maxItems, items.count)
        guard to < items.count else { return (items[from..<to], [XMLNode("IsTruncated", text: "false")]) }
        return (items[from..<to], [XMLNode("IsTruncated", text: "true"), XMLNode("Marker", text: Self.encode(to))])
    }

    static func encode(_ position: Int) -> String {
        Data("swiftlet-iam:\(position)".utf8).base64EncodedString()
    }

    static func decode(_ marker: String) -> Int? {
        guard let data = Data(base64Encoded: marker), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("swiftlet-iam:"), let position = Int(text.dropFirst("swiftlet-iam:".count)), position >= 0 else { return nil }
        return position
    }
}
