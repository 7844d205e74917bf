import Foundation

/// One page of ListFunctions.
public struct FunctionListing: Sendable {
    public var functions: [FunctionDefinition]
    public var nextMarker: String?
}

extension FunctionCatalog {
    public static let maxListItems = 50

    /// ListFunctions: ordered by name; the marker is opaque to callers.
    public func list(marker: String?, maxItems: Int?) async throws -> FunctionListing {
        let limit: Int
        if let maxItems {
            try FieldValidator.range(maxItems, 1...10000, field: "maxItems")
            limit = min(maxItems, Self.maxListItems)
        } else {
            limit = Self.maxListItems
        }
        var after: String?
        if let marker, !marker.isEmpty {
            guard let data = Data(base64Encoded: marker), let name = String(data: data, encoding: .utf8),
                  FunctionIdentifier.isValidName(name) else {
                throw LambdaError.invalidParameter("Invalid marker: \(marker)")
            }
            after = name
        }
        let page = try await store.listFunctions(after: after, limit: limit)
        return FunctionListing(
            functions: page.functions,
            nextMarker: page.nextAfter.map { Data($0.utf8).base64EncodedString() }
        )
    }

    /// GetAccountSettings.
    public func accountUsage() async throws -> StoreUsage {
        try await store.usage()
    }
}
