/// What a cluster command tells the operator when it cannot do what was asked.
struct ClusterCommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
