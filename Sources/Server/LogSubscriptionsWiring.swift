import CloudWatchLogs
import Delivery
import Foundation
import ZIPFoundation

/// CloudWatch Logs subscription filters: matching events of a group (function logs from the log writer's batches,
/// PutLogEvents from its request) go to the filter's Lambda function through the one delivery path, as Logs sends
/// them: `{"awslogs": {"data": base64(gzip(DATA_MESSAGE))}}`, from `logs.amazonaws.com` with the log group's ARN as
/// the source (the function's policy must allow it).
enum LogSubscriptionsWiring: ServiceWiring {
    struct DataMessage: Encodable {
        struct Event: Encodable { var id: String; var timestamp: Int64; var message: String }
        var messageType = "DATA_MESSAGE"
        var owner: String
        var logGroup: String
        var logStream: String
        var subscriptionFilters: [String]
        var logEvents: [Event]
    }

    struct AWSLogsEvent: Encodable {
        struct Payload: Encodable { var data: String }
        var awslogs: Payload
    }

    static func wire(_ context: WiringContext) async throws -> WiredService {
        let directory = context.logsDirectory
        let deliveries = context.deliveries
        let accountId = context.configuration.accountId
        directory.subscriptionFilters.send { batches in
            let now = deliveries.now
            var out: [Delivery] = []
            for batch in batches {
                let message = DataMessage(owner: accountId, logGroup: batch.filter.logGroupName, logStream: batch.logStream,
                                          subscriptionFilters: [batch.filter.filterName],
                                          logEvents: batch.events.map { .init(id: $0.id, timestamp: $0.timestamp, message: $0.message) })
                guard let json = try? JSONEncoder().encode(message), let zipped = try? gzip(json),
                      let event = try? JSONEncoder().encode(AWSLogsEvent(awslogs: .init(data: zipped.base64EncodedString()))) else { continue }
                out.append(Delivery(
                    id: UUID().uuidString.lowercased(), channel: "lambda", target: batch.filter.destinationArn,
                    payload: String(decoding: event, as: UTF8.self),
                    origin: DeliveryOrigin(servicePrincipal: "logs.amazonaws.com",
                                           sourceArn: directory.arns.groupWildcard(batch.filter.logGroupName), sourceAccount: accountId),
                    retry: DeliveryRetryPolicy(maximumRetries: 10, maximumAgeSeconds: 86_400,
                                               backoff: .exponential(initialMs: 1_000, maxMs: 300_000, jitter: 0.2)),
                    acceptedAt: now))
            }
            guard !out.isEmpty else { return }
            Task { try? await deliveries.accept(out) }
        }
        context.logWriter.observeBatches { events in
            guard !directory.subscriptionFilters.isEmpty else { return }
            for (key, grouped) in Dictionary(grouping: events, by: { [$0.group, $0.stream] }) {
                directory.subscriptionFilters.apply(group: key[0], stream: key[1], events: grouped.map { ($0.message, $0.timestamp) })
            }
        }
        return WiredService()
    }

    /// RFC 1952: a header, the raw DEFLATE stream ZIPFoundation writes, CRC-32 and size (little-endian).
    static func gzip(_ data: Data) throws -> Data {
        var deflated = Data()
        let crc = try Data.compress(size: Int64(data.count), bufferSize: 64 * 1024, provider: { position, size in
            data.subdata(in: Int(position)..<min(data.count, Int(position) + size))
        }, consumer: { deflated.append($0) })
        var out = Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
        out.append(deflated)
        for value in [UInt32(crc), UInt32(truncatingIfNeeded: data.count)] {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }
}
