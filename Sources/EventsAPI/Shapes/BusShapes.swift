/// CreateEventBus.
struct CreateEventBusRequest: Decodable {
    var Name: String
    var Description: String?
    var EventSourceName: String?
    var Tags: [Tag]?
}

struct CreateEventBusResponse: Encodable {
    var EventBusArn: String
    var Description: String?
}

/// DescribeEventBus and DeleteEventBus name a bus (DescribeEventBus: by name or ARN, the default bus when absent).
struct EventBusNameRequest: Decodable {
    var Name: String?
}

struct DescribeEventBusResponse: Encodable {
    var Name: String
    var Arn: String
    var Description: String?
    var Policy: String?
    var CreationTime: Double
    var LastModifiedTime: Double
}

struct ListEventBusesRequest: Decodable {
    var NamePrefix: String?
    var NextToken: String?
    var Limit: Int?
}

/// `EventBus` of ListEventBuses.
struct EventBusShape: Encodable {
    var Name: String
    var Arn: String
    var Description: String?
    var Policy: String?
    var CreationTime: Double
    var LastModifiedTime: Double
}

struct ListEventBusesResponse: Encodable {
    var EventBuses: [EventBusShape]
    var NextToken: String?
}

struct Condition: Decodable {
    var `Type`: String
    var Key: String
    var Value: String
}

struct PutPermissionRequest: Decodable {
    var EventBusName: String?
    var Action: String?
    var Principal: String?
    var StatementId: String?
    var Condition: Condition?
    var Policy: String?
}

struct RemovePermissionRequest: Decodable {
    var StatementId: String?
    var RemoveAllPermissions: Bool?
    var EventBusName: String?
}
