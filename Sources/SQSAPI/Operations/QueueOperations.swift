import AWSProtocol
import Queues

extension SQSService {
    func createQueue(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(CreateQueueRequest.self, from: request)
        guard let name = body.QueueName, !name.isEmpty else {
            throw QueueError.missingParameter("The request must contain the parameter QueueName.")
        }
        let queue = try await broker.createQueue(name: name, attributes: body.Attributes ?? [:], tags: body.tags ?? [:])
        return try json(QueueUrlResponse(QueueUrl: url(queue.name, request)))
    }

    func getQueueUrl(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(GetQueueUrlRequest.self, from: request)
        guard let name = body.QueueName, !name.isEmpty else {
            throw QueueError.missingParameter("The request must contain the parameter QueueName.")
        }
        if let owner = body.QueueOwnerAWSAccountId, owner != broker.addressing.accountId { throw QueueError.queueDoesNotExist }
        let queue = try await broker.queue(name)
        return try json(QueueUrlResponse(QueueUrl: url(queue.name, request)))
    }

    func listQueues(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(ListQueuesRequest.self, from: request)
        if let max = body.MaxResults, !(1...1000).contains(max) {
            throw QueueError.invalidParameterValue("Value \(max) for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.")
        }
        var names = try await broker.store.queues(prefix: body.QueueNamePrefix).map(\.name)
        if let token = body.NextToken, !token.isEmpty {
            names = names.filter { $0 > token }
        }
        let limit = body.MaxResults ?? 1000
        var next: String?
        if names.count > limit {
            names = Array(names.prefix(limit))
            // Without MaxResults SQS returns at most 1,000 and no token.
            if body.MaxResults != nil { next = names.last }
        }
        return try json(ListQueuesResponse(QueueUrls: names.isEmpty ? nil : names.map { url($0, request) }, NextToken: next))
    }

    func deleteQueue(_ request: APIRequest) async throws -> APIResponse {
        let queue = try await broker.queue(url: try decode(QueueUrlRequest.self, from: request).QueueUrl)
        try await broker.deleteQueue(queue.name)
        return try json(EmptyResponse())
    }

    func getQueueAttributes(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(GetQueueAttributesRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        let attributes = try await broker.attributes(of: queue, names: body.AttributeNames ?? [])
        return try json(QueueAttributesResponse(Attributes: attributes.isEmpty ? nil : attributes))
    }

    func setQueueAttributes(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(SetQueueAttributesRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        try await broker.setAttributes(of: queue, body.Attributes ?? [:])
        return try json(EmptyResponse())
    }

    func purgeQueue(_ request: APIRequest) async throws -> APIResponse {
        let queue = try await broker.queue(url: try decode(QueueUrlRequest.self, from: request).QueueUrl)
        try await broker.purge(queue)
        return try json(EmptyResponse())
    }

    func tagQueue(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(TagQueueRequest.self, from: request)
        var queue = try await broker.queue(url: body.QueueUrl)
        for (key, value) in body.Tags ?? [:] { queue.tags[key] = value }
        if queue.tags.count > 50 { throw QueueError.invalidParameterValue("Too many tags added for queue \(queue.name).") }
        try await broker.store.replaceQueue(queue)
        return try json(EmptyResponse())
    }

    func untagQueue(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(UntagQueueRequest.self, from: request)
        var queue = try await broker.queue(url: body.QueueUrl)
        for key in body.TagKeys ?? [] { queue.tags[key] = nil }
        try await broker.store.replaceQueue(queue)
        return try json(EmptyResponse())
    }

    func listQueueTags(_ request: APIRequest) async throws -> APIResponse {
        let queue = try await broker.queue(url: try decode(QueueUrlRequest.self, from: request).QueueUrl)
        return try json(ListQueueTagsResponse(Tags: queue.tags.isEmpty ? nil : queue.tags))
    }
}
