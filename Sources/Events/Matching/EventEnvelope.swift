import EventPatterns
import Foundation
import JSONText

/// One event as EventBridge writes it (`version`, `id`, `detail-type`, `source`, `account`, `time`, `region`,
/// `resources`, `detail`, in that order), with its text as targets receive it and its parsed forms for patterns
/// and input paths.
public struct EventEnvelope: Sendable {
    public let id: String
    public let text: String
    let json: JSONText
    public let matchable: EventJSON
    /// When EventBridge took it (ISO 8601), for `<aws.events.event.ingestion-time>`.
    public let ingestionTime: String

    /// Builds the envelope of an accepted entry; `detail` is the entry's Detail already parsed as a JSON object.
    public init(id: String, source: String, detailType: String, detail: JSONText, resources: [String], time: Date,
                account: String, region: String, ingestionTime: Date, replayName: String? = nil) {
        var fields: [(key: String, value: JSONText)] = [
            ("version", .string("0")), ("id", .string(id)), ("detail-type", .string(detailType)), ("source", .string(source)),
            ("account", .string(account)), ("time", .string(Self.timestamp(time))), ("region", .string(region)),
            ("resources", .array(resources.map { .string($0) })), ("detail", detail),
        ]
        if let replayName { fields.append(("replay-name", .string(replayName))) }
        let json = JSONText.object(fields)
        self.init(id: id, json: json, text: JSONTextWriter.write(json), ingestionTime: Self.timestamp(ingestionTime, fraction: true))
    }

    init(id: String, json: JSONText, text: String, ingestionTime: String) {
        self.id = id
        self.json = json
        self.text = text
        self.matchable = EventJSON(json)
        self.ingestionTime = ingestionTime
    }

    /// A complete event handed over as is (bus-to-bus, replays): nil when it is not an event object with an id.
    public init?(forwarding text: String, ingestionTime: Date) {
        guard let json = JSONText(parsing: Array(text.utf8)), case .object(let fields) = json,
              case .string(let id)? = fields.last(where: { $0.key == "id" })?.value else { return nil }
        self.init(id: id, json: json, text: text, ingestionTime: Self.timestamp(ingestionTime, fraction: true))
    }

    /// The same event with `replay-name` added (replays).
    public func replayed(as name: String, at time: Date) -> EventEnvelope {
        guard case .object(var fields) = json else { return self }
        fields.removeAll { $0.key == "replay-name" }
        fields.append(("replay-name", .string(name)))
        let json = JSONText.object(fields)
        return EventEnvelope(id: id, json: json, text: JSONTextWriter.write(json), ingestionTime: Self.timestamp(time, fraction: true))
    }

    /// `2026-11-30T17:30:00Z` (events carry whole seconds), or with milliseconds for the ingestion time.
    static func timestamp(_ date: Date, fraction: Bool = false) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))"
        if fraction {
            let millis = ms - seconds * 1000
            text += "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + "\(millis)"
        }
        return text + "Z"
    }
}
