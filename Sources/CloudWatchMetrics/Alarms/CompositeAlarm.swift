import Foundation

/// A composite alarm as CloudWatch describes it (member names as the service model spells them, so the stored document
/// is also the answer): a rule over other alarms' states, a state, and the actions taken when the state changes.
public struct CompositeAlarm: AlarmRecord, Codable, Sendable, Equatable {
    public var AlarmName: String
    public var AlarmArn: String
    public var AlarmDescription: String?
    public var AlarmRule: String
    public var AlarmConfigurationUpdatedTimestamp: Date
    public var ActionsEnabled: Bool
    public var OKActions: [String]
    public var AlarmActions: [String]
    public var InsufficientDataActions: [String]
    public var StateValue: String
    public var StateReason: String
    public var StateReasonData: String?
    public var StateUpdatedTimestamp: Date
    public var StateTransitionedTimestamp: Date

    /// The actions of a state.
    public func actions(for state: String) -> [String] {
        switch state {
        case "OK": OKActions
        case "ALARM": AlarmActions
        default: InsufficientDataActions
        }
    }
}

/// What metric and composite alarms share: a name, a state with its reason and times, and actions per state.
public protocol AlarmRecord: Sendable {
    var AlarmName: String { get }
    var ActionsEnabled: Bool { get }
    var StateValue: String { get set }
    var StateReason: String { get set }
    var StateReasonData: String? { get set }
    var StateUpdatedTimestamp: Date { get set }
    var StateTransitionedTimestamp: Date { get set }
    func actions(for state: String) -> [String]
}
