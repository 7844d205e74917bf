import Auth
import Foundation
import Identity
import Logging
import PostgresStore
import Topics

/// The secrets every node of a cluster must hold the same, kept in the shared database (`cluster_secrets`, in clear:
/// whoever reads the database reads them, as whoever reads a single node's data dir reads its own): the root
/// credentials (they sign the presigned code locations too), the key that seals IAM secret keys, session tokens and
/// execution-role credentials, and SNS's signing key and certificate. The first node to start makes them (offering
/// its own data dir's where it has them); every other node takes those and writes them into its data dir, so the
/// files there stay what the node uses.
enum ClusterSecrets {
    /// The cluster's root credentials. Credentials given in the environment must be the cluster's (or become them,
    /// on the first node).
    static func rootCredentials(_ loaded: CredentialsFile.Loaded, store: PostgresStore, logger: Logger) async throws -> Credentials {
        let offered = loaded.credentials
        let bytes = try await store.sharedSecret(named: "root-credentials") {
            Array("\(offered.accessKeyId)\n\(offered.secretAccessKey)".utf8)
        }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\n", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ServerStartError.database(reason: "the cluster's root credentials are malformed") }
        let cluster = Credentials(accessKeyId: parts[0], secretAccessKey: parts[1])
        if cluster != offered {
            if loaded.fromEnvironment {
                throw ServerStartError.database(reason: "\(CredentialsFile.accessKeyVariable) and \(CredentialsFile.secretKeyVariable) "
                    + "differ from the root credentials of the cluster (access key \(cluster.accessKeyId)); unset them or give those")
            }
            try CredentialsFile.write(cluster, path: loaded.path)
            logger.notice("root credentials are the cluster's", metadata: ["file": "\(loaded.path)"])
        }
        return cluster
    }

    /// The cluster's sealing key (the first node offers the one in its data dir, if it has one).
    static func sealer(store: PostgresStore, dataDir: String) async throws -> SecretSealer {
        let path = dataDir + "/" + SecretSealer.keyFileName
        let own = FileManager.default.contents(atPath: path).map { Array($0) }
        let bytes = try await store.sharedSecret(named: "identity-key") {
            own.flatMap { $0.count == 32 ? $0 : nil } ?? SecretSealer.newKeyBytes()
        }
        guard let sealer = SecretSealer(keyBytes: bytes) else {
            throw ServerStartError.database(reason: "the cluster's identity key is not 32 bytes")
        }
        if own != bytes {
            FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        }
        return sealer
    }

    /// Writes the cluster's SNS signing key and certificate into the data dir, where `MessageSigner` reads them.
    static func snsSigning(store: PostgresStore, dataDir: String) async throws {
        let keyPath = dataDir + "/sns-signing-key.pem", certPath = dataDir + "/sns-signing-cert.pem"
        let bytes = try await store.sharedSecret(named: "sns-signing") {
            // This node's pair (made now if it has none).
            _ = try? MessageSigner.loadOrCreate(directory: dataDir)
            let key = (try? String(contentsOfFile: keyPath, encoding: .utf8)) ?? ""
            let cert = (try? String(contentsOfFile: certPath, encoding: .utf8)) ?? ""
            return Array((key + cert).utf8)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let marker = "-----BEGIN CERTIFICATE-----"
        let (key, cert) = text.range(of: marker).map { (String(text[..<$0.lowerBound]), String(text[$0.lowerBound...])) } ?? (text, "")
        guard !key.isEmpty else { return }
        if (try? String(contentsOfFile: keyPath, encoding: .utf8)) != key {
            try key.write(toFile: keyPath, atomically: true, encoding: .utf8)
            chmod(keyPath, 0o600)
        }
        if cert.isEmpty {
            try? FileManager.default.removeItem(atPath: certPath)
        } else if (try? String(contentsOfFile: certPath, encoding: .utf8)) != cert {
            try cert.write(toFile: certPath, atomically: true, encoding: .utf8)
        }
    }
}
