import AWSProtocol
import Foundation

/// IAM for API Gateway: the action is `apigateway:<HTTP method>` and the resource the path's own ARN
/// (`arn:aws:apigateway:<region>::/apis/<id>/routes/<routeId>`, `…::/tags/<url-encoded arn>`), as AWS's service
/// authorization reference defines them for API Gateway v2.
enum APIGatewayPermissions {
    static func required(for request: APIRequest, region: String) -> [RequiredPermission] {
        guard let route = APIGatewayRoute.match(method: request.method, segments: request.pathSegments) else { return [] }
        let base = "arn:aws:apigateway:\(region)::"
        let path: String
        switch route {
        case .tagResource(let arn), .untagResource(let arn), .getTags(let arn):
            path = "/tags/" + percentEncode(arn)
        default:
            path = "/" + request.pathSegments.dropFirst().joined(separator: "/")
        }
        var required = [RequiredPermission(action: "apigateway:\(request.method)", resource: base + path)]
        // A role API Gateway will act with is passed to it, as IAM requires of every service role.
        for role in passedRoles(request) {
            required.append(RequiredPermission(action: "iam:PassRole", resource: role,
                                               context: ["iam:PassedToService": ["apigateway.amazonaws.com"]]))
        }
        return required
    }

    /// The roles a create or update names (`credentialsArn`, `authorizerCredentialsArn`).
    static func passedRoles(_ request: APIRequest) -> [String] {
        guard request.method == "POST" || request.method == "PATCH" || request.method == "PUT", !request.body.isEmpty,
              let body = try? JSONDecoder().decode(PassedRoles.self, from: Data(request.body)) else { return [] }
        return [body.credentialsArn, body.authorizerCredentialsArn].compactMap { $0 }.filter { $0.hasPrefix("arn:") }
    }

    private struct PassedRoles: Decodable {
        var credentialsArn: String?
        var authorizerCredentialsArn: String?
    }

    /// Every byte but unreserved characters percent-encoded.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
