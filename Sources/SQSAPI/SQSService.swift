import AWSProtocol
import Foundation
import Queues

/// The SQS JSON 1.0 protocol (`X-Amz-Target: AmazonSQS.<Operation>`, signing name `sqs`) over a `QueueBroker`.
public struct SQSService: Sendable {
    public static let sqsSigningName = "sqs"
    public static let targetPrefix = "AmazonSQS."

    let broker: QueueBroker

    public init(broker: QueueBroker) {
        self.broker = broker
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        let target = request.header("x-amz-target") ?? ""
        let operation = target.hasPrefix(Self.targetPrefix) ? String(target.dropFirst(Self.targetPrefix.count)) : target
        switch operation {
        case "CreateQueue": return try await createQueue(request)
        case "GetQueueUrl": return try await getQueueUrl(request)
        case "ListQueues": return try await listQueues(request)
        case "DeleteQueue": return try await deleteQueue(request)
        case "GetQueueAttributes": return try await getQueueAttributes(request)
        case "SetQueueAttributes": return try await setQueueAttributes(request)
        case "PurgeQueue": return try await purgeQueue(request)
        case "TagQueue": return try await tagQueue(request)
        case "UntagQueue": return try await untagQueue(request)
        case "ListQueueTags": return try await listQueueTags(request)
        case "SendMessage": return try await sendMessage(request)
        case "SendMessageBatch": return try await sendMessageBatch(request)
        case "ReceiveMessage": return try await receiveMessage(request)
        case "DeleteMessage": return try await deleteMessage(request)
        case "DeleteMessageBatch": return try await deleteMessageBatch(request)
        case "ChangeMessageVisibility": return try await changeMessageVisibility(request)
        case "ChangeMessageVisibilityBatch": return try await changeMessageVisibilityBatch(request)
        default:
            throw QueueError.invalidAction("The action \(operation) is not valid for this endpoint.")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, from request: APIRequest) throws -> T {
        let body = request.body.isEmpty ? Array("{}".utf8) : request.body
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw QueueError.invalidParameterValue("The request body could not be read as JSON of \(T.self): \(error)")
        }
    }

    func json(_ value: some Encodable) throws -> APIResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return APIResponse(status: 200, headers: [("content-type", "application/x-amz-json-1.0")], body: Array(try encoder.encode(value)))
    }

    func url(_ name: String, _ request: APIRequest) -> String {
        broker.addressing.url(name, base: request.baseURL)
    }
}
