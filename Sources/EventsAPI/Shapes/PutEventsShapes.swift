import Events

struct PutEventsRequest: Decodable {
    var Entries: [EventEntry]
}

/// One entry of PutEvents' answer: an event id, or why the entry was refused.
struct PutEventsResultEntry: Encodable {
    var EventId: String?
    var ErrorCode: String?
    var ErrorMessage: String?
}

struct PutEventsResponse: Encodable {
    var FailedEntryCount: Int
    var Entries: [PutEventsResultEntry]
}
