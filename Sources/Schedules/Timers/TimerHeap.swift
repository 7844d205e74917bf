/// The in-memory schedule of timers: a binary min-heap of (due time, key) with lazy deletion (an entry
/// counts only while `current[key]` still holds its due time), so upserts and cancels are O(log n) and
/// finding the earliest is O(1) amortised.
struct TimerHeap {
    struct Key: Hashable, Sendable {
        var kind: String
        var id: String
    }

    private struct Entry {
        var dueAt: Int64
        var key: Key
    }

    private var entries: [Entry] = []
    private(set) var current: [Key: Int64] = [:]

    var count: Int { current.count }

    mutating func set(_ key: Key, dueAt: Int64) {
        guard current[key] != dueAt else { return }
        current[key] = dueAt
        push(Entry(dueAt: dueAt, key: key))
        compactIfSparse()
    }

    /// Puts a popped timer back at its due time (its firing could not be committed).
    mutating func restore(_ key: Key, dueAt: Int64) {
        current[key] = dueAt
        push(Entry(dueAt: dueAt, key: key))
    }

    mutating func remove(_ key: Key) {
        current.removeValue(forKey: key)
        compactIfSparse()
    }

    /// The earliest live due time.
    mutating func earliest() -> Int64? {
        dropStale()
        return entries.first?.dueAt
    }

    /// Removes and returns up to `limit` timers due at or before `now`, earliest first. They stay in
    /// `current` (they are being fired) until `set` or `remove`.
    mutating func popDue(now: Int64, limit: Int) -> [(Key, Int64)] {
        var due: [(Key, Int64)] = []
        while due.count < limit {
            dropStale()
            guard let top = entries.first, top.dueAt <= now else { break }
            popTop()
            due.append((top.key, top.dueAt))
        }
        return due
    }

    private mutating func dropStale() {
        while let top = entries.first, current[top.key] != top.dueAt { popTop() }
    }

    /// Rebuilds the heap when most of its entries are stale (many moves of the same timers).
    private mutating func compactIfSparse() {
        guard entries.count > 64, entries.count > 4 * current.count else { return }
        entries = current.map { Entry(dueAt: $0.value, key: $0.key) }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].dueAt < entries[parent].dueAt else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popTop() {
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        if !entries.isEmpty { siftDown(0) }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].dueAt < entries[smallest].dueAt { smallest = left }
            if right < entries.count, entries[right].dueAt < entries[smallest].dueAt { smallest = right }
            if smallest == parent { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
