import Delivery

extension Delivery {
    /// The service of an ARN (`lambda`, `sqs`, …), empty when it is not an ARN.
    static func channelOf(_ arn: String) -> String {
        channel(forARN: arn) ?? ""
    }
}
