import AWSProtocol
import Events

extension EventsService {
    func createArchive(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(CreateArchiveRequest.self, from: request)
        let archive = try await bridge.createArchive(name: input.ArchiveName, sourceArn: input.EventSourceArn, description: input.Description,
                                                     eventPattern: input.EventPattern, retentionDays: input.RetentionDays)
        return try json(ArchiveStateResponse(ArchiveArn: bridge.arns.archive(archive.name), State: "ENABLED", CreationTime: archive.creationTime))
    }

    func describeArchive(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(ArchiveNameRequest.self, from: request)
        let archive = try bridge.archive(input.ArchiveName)
        let stats = try await bridge.archiveStatistics(archive.name)
        return try json(DescribeArchiveResponse(
            ArchiveArn: bridge.arns.archive(archive.name), ArchiveName: archive.name, EventSourceArn: bridge.arns.bus(archive.busName),
            Description: archive.description, EventPattern: archive.eventPattern, State: "ENABLED", RetentionDays: archive.retentionDays,
            SizeBytes: stats.bytes, EventCount: stats.count, CreationTime: archive.creationTime))
    }

    func listArchives(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(ListArchivesRequest.self, from: request)
        let all = input.State.map { $0 == "ENABLED" } ?? true ? bridge.archives(prefix: input.NamePrefix, sourceArn: input.EventSourceArn) : []
        let page = try Self.page(all, token: input.NextToken, limit: input.Limit)
        var shapes: [ArchiveShape] = []
        for archive in page.items {
            let stats = try await bridge.archiveStatistics(archive.name)
            shapes.append(ArchiveShape(ArchiveName: archive.name, EventSourceArn: bridge.arns.bus(archive.busName), State: "ENABLED",
                                       RetentionDays: archive.retentionDays, SizeBytes: stats.bytes, EventCount: stats.count,
                                       CreationTime: archive.creationTime))
        }
        return try json(ListArchivesResponse(Archives: shapes, NextToken: page.next))
    }

    func updateArchive(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(UpdateArchiveRequest.self, from: request)
        let archive = try await bridge.updateArchive(name: input.ArchiveName, description: input.Description,
                                                     eventPattern: input.EventPattern, retentionDays: input.RetentionDays)
        return try json(ArchiveStateResponse(ArchiveArn: bridge.arns.archive(archive.name), State: "ENABLED", CreationTime: archive.creationTime))
    }

    func deleteArchive(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(ArchiveNameRequest.self, from: request)
        try await bridge.deleteArchive(name: input.ArchiveName)
        return empty()
    }

    func startReplay(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(StartReplayRequest.self, from: request)
        let replay = try await bridge.startReplay(name: input.ReplayName, description: input.Description, archiveArn: input.EventSourceArn,
                                                  start: input.EventStartTime, end: input.EventEndTime,
                                                  destinationArn: input.Destination.Arn, filterArns: input.Destination.FilterArns)
        return try json(ReplayStateResponse(ReplayArn: bridge.arns.replay(replay.name), State: replay.state.rawValue,
                                            StateReason: replay.stateReason, ReplayStartTime: replay.replayStartTime))
    }

    func describeReplay(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(ReplayNameRequest.self, from: request)
        let r = try bridge.replay(input.ReplayName)
        return try json(DescribeReplayResponse(
            ReplayName: r.name, ReplayArn: bridge.arns.replay(r.name), Description: r.description, State: r.state.rawValue,
            StateReason: r.stateReason, EventSourceArn: bridge.arns.archive(r.archiveName),
            Destination: ReplayDestination(Arn: r.destinationArn, FilterArns: r.filterArns), EventStartTime: r.eventStartTime,
            EventEndTime: r.eventEndTime, EventLastReplayedTime: r.eventLastReplayedTime, ReplayStartTime: r.replayStartTime,
            ReplayEndTime: r.replayEndTime))
    }

    func listReplays(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(ListReplaysRequest.self, from: request)
        var state: EventReplay.State?
        if let text = input.State {
            guard let parsed = EventReplay.State(rawValue: text) else {
                throw EventsError.validation("1 validation error detected: Value '\(text)' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [STARTING, RUNNING, CANCELLING, COMPLETED, CANCELLED, FAILED]")
            }
            state = parsed
        }
        let page = try Self.page(bridge.replays(prefix: input.NamePrefix, state: state, archiveArn: input.EventSourceArn),
                                 token: input.NextToken, limit: input.Limit)
        return try json(ListReplaysResponse(Replays: page.items.map { r in
            ReplayShape(ReplayName: r.name, EventSourceArn: bridge.arns.archive(r.archiveName), State: r.state.rawValue,
                        StateReason: r.stateReason, EventStartTime: r.eventStartTime, EventEndTime: r.eventEndTime,
                        EventLastReplayedTime: r.eventLastReplayedTime, ReplayStartTime: r.replayStartTime, ReplayEndTime: r.replayEndTime)
        }, NextToken: page.next))
    }

    func cancelReplay(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(ReplayNameRequest.self, from: request)
        let replay = try await bridge.cancelReplay(input.ReplayName)
        return try json(ReplayStateResponse(ReplayArn: bridge.arns.replay(replay.name), State: replay.state.rawValue,
                                            StateReason: replay.stateReason, ReplayStartTime: nil))
    }
}
