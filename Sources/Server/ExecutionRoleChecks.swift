import AWSProtocol
import Catalog
import Identity
import Queues

/// Lambda's checks of execution roles, answered by the identity data: whether Lambda may assume a role, and whether
/// a role may act on a queue (by its policies and the queue's own policy) or invoke a function.
struct ExecutionRoleChecks: ExecutionRolePolicy {
    let sessions: RoleSessions
    let authorizer: Authorizer
    let queues: QueueBroker

    func lambdaCanAssume(_ roleArn: String) -> Bool {
        sessions.lambdaCanAssume(roleArn)
    }

    func rolePermits(_ roleArn: String, functionName: String, action: String, resource: String) async -> Bool {
        var queuePolicy: String?
        if let name = queues.addressing.name(fromARN: resource) {
            queuePolicy = (try? await queues.queue(name))?.attributes.values["Policy"]
        }
        return authorizer.rolePermits(roleArn: roleArn, sessionName: functionName,
                                      RequiredPermission(action: action, resource: resource, resourcePolicy: queuePolicy))
    }
}
