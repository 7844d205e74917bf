/// Tags of buses and rules, by ARN.
extension EventBridge {
    static let maxTags = 50

    public func tags(of arn: String) throws(EventsError) -> [String: String] {
        switch arns.resource(arn) {
        case .bus(let name)?: return try existingBus(name).tags
        case .rule(let key)?: return try rule(name: key.name, busName: key.bus).tags
        case nil: throw .validation("Parameter ResourceARN is not valid: \(arn)")
        }
    }

    public func tag(_ arn: String, set: [String: String], remove: [String]) async throws {
        for (key, value) in set where key.isEmpty || key.count > 128 || value.count > 256 {
            throw EventsError.validation("1 validation error detected: Value '\(key)' at 'tags' failed to satisfy constraint: a key is 1 to 128 characters, a value at most 256")
        }
        try await mutate {
            switch arns.resource(arn) {
            case .bus(let name)?:
                var bus = try existingBus(name)
                bus.tags.merge(set) { $1 }
                for key in remove { bus.tags[key] = nil }
                guard bus.tags.count <= Self.maxTags else { throw EventsError.limitExceeded("The requested resource exceeds the maximum number allowed.") }
                try await store.saveEventBus(bus)
                let saved = bus
                state.withLock { $0.buses[saved.name] = saved }
            case .rule(let key)?:
                var rule = try self.rule(name: key.name, busName: key.bus)
                rule.tags.merge(set) { $1 }
                for key in remove { rule.tags[key] = nil }
                guard rule.tags.count <= Self.maxTags else { throw EventsError.limitExceeded("The requested resource exceeds the maximum number allowed.") }
                try await self.save(rule)
            case nil:
                throw EventsError.validation("Parameter ResourceARN is not valid: \(arn)")
            }
        }
    }
}
