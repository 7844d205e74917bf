import Foundation

/// What the host's kernel says of its memory.
enum HostMemory {
    /// `MemAvailable` of /proc/meminfo in bytes (what can be allocated without swapping), nil when unreadable.
    static func availableBytes(meminfo path: String = "/proc/meminfo") -> Int? {
        value(of: "MemAvailable", in: path)
    }

    /// `MemTotal` of /proc/meminfo in bytes, nil when unreadable.
    static func totalBytes(meminfo path: String = "/proc/meminfo") -> Int? {
        value(of: "MemTotal", in: path)
    }

    /// A field of /proc/meminfo ("Name:   123 kB") in bytes.
    static func value(of field: String, in path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return parse(text, field: field)
    }

    static func parse(_ text: String, field: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let parts = line.dropFirst(field.count + 1).split(separator: " ")
            guard let number = parts.first.flatMap({ Int($0) }) else { return nil }
            return parts.count > 1 && parts[1] == "kB" ? number * 1024 : number
        }
        return nil
    }
}
