import AWSProtocol
import Catalog

extension LambdaService {
    /// `MaxItems` query parameter of every list operation.
    func maxItems(_ request: APIRequest) throws -> Int? {
        guard let raw = request.queryValue("MaxItems"), !raw.isEmpty else { return nil }
        guard let value = Int(raw) else {
            throw LambdaError.validation(field: "maxItems", value: raw, constraint: "Member must be an integer")
        }
        return value
    }

    /// A page of `items` (already in order) after the `Marker`, at most `MaxItems` (≤ 50) long; the marker is
    /// the `key` of the last item of the previous page.
    func paginate<T>(_ items: [T], request: APIRequest, key: (T) -> String) throws -> ([T], String?) {
        var rest = items[...]
        if let marker = request.queryValue("Marker"), !marker.isEmpty {
            guard let index = items.firstIndex(where: { key($0) == marker }) else {
                throw LambdaError.invalidParameter("Invalid marker: \(marker)")
            }
            rest = items[items.index(after: index)...]
        }
        let limit = min(try maxItems(request) ?? 50, 50)
        if limit < 1 {
            throw LambdaError.validation(field: "maxItems", value: "\(limit)", constraint: "Member must have value greater than or equal to 1")
        }
        let page = Array(rest.prefix(limit))
        return (page, rest.count > limit ? page.last.map(key) : nil)
    }
}
