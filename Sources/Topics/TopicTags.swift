/// The rules SNS applies to topic tags.
enum TopicTags {
    static let maxTags = 50

    static func validate(_ tags: [String: String]) throws(TopicError) {
        guard tags.count <= maxTags else {
            throw TopicError(code: "TagLimitExceeded", status: 400, message: "Could not complete request: tag quota of per resource exceeded")
        }
        for (key, value) in tags {
            guard !key.isEmpty, key.count <= 128 else { throw .invalidParameter("Tags", reason: "Tag key must be between 1 and 128 characters") }
            guard !key.hasPrefix("aws:") else { throw .invalidParameter("Tags", reason: "Tag keys may not begin with aws:") }
            guard value.count <= 256 else { throw .invalidParameter("Tags", reason: "Tag value must be at most 256 characters") }
        }
    }
}
