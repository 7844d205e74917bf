import Crypto
import Foundation
import _CryptoExtras

/// Signs SNS messages as AWS does: SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, both over the canonical
/// string of the message's fields (`name\nvalue\n` in a fixed order), base64-encoded. The key and its X.509
/// certificate live in the data directory (`sns-signing-key.pem`, `sns-signing-cert.pem`), made once.
public final class MessageSigner: Sendable {
    let key: _RSA.Signing.PrivateKey
    /// The certificate in PEM, served at `SigningCertURL`.
    public let certificatePEM: String?
    /// Signatures by message id and version: every subscriber of one message gets the same signature.
    private let cache = SignatureCache()

    public init(key: _RSA.Signing.PrivateKey, certificatePEM: String?) {
        self.key = key
        self.certificatePEM = certificatePEM
    }

    /// Loads the key and certificate from `directory`, or creates them (the certificate with the `openssl` CLI,
    /// self-signed for `sns.amazonaws.com`, ten years). Without `openssl` messages are still signed, and the
    /// certificate is missing (`certificatePEM` nil).
    public static func loadOrCreate(directory: String) throws -> MessageSigner {
        let keyPath = directory + "/sns-signing-key.pem"
        let certPath = directory + "/sns-signing-cert.pem"
        let files = FileManager.default
        if !files.fileExists(atPath: keyPath) || !files.fileExists(atPath: certPath) {
            try? files.removeItem(atPath: keyPath)
            try? files.removeItem(atPath: certPath)
            if !makeWithOpenSSL(keyPath: keyPath, certPath: certPath) {
                let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
                try key.pemRepresentation.write(toFile: keyPath, atomically: true, encoding: .utf8)
            }
            chmod(keyPath, 0o600)
        }
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: try String(contentsOfFile: keyPath, encoding: .utf8))
        let certificate = try? String(contentsOfFile: certPath, encoding: .utf8)
        return MessageSigner(key: key, certificatePEM: certificate)
    }

    static func makeWithOpenSSL(keyPath: String, certPath: String) -> Bool {
        let candidates = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
        guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
                             "-subj", "/CN=sns.amazonaws.com", "-keyout", keyPath, "-out", certPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return false
        }
        return process.terminationStatus == 0 && FileManager.default.fileExists(atPath: certPath)
    }

    /// The string AWS signs for a notification: Message, MessageId, Subject (when present), Timestamp, TopicArn, Type.
    public static func notificationString(message: String, messageId: String, subject: String?, timestamp: String,
                                          topicArn: String) -> String {
        var out = "Message\n\(message)\nMessageId\n\(messageId)\n"
        if let subject { out += "Subject\n\(subject)\n" }
        out += "Timestamp\n\(timestamp)\nTopicArn\n\(topicArn)\nType\nNotification\n"
        return out
    }

    /// The string AWS signs for `SubscriptionConfirmation` and `UnsubscribeConfirmation` messages.
    public static func confirmationString(type: String, message: String, messageId: String, subscribeURL: String,
                                          timestamp: String, token: String, topicArn: String) -> String {
        "Message\n\(message)\nMessageId\n\(messageId)\nSubscribeURL\n\(subscribeURL)\nTimestamp\n\(timestamp)\n"
            + "Token\n\(token)\nTopicArn\n\(topicArn)\nType\n\(type)\n"
    }

    /// Base64 of the RSA PKCS #1 v1.5 signature of `string` with SHA1 (`version` 1) or SHA256 (`version` 2).
    public func sign(_ string: String, version: String) -> String {
        let data = Data(string.utf8)
        let signature: _RSA.Signing.RSASignature?
        if version == "2" {
            signature = try? key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        } else {
            signature = try? key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        }
        return signature.map { Data($0.rawRepresentation).base64EncodedString() } ?? ""
    }

    /// `sign`, remembered per message id for the subscribers that follow.
    public func signature(messageId: String, version: String, _ string: @autoclosure () -> String) -> String {
        let key = messageId + "/" + version
        if let known = cache.get(key) { return known }
        let signature = sign(string(), version: version)
        cache.put(key, signature)
        return signature
    }
}
