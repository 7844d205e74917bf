/// A replay: the archived events received between two times, put again on the archive's bus (to all its rules,
/// or to those named in `filterArns`), each with `replay-name`.
public struct EventReplay: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case starting = "STARTING", running = "RUNNING", cancelling = "CANCELLING", completed = "COMPLETED"
        case cancelled = "CANCELLED", failed = "FAILED"

        public var isFinished: Bool { self == .completed || self == .cancelled || self == .failed }
    }

    public var name: String
    public var archiveName: String
    public var description: String?
    public var state: State
    public var stateReason: String?
    /// Seconds since 1970.
    public var eventStartTime: Double
    public var eventEndTime: Double
    public var destinationArn: String
    public var filterArns: [String]?
    public var eventLastReplayedTime: Double?
    public var replayStartTime: Double
    public var replayEndTime: Double?

    public init(name: String, archiveName: String, description: String?, eventStartTime: Double, eventEndTime: Double,
                destinationArn: String, filterArns: [String]?, replayStartTime: Double) {
        self.name = name
        self.archiveName = archiveName
        self.description = description
        self.state = .starting
        self.eventStartTime = eventStartTime
        self.eventEndTime = eventEndTime
        self.destinationArn = destinationArn
        self.filterArns = filterArns
        self.replayStartTime = replayStartTime
    }
}
