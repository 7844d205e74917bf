import AWSProtocol
import Foundation

/// The IAM permission each CloudWatch operation needs: `cloudwatch:<Operation>` on `*` (metrics have no ARNs);
/// PutMetricData carries the `cloudwatch:namespace` condition key.
extension CloudWatchService {
    struct NamespaceMember: Decodable {
        var Namespace: String?
    }

    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        let operation = Self.operation(request)
        var permission = RequiredPermission(action: "cloudwatch:" + operation, resource: "*")
        if operation == "PutMetricData", let namespace = (try? wire.decode(NamespaceMember.self, from: request))?.Namespace {
            permission.context["cloudwatch:namespace"] = [namespace]
        }
        return [permission]
    }
}
