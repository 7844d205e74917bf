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
        let policy = operation == "CreateQueue" ? nil : (try? await broker.queue(name))?.attributes.values["Policy"]
        return [RequiredPermission(action: action, resource: broker.addressing.arn(name), resourcePolicy: policy)]
    }
}

/// The members that name the queue an SQS request acts on.
struct QueueMembers: Decodable {
    var QueueUrl: String?
    var QueueName: String?
}
