import Foundation
import Logging
import PostgresNIO
import Testing

/// A PostgreSQL server of the test process's own: initdb in a temp dir (as the `postgres` OS user when running as
/// root), listening on a free TCP port of 127.0.0.1 and on a unix socket in that dir, started on first use, shared by
/// every test (each gets its own database) and stopped and deleted when the last suite that uses it ends — also when
/// tests fail. A server left by a test process that crashed is stopped and deleted at the next start.
actor ThrowawayPostgres {
    static let shared = ThrowawayPostgres()

    struct Server: Sendable {
        var directory: URL
        var binaries: URL
        var port: Int
        /// The unix socket's directory.
        var socketDirectory: String { directory.path }
        var dataDirectory: String { directory.appendingPathComponent("data").path }
    }

    enum Failure: Error, CustomStringConvertible {
        case binariesMissing
        case command(String, status: Int32, output: String)
        case notReady(String)

        var description: String {
            switch self {
            case .binariesMissing:
                "PostgreSQL's server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin: install Debian's "
                    + "`postgresql` package (.ci/run does) to run the PostgreSQL half of the store contract suite"
            case .command(let command, let status, let output): "\(command) exited with \(status): \(output)"
            case .notReady(let reason): "the throwaway PostgreSQL server did not become ready: \(reason)"
            }
        }
    }

    static let prefix = "swiftlet-pg-"
    /// Where servers live: a directory the `postgres` user can reach when we are root (TMPDIR may not be).
    static var base: URL { getuid() == 0 ? URL(fileURLWithPath: "/tmp") : FileManager.default.temporaryDirectory }
    private var starting: Task<Server, any Error>?
    private var users = 0
    private var databases = 0

    /// A suite that uses the server holds it while it runs.
    func acquire() { users += 1 }

    func release() async {
        users -= 1
        guard users == 0, let starting else { return }
        self.starting = nil
        guard let server = try? await starting.value else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                Self.stop(server)
                continuation.resume()
            }
        }
    }

    /// The URL of a new, empty database on the server (started on first use).
    func makeDatabase() async throws -> String {
        let server = try await start()
        databases += 1
        let name = "t\(databases)_\(UUID().uuidString.prefix(8).lowercased())"
        let logger = Logger(label: "throwaway-postgres")
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: "127.0.0.1", port: server.port, username: "postgres", password: nil, database: "postgres", tls: .disable),
            id: databases, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return "postgresql://postgres@127.0.0.1:\(server.port)/\(name)?sslmode=disable"
    }

    /// The same database through the unix socket.
    func socketURL(of url: String) async throws -> String {
        let server = try await start()
        let database = URLComponents(string: url)!.path.dropFirst()
        return "postgresql://postgres@/\(database)?host=\(server.socketDirectory)&port=\(server.port)"
    }

    private func start() async throws -> Server {
        if let starting { return try await starting.value }
        // initdb and pg_ctl block for seconds: on a thread of their own, not the test's cooperative pool.
        let task = Task {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Server, any Error>) in
                Thread.detachNewThread { continuation.resume(with: Result { try Self.launch() }) }
            }
        }
        starting = task
        return try await task.value
    }

    // MARK: Processes

    static func binaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        // The newest major version installed.
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path),
               FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("pg_ctl").path) {
                return bin
            }
        }
        return nil
    }

    private static func launch() throws -> Server {
        guard let binaries = binaries() else { throw Failure.binariesMissing }
        removeLeftovers(binaries: binaries)
        let directory = base.appendingPathComponent(prefix + UUID().uuidString.prefix(8).lowercased())
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try String(getpid()).write(to: directory.appendingPathComponent("owner.pid"), atomically: true, encoding: .utf8)
        if getuid() == 0 { try run("/bin/chown", ["-R", "postgres:postgres", directory.path]) }
        var server = Server(directory: directory, binaries: binaries, port: 0)
        try runAsPostgres(binaries.appendingPathComponent("initdb").path,
                          ["-D", server.dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        // A port another process takes between our probe and the server's bind: try another.
        var lastError: (any Error)?
        for _ in 0..<3 {
            server.port = try freePort()
            do {
                try runAsPostgres(binaries.appendingPathComponent("pg_ctl").path, [
                    "-D", server.dataDirectory, "-l", directory.appendingPathComponent("server.log").path,
                    // Every test's database is migrated in one transaction that locks each table it creates, dozens at
                    // once: the shared lock table (max_locks_per_transaction × max_connections slots) must hold them all.
                    // Tests run in parallel, each store with its pool and change feed: 200 connections were once too few
                    // ("too many clients already" in a fresh-clone CI).
                    "-o", "-c listen_addresses=127.0.0.1 -p \(server.port) -k \(server.socketDirectory) -c max_connections=600 "
                        + "-c max_locks_per_transaction=256",
                    // Waits until the server accepts connections, for at most 60 s.
                    "-w", "-t", "60", "start",
                ])
                return server
            } catch {
                lastError = error
            }
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
        stop(server)
        throw Failure.notReady("\(lastError.map { String(describing: $0) } ?? "") \(log.suffix(2_000))")
    }

    static func stop(_ server: Server) {
        _ = try? runAsPostgres(server.binaries.appendingPathComponent("pg_ctl").path,
                               ["-D", server.dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
        try? FileManager.default.removeItem(at: server.directory)
    }

    /// Servers of test processes that are gone (crashed, killed).
    private static func removeLeftovers(binaries: URL) {
        let temp = base
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temp.path)) ?? [] where name.hasPrefix(prefix) {
            let directory = temp.appendingPathComponent(name)
            let owner = (try? String(contentsOf: directory.appendingPathComponent("owner.pid"), encoding: .utf8)).flatMap { Int32($0) }
            if let owner, kill(owner, 0) == 0 { continue }
            stop(Server(directory: directory, binaries: binaries, port: 0))
        }
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.notReady("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Failure.notReady("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a server binary as the `postgres` OS user when we are root (initdb and the server refuse root).
    private static func runAsPostgres(_ executable: String, _ arguments: [String]) throws {
        if getuid() == 0 {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        } else {
            try run(executable, arguments)
        }
    }

    /// Runs a command to its end (posix_spawn + waitpid: the server it may start keeps none of our descriptors but
    /// the log file), its output in a temp file for the error message.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure.command(executable, status: spawned, output: "posix_spawn failed") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure.command(executable, status: errno, output: "waitpid failed") }
        }
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw Failure.command(([executable] + arguments).joined(separator: " "), status: exited ? code : -(status & 0x7f), output: text)
        }
    }
}

/// Holds the throwaway server for the suite it is attached to, and stops it when the last such suite ends.
struct ThrowawayPostgresTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await ThrowawayPostgres.shared.acquire()
        do {
            try await function()
        } catch {
            await ThrowawayPostgres.shared.release()
            throw error
        }
        await ThrowawayPostgres.shared.release()
    }
}

extension Trait where Self == ThrowawayPostgresTrait {
    /// The suite's PostgreSQL tests share one throwaway server.
    static var throwawayPostgres: Self { ThrowawayPostgresTrait() }
}
