/// Every function URL config in memory, by url id (the ingress's per-request lookup) and by function and
/// qualifier (the control plane's). Kept by `CachingStore`, changed with every write.
struct FunctionURLIndex: Sendable {
    private var byId: [String: FunctionURLConfig] = [:]
    /// `function \0 qualifier` (empty for the unqualified function) → url id.
    private var idByTarget: [String: String] = [:]

    init(_ configs: [FunctionURLConfig]) {
        for config in configs { put(config) }
    }

    private static func target(_ functionName: String, _ qualifier: String?) -> String {
        functionName + "\u{0}" + (qualifier ?? "")
    }

    func config(id: String) -> FunctionURLConfig? { byId[id] }

    func config(of functionName: String, qualifier: String?) -> FunctionURLConfig? {
        idByTarget[Self.target(functionName, qualifier)].flatMap { byId[$0] }
    }

    /// The function's configs in the store's order: the unqualified one first, then by alias name.
    func configs(of functionName: String) -> [FunctionURLConfig] {
        byId.values.filter { $0.functionName == functionName }.sorted { ($0.qualifier ?? "") < ($1.qualifier ?? "") }
    }

    var all: [FunctionURLConfig] {
        byId.values.sorted { ($0.functionName, $0.qualifier ?? "") < ($1.functionName, $1.qualifier ?? "") }
    }

    /// Adds or replaces the config of its function and qualifier.
    mutating func put(_ config: FunctionURLConfig) {
        remove(of: config.functionName, qualifier: config.qualifier)
        byId[config.urlId] = config
        idByTarget[Self.target(config.functionName, config.qualifier)] = config.urlId
    }

    mutating func remove(of functionName: String, qualifier: String?) {
        if let id = idByTarget.removeValue(forKey: Self.target(functionName, qualifier)) { byId[id] = nil }
    }

    /// Drops every config of a deleted function.
    mutating func removeAll(of functionName: String) {
        for config in byId.values where config.functionName == functionName {
            remove(of: functionName, qualifier: config.qualifier)
        }
    }
}
