import AWSProtocol

/// SQS's errors as its JSON protocol puts them: the modeled shape name in `__type`, and the code the
/// query protocol used in `x-amzn-query-error` (botocore maps exceptions through it).
public enum QueueError: AWSErrorConvertible, Equatable {
    case queueDoesNotExist
    case queueNameExists(String)
    case receiptHandleIsInvalid(String)
    /// A FIFO receipt whose lease ended (or was superseded by another receive).
    case receiptHandleExpired(String)
    case messageNotInflight
    case batchEntryIdsNotDistinct(String)
    case tooManyEntriesInBatchRequest(Int)
    case emptyBatchRequest
    case invalidBatchEntryId(String)
    case batchRequestTooLong(String)
    case invalidAttributeName(String)
    case invalidAttributeValue(String)
    case invalidParameterValue(String)
    case missingParameter(String)
    case unsupportedOperation(String)
    case invalidAction(String)
    case invalidMessageContents
    case purgeQueueInProgress(String)

    public var awsError: AWSError {
        let (shape, queryCode, message): (String, String, String)
        switch self {
        case .queueDoesNotExist:
            (shape, queryCode, message) = ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                                           "The specified queue does not exist.")
        case .queueNameExists(let m): (shape, queryCode, message) = ("QueueNameExists", "QueueAlreadyExists", m)
        case .receiptHandleIsInvalid(let m): (shape, queryCode, message) = ("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", m)
        case .receiptHandleExpired(let receipt):
            (shape, queryCode, message) = ("InvalidParameterValueException", "InvalidParameterValue",
                                           "Value \(receipt) for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.")
        case .messageNotInflight:
            (shape, queryCode, message) = ("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight",
                                           "The message referred to isn't in flight.")
        case .batchEntryIdsNotDistinct(let id):
            (shape, queryCode, message) = ("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                                           "Id \(id) repeated.")
        case .tooManyEntriesInBatchRequest(let n):
            (shape, queryCode, message) = ("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                                           "Maximum number of entries per request are 10. You have sent \(n).")
        case .emptyBatchRequest:
            (shape, queryCode, message) = ("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
                                           "There should be at least one entry in the request.")
        case .invalidBatchEntryId(let m):
            (shape, queryCode, message) = ("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", m)
        case .batchRequestTooLong(let m):
            (shape, queryCode, message) = ("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", m)
        case .invalidAttributeName(let m): (shape, queryCode, message) = ("InvalidAttributeName", "InvalidAttributeName", m)
        case .invalidAttributeValue(let m): (shape, queryCode, message) = ("InvalidAttributeValue", "InvalidAttributeValue", m)
        case .invalidParameterValue(let m): (shape, queryCode, message) = ("InvalidParameterValueException", "InvalidParameterValue", m)
        case .missingParameter(let m): (shape, queryCode, message) = ("MissingParameter", "MissingParameter", m)
        case .unsupportedOperation(let m): (shape, queryCode, message) = ("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", m)
        case .invalidAction(let m): (shape, queryCode, message) = ("InvalidAction", "InvalidAction", m)
        case .invalidMessageContents:
            (shape, queryCode, message) = ("InvalidMessageContents", "InvalidMessageContents",
                                           "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
        case .purgeQueueInProgress(let m):
            (shape, queryCode, message) = ("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", m)
        }
        let status = if case .purgeQueueInProgress = self { 403 } else { 400 }
        return AWSError(code: "com.amazonaws.sqs#" + shape, status: status, message: message,
                        headers: ["x-amzn-query-error": "\(queryCode);Sender"])
    }
}
