import AWSProtocol
import Catalog
import Invoker
import NIOCore

/// A function URL in `RESPONSE_STREAM` mode: the response goes out as the function writes it. A response in the
/// HTTP integration format (`application/vnd.awslambda.http-integration-response`) starts with a JSON prelude
/// (`statusCode`, `headers`, `cookies`) and eight NUL bytes; anything else is a 200 with the function's content type.
extension FunctionURLEndpoints {
    static let integrationContentType = "application/vnd.awslambda.http-integration-response"

    func streamed(_ prepared: InvocationRequest) async -> IngressResponse {
        let stream: InvocationStream
        do {
            stream = try await invoking.invoker.invokeStreaming(prepared)
        } catch let error as LambdaError {
            if case .tooManyRequests = error { return failure(.throttled) }
            return failure(.refused("\(error)"))
        } catch {
            return failure(.refused("\(error)"))
        }
        let source = StreamSource(stream)
        guard let first = await source.nextEvent() else { return .message(502, key: "Message", "Internal Server Error") }
        switch first {
        case .finished(let end):
            if end.functionError != nil { return Self.functionFailed(end.errorBody ?? []) }
            return .buffered(status: 200, headers: [("Content-Type", "application/octet-stream")], body: [])
        case .chunk(let buffer):
            // Bytes before a start: treat as an undeclared stream.
            source.pushBack(buffer)
            return .streamed(status: 200, headers: [("Content-Type", "application/octet-stream")], body: source.chunks)
        case .started(let contentType, let streaming):
            if !streaming {
                // A buffered answer in streaming mode is mapped as a buffered one.
                var payload: [UInt8] = []
                var failed: InvocationStreamEnd?
                while let event = await source.nextEvent() {
                    switch event {
                    case .chunk(let buffer): payload += buffer.readableBytesView
                    case .finished(let end): if end.functionError != nil { failed = end }
                    case .started: break
                    }
                }
                if let failed { return Self.functionFailed(failed.errorBody ?? []) }
                guard let mapped = ProxyResponse.v2(payload) else { return .message(502, key: "Message", "Internal Server Error") }
                return .buffered(status: mapped.status, headers: mapped.headers, body: mapped.body)
            }
            guard contentType?.lowercased().hasPrefix(Self.integrationContentType) == true else {
                return .streamed(status: 200, headers: [("Content-Type", contentType ?? "application/octet-stream")],
                                 body: source.chunks)
            }
            guard let prelude = await source.readPrelude() else {
                return .message(502, key: "Message", "Internal Server Error")
            }
            return .streamed(status: prelude.status, headers: prelude.headers, body: source.chunks)
        }
    }
}

/// The invocation stream as the HTTP writer consumes it: one event at a time, with bytes pushed back after the prelude.
///
/// Unchecked: it is consumed strictly in turn — by the handler until it returns the response, then by the writer one
/// `next` at a time, then (if the client went away) by one draining task — never by two at once.
final class StreamSource: @unchecked Sendable {
    private var iterator: InvocationStream.AsyncIterator
    private var pending: [ByteBuffer] = []
    private var done = false

    init(_ stream: InvocationStream) {
        iterator = stream.makeAsyncIterator()
    }

    func nextEvent() async -> InvocationStreamEvent? {
        if !pending.isEmpty { return .chunk(pending.removeFirst()) }
        guard !done else { return nil }
        let event = try? await iterator.next()
        guard let event else {
            done = true
            return nil
        }
        if case .finished = event { done = true }
        return event
    }

    func pushBack(_ buffer: ByteBuffer) {
        pending.insert(buffer, at: 0)
    }

    /// Body chunks until the stream ends (an error after the start ends the body early, as on AWS).
    var chunks: ResponseChunks {
        ResponseChunks(next: { [self] in
            while let event = await self.nextEvent() {
                if case .chunk(let buffer) = event { return buffer }
                if case .finished = event { return nil }
            }
            return nil
        }, cancel: { [self] in
            Task { while await self.nextEvent() != nil {} }
        })
    }

    /// Reads the JSON prelude and its eight-NUL delimiter; what follows is pushed back as body.
    func readPrelude() async -> (status: Int, headers: [(name: String, value: String)])? {
        var collected: [UInt8] = []
        while let event = await nextEvent() {
            guard case .chunk(let buffer) = event else {
                if case .finished = event { break }
                continue
            }
            collected += buffer.readableBytesView
            if let end = Self.delimiter(in: collected) {
                let rest = Array(collected[(end + 8)...])
                if !rest.isEmpty { pushBack(ByteBuffer(bytes: rest)) }
                return Self.prelude(Array(collected[..<end]))
            }
            if collected.count > 64 * 1024 { return nil }
        }
        return nil
    }

    static func delimiter(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 8 else { return nil }
        var run = 0
        for (index, byte) in bytes.enumerated() {
            run = byte == 0 ? run + 1 : 0
            if run == 8 { return index - 7 }
        }
        return nil
    }

    static func prelude(_ json: [UInt8]) -> (status: Int, headers: [(name: String, value: String)])? {
        guard case .object(let object)? = JSONValue(parsing: json) else { return nil }
        var status = 200
        switch object["statusCode"] {
        case nil, .null?: break
        case .number(let code)?:
            guard let exact = Int(exactly: code), (200...599).contains(exact) else { return nil }
            status = exact
        default: return nil
        }
        var headers: [(name: String, value: String)] = []
        if case .object(let map)? = object["headers"] {
            for (name, value) in map.sorted(by: { $0.key < $1.key }) {
                if let text = value.stringValue { headers.append((name, text)) }
            }
        }
        if case .array(let cookies)? = object["cookies"] {
            for cookie in cookies { if let text = cookie.stringValue { headers.append(("Set-Cookie", text)) } }
        }
        if !headers.contains(where: { $0.name.caseInsensitiveCompare("content-type") == .orderedSame }) {
            headers.append(("Content-Type", "application/octet-stream"))
        }
        return (status, headers)
    }
}
