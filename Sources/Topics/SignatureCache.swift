import Synchronization

/// The last few thousand signatures by message id: a fan-out signs once, not once per subscriber.
final class SignatureCache: Sendable {
    private let state = Mutex(State())
    static let capacity = 4096

    struct State {
        var values: [String: String] = [:]
        var order: [String] = []
        var head = 0
    }

    func get(_ key: String) -> String? {
        state.withLock { $0.values[key] }
    }

    func put(_ key: String, _ value: String) {
        state.withLock { state in
            guard state.values[key] == nil else { return }
            if state.order.count < Self.capacity {
                state.order.append(key)
            } else {
                state.values[state.order[state.head]] = nil
                state.order[state.head] = key
                state.head = (state.head + 1) % Self.capacity
            }
            state.values[key] = value
        }
    }
}
