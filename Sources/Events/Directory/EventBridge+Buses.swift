import AWSProtocol
import Foundation

/// Buses: create, describe, list, delete, and their resource policies (PutPermission / RemovePermission).
extension EventBridge {
    static let maxBusNameLength = 256

    public func createBus(name: String, description: String?, tags: [String: String]) async throws -> EventBus {
        try await mutate {
            guard !name.isEmpty, name.utf8.count <= Self.maxBusNameLength,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-".contains($0)) }) else {
                throw EventsError.validation("1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+")
            }
            guard name != EventBus.defaultName, !name.hasPrefix("aws.") else {
                throw EventsError.validation("Event bus name must not be \(name).")
            }
            if let description, description.count > 512 {
                throw EventsError.validation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512")
            }
            guard state.withLock({ $0.buses[name] }) == nil else {
                throw EventsError.resourceAlreadyExists("Event bus \(name) already exists.")
            }
            let bus = EventBus(name: name, description: description, creationTime: now, tags: tags)
            try await store.saveEventBus(bus)
            state.withLock { state in
                state.buses[name] = bus
                Self.reindex(&state, bus: name)
            }
            return bus
        }
    }

    public func bus(_ nameOrArn: String?) throws(EventsError) -> EventBus {
        try existingBus(nameOrArn)
    }

    public func buses(prefix: String?) -> [EventBus] {
        state.withLock { $0.buses.values.filter { prefix.map($0.name.hasPrefix) ?? true }.sorted { $0.name < $1.name } }
    }

    /// Deletes a custom bus and its rules; a bus that is not there is no error (as AWS).
    public func deleteBus(name: String) async throws {
        try await mutate {
            guard name != EventBus.defaultName else { throw EventsError.validation("Cannot delete event bus default.") }
            guard state.withLock({ $0.buses[name] }) != nil else { return }
            let removed = state.withLock { $0.rules.keys.filter { $0.bus == name } }
            try await store.deleteEventBus(named: name)
            state.withLock { state in
                state.buses[name] = nil
                for key in removed { state.rules[key] = nil }
                state.indexes[name] = nil
            }
            let observer = scheduleObserver.withLock { $0 }
            for key in removed { try? await observer?.ruleRemoved(key) }
        }
    }

    /// Adds a statement (or replaces the policy) of the bus's resource policy.
    public func putPermission(busName: String?, action: String?, principal: String?, statementId: String?,
                              condition: (type: String, key: String, value: String)?, policy: String?) async throws {
        try await mutate {
            var bus = try existingBus(busName)
            if let policy {
                guard case .object? = JSONValue(parsing: Array(policy.utf8)) else {
                    throw EventsError.validation("Parameter Policy is not valid JSON.")
                }
                bus.policy = policy
            } else {
                guard let action, let principal, let statementId, !statementId.isEmpty else {
                    throw EventsError.validation("Parameter(s) Action, Principal and StatementId must be specified, or Policy.")
                }
                guard action == "events:PutEvents" else {
                    throw EventsError.validation("Provided value in parameter 'action' is not supported.")
                }
                guard principal == "*" || (principal.count == 12 && principal.allSatisfy(\.isNumber)) else {
                    throw EventsError.validation("Parameter Principal is not valid: an AWS account id or *.")
                }
                var statements = Self.statements(of: bus.policy)
                guard !statements.contains(where: { $0["Sid"]?.stringValue == statementId }) else {
                    throw EventsError.resourceAlreadyExists("Statement with the provided id already exists.")
                }
                var statement: [String: JSONValue] = [
                    "Sid": .string(statementId), "Effect": .string("Allow"),
                    "Principal": principal == "*" ? .string("*") : .object(["AWS": .string("arn:aws:iam::\(principal):root")]),
                    "Action": .string(action), "Resource": .string(arns.bus(bus.name)),
                ]
                if let condition {
                    statement["Condition"] = .object([condition.type: .object([condition.key: .string(condition.value)])])
                }
                statements.append(.object(statement))
                bus.policy = Self.policyText(statements)
            }
            bus.lastModifiedTime = now
            try await store.saveEventBus(bus)
            let saved = bus
            state.withLock { $0.buses[saved.name] = saved }
        }
    }

    public func removePermission(busName: String?, statementId: String?, removeAll: Bool) async throws {
        try await mutate {
            var bus = try existingBus(busName)
            if removeAll {
                bus.policy = nil
            } else {
                guard let statementId else { throw EventsError.validation("Parameter StatementId must be specified.") }
                var statements = Self.statements(of: bus.policy)
                guard let at = statements.firstIndex(where: { $0["Sid"]?.stringValue == statementId }) else {
                    throw EventsError.resourceNotFound("Statement with the provided id does not exist.")
                }
                statements.remove(at: at)
                bus.policy = statements.isEmpty ? nil : Self.policyText(statements)
            }
            bus.lastModifiedTime = now
            try await store.saveEventBus(bus)
            let saved = bus
            state.withLock { $0.buses[saved.name] = saved }
        }
    }

    static func statements(of policy: String?) -> [JSONValue] {
        guard let policy, let json = JSONValue(parsing: Array(policy.utf8)) else { return [] }
        switch json["Statement"] {
        case .array(let items)?: return items
        case let single?: return [single]
        case nil: return []
        }
    }

    static func policyText(_ statements: [JSONValue]) -> String {
        let document: JSONValue = .object(["Version": .string("2012-10-17"), "Statement": .array(statements)])
        let encoder = AWSJSON.encoder()
        encoder.outputFormatting.insert(.sortedKeys)
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self)
    }
}
