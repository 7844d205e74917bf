import Testing
@testable import Auth

@Suite struct CanonicalRequestTests {
    @Test(arguments: [
        ("/", "/"),
        ("", "/"),
        ("/2015-03-31/functions/", "/2015-03-31/functions/"),
        // botocore quotes the already-encoded path once more for non-S3 services.
        ("/2017-03-31/tags/arn%3Aaws%3Alambda", "/2017-03-31/tags/arn%253Aaws%253Alambda"),
        ("/a/./b/../c", "/a/c"),
        ("/a//b", "/a/b"),
        ("/with space", "/with%20space"),
    ])
    func canonicalURI(raw: String, expected: String) {
        #expect(CanonicalRequest.canonicalURI(rawPath: raw) == expected)
    }

    @Test(arguments: [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("tagKeys=c%3Ad&tagKeys=a%20b", "tagKeys=a%20b&tagKeys=c%3Ad"),
        ("Marker=a%2Bb%2F%3D", "Marker=a%2Bb%2F%3D"),
        ("flag", "flag="),
        ("k=%7Etilde", "k=~tilde"),
    ])
    func canonicalQuery(raw: String, expected: String) {
        #expect(CanonicalRequest.canonicalQuery(rawQuery: raw) == expected)
    }

    @Test(arguments: [
        ("  a   b\tc  ", "a b c"),
        ("a b", "a b"),
        ("\ta", "a"),
        ("a\t", "a"),
        ("a \t b", "a b"),
        ("", ""),
        ("   ", ""),
        ("héllo  wörld", "héllo wörld"),
        (String(repeating: "AQoDYXdzEJr+/=", count: 60), String(repeating: "AQoDYXdzEJr+/=", count: 60)),
    ])
    func headerValuesAreTrimmedAndCollapsed(value: String, expected: String) {
        #expect(CanonicalRequest.canonicalHeaderValue(value) == expected)
    }

    @Test func uriEncodingRoundTrips() {
        let original = "arn:aws:lambda:us-east-1:000000000000:function:héllo/x y+z"
        #expect(URIEncoding.decode(URIEncoding.encode(original)) == original)
        #expect(URIEncoding.encode("a/b", keepSlash: true) == "a/b")
        #expect(URIEncoding.encode("a/b") == "a%2Fb")
    }

    @Test func authorizationHeaderParses() throws {
        let header = try AuthorizationHeader.parse(
            "AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
        #expect(header.scope == CredentialScope(accessKeyId: "AKID", date: "20261124", region: "us-east-1", service: "lambda"))
        #expect(header.signedHeaders == ["host", "x-amz-date"])
        #expect(header.signature == "abc")
    }

    @Test func authorizationHeaderToleratesSpacingAndOrder() throws {
        let header = try AuthorizationHeader.parse(
            "  AWS4-HMAC-SHA256 Signature=def ,SignedHeaders=Host;X-Amz-Date,\tCredential=AKID/20261124/us-east-1/sqs/aws4_request  ")
        #expect(header.scope.service == "sqs")
        #expect(header.signedHeaders == ["host", "x-amz-date"])
        #expect(header.signature == "def")
    }

    @Test func authorizationHeaderMissingPartsIsIncomplete() {
        let credentialOnly = "AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/lambda/aws4_request"
        #expect(throws: AuthError.incompleteSignature(
            "Authorization header requires 'SignedHeaders', 'Signature' parameters. Authorization=\(credentialOnly)")) {
            try AuthorizationHeader.parse(credentialOnly)
        }
        #expect(throws: AuthError.incompleteSignature("Authorization header requires the AWS4-HMAC-SHA256 algorithm.")) {
            try AuthorizationHeader.parse("Basic abc")
        }
        #expect(throws: AuthError.self) { try AuthorizationHeader.parse("AWS4-HMAC-SHA256") }
    }
}
