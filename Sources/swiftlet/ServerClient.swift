import Auth
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a request of a `swiftlet` command to the server failed.
enum CommandError: Error, CustomStringConvertible {
    /// The server answered with an AWS error (`__type`, `message`).
    case api(type: String, message: String)
    /// The server could not be reached or answered something that is not the API.
    case transport(String)
    /// Local setup: the credentials or endpoint file.
    case setup(String)

    var description: String {
        switch self {
        case .api(let type, let message): message.isEmpty ? type : "\(type): \(message)"
        case .transport(let text), .setup(let text): text
        }
    }
}

/// How the CLI's commands talk to a running server: the root credentials and endpoint from its data dir,
/// SigV4-signed JSON-protocol POSTs (`X-Amz-Target`) for one service.
struct ServerClient: Sendable {
    private struct ErrorResponse: Decodable {
        var type: String?
        var message: String?
        var Message: String?

        enum CodingKeys: String, CodingKey {
            case type = "__type", message, Message
        }
    }

    let url: URL
    let host: String
    let signer: SigV4Signer

    /// Reads `<dataDir>/credentials` and, unless `endpoint` is given, `<dataDir>/endpoint`.
    init(dataDir: String, endpoint: String?, region: String, service: String) throws {
        let credentialsPath = (dataDir as NSString).appendingPathComponent("credentials")
        let credentials: Credentials?
        do {
            credentials = try CredentialsFile.read(path: credentialsPath)
        } catch {
            throw CommandError.setup("cannot read \(credentialsPath): \(error)")
        }
        guard let credentials else {
            throw CommandError.setup("no credentials in \(credentialsPath) (has the server run with --data-dir \(dataDir)?)")
        }
        var base = endpoint
        if base == nil {
            let endpointPath = (dataDir as NSString).appendingPathComponent("endpoint")
            guard let text = try? String(contentsOfFile: endpointPath, encoding: .utf8) else {
                throw CommandError.setup("no endpoint in \(endpointPath) (is the server running? else pass --endpoint)")
            }
            base = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let base, let url = URL(string: base), let scheme = url.scheme, scheme == "http" || scheme == "https",
              let hostName = url.host, !hostName.isEmpty else {
            throw CommandError.setup("invalid endpoint URL \(base ?? "")")
        }
        self.url = url.appendingPathComponent("/")
        self.host = url.port.map { "\(hostName):\($0)" } ?? hostName
        self.signer = SigV4Signer(credentials: credentials, region: region, service: service)
    }

    /// POSTs `body` signed for `target`; the body of a 2xx answer, else the AWS error it carries.
    func post(target: String, contentType: String, body: Data) async throws -> Data {
        let signable = SignableRequest(
            method: "POST", rawPath: "/", rawQuery: "",
            headers: [("host", host), ("content-type", contentType), ("x-amz-target", target)],
            bodySHA256: Hex.sha256(bytes: body))
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.setValue(target, forHTTPHeaderField: "X-Amz-Target")
        for (name, value) in signer.authorizationHeaders(for: signable) {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CommandError.transport("cannot reach \(url): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw CommandError.transport("no HTTP answer from \(url)")
        }
        if (200..<300).contains(http.statusCode) { return data }
        guard let error = try? JSONDecoder().decode(ErrorResponse.self, from: data), let rawType = error.type else {
            throw CommandError.transport("HTTP \(http.statusCode) from \(url): \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        // `__type` may carry a namespace (`com.amazonaws.logs#ResourceNotFoundException`).
        let type = rawType.split(separator: "#").last.map(String.init) ?? rawType
        throw CommandError.api(type: type, message: error.message ?? error.Message ?? "")
    }
}
