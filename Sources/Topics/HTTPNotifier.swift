import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts a notification to an HTTP/S endpoint and answers the status code (throws when no answer came).
public protocol HTTPNotifier: Sendable {
    func post(url: String, headers: [(name: String, value: String)], body: String) async throws -> Int
}

/// `HTTPNotifier` over URLSession, with SNS's 15 s timeout. HTTPS uses the system's trust store.
public struct URLSessionNotifier: HTTPNotifier {
    let session: URLSession

    public init(timeoutSeconds: Double = 15) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        configuration.httpShouldUsePipelining = false
        session = URLSession(configuration: configuration)
    }

    public func post(url: String, headers: [(name: String, value: String)], body: String) async throws -> Int {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        request.httpBody = Data(body.utf8)
        let (_, response) = try await session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
