import Foundation

/// The unsigned URLs SNS hands out, served on the main listener: the signing certificate, the SubscribeURL of a
/// confirmation and the UnsubscribeURL of every notification. AWS's are `https://sns.<region>.amazonaws.com/?Action=…`;
/// here the action is in the path (`/_sns/…`), with AWS's query parameters kept for readers that parse them.
public enum SNSPaths {
    public static let root = "_sns"
    public static let certificateFile = "SimpleNotificationService-swiftlet.pem"

    static func signingCertURL(base: String) -> String {
        "\(base)/\(root)/\(certificateFile)"
    }

    static func subscribeURL(base: String, topicArn: String, token: String) -> String {
        "\(base)/\(root)/confirm/\(token)?Action=ConfirmSubscription&TopicArn=\(encode(topicArn))&Token=\(token)"
    }

    static func unsubscribeURL(base: String, subscriptionArn: String) -> String {
        "\(base)/\(root)/unsubscribe/\(encode(subscriptionArn))?Action=Unsubscribe&SubscriptionArn=\(encode(subscriptionArn))"
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// What a GET of one of these paths asks for.
    public enum Request: Equatable, Sendable {
        case certificate
        case confirm(token: String)
        case unsubscribe(subscriptionArn: String)
    }

    /// Reads decoded path segments (`["_sns", "confirm", token]`); nil for any other path.
    public static func request(_ segments: [String]) -> Request? {
        guard segments.first == root else { return nil }
        switch segments.count {
        case 2 where segments[1] == certificateFile: return .certificate
        case 3 where segments[1] == "confirm": return .confirm(token: segments[2])
        case 3 where segments[1] == "unsubscribe": return .unsubscribe(subscriptionArn: segments[2])
        default: return nil
        }
    }
}
