import Foundation

/// Finds the interpreters on this host that back Lambda runtimes: `python3.X` executables on the
/// PATH give `python3.X`; a `node` whose major version is NN gives `nodejsNN.x`; `provided*` always.
/// The system directories are searched before the rest of the PATH: their interpreters live under `/usr`,
/// which every sandbox mounts, and version-manager shims (pyenv) are scripts that start slowly.
public enum HostRuntimeDiscovery {
    static let systemDirectories = ["/usr/local/bin", "/usr/bin", "/bin"]

    public static func discover(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") -> RuntimeRegistry {
        var found: [RuntimeInfo] = []
        let pathDirs = path.split(separator: ":").map(String.init)
        let dirs = systemDirectories + pathDirs.filter { !systemDirectories.contains($0) }
        var pythons: [String: String] = [:]
        var node: String?
        for dir in dirs {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                let full = "\(dir)/\(name)"
                if name.hasPrefix("python3."), Int(name.dropFirst("python3.".count)) != nil,
                   pythons[name] == nil, FileManager.default.isExecutableFile(atPath: full) {
                    pythons[name] = resolve(full)
                }
                if name == "node", node == nil, FileManager.default.isExecutableFile(atPath: full) {
                    node = resolve(full)
                }
            }
        }
        for name in pythons.keys.sorted(by: { minor($0) < minor($1) }) {
            let exe = pythons[name]!
            // pyenv shims and the like exist for versions that are not installed: ask the interpreter.
            // The interpreter names its real executable, which a shim is not.
            guard let output = run(exe, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"]),
                  case let lines = output.split(separator: "\n").map(String.init), lines.count == 2,
                  lines[0].hasPrefix(String(name.dropFirst("python".count)) + ".") else { continue }
            let real = lines[1].isEmpty ? exe : URL(fileURLWithPath: lines[1]).resolvingSymlinksInPath().path
            found.append(RuntimeInfo(identifier: name, interpreter: real, version: lines[0]))
        }
        if let node, let version = run(node, ["--version"]), version.hasPrefix("v"),
           let major = version.dropFirst().split(separator: ".").first {
            found.append(RuntimeInfo(identifier: "nodejs\(major).x", interpreter: node, version: String(version.dropFirst())))
        }
        for id in RuntimeRegistry.customRuntimes {
            found.append(RuntimeInfo(identifier: id))
        }
        return RuntimeRegistry(runtimes: found)
    }

    private static func minor(_ name: String) -> Int {
        Int(name.dropFirst("python3.".count)) ?? 0
    }

    private static func resolve(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { dest in
            dest.hasPrefix("/") ? dest : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
        } ?? path
    }

    private static func run(_ executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
