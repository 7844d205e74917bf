import Foundation

/// Runs the host's network tools (`ip`, `nft`) with a script on standard input.
enum NetworkCommand {
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "\(command): \(output.trimmingCharacters(in: .whitespacesAndNewlines))" }
    }

    /// Runs `arguments` (the first is looked up on the usual sbin paths) with `input`; throws with its output when it fails.
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil) throws -> String {
        guard let tool = locate(arguments[0]) else {
            throw Failure(command: arguments[0], output: "not installed (looked in /usr/sbin, /sbin, /usr/bin, /bin)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = Array(arguments.dropFirst())
        let stdin = Pipe()
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(command: arguments.joined(separator: " "), output: text) }
        return text
    }

    static func locate(_ name: String) -> String? {
        for dir in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }
}
