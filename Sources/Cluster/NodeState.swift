/// Where a node is in its life, as the node (or an operator's `swiftlet cluster drain`) last wrote it.
public enum NodeState: String, Sendable, Codable, CaseIterable {
    /// Takes new work.
    case serving
    /// Finishes what it holds and takes nothing new.
    case draining
    /// Shut down gracefully: holds nothing.
    case stopped
}
