import Foundation

/// Request identifiers as AWS prints them: lowercase UUIDs.
public enum RequestID {
    public static func make() -> String {
        UUID().uuidString.lowercased()
    }
}
