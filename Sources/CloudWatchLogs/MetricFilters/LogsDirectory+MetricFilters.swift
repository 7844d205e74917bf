import Foundation

/// PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter, TestMetricFilter.
extension LogsDirectory {
    func filterStore() throws(LogsError) -> any MetricFilterStore {
        guard let metricFilterStore else { throw .invalidOperation("Metric filters are not served here.") }
        return metricFilterStore
    }

    /// Reads the stored filters into the set in force (at start).
    public func loadMetricFilters() async throws {
        let store = try filterStore()
        try await filterReloads.run { metricFilters.replace(with: try await store.metricFilters()) }
    }

    public func putMetricFilter(group: String, name: String, pattern: String, transformations: [MetricTransformation]) async throws {
        try LogNaming.validateGroupName(group)
        guard !name.isEmpty, name.count <= 512, !name.contains(":"), !name.contains("*") else {
            throw LogsError.invalidParameter("1 validation error detected: Value '\(name)' at 'filterName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*")
        }
        guard pattern.utf8.count <= 1024 else {
            throw LogsError.invalidParameter("1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024")
        }
        guard transformations.count == 1 else {
            throw LogsError.invalidParameter("1 validation error detected: Value at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1")
        }
        let t = transformations[0]
        guard !t.metricName.isEmpty, t.metricName.count <= 255, !t.metricName.contains(":"), !t.metricName.contains("$") else {
            throw LogsError.invalidParameter("Invalid metricName \(t.metricName).")
        }
        guard !t.metricNamespace.isEmpty, t.metricNamespace.count <= 255, !t.metricNamespace.hasPrefix("AWS/") else {
            throw LogsError.invalidParameter("Invalid metricNamespace \(t.metricNamespace).")
        }
        if (t.dimensions?.count ?? 0) > 3 { throw LogsError.invalidParameter("A metric filter may have at most 3 dimensions.") }
        if t.defaultValue != nil && !(t.dimensions ?? [:]).isEmpty {
            throw LogsError.invalidParameter("A metric filter with dimensions cannot have a defaultValue.")
        }
        guard try await store.logGroup(named: group) != nil else { throw LogsError.logGroupNotFound }
        let filter = MetricFilter(filterName: name, filterPattern: pattern, metricTransformations: transformations,
                                  creationTime: clock(), logGroupName: group)
        _ = try CompiledMetricFilter(filter)
        let existing = try await filterStore().metricFilters()
        if !existing.contains(where: { $0.logGroupName == group && $0.filterName == name }),
           existing.filter({ $0.logGroupName == group }).count >= 100 {
            throw LogsError.limitExceeded("A log group may have at most 100 metric filters.")
        }
        try await filterStore().putMetricFilter(filter)
        try await loadMetricFilters()
    }

    public func deleteMetricFilter(group: String, name: String) async throws {
        try LogNaming.validateGroupName(group)
        guard try await filterStore().deleteMetricFilter(group: group, name: name) else {
            throw LogsError.resourceNotFound("The specified metric filter does not exist.")
        }
        try await loadMetricFilters()
    }

    /// DescribeMetricFilters: by group and name prefix, or by the metric they publish; 50 a page.
    public func describeMetricFilters(group: String?, namePrefix: String?, metricName: String?, metricNamespace: String?,
                                      limit: Int?, nextToken: String?) async throws -> (filters: [MetricFilter], nextToken: String?) {
        if namePrefix != nil && group == nil {
            throw LogsError.invalidParameter("filterNamePrefix requires logGroupName.")
        }
        if (metricName == nil) != (metricNamespace == nil) {
            throw LogsError.invalidParameter("metricName and metricNamespace must be given together.")
        }
        let pageSize = try Self.limit(limit, max: 50)
        let all = try await filterStore().metricFilters().filter { f in
            (group == nil || f.logGroupName == group) && (namePrefix.map { f.filterName.hasPrefix($0) } ?? true)
                && (metricName == nil || f.metricTransformations.contains { $0.metricName == metricName && $0.metricNamespace == metricNamespace })
        }.sorted { ($0.logGroupName, $0.filterName) < ($1.logGroupName, $1.filterName) }
        var offset = 0
        if let nextToken {
            guard let n = Int(nextToken), n >= 0, n <= all.count else { throw LogsError.invalidParameter("The specified nextToken is invalid.") }
            offset = n
        }
        let page = Array(all[offset..<min(all.count, offset + pageSize)])
        return (page, offset + page.count < all.count ? String(offset + page.count) : nil)
    }

    /// TestMetricFilter: which of the messages match, and the fields a space-delimited pattern extracts ($1, $2, …
    /// by position, and by name).
    public func testMetricFilter(pattern: String, messages: [String]) throws -> [(eventNumber: Int, message: String, extracted: [String: String])] {
        guard !messages.isEmpty, messages.count <= 50 else {
            throw LogsError.invalidParameter("logEventMessages must hold between 1 and 50 messages.")
        }
        let parsed = try FilterPattern(parsing: pattern)
        var out: [(Int, String, [String: String])] = []
        for (i, message) in messages.enumerated() where parsed.matches(message) {
            var extracted: [String: String] = [:]
            if case .spaceDelimited(let p) = parsed, let fields = p.capture(message) {
                for (position, value) in SpaceDelimitedPattern.split(message).enumerated() { extracted["$\(position + 1)"] = String(value) }
                for (name, value) in fields { extracted["$\(name)"] = value }
            }
            out.append((i + 1, message, extracted))
        }
        return out
    }
}
