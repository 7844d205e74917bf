import AWSProtocol

/// Authentication failures, worded as AWS words them.
public enum AuthError: AWSErrorConvertible, Equatable {
    case missingAuthentication
    case incompleteSignature(String)
    case unrecognizedClient
    case signatureMismatch
    case signatureExpired(signed: String, earliest: String, now: String)
    case signatureNotYetCurrent(signed: String, latest: String, now: String)
    case invalidScope(String)
    case payloadHashMismatch
    case presignedExpired
    case expiredToken

    public var awsError: AWSError {
        switch self {
        case .missingAuthentication:
            AWSError(code: "MissingAuthenticationTokenException", status: 403, message: "Missing Authentication Token")
        case .incompleteSignature(let message):
            AWSError(code: "IncompleteSignatureException", status: 403, message: message)
        case .unrecognizedClient:
            AWSError(code: "UnrecognizedClientException", status: 403,
                     message: "The security token included in the request is invalid.")
        case .signatureMismatch:
            AWSError(code: "InvalidSignatureException", status: 403, message:
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        case .signatureExpired(let signed, let earliest, let now):
            AWSError(code: "InvalidSignatureException", status: 403,
                     message: "Signature expired: \(signed) is now earlier than \(earliest) (\(now) - 5 min.)")
        case .signatureNotYetCurrent(let signed, let latest, let now):
            AWSError(code: "InvalidSignatureException", status: 403,
                     message: "Signature not yet current: \(signed) is still later than \(latest) (\(now) + 5 min.)")
        case .invalidScope(let message):
            AWSError(code: "InvalidSignatureException", status: 403, message: message)
        case .payloadHashMismatch:
            AWSError(code: "InvalidSignatureException", status: 403,
                     message: "The provided 'x-amz-content-sha256' header does not match what was computed.")
        case .presignedExpired:
            AWSError(code: "AccessDeniedException", status: 403, message: "Request has expired")
        case .expiredToken:
            AWSError(code: "ExpiredTokenException", status: 403, message: "The security token included in the request is expired")
        }
    }
}

extension AuthError {
    /// The same failure as the query protocol (IAM, STS, SNS) names it.
    public var queryError: AWSError {
        var error = awsError
        switch self {
        case .missingAuthentication: error.code = "MissingAuthenticationToken"
        case .incompleteSignature: error.code = "IncompleteSignature"
        case .unrecognizedClient: error.code = "InvalidClientTokenId"
        case .signatureMismatch, .signatureExpired, .signatureNotYetCurrent, .invalidScope, .payloadHashMismatch:
            error.code = "SignatureDoesNotMatch"
        case .presignedExpired: error.code = "AccessDenied"
        case .expiredToken: error.code = "ExpiredToken"
        }
        return error
    }
}
