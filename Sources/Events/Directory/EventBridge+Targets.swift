import Delivery

/// Targets: PutTargets, RemoveTargets, ListTargetsByRule.
extension EventBridge {
    /// A target PutTargets or RemoveTargets could not set, as FailedEntries report it.
    public struct TargetFailure: Sendable, Equatable {
        public var targetId: String
        public var errorCode: String
        public var errorMessage: String
    }

    /// The services whose ARNs this platform delivers to.
    static let deliverableServices: Set<String> = ["lambda", "sqs", "sns", "events"]

    /// Checks one target's members; the message names the target and the member.
    static func check(_ target: EventTarget, index: Int) throws(EventsError) {
        guard !target.Id.isEmpty, target.Id.utf8.count <= 64,
              target.Id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw .validation("1 validation error detected: Value '\(target.Id)' at 'targets.\(index).member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
        }
        guard target.Arn.hasPrefix("arn:"), target.Arn.utf8.count <= 1600 else {
            throw .validation("Parameter \(target.Arn) is not valid. Reason: Provided Arn is not in correct format.")
        }
        _ = try TargetInput(target)
        if let retry = target.RetryPolicy {
            if let attempts = retry.MaximumRetryAttempts, !(0...185).contains(attempts) {
                throw .validation("1 validation error detected: Value '\(attempts)' at 'targets.\(index).member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185")
            }
            if let age = retry.MaximumEventAgeInSeconds, !(60...86_400).contains(age) {
                throw .validation("1 validation error detected: Value '\(age)' at 'targets.\(index).member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400")
            }
        }
        if let dlq = target.DeadLetterConfig?.Arn, !dlq.hasPrefix("arn:aws:sqs:") {
            throw .validation("Parameter DeadLetterConfig.Arn for target \(target.Id) is not valid: it must be the ARN of an SQS queue.")
        }
        let service = target.Arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first
        if (service == "sqs" || service == "sns") && target.Arn.hasSuffix(".fifo") && target.SqsParameters?.MessageGroupId == nil {
            throw .validation("Parameter(s) SqsParameters must be specified for target: \(target.Id).")
        }
        if service == "events", target.Input != nil || target.InputPath != nil || target.InputTransformer != nil {
            throw .validation("Input, InputPath and InputTransformer are not supported for event bus target \(target.Id).")
        }
    }

    /// Adds or replaces targets (by Id). Targets of services this platform cannot deliver to are reported, the
    /// others set; more than five per rule is refused as a whole.
    public func putTargets(rule name: String, busName: String?, targets: [EventTarget]) async throws -> [TargetFailure] {
        try Self.checkRuleName(name)
        guard !targets.isEmpty, targets.count <= 10 else {
            throw EventsError.validation("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10")
        }
        var seen = Set<String>()
        for (i, target) in targets.enumerated() {
            try Self.check(target, index: i + 1)
            guard seen.insert(target.Id).inserted else {
                throw EventsError.validation("The target ids must be unique: \(target.Id) is given twice.")
            }
        }
        return try await mutate {
            var rule = try self.rule(name: name, busName: busName)
            var failures: [TargetFailure] = []
            for target in targets {
                let service = Delivery.channelOf(target.Arn)
                guard Self.deliverableServices.contains(service) else {
                    failures.append(TargetFailure(targetId: target.Id, errorCode: "ValidationException",
                                                  errorMessage: "Targets of service \(service) are not supported by this platform."))
                    continue
                }
                if let at = rule.targets.firstIndex(where: { $0.Id == target.Id }) {
                    rule.targets[at] = target
                } else {
                    rule.targets.append(target)
                }
            }
            guard rule.targets.count <= Self.maxTargetsPerRule else {
                throw EventsError.limitExceeded("The requested resource exceeds the maximum number allowed.")
            }
            try await self.save(rule)
            return failures
        }
    }

    /// Removes targets by Id; an Id the rule does not have is no error.
    public func removeTargets(rule name: String, busName: String?, ids: [String], force: Bool) async throws -> [TargetFailure] {
        try Self.checkRuleName(name)
        guard !ids.isEmpty, ids.count <= 100 else {
            throw EventsError.validation("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100")
        }
        return try await mutate {
            var rule = try self.rule(name: name, busName: busName)
            if rule.managedBy != nil && !force {
                throw EventsError.managedRule("Rule \(name) is managed by \(rule.managedBy ?? ""); its targets can be removed only with Force.")
            }
            rule.targets.removeAll { ids.contains($0.Id) }
            try await self.save(rule)
            return []
        }
    }
}
