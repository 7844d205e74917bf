import AWSProtocol
import Foundation
import Queues

/// The IAM permission each SQS operation needs: `sqs:<Operation>` on the queue's ARN (batch operations are
/// authorized as their single forms, as SQS does), with the queue's `Policy` attribute as its resource policy.
extension SQSService {
    /// Batch operations and the action IAM knows them by.
    static let actionNames: [String: String] = [
        "SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
        "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
    ]

    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        let target = request.header("x-amz-target") ?? ""
        let operation = target.hasPrefix(Self.targetPrefix) ? String(target.dropFirst(Self.targetPrefix.count)) : target
        let action = "sqs:" + (Self.actionNames[operation] ?? operation)
        let members = (try? JSONDecoder().decode(QueueMembers.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body)))
        if operation == "ListQueues" { return [RequiredPermission(action: action, resource: "*")] }
        let name = operation == "CreateQueue" || operation == "GetQueueUrl"
            ? members?.QueueName : members?.QueueUrl.flatMap(broker.addressing.name(fromURL:))
        guard let name else { return [RequiredPermission(action: action, resource: "*")] }
        let queue = operation == "CreateQueue" ? nil : try? await broker.queue(name)
        var permission = RequiredPermission(action: action, resource: broker.addressing.arn(name),
                                            resourcePolicy: queue?.attributes.values["Policy"])
        for (key, value) in queue?.tags ?? [:] { permission.context["aws:ResourceTag/" + key] = [value] }
        // Tags the request sets (CreateQueue's `tags`, TagQueue's `Tags`) or removes (UntagQueue's `TagKeys`).
        let setting = members?.tags ?? members?.Tags ?? [:]
        for (key, value) in setting { permission.context["aws:RequestTag/" + key] = [value] }
        if !setting.isEmpty { permission.context["aws:TagKeys"] = setting.keys.sorted() }
        if let removing = members?.TagKeys { permission.context["aws:TagKeys"] = removing }
        return [permission]
    }
}

/// The members that name the queue an SQS request acts on.
struct QueueMembers: Decodable {
    var QueueUrl: String?
    var QueueName: String?
    var tags: [String: String]?
    var Tags: [String: String]?
    var TagKeys: [String]?
}
