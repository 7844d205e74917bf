import Delivery
import Foundation

/// The checks CreateSchedule and UpdateSchedule make, in AWS's terms: each failure is a
/// `ValidationException` naming the member.
enum ScheduleValidation {
    /// Target services a schedule can deliver to here (the channels of the one delivery path).
    static let targetServices: Set<String> = ["lambda", "sqs", "sns", "events"]

    static func name(_ value: String, member: String) throws(SchedulerError) {
        guard (1...64).contains(value.count),
              value.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                  || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw .validation("1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: "
                              + "Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+ and have length between 1 and 64")
        }
    }

    static func clientToken(_ value: String?) throws(SchedulerError) {
        guard let value else { return }
        guard (1...64).contains(value.count),
              value.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" })
        else {
            throw .validation("1 validation error detected: Value at 'clientToken' failed to satisfy constraint: "
                              + "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+")
        }
    }

    /// The parsed expression and time zone of a valid request.
    static func check(_ request: ScheduleRequest, now: Int64) throws(SchedulerError) -> (ScheduleExpression, TimeZone) {
        guard let text = request.ScheduleExpression else {
            throw .validation("1 validation error detected: Value null at 'scheduleExpression' failed to satisfy constraint: Member must not be null")
        }
        guard let target = request.Target else {
            throw .validation("1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null")
        }
        guard let window = request.FlexibleTimeWindow else {
            throw .validation("1 validation error detected: Value null at 'flexibleTimeWindow' failed to satisfy constraint: Member must not be null")
        }
        guard (1...256).contains(text.count) else {
            throw .validation("1 validation error detected: Value at 'scheduleExpression' failed to satisfy constraint: Member must have length between 1 and 256")
        }
        let expression: ScheduleExpression
        do {
            expression = try ScheduleExpression(parsing: text)
        } catch {
            throw .validation("Invalid Schedule Expression \(text). \(error.message)")
        }
        var zone = TimeZone(identifier: "UTC")!
        if let name = request.ScheduleExpressionTimezone {
            guard (1...50).contains(name.count), let found = TimeZone(identifier: name), name.contains("/") || name == "UTC" || name == "GMT" else {
                throw .validation("Invalid time zone \(name) in ScheduleExpressionTimezone: use an IANA time zone name such as Europe/Berlin.")
            }
            zone = found
        }
        if let description = request.Description, description.count > 512 {
            throw .validation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512")
        }
        if let state = request.State, state != "ENABLED", state != "DISABLED" {
            throw .validation("1 validation error detected: Value '\(state)' at 'state' failed to satisfy constraint: "
                              + "Member must satisfy enum value set: [ENABLED, DISABLED]")
        }
        if let action = request.ActionAfterCompletion, action != "NONE", action != "DELETE" {
            throw .validation("1 validation error detected: Value '\(action)' at 'actionAfterCompletion' failed to satisfy constraint: "
                              + "Member must satisfy enum value set: [NONE, DELETE]")
        }
        if let start = request.StartDate, let end = request.EndDate, end <= start {
            throw .validation("The EndDate you specify must be after the StartDate.")
        }
        if let end = request.EndDate, end * 1000 < Double(now), !expression.isOneTime {
            throw .validation("The EndDate you specify cannot be earlier than the current time.")
        }
        try flexibleWindow(window)
        try self.target(target)
        return (expression, zone)
    }

    static func flexibleWindow(_ window: FlexibleTimeWindow) throws(SchedulerError) {
        switch window.Mode {
        case "OFF":
            if window.MaximumWindowInMinutes != nil {
                throw .validation("MaximumWindowInMinutes must not be set in FlexibleTimeWindow when its Mode is OFF.")
            }
        case "FLEXIBLE":
            guard let minutes = window.MaximumWindowInMinutes else {
                throw .validation("MaximumWindowInMinutes is required in FlexibleTimeWindow when its Mode is FLEXIBLE.")
            }
            guard (1...1440).contains(minutes) else {
                throw .validation("1 validation error detected: Value '\(minutes)' at 'flexibleTimeWindow.maximumWindowInMinutes' "
                                  + "failed to satisfy constraint: Member must have value between 1 and 1440")
            }
        default:
            throw .validation("1 validation error detected: Value '\(window.Mode)' at 'flexibleTimeWindow.mode' failed to satisfy "
                              + "constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]")
        }
    }

    static func target(_ target: ScheduleTarget) throws(SchedulerError) {
        guard (1...1600).contains(target.Arn.count) else {
            throw .validation("1 validation error detected: Value at 'target.arn' failed to satisfy constraint: Member must have length between 1 and 1600")
        }
        guard let service = Delivery.channel(forARN: target.Arn), target.Arn.split(separator: ":").count >= 6 else {
            throw .validation("Invalid target ARN \(target.Arn) in Target.Arn.")
        }
        guard targetServices.contains(service) else {
            throw .validation("Target.Arn \(target.Arn): targets of service \(service) are not supported here "
                              + "(supported: Lambda functions, SQS queues, SNS topics, EventBridge event buses).")
        }
        let rolePattern = target.RoleArn.hasPrefix("arn:aws") && target.RoleArn.contains(":iam::") && target.RoleArn.contains(":role/")
        guard rolePattern, target.RoleArn.count <= 1600 else {
            throw .validation("1 validation error detected: Value '\(target.RoleArn)' at 'target.roleArn' failed to satisfy constraint: "
                              + "Member must satisfy regular expression pattern: arn:aws[a-z-]*:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+")
        }
        if let input = target.Input {
            guard !input.isEmpty else {
                throw .validation("1 validation error detected: Value at 'target.input' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            if service == "lambda" || service == "events" {
                guard (try? JSONSerialization.jsonObject(with: Data(input.utf8), options: [.fragmentsAllowed])) != nil else {
                    throw .validation("Target.Input must be well-formed JSON for a \(service == "lambda" ? "Lambda" : "EventBridge") target.")
                }
            }
        }
        if let retry = target.RetryPolicy {
            if let attempts = retry.MaximumRetryAttempts, !(0...185).contains(attempts) {
                throw .validation("1 validation error detected: Value '\(attempts)' at 'target.retryPolicy.maximumRetryAttempts' "
                                  + "failed to satisfy constraint: Member must have value between 0 and 185")
            }
            if let age = retry.MaximumEventAgeInSeconds, !(60...86_400).contains(age) {
                throw .validation("1 validation error detected: Value '\(age)' at 'target.retryPolicy.maximumEventAgeInSeconds' "
                                  + "failed to satisfy constraint: Member must have value between 60 and 86400")
            }
        }
        if let deadLetter = target.DeadLetterConfig {
            guard let arn = deadLetter.Arn, Delivery.channel(forARN: arn) == "sqs", arn.split(separator: ":").count == 6 else {
                throw .validation("1 validation error detected: Value at 'target.deadLetterConfig.arn' failed to satisfy constraint: "
                                  + "Member must satisfy regular expression pattern: arn:aws[a-z-]*:sqs:[a-z0-9\\-]+:\\d{12}:[a-zA-Z0-9\\-_]+")
            }
        }
        if let group = target.SqsParameters?.MessageGroupId, !(1...128).contains(group.count) {
            throw .validation("1 validation error detected: Value at 'target.sqsParameters.messageGroupId' failed to satisfy constraint: "
                              + "Member must have length between 1 and 128")
        }
        if service == "events" {
            guard let parameters = target.EventBridgeParameters else {
                throw .validation("Target.EventBridgeParameters (DetailType and Source) is required for an EventBridge event bus target.")
            }
            guard (1...128).contains(parameters.DetailType.count) else {
                throw .validation("1 validation error detected: Value at 'target.eventBridgeParameters.detailType' failed to satisfy "
                                  + "constraint: Member must have length between 1 and 128")
            }
            guard (1...256).contains(parameters.Source.count), !parameters.Source.hasPrefix("aws.") else {
                throw .validation("1 validation error detected: Value '\(parameters.Source)' at 'target.eventBridgeParameters.source' "
                                  + "failed to satisfy constraint: Member must not start with aws. and have length between 1 and 256")
            }
        }
    }
}
