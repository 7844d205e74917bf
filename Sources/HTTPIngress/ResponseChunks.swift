import NIOCore

/// A response body produced while it is written: the writer asks for the next chunk only after the previous one
/// reached the socket, so a slow client slows the producer instead of filling memory.
public struct ResponseChunks: Sendable {
    let next: @Sendable () async -> ByteBuffer?
    /// Called once when the writer stops early (the client went away), so the producer can drain and clean up.
    let cancel: @Sendable () -> Void

    public init(next: @escaping @Sendable () async -> ByteBuffer?, cancel: @escaping @Sendable () -> Void = {}) {
        self.next = next
        self.cancel = cancel
    }
}
