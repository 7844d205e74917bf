/// Where a streamed response body goes: each write reaches the client before it returns to the caller's pace
/// (the listener flushes it; a slow client makes writes wait).
public protocol ResponseStreamWriter: Sendable {
    func write(_ bytes: [UInt8]) async throws
}
