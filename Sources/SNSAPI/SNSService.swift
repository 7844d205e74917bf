import AWSProtocol
import Delivery
import Foundation
import Topics

/// The SNS query protocol (signing name `sns`, `POST /` with a form body, version 2010-03-31): topics,
/// subscriptions, publishing and tags over `TopicBroker`, answered in XML as botocore's query parser reads it.
/// Also serves the unsigned GETs SNS hands out: the signing certificate, SubscribeURL and UnsubscribeURL.
public struct SNSService: Sendable {
    public static let snsSigningName = "sns"
    public static let namespace = "http://sns.amazonaws.com/doc/2010-03-31/"
    public static let maxBatchEntries = 10

    let broker: TopicBroker
    let signer: MessageSigner

    public init(broker: TopicBroker, signer: MessageSigner) {
        self.broker = broker
        self.signer = signer
    }

    /// `sns:<Action>` on the topic the request names (a subscription's topic for subscription operations), with
    /// the topic's policy as the resource policy; `*` for the account-wide listings.
    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        let form = SNSForm(form: QueryForm(body: request.body, query: request.query))
        let action = form["Action"] ?? ""
        let resource: String
        var context: [String: [String]] = [:]
        switch action {
        case "CreateTopic":
            resource = broker.addressing.topicArn(form["Name"] ?? "")
        case "ListTopics", "ListSubscriptions":
            resource = "*"
        case "Publish":
            resource = form["TopicArn"] ?? form["TargetArn"] ?? "*"
        case "Unsubscribe", "GetSubscriptionAttributes", "SetSubscriptionAttributes":
            resource = form["SubscriptionArn"].flatMap(TopicAddressing.topicArn(ofSubscription:)) ?? "*"
        case "TagResource", "UntagResource", "ListTagsForResource":
            resource = form["ResourceArn"] ?? "*"
        case "Subscribe":
            resource = form["TopicArn"] ?? "*"
            if let proto = form["Protocol"] { context["sns:Protocol"] = [proto] }
            if let endpoint = form["Endpoint"] { context["sns:Endpoint"] = [endpoint] }
        default:
            resource = form["TopicArn"] ?? "*"
        }
        let iamAction = action == "PublishBatch" ? "sns:Publish" : "sns:\(action)"
        let policy = resource == "*" ? nil : await broker.policy(of: resource)
        return [RequiredPermission(action: iamAction, resource: resource, context: context, resourcePolicy: policy)]
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        let form = SNSForm(form: QueryForm(body: request.body, query: request.query))
        let action = form["Action"] ?? ""
        let result: [XMLNode]?
        switch action {
        case "CreateTopic": result = try await createTopic(form)
        case "DeleteTopic":
            try await broker.deleteTopic(try form.required("TopicArn"))
            result = nil
        case "ListTopics":
            let page = try await broker.listTopics(nextToken: form["NextToken"])
            result = [XMLNode.list("Topics", page.arns.map { XMLNode("member", [XMLNode("TopicArn", text: $0)]) })]
                + XMLNode.optional("NextToken", page.nextToken)
        case "GetTopicAttributes":
            result = [SNSXML.map("Attributes", try await broker.topicAttributes(try form.required("TopicArn")))]
        case "SetTopicAttributes":
            try await broker.setTopicAttribute(try form.required("TopicArn"), name: try form.required("AttributeName"),
                                               value: form["AttributeValue"])
            result = nil
        case "AddPermission":
            try await broker.addPermission(try form.required("TopicArn"), label: try form.required("Label"),
                                           accounts: form.list("AWSAccountId"), actions: form.list("ActionName"))
            result = nil
        case "RemovePermission":
            try await broker.removePermission(try form.required("TopicArn"), label: try form.required("Label"))
            result = nil
        case "TagResource":
            try await broker.tag(try form.required("ResourceArn"), form.tags())
            result = []
        case "UntagResource":
            try await broker.untag(try form.required("ResourceArn"), keys: form.list("TagKeys"))
            result = []
        case "ListTagsForResource":
            let tags = try await broker.tags(of: try form.required("ResourceArn"))
            result = [XMLNode.list("Tags", tags.sorted { $0.key < $1.key }.map {
                XMLNode("member", [XMLNode("Key", text: $0.key), XMLNode("Value", text: $0.value)])
            })]
        case "Subscribe":
            let arn = try await broker.subscribe(topicArn: try form.required("TopicArn"), protocol: try form.required("Protocol"),
                                                 endpoint: form["Endpoint"], attributes: form.map("Attributes"),
                                                 returnArn: form.bool("ReturnSubscriptionArn"))
            result = [XMLNode("SubscriptionArn", text: arn)]
        case "ConfirmSubscription":
            let arn = try await broker.confirm(topicArn: try form.required("TopicArn"), token: try form.required("Token"),
                                               authenticated: form.bool("AuthenticateOnUnsubscribe"))
            result = [XMLNode("SubscriptionArn", text: arn)]
        case "Unsubscribe":
            try await broker.unsubscribe(try form.required("SubscriptionArn"))
            result = nil
        case "ListSubscriptions", "ListSubscriptionsByTopic":
            let topic = action == "ListSubscriptionsByTopic" ? try form.required("TopicArn") : nil
            let page = try await broker.listSubscriptions(topicArn: topic, nextToken: form["NextToken"])
            result = [SNSXML.subscriptions(page.subscriptions)] + XMLNode.optional("NextToken", page.nextToken)
        case "GetSubscriptionAttributes":
            result = [SNSXML.map("Attributes", try await broker.subscriptionAttributes(try form.required("SubscriptionArn")))]
        case "SetSubscriptionAttributes":
            try await broker.setSubscriptionAttribute(try form.required("SubscriptionArn"), name: try form.required("AttributeName"),
                                                      value: form["AttributeValue"])
            result = nil
        case "Publish": result = try await publish(form)
        case "PublishBatch": result = try await publishBatch(form)
        default:
            throw AWSError(code: "InvalidAction", status: 400, message: "Could not find operation \(action) for version 2010-03-31")
        }
        return QueryResponse.success(action: action, namespace: Self.namespace, result: result, requestId: request.requestId)
    }

    func createTopic(_ form: SNSForm) async throws -> [XMLNode] {
        let name = try form.required("Name")
        if form["DataProtectionPolicy"] != nil {
            throw TopicError.invalidParameter("DataProtectionPolicy", reason: "Data protection policies are not supported by this server")
        }
        let topic = try await broker.createTopic(name: name, attributes: form.map("Attributes"), tags: form.tags())
        return [XMLNode("TopicArn", text: topic.arn)]
    }

    func publish(_ form: SNSForm) async throws -> [XMLNode] {
        if form["PhoneNumber"] != nil {
            throw TopicError.invalidParameter("PhoneNumber", reason: "SMS is not supported by this server")
        }
        guard let topicArn = form["TopicArn"] ?? form["TargetArn"] else {
            throw TopicError.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter")
        }
        let input = PublishInput(topicArn: topicArn, message: try form.required("Message"), subject: form["Subject"],
                                 attributes: try form.messageAttributes("MessageAttributes"), messageStructure: form["MessageStructure"],
                                 messageGroupId: form["MessageGroupId"], messageDeduplicationId: form["MessageDeduplicationId"])
        let published = try await broker.publish(input)
        return [XMLNode("MessageId", text: published.messageId)] + XMLNode.optional("SequenceNumber", published.sequenceNumber)
    }

    func publishBatch(_ form: SNSForm) async throws -> [XMLNode] {
        let topicArn = try form.required("TopicArn")
        _ = try await broker.topic(topicArn)
        let entries = form.members("PublishBatchRequestEntries")
        guard !entries.isEmpty else {
            throw TopicError(code: "EmptyBatchRequest", status: 400, message: "The batch request doesn't contain any entries.")
        }
        guard entries.count <= Self.maxBatchEntries else {
            throw TopicError(code: "TooManyEntriesInBatchRequest", status: 400, message: "The batch request contains more entries than permissible.")
        }
        var ids = Set<String>()
        var total = 0
        for entry in entries {
            let id = entry["Id"] ?? ""
            guard !id.isEmpty, id.count <= 80, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw TopicError(code: "InvalidBatchEntryId", status: 400,
                                 message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
            }
            guard ids.insert(id).inserted else {
                throw TopicError(code: "BatchEntryIdsNotDistinct", status: 400, message: "Two or more batch entries in the request have the same Id.")
            }
            total += (entry["Message"] ?? "").utf8.count
        }
        guard total <= TopicBroker.maxMessageBytes else {
            throw TopicError(code: "BatchRequestTooLong", status: 400, message: "The length of all the messages put together is more than the limit.")
        }
        var inputs: [PublishInput] = []
        var failed: [(id: String, error: TopicError)] = []
        var order: [String] = []
        for entry in entries {
            let id = entry["Id"]!
            do throws(TopicError) {
                let input = PublishInput(topicArn: topicArn, message: try entry.required("Message"), subject: entry["Subject"],
                                         attributes: try entry.messageAttributes("MessageAttributes"),
                                         messageStructure: entry["MessageStructure"], messageGroupId: entry["MessageGroupId"],
                                         messageDeduplicationId: entry["MessageDeduplicationId"])
                inputs.append(input)
                order.append(id)
            } catch {
                failed.append((id, error))
            }
        }
        let outcomes = try await broker.publishBatch(inputs)
        var successful: [XMLNode] = []
        for (id, outcome) in zip(order, outcomes) {
            switch outcome {
            case .success(let published):
                successful.append(XMLNode("member", [XMLNode("Id", text: id), XMLNode("MessageId", text: published.messageId)]
                    + XMLNode.optional("SequenceNumber", published.sequenceNumber)))
            case .failure(let error):
                failed.append((id, error))
            }
        }
        return [
            XMLNode.list("Successful", successful),
            XMLNode.list("Failed", failed.map { entry in
                XMLNode("member", [
                    XMLNode("Id", text: entry.id),
                    XMLNode("Code", text: entry.error.code),
                    XMLNode("Message", text: entry.error.message),
                    XMLNode("SenderFault", text: entry.error.status < 500 ? "true" : "false"),
                ])
            }),
        ]
    }

    /// The unsigned GETs: the signing certificate, a SubscribeURL (confirms), an UnsubscribeURL (unsubscribes).
    public func publicDocument(pathSegments: [String], requestId: String) async -> APIResponse? {
        guard let request = SNSPaths.request(pathSegments) else { return nil }
        do {
            switch request {
            case .certificate:
                guard let pem = signer.certificatePEM else { return APIResponse(status: 404) }
                return APIResponse(status: 200, headers: [("content-type", "application/x-pem-file")], body: Array(pem.utf8))
            case .confirm(let token):
                let arn = try await broker.confirm(topicArn: nil, token: token, authenticated: false)
                return QueryResponse.success(action: "ConfirmSubscription", namespace: Self.namespace,
                                             result: [XMLNode("SubscriptionArn", text: arn)], requestId: requestId)
            case .unsubscribe(let arn):
                try await broker.unsubscribe(arn, authenticated: false)
                return QueryResponse.success(action: "Unsubscribe", namespace: Self.namespace, result: nil, requestId: requestId)
            }
        } catch let error as TopicError {
            return QueryResponse.error(error.awsError, namespace: Self.namespace, requestId: requestId)
        } catch {
            return QueryResponse.error(AWSError(code: "InternalError", status: 500, message: "\(error)"), namespace: Self.namespace,
                                       requestId: requestId)
        }
    }
}
