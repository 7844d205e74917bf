import AWSProtocol
import AsyncInvocation
import Catalog
import Delivery
import Foundation
import Identity
import Queues

/// Whether a delivery's origin may send to its target: an AWS service principal needs the target's resource
/// policy to allow it (with `aws:SourceArn` / `aws:SourceAccount` of the rule, topic or schedule); a role
/// (Scheduler, rule targets with a `RoleArn`) needs its own permissions, and a trust policy that lets the service
/// assume it. A delivery with neither is the platform's own (checked where it was produced).
struct DeliveryAuthorization: Sendable {
    let authorizer: Authorizer
    let accountId: String

    func check(_ origin: DeliveryOrigin, action: String, resource: String, resourcePolicy: String?) throws(DeliveryFailure) {
        var context: [String: [String]] = [:]
        if let source = origin.sourceArn { context["aws:SourceArn"] = [source] }
        context["aws:SourceAccount"] = [origin.sourceAccount ?? accountId]
        // SNS's default topic policy allows its account through `AWS:SourceOwner`, which services sending for the
        // account (CloudWatch alarms, S3 notifications) carry.
        context["aws:SourceOwner"] = [origin.sourceAccount ?? accountId]
        if let role = origin.roleArn {
            if let service = origin.servicePrincipal, !authorizer.serviceCanAssume(service, roleArn: role) {
                throw .denied("\(service) is not authorized to assume the role \(role).")
            }
            let permission = RequiredPermission(action: action, resource: resource, context: context, resourcePolicy: resourcePolicy)
            guard authorizer.rolePermits(roleArn: role, sessionName: origin.servicePrincipal ?? "delivery", permission) else {
                throw .denied("The role \(role) is not authorized to perform: \(action) on resource: \(resource)")
            }
        } else if let service = origin.servicePrincipal {
            let permission = RequiredPermission(action: action, resource: resource, context: context, resourcePolicy: resourcePolicy)
            guard authorizer.resourcePolicyPermitsService(service, permission) else {
                throw .denied("\(service) is not authorized to perform: \(action) on resource: \(resource) (its resource policy does not allow it)")
            }
        }
    }
}

/// `lambda`: an asynchronous invoke (the durable async queue takes it; its retries and destinations follow).
struct LambdaDeliverySink: DeliverySink {
    let catalog: FunctionCatalog
    let dispatcher: AsyncDispatcher
    let authorization: DeliveryAuthorization

    func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        let resolved: (FunctionDefinition, qualifier: String?)
        do {
            resolved = try await catalog.resolve(delivery.target)
        } catch {
            throw .notFound("Function not found: \(delivery.target)")
        }
        let (function, qualifier) = resolved
        let arn = catalog.arns.function(function.name, qualifier: qualifier)
        let policy = await catalog.resourcePolicyJSON(function: function.name, qualifier: qualifier)
        try authorization.check(delivery.origin, action: "lambda:InvokeFunction", resource: arn, resourcePolicy: policy)
        guard delivery.payload.utf8.count <= AsyncDispatcher.maxPayloadBytes else {
            throw .init(code: "RequestEntityTooLargeException", message: "The event is larger than Lambda's 1 MB asynchronous limit.",
                        retryable: false)
        }
        do {
            try await dispatcher.accept(functionName: function.name, qualifier: qualifier, payload: Array(delivery.payload.utf8),
                                        requestId: UUID().uuidString.lowercased())
        } catch {
            throw .transient("InternalFailure", "The asynchronous invoke was not accepted: \(error)")
        }
    }
}

/// `sqs`: SendMessage to a queue of this server (FIFO with the delivery's group and deduplication ids).
struct QueueDeliverySink: DeliverySink {
    let queues: QueueBroker
    let authorization: DeliveryAuthorization

    func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        let found = try? await queues.addressing.name(fromARN: delivery.target).asyncFlatMap { try await queues.store.queue(named: $0) }
        guard let queue = found ?? nil else {
            throw .notFound("Queue \(delivery.target) does not exist.")
        }
        try authorization.check(delivery.origin, action: "sqs:SendMessage", resource: delivery.target,
                                resourcePolicy: queue.attributes.values["Policy"])
        var attributes: [String: MessageAttributeValue] = [:]
        for (name, value) in delivery.attributes {
            attributes[name] = MessageAttributeValue(DataType: value.dataType, StringValue: value.stringValue,
                                                     BinaryValue: value.binaryValue.map { Data($0) })
        }
        let message = OutgoingMessage(body: delivery.payload, attributes: attributes,
                                      groupId: queue.isFifo ? delivery.messageGroupId : nil,
                                      deduplicationId: queue.isFifo ? delivery.deduplicationId : nil)
        do {
            try queues.check(message, queue: queue)
        } catch {
            throw .init(code: "SQSError", message: "\(error)", retryable: false)
        }
        do {
            _ = try await queues.send([message], to: queue, senderId: delivery.origin.servicePrincipal ?? authorization.accountId)
        } catch {
            throw .transient("InternalFailure", "The queue did not take the message: \(error)")
        }
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
