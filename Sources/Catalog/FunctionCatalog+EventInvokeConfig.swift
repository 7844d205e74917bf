import Foundation

/// What Put/UpdateFunctionEventInvokeConfig take; nil means "not given".
public struct EventInvokeConfigInput: Sendable {
    public var maximumRetryAttempts: Int?
    public var maximumEventAgeInSeconds: Int?
    /// Present when the caller sent a DestinationConfig; inside, nil clears that destination.
    public var destinations: (onSuccess: String?, onFailure: String?)?

    public init(maximumRetryAttempts: Int?, maximumEventAgeInSeconds: Int?, destinations: (onSuccess: String?, onFailure: String?)?) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
        self.destinations = destinations
    }
}

extension FunctionCatalog {
    /// The function and qualifier (`$LATEST` when none) an event invoke config belongs to; both must exist.
    func eventInvokeTarget(_ functionName: String, qualifier: String?) async throws -> (String, String) {
        let (id, effective) = try identify(functionName, qualifier: qualifier)
        _ = try await resolve(id.name, qualifier: effective)
        return (id.name, effective ?? "$LATEST")
    }

    /// Destinations Swiftlet can deliver to: queues, functions, topics and event buses of this server.
    func checkDestination(_ arn: String?, field: String) throws {
        guard let arn, !arn.isEmpty else { return }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        let service = parts.count > 2 ? String(parts[2]) : ""
        guard parts.count >= 6, parts[0] == "arn", ["sqs", "lambda", "sns", "events", "s3"].contains(service) else {
            throw LambdaError.invalidParameter("The destination ARN \(arn) is invalid.")
        }
        if service == "s3" {
            throw LambdaError.invalidParameter("Destination \(arn): S3 buckets are not supported as destinations by Swiftlet.")
        }
        if service == "events" && !(parts.count >= 6 && parts[5].hasPrefix("event-bus/")) {
            throw LambdaError.invalidParameter("The destination ARN \(arn) is invalid.")
        }
        if service == "lambda" && !(parts.count >= 7 && parts[5] == "function") {
            throw LambdaError.invalidParameter("The destination ARN \(arn) is invalid.")
        }
    }

    func validate(_ input: EventInvokeConfigInput) throws {
        if let r = input.maximumRetryAttempts {
            try FieldValidator.range(r, EventInvokeConfig.retryRange, field: "maximumRetryAttempts")
        }
        if let a = input.maximumEventAgeInSeconds {
            try FieldValidator.range(a, EventInvokeConfig.eventAgeRange, field: "maximumEventAgeInSeconds")
        }
        if let d = input.destinations {
            try checkDestination(d.onSuccess, field: "destinationConfig.onSuccess.destination")
            try checkDestination(d.onFailure, field: "destinationConfig.onFailure.destination")
        }
    }

    /// The function's role must be able to send to the destinations it is given.
    func checkDestinationPermissions(_ input: EventInvokeConfigInput, function name: String, qualifier: String) async throws {
        guard let d = input.destinations, d.onSuccess != nil || d.onFailure != nil else { return }
        let function = try await resolve(name, qualifier: qualifier).0
        for arn in [d.onSuccess, d.onFailure].compactMap({ $0 }) {
            try await requireRoleMaySend(function, to: arn)
        }
    }

    /// PutFunctionEventInvokeConfig: replaces the whole configuration.
    public func putEventInvokeConfig(_ functionName: String, qualifier: String?, input: EventInvokeConfigInput) async throws -> EventInvokeConfig {
        try validate(input)
        let (name, q) = try await eventInvokeTarget(functionName, qualifier: qualifier)
        try await checkDestinationPermissions(input, function: name, qualifier: q)
        let config = EventInvokeConfig(functionName: name, qualifier: q, maximumRetryAttempts: input.maximumRetryAttempts,
                                       maximumEventAgeInSeconds: input.maximumEventAgeInSeconds,
                                       onSuccess: input.destinations?.onSuccess, onFailure: input.destinations?.onFailure,
                                       lastModified: now())
        try await store.putEventInvokeConfig(config)
        return config
    }

    /// UpdateFunctionEventInvokeConfig: changes the given members of an existing (or empty) configuration.
    public func updateEventInvokeConfig(_ functionName: String, qualifier: String?, input: EventInvokeConfigInput) async throws -> EventInvokeConfig {
        try validate(input)
        let (name, q) = try await eventInvokeTarget(functionName, qualifier: qualifier)
        try await checkDestinationPermissions(input, function: name, qualifier: q)
        var config = try await store.eventInvokeConfig(of: name, qualifier: q)
            ?? EventInvokeConfig(functionName: name, qualifier: q, maximumRetryAttempts: nil, maximumEventAgeInSeconds: nil,
                                 onSuccess: nil, onFailure: nil, lastModified: now())
        if let r = input.maximumRetryAttempts { config.maximumRetryAttempts = r }
        if let a = input.maximumEventAgeInSeconds { config.maximumEventAgeInSeconds = a }
        if let d = input.destinations {
            config.onSuccess = d.onSuccess
            config.onFailure = d.onFailure
        }
        config.lastModified = now()
        try await store.putEventInvokeConfig(config)
        return config
    }

    /// GetFunctionEventInvokeConfig.
    public func eventInvokeConfig(_ functionName: String, qualifier: String?) async throws -> EventInvokeConfig {
        let (name, q) = try await eventInvokeTarget(functionName, qualifier: qualifier)
        guard let config = try await store.eventInvokeConfig(of: name, qualifier: q) else {
            throw LambdaError.resourceNotFound("The function \(arns.function(name, qualifier: q)) doesn't have an EventInvokeConfig")
        }
        return config
    }

    /// DeleteFunctionEventInvokeConfig.
    public func deleteEventInvokeConfig(_ functionName: String, qualifier: String?) async throws {
        let (name, q) = try await eventInvokeTarget(functionName, qualifier: qualifier)
        guard try await store.deleteEventInvokeConfig(of: name, qualifier: q) else {
            throw LambdaError.resourceNotFound("The function \(arns.function(name, qualifier: q)) doesn't have an EventInvokeConfig")
        }
    }

    /// ListFunctionEventInvokeConfigs.
    public func eventInvokeConfigs(_ functionName: String) async throws -> [EventInvokeConfig] {
        let (name, _) = try await eventInvokeTarget(functionName, qualifier: nil)
        return try await store.eventInvokeConfigs(of: name)
    }

    /// The configuration that applies to an event invoked as `qualifier`: the qualifier's own, else none.
    public func effectiveEventInvokeConfig(_ functionName: String, qualifier: String?) async throws -> EventInvokeConfig {
        let q = qualifier ?? "$LATEST"
        return try await store.eventInvokeConfig(of: functionName, qualifier: q)
            ?? EventInvokeConfig(functionName: functionName, qualifier: q, maximumRetryAttempts: nil, maximumEventAgeInSeconds: nil,
                                 onSuccess: nil, onFailure: nil, lastModified: now())
    }
}
