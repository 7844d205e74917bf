import AWSProtocol
import Traces

extension XRayService {
    /// The service graph of up to 5 traces.
    func getTraceGraph(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(GetTraceGraphRequest.self, from: request)
        guard let ids = input.TraceIds else { throw Self.validation("null", at: "traceIds", "Member must not be null") }
        for id in ids where !TraceID.isValid(id) {
            throw TracesError.invalidRequest("Invalid trace id '\(id)' in TraceIds: a trace id is 1-<8 hex digits>-<24 hex digits>")
        }
        let graph = try await directory.traceGraph(ids)
        return try .json(GetTraceGraphResult(Services: graph.nodes.map(ServiceShape.init), NextToken: nil))
    }

    /// The service graph of the traces between StartTime and EndTime (groups are not kept: every trace counts).
    func getServiceGraph(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(GetServiceGraphRequest.self, from: request)
        guard let start = input.StartTime else { throw Self.validation("null", at: "startTime", "Member must not be null") }
        guard let end = input.EndTime else { throw Self.validation("null", at: "endTime", "Member must not be null") }
        guard end >= start else { throw TracesError.invalidRequest("EndTime must not be earlier than StartTime.") }
        let graph = try await directory.serviceGraph(start: start, end: end)
        return try .json(GetServiceGraphResult(StartTime: start, EndTime: end, Services: graph.nodes.map(ServiceShape.init),
                                               ContainsOldGroupVersions: false, NextToken: nil))
    }
}
