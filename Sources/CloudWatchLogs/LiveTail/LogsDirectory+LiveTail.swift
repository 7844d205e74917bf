import Foundation

/// StartLiveTail's checks, as CloudWatch Logs makes them.
extension LogsDirectory {
    /// Opens a session over 1–10 log groups (names or ARNs; an ARN may not end with `*`), optionally narrowed to
    /// named streams or stream name prefixes (only with one group; not both) and by a filter pattern.
    public func startLiveTail(groupIdentifiers: [String], streamNames: [String]?, streamNamePrefixes: [String]?,
                              filterPattern: String?) async throws -> LiveTailSession {
        guard (1...10).contains(groupIdentifiers.count) else {
            throw LogsError.invalidParameter("1 validation error detected: Value at 'logGroupIdentifiers' failed to satisfy constraint: Member must have length between 1 and 10")
        }
        if streamNames != nil && streamNamePrefixes != nil {
            throw LogsError.invalidParameter("logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.")
        }
        for (field, list) in [("logStreamNames", streamNames), ("logStreamNamePrefixes", streamNamePrefixes)] {
            guard let list else { continue }
            guard (1...100).contains(list.count) else {
                throw LogsError.invalidParameter("1 validation error detected: Value at '\(field)' failed to satisfy constraint: Member must have length between 1 and 100")
            }
            guard groupIdentifiers.count == 1 else {
                throw LogsError.invalidParameter("\(field) can be given only when logGroupIdentifiers names one log group.")
            }
            for name in list { try LogNaming.validateStreamName(name, member: field) }
        }
        if let filterPattern, filterPattern.count > 1024 {
            throw LogsError.invalidParameter("1 validation error detected: Value at 'logEventFilterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024")
        }
        let pattern = try FilterPattern(parsing: filterPattern ?? "")
        var groups: [String: String] = [:]
        for identifier in groupIdentifiers {
            if identifier.hasSuffix("*") {
                throw LogsError.invalidParameter("Invalid logGroupIdentifier \(identifier): an ARN cannot end with *.")
            }
            let name = identifier.hasPrefix("arn:") ? try groupName(fromARN: identifier) : identifier
            try LogNaming.validateGroupName(name)
            guard try await store.logGroup(named: name) != nil else {
                throw LogsError.resourceNotFound("The specified log group does not exist: \(identifier)")
            }
            groups[name] = identifier
        }
        let session = LiveTailSession(id: UUID().uuidString.lowercased(), groups: groups, streams: streamNames.map(Set.init),
                                      prefixes: streamNamePrefixes, pattern: pattern)
        try liveTail.add(session)
        return session
    }
}
