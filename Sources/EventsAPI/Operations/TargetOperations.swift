import AWSProtocol
import Events

extension EventsService {
    func putTargets(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutTargetsRequest.self, from: request)
        let failures = try await bridge.putTargets(rule: input.Rule, busName: input.EventBusName, targets: input.Targets)
        return try json(TargetsResponse(FailedEntryCount: failures.count, FailedEntries: failures.map {
            TargetResultEntry(TargetId: $0.targetId, ErrorCode: $0.errorCode, ErrorMessage: $0.errorMessage)
        }))
    }

    func removeTargets(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(RemoveTargetsRequest.self, from: request)
        let failures = try await bridge.removeTargets(rule: input.Rule, busName: input.EventBusName, ids: input.Ids, force: input.Force ?? false)
        return try json(TargetsResponse(FailedEntryCount: failures.count, FailedEntries: failures.map {
            TargetResultEntry(TargetId: $0.targetId, ErrorCode: $0.errorCode, ErrorMessage: $0.errorMessage)
        }))
    }

    func listTargetsByRule(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(ListTargetsByRuleRequest.self, from: request)
        let rule = try bridge.rule(name: input.Rule, busName: input.EventBusName)
        let page = try Self.page(rule.targets, token: input.NextToken, limit: input.Limit)
        return try json(ListTargetsByRuleResponse(Targets: page.items, NextToken: page.next))
    }

    func tagResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(TagResourceRequest.self, from: request)
        try await bridge.tag(input.ResourceARN, set: Tag.map(input.Tags), remove: [])
        return empty()
    }

    func untagResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(UntagResourceRequest.self, from: request)
        try await bridge.tag(input.ResourceARN, set: [:], remove: input.TagKeys)
        return empty()
    }

    func listTagsForResource(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(ListTagsForResourceRequest.self, from: request)
        return try json(ListTagsForResourceResponse(Tags: Tag.list(try bridge.tags(of: input.ResourceARN))))
    }
}
