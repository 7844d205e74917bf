import AWSProtocol
import Delivery
import Foundation
import Topics

/// Reading SNS's query parameters: maps (`Attributes.entry.N.key`), message attributes
/// (`MessageAttributes.entry.N.Name` / `.Value.DataType` …), tags and lists.
struct SNSForm {
    let form: QueryForm

    subscript(name: String) -> String? { form[name] }

    func required(_ name: String) throws(TopicError) -> String {
        guard let value = form[name] else {
            throw TopicError.invalidParameter(name, reason: "No value for required parameter")
        }
        return value
    }

    func bool(_ name: String) -> Bool {
        form[name]?.lowercased() == "true"
    }

    /// A string map: `Name.entry.N.key` / `Name.entry.N.value`.
    func map(_ name: String) -> [String: String] {
        var out: [String: String] = [:]
        var index = 1
        while let key = form["\(name).entry.\(index).key"] {
            out[key] = form["\(name).entry.\(index).value"] ?? ""
            index += 1
        }
        return out
    }

    func tags() -> [String: String] {
        var out: [String: String] = [:]
        for tag in form.tags() { out[tag.key] = tag.value }
        return out
    }

    func list(_ name: String) -> [String] { form.list(name) }

    /// Message attributes under `prefix` (`MessageAttributes`, or a batch entry's).
    func messageAttributes(_ prefix: String) throws(TopicError) -> [String: DeliveryAttribute] {
        var out: [String: DeliveryAttribute] = [:]
        var index = 1
        while let name = form["\(prefix).entry.\(index).Name"] {
            let base = "\(prefix).entry.\(index).Value"
            guard let type = form["\(base).DataType"] else {
                throw TopicError.invalid("Invalid parameter: The message attribute '\(name)' must contain non-empty message attribute type.")
            }
            var binary: [UInt8]?
            if let text = form["\(base).BinaryValue"] {
                guard let data = Data(base64Encoded: text) else {
                    throw TopicError.invalid("Invalid parameter: The message attribute '\(name)' has an invalid binary value.")
                }
                binary = Array(data)
            }
            out[name] = DeliveryAttribute(dataType: type, stringValue: form["\(base).StringValue"], binaryValue: binary)
            index += 1
        }
        return out
    }

    /// The fields of each member of a list of structures, as a form of their own (for PublishBatch entries).
    func members(_ name: String) -> [SNSForm] {
        form.structures(name).map { SNSForm(form: QueryForm(parameters: $0)) }
    }
}
