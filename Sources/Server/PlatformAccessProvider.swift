import Foundation
import Identity
import Invoker
import Logging
import Synchronization

/// Gives environments their execution role's credentials (from `RoleSessions`) and the platform's endpoint,
/// known once the listener is bound.
final class PlatformAccessProvider: PlatformAccess {
    let sessions: RoleSessions
    let logger: Logger
    private let current = Mutex<PlatformEndpoint?>(nil)

    init(sessions: RoleSessions, logger: Logger) {
        self.sessions = sessions
        self.logger = logger
    }

    func executionCredentials(role: String, functionName: String) -> ExecutionCredentials? {
        do {
            guard let c = try sessions.executionRoleCredentials(roleArn: role, functionName: functionName,
                                                                durationSeconds: ExecutionCredentials.lifetimeSeconds) else {
                logger.warning("the function's role cannot be assumed by Lambda: its environment gets no credentials",
                               metadata: ["function": "\(functionName)", "role": "\(role)"])
                return nil
            }
            return ExecutionCredentials(accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken)
        } catch {
            logger.error("issuing execution-role credentials failed", metadata: ["function": "\(functionName)", "error": "\(error)"])
            return nil
        }
    }

    var endpoint: PlatformEndpoint? { current.withLock { $0 } }

    func setEndpoint(_ endpoint: PlatformEndpoint?) {
        current.withLock { $0 = endpoint }
    }
}
