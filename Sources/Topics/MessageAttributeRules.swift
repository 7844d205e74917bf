import Delivery
import JSONText

/// SNS's rules for a published message's attributes: at most 10, names of letters, digits, `_`, `-`, `.`
/// (not starting with `AWS.`/`Amazon.`, no `..`), types String, Number, Binary and String.Array (with an optional
/// custom suffix), values present and of their type.
enum MessageAttributeRules {
    static let maxAttributes = 10

    static func validate(_ attributes: [String: DeliveryAttribute]) throws(TopicError) {
        guard attributes.count <= maxAttributes else {
            throw .invalidParameter("MessageAttributes", reason: "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(maxAttributes)].")
        }
        for (name, attribute) in attributes {
            let nameOK = !name.isEmpty && name.count <= 256 && !name.hasPrefix(".") && !name.hasSuffix(".") && !name.contains("..")
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
                && !name.lowercased().hasPrefix("aws.") && !name.lowercased().hasPrefix("amazon.")
            guard nameOK else {
                throw .invalidParameter("MessageAttributes", reason: "Invalid message attribute name \(name)")
            }
            let type = attribute.dataType
            let base = ["String.Array", "String", "Number", "Binary"].first { type == $0 || type.hasPrefix($0 + ".") }
            guard let base else {
                throw .invalid("Invalid parameter: The message attribute '\(name)' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.")
            }
            switch base {
            case "Binary":
                guard let bytes = attribute.binaryValue, !bytes.isEmpty else {
                    throw .invalid("Invalid parameter: The message attribute '\(name)' with type 'Binary' must use field 'Binary'.")
                }
            default:
                guard let text = attribute.stringValue, !text.isEmpty else {
                    throw .invalid("Invalid parameter: The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(base)'.")
                }
                if base == "Number", Double(text) == nil || !text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) {
                    throw .invalid("Invalid parameter: Could not cast message attribute '\(name)' value to number.")
                }
                if base == "String.Array", !Self.isArray(text) {
                    throw .invalid("Invalid parameter: Message attribute '\(name)' has an invalid value for message attribute type 'String.Array'.")
                }
            }
        }
    }

    static func isArray(_ text: String) -> Bool {
        guard case .array(let items)? = JSONText(parsing: Array(text.utf8)) else { return false }
        return items.allSatisfy {
            switch $0 {
            case .array, .object: false
            default: true
            }
        }
    }

    /// Bytes the attributes add to the message's size (names, types and values).
    static func size(_ attributes: [String: DeliveryAttribute]) -> Int {
        attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.dataType.utf8.count
            + ($1.value.stringValue?.utf8.count ?? 0) + ($1.value.binaryValue?.count ?? 0) }
    }
}
