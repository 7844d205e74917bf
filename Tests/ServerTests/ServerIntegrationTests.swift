import AWSProtocol
import Auth
import Foundation
import Logging
import Server
import Testing
import ZIPFoundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real server, in process, on an ephemeral port with a temporary data dir, spoken to over HTTP.
@Suite struct ServerIntegrationTests {
    struct Running {
        let task: Task<Void, any Error>
        let port: Int
        let credentials: Credentials

        func stop() async {
            task.cancel()
            _ = await task.result
        }

        func send(_ method: String, _ path: String, query: String = "", body: String = "", sign: Bool = true,
                  service: String = "lambda") async throws -> (Int, [String: String], Data) {
            let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: service)
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)\(query.isEmpty ? "" : "?" + query)")!)
            request.httpMethod = method
            if !body.isEmpty { request.httpBody = Data(body.utf8) }
            if sign {
                let signable = SignableRequest(method: method, rawPath: path, rawQuery: query,
                                               headers: [("host", "127.0.0.1:\(port)")], bodySHA256: Hex.sha256(body))
                for (name, value) in signer.authorizationHeaders(for: signable) {
                    request.setValue(value, forHTTPHeaderField: name)
                }
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = response as! HTTPURLResponse
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
            return (http.statusCode, headers, data)
        }
    }

    static func start(dataDir: String) async throws -> Running {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let config = ServerConfiguration(port: 0, dataDir: dataDir, environment: [:])
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let server = SwiftletServer(configuration: config, logger: logger)
        let task = Task { try await server.run(onReady: { continuation.yield($0) }) }
        var port = 0
        for await p in stream { port = p; break }
        let credentials = try #require(try CredentialsFile.read(path: dataDir + "/credentials"))
        return Running(task: task, port: port, credentials: credentials)
    }

    static func zipBase64() throws -> String {
        let archive = try Archive(accessMode: .create)
        let data = Data("def handler(e, c):\n    return e\n".utf8)
        try archive.addEntry(with: "app.py", type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        return archive.data!.base64EncodedString()
    }

    @Test func controlPlaneOverHTTPSurvivesRestart() async throws {
        let dir = NSTemporaryDirectory() + "swiftlet-it-\(UUID().uuidString)"
        var server = try await Self.start(dataDir: dir)

        let (healthStatus, _, healthBody) = try await server.send("GET", "/health", sign: false)
        #expect(healthStatus == 200)
        let health = try JSONSerialization.jsonObject(with: healthBody) as! [String: Any]
        #expect(health["store"] as? String == "sqlite")

        let (unsigned, unsignedHeaders, _) = try await server.send("GET", "/2015-03-31/functions/", sign: false)
        #expect(unsigned == 403)
        #expect(unsignedHeaders["x-amzn-errortype"] == "MissingAuthenticationTokenException")

        // Lambda assumes only a role that exists and trusts it.
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        let form = "Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument="
            + trust.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let (role, _, roleBody) = try await server.send("POST", "/", body: form, service: "iam")
        #expect(role == 200, "\(String(decoding: roleBody, as: UTF8.self))")
        #expect(String(decoding: roleBody, as: UTF8.self).contains("<Arn>arn:aws:iam::000000000000:role/r</Arn>"))

        let (who, _, whoBody) = try await server.send("POST", "/", body: "Action=GetCallerIdentity&Version=2011-06-15", service: "sts")
        #expect(who == 200)
        #expect(String(decoding: whoBody, as: UTF8.self).contains("<Arn>arn:aws:iam::000000000000:root</Arn>"))

        let create = #"{"FunctionName":"it","Runtime":"provided.al2023","Handler":"x","Role":"arn:aws:iam::000000000000:role/r","Code":{"ZipFile":"\#(try Self.zipBase64())"}}"#
        let (created, createdHeaders, createdBody) = try await server.send("POST", "/2015-03-31/functions", body: create)
        #expect(created == 201, "\(String(decoding: createdBody, as: UTF8.self))")
        #expect(createdHeaders["x-amzn-requestid"]?.count == 36)

        let (again, againHeaders, _) = try await server.send("POST", "/2015-03-31/functions", body: create)
        #expect(again == 409)
        #expect(againHeaders["x-amzn-errortype"] == "ResourceConflictException")

        let (unknown, unknownHeaders, _) = try await server.send("GET", "/2015-03-31/nothing-here")
        #expect(unknown == 404)
        #expect(unknownHeaders["x-amzn-errortype"] == "UnknownOperationException")

        await server.stop()
        server = try await Self.start(dataDir: dir)
        let (got, _, gotBody) = try await server.send("GET", "/2015-03-31/functions/it/configuration")
        #expect(got == 200)
        let config = try JSONSerialization.jsonObject(with: gotBody) as! [String: Any]
        #expect(config["FunctionName"] as? String == "it")
        #expect(config["Runtime"] as? String == "provided.al2023")
        await server.stop()
    }
}
