import AWSProtocol
import Auth
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import LambdaAPI
import Synchronization
import Testing

/// The Invoke a node sends to a peer with the function warm: the caller's request re-addressed, marked forwarded and
/// signed as the cluster's root so that the peer's verifier accepts it as it arrives.
@Suite struct InvokeForwarderTests {
    static let root = Credentials(accessKeyId: "AKIDROOT", secretAccessKey: "root-secret")

    static func forwarder(peer: String? = "http://127.0.0.1:8901") -> InvokeForwarder {
        InvokeForwarder(nodeId: "node-b", signer: SigV4Signer(credentials: root, region: "us-east-1", service: "lambda"),
                        peers: FixedPeers(address: peer))
    }

    static let request = APIRequest(
        method: "POST", rawPath: "/2015-03-31/functions/my-fn/invocations",
        pathSegments: ["2015-03-31", "functions", "my-fn", "invocations"], query: [("Qualifier", "$LATEST")],
        headers: [("host", "127.0.0.1:8902"), ("authorization", "the caller's"), ("x-amz-log-type", "Tail"),
                  ("x-amz-client-context", "eyJhIjoxfQ=="), ("x-amzn-trace-id", "Root=1-5e1b4151-5ac6c58f5b5daa6532d4cdd3"),
                  ("x-amz-security-token", "the caller's session")],
        body: Array(#"{"k":"v"}"#.utf8), baseURL: "http://127.0.0.1:8902", host: "127.0.0.1:8902", requestId: "req-1")

    @Test func theForwardedRequestVerifiesAsRootAtThePeer() throws {
        let (sent, _) = try #require(Self.forwarder().signedRequest(for: Self.request, to: "http://127.0.0.1:8901", timeoutSeconds: 3))
        let url = try #require(sent.url)
        #expect(url.absoluteString == "http://127.0.0.1:8901/2015-03-31/functions/my-fn/invocations?Qualifier=%24LATEST")
        #expect(sent.httpMethod == "POST")
        #expect(sent.timeoutInterval == 8)
        let fields = sent.allHTTPHeaderFields ?? [:]
        func field(_ name: String) -> String? { fields.first { $0.key.lowercased() == name }?.value }
        #expect(field(InvokeForwarder.forwardedHeader) == "node-b")
        #expect(field("x-amz-log-type") == "Tail")
        #expect(field("x-amz-client-context") == "eyJhIjoxfQ==")
        #expect(field("x-amzn-trace-id") == "Root=1-5e1b4151-5ac6c58f5b5daa6532d4cdd3")
        // The caller's own credentials stay behind.
        #expect(field("x-amz-security-token") == nil)
        #expect(field("authorization")?.contains("Credential=AKIDROOT/") == true)

        // As the peer reads it off the wire.
        let arrived = SignableRequest(
            method: "POST", rawPath: "/2015-03-31/functions/my-fn/invocations", rawQuery: "Qualifier=%24LATEST",
            headers: fields.map { (name: $0.key, value: $0.value) } + [(name: "host", value: "127.0.0.1:8901")],
            bodySHA256: Hex.sha256(bytes: sent.httpBody ?? Data()))
        let verifier = SigV4Verifier(credentials: StaticCredentialLookup([Self.root]), region: "us-east-1")
        #expect(try verifier.verify(arrived, service: "lambda").accessKeyId == "AKIDROOT")
        // A payload changed on the way does not verify.
        var tampered = arrived
        tampered.bodySHA256 = Hex.sha256("{}")
        #expect(throws: AuthError.self) { try verifier.verify(tampered, service: "lambda") }
    }

    @Test func nothingIsSentWithoutAPeerOrForARequestAlreadyForwarded() async {
        let none = await Self.forwarder(peer: nil).forward(Self.request, function: "my-fn", version: "$LATEST", revisionId: "r1", timeoutSeconds: 3)
        #expect(none == nil)
        #expect(!InvokeForwarder.isForwarded(Self.request))
        var forwarded = Self.request
        forwarded.headers.append((InvokeForwarder.forwardedHeader, "node-a"))
        #expect(InvokeForwarder.isForwarded(forwarded))
    }

    @Test func anUnreachablePeerIsAFailureNotAnAnswer() async {
        let failures = FailureLog()
        let peers = FixedPeers(address: "http://127.0.0.1:1")  // nothing listens on port 1
        let forwarder = InvokeForwarder(nodeId: "node-b", signer: SigV4Signer(credentials: Self.root, region: "us-east-1", service: "lambda"),
                                        peers: peers, onFailure: { peer, _ in failures.add(peer) })
        let answer = await forwarder.forward(Self.request, function: "my-fn", version: "$LATEST", revisionId: "r1", timeoutSeconds: 3)
        #expect(answer == nil)
        #expect(failures.peers == ["http://127.0.0.1:1"])
        // The peer was suspended and its claim given back.
        #expect(peers.log == ["claim", "suspend http://127.0.0.1:1", "release http://127.0.0.1:1"])
    }
}

final class FailureLog: Sendable {
    private let log = Mutex<[String]>([])
    func add(_ peer: String) { log.withLock { $0.append(peer) } }
    var peers: [String] { log.withLock { $0 } }
}

/// One peer (or none) for every revision; records what the forwarder did with it.
final class FixedPeers: WarmPeers {
    let address: String?
    private let calls = Mutex<[String]>([])
    init(address: String?) { self.address = address }
    var log: [String] { calls.withLock { $0 } }
    func claim(function: String, version: String, revisionId: String) -> String? {
        calls.withLock { $0.append("claim") }
        return address
    }
    func release(_ address: String, function: String, version: String, revisionId: String) {
        calls.withLock { $0.append("release \(address)") }
    }
    func suspend(_ address: String) { calls.withLock { $0.append("suspend \(address)") } }
}
