@testable import Catalog
import CloudWatchLogs
import Events
import Foundation
import HTTPAPIs
import Identity
import Logging
import PostgresNIO
@testable import PostgresStore
import Queues
import Schedules
import Testing
import Topics

extension StoreContract {
    /// Cross-node cache invalidation: what node A writes arrives as a `StoreChange` on node B's `ChangeFeed`.
    @Suite struct ChangeFeedTests {
        @Test func payloadsParseIntoAreaAndKey() {
            #expect(StoreChange(payload: "function:f") == StoreChange(.function, "f"))
            #expect(StoreChange(payload: "rule:default:r1") == StoreChange(.rule, "default:r1"))
            #expect(StoreChange(payload: "iam:policy:arn:aws:iam::000000000000:policy/p").key == "policy:arn:aws:iam::000000000000:policy/p")
            #expect(StoreChange(payload: "queue") == StoreChange(.queue))
            #expect(StoreChange(payload: "everything") == .everything)
            #expect(StoreChange(payload: "some-future-area:k").area.rawValue == "some-future-area")
            #expect(StoreChange(payload: "function:").key == "")
            for payload in ["function:f", "rule:default:r1", "alarm", "layer-policy:L"] {
                #expect(StoreChange(payload: payload).payload == payload)
            }
            #expect(StoreChange(.alias, "f").functionName == "f")
            #expect(StoreChange(.policy, "f").functionName == "f")
            #expect(StoreChange(.layerPolicy, "L").functionName == nil)
            #expect(StoreChange(.queue, "f").functionName == nil)
            #expect(StoreChange(.function).functionName == nil)
        }

        /// Every table either announces its changes or is known to hold data no node caches: a table added later must
        /// be put in one of the two lists.
        @Test func everyTableAnnouncesOrIsKnownSilent() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url) { _ in
                try await Self.withConnection(to: url) { db in
                    let tables = Set(try await db.query("""
                        SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                        """, logger: Self.logger).collect().map { try $0.decode(String.self) })
                    let announcing = Set(ChangeSource.all.map(\.table))
                    #expect(announcing.isDisjoint(with: ChangeSource.silentTables))
                    #expect(tables.subtracting(announcing).subtracting(ChangeSource.silentTables) == [], "tables neither announcing nor known silent")
                    #expect(announcing.subtracting(tables) == [])
                    let triggered = try await db.query("""
                        SELECT c.relname::text, count(*)::int8 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                        WHERE t.tgname LIKE 'swiftlet_changes%' GROUP BY c.relname
                        """, logger: Self.logger).collect().map { try $0.decode((String, Int).self) }
                    #expect(Dictionary(uniqueKeysWithValues: triggered) == Dictionary(uniqueKeysWithValues: announcing.map { ($0, 3) }))
                }
            }
        }

        @Test func writesThroughOneNodeArriveOnTheOther() async throws {
            try await Self.withTwoNodes { a, _, _, inbox in
                try await inbox.expect([.everything])
                var function = Fixtures.function("f")
                try await a.createFunction(function, tags: ["team": "a"])
                try await inbox.expect([StoreChange(.function, "f"), StoreChange(.tags, "f")])
                function.environment = ["A": "2"]
                function.revisionId = "r2"
                try await a.replaceFunction(function, expectedRevision: "r1")
                try await inbox.expect([StoreChange(.function, "f")])
                _ = try await a.updatePolicy(of: "function:f:live", expectedRevision: nil) { _ in PolicyDocument(statements: [Fixtures.statement("s")]) }
                try await inbox.expect([StoreChange(.policy, "f")])
                _ = try await a.publishVersion(of: "f") { latest, _, n in StoreContract.Functions.published(latest, n) }
                try await inbox.expect([StoreChange(.version, "f"), StoreChange(.function, "f")])
                try await a.createAlias(Fixtures.alias("live", of: "f", version: "1"))
                try await inbox.expect([StoreChange(.alias, "f")])
                try await a.setReservedConcurrency(of: "f", to: 5) { _ in }
                try await inbox.expect([StoreChange(.concurrency, "f")])
                try await a.createFunctionURL(Fixtures.url("f", qualifier: nil, id: "u1"))
                try await inbox.expect([StoreChange(.functionURL, "f")])
                _ = try await a.publishLayerVersion(named: "L") { Fixtures.layer("L", $0) }
                try await inbox.expect([StoreChange(.layer, "L")])
                _ = try await a.updatePolicy(of: "layer:L:1", expectedRevision: nil) { _ in PolicyDocument(statements: [Fixtures.statement("s")]) }
                try await inbox.expect([StoreChange(.layerPolicy, "L")])
                try await a.putMapping(Fixtures.mapping("m1", function: "f"))
                try await inbox.expect([StoreChange(.mapping, "m1")])
                // Deleting a function announces each catalog table its rows went from (cascades included).
                try await a.deleteFunction(named: "f")
                try await inbox.expect([StoreChange(.function, "f"), StoreChange(.tags, "f"), StoreChange(.version, "f"), StoreChange(.alias, "f"),
                                        StoreChange(.policy, "f"), StoreChange(.concurrency, "f"), StoreChange(.functionURL, "f")])

                _ = try await a.createQueue(StoreContract.Queues.queue("q"))
                try await inbox.expect([StoreChange(.queue, "q")])
                try await a.insertRole(Self.role("runner"))
                try await inbox.expect([StoreChange(.iam, "role:runner")])
                try await a.saveEventRule(StoreContract.EventBridge.rule("r1", bus: "default"))
                try await inbox.expect([StoreChange(.rule, "default:r1")])
                let topic = StoreContract.Topics.topic("t")
                try await a.saveTopic(topic)
                try await inbox.expect([StoreChange(.topic, topic.arn)])
                let subscription = StoreContract.Topics.subscription("1", of: "t")
                try await a.saveSubscription(subscription)
                try await inbox.expect([StoreChange(.subscription, subscription.arn)])
                #expect(try await a.insertScheduleGroup(Fixtures.scheduleGroup("g")))
                try await inbox.expect([StoreChange(.scheduleGroup, "g")])
                #expect(try await a.saveSchedule(Fixtures.schedule("s", group: "g"), timerDueAt: 100, mustExist: false))
                try await inbox.expect([StoreChange(.schedule, "g:s")])
                try await a.createLogGroup(LogGroup(name: "/aws/lambda/f", creationTime: 1))
                try await inbox.expect([StoreChange(.logGroup, "/aws/lambda/f")])
                try await a.putMetricFilter(try Self.metricFilter("errors", group: "/aws/lambda/f"))
                try await inbox.expect([StoreChange(.metricFilter, "/aws/lambda/f:errors")])
                try await a.insertHTTPAPI(StoreContract.HTTPAPIDocuments.api("api1"))
                try await inbox.expect([StoreChange(.httpAPI, "api1")])
                try await a.putAlarm(try StoreContract.Alarms.metricAlarm("high"), tags: nil)
                try await inbox.expect([StoreChange(.alarm, "high")])
            }
        }

        /// IAM's relations announce the entities they hang off; a rename announces the old name and the new one.
        @Test func iamChangesNameTheEntities() async throws {
            try await Self.withTwoNodes { a, _, _, inbox in
                try await inbox.expect([.everything])
                try await a.insertUser(Self.user("alice"))
                try await a.insertGroup(IAMGroup(name: "devs", path: "/", groupId: "AGPADEVS", arn: "arn:aws:iam::000000000000:group/devs", createDate: Self.date))
                try await a.addUser("alice", toGroup: "devs")
                try await inbox.expect([StoreChange(.iam, "user:alice"), StoreChange(.iam, "group:devs"), StoreChange(.iam, "group:devs"),
                                        StoreChange(.iam, "user:alice")])
                try await a.insertAccessKey(SealedAccessKey(accessKeyId: "AKIA1", userName: "alice", sealedSecret: [1, 2], status: .active, createDate: Self.date))
                try await inbox.expect([StoreChange(.iam, "user:alice")])
                try await a.putInlinePolicy("p", document: "{}", of: .user("alice"))
                try await inbox.expect([StoreChange(.iam, "user:alice")])
                try await a.replaceUser(named: "alice", with: Self.user("bob"))
                try await inbox.expect([StoreChange(.iam, "user:alice"), StoreChange(.iam, "user:bob"), StoreChange(.iam, "group:devs")])
                try await a.setAccessKeyStatus("AKIA1", to: .inactive)
                try await inbox.expect([StoreChange(.iam, "user:bob")])
            }
        }

        /// Data — messages, async events, timers, log streams, alarm history, access keys' last use — announces nothing,
        /// nor does an update that changes nothing: the next change to arrive is the configuration written after them.
        @Test func dataAndUnchangedRowsStaySilent() async throws {
            try await Self.withTwoNodes { a, _, _, inbox in
                try await inbox.expect([.everything])
                try await a.createFunction(Fixtures.function("f"), tags: [:])
                let queue = try await a.createQueue(StoreContract.Queues.queue("q"))
                try await a.insertUser(Self.user("alice"))
                try await a.insertAccessKey(SealedAccessKey(accessKeyId: "AKIA1", userName: "alice", sealedSecret: [1], status: .active, createDate: Self.date))
                try await a.createLogGroup(LogGroup(name: "g", creationTime: 1))
                try await inbox.expect([StoreChange(.function, "f"), StoreChange(.queue, "q"), StoreChange(.iam, "user:alice"),
                                        StoreChange(.iam, "user:alice"), StoreChange(.logGroup, "g")])

                try await a.enqueue(Fixtures.event("e1", function: "f", due: 0))
                _ = try await a.sendMessages([StoreContract.Queues.message("m1")], to: "q", deduplication: nil)
                _ = try await a.receiveMessages(from: "q", limit: 1, now: 1, visibilityMs: 1_000, redrive: nil, retentionMs: 86_400_000, fifo: false)
                try await a.recordAccessKeyUse(["AKIA1": AccessKeyLastUsed(date: Self.date, serviceName: "lambda", region: "us-east-1")])
                try await a.createLogStream(group: "g", name: "s", creationTime: 1)
                try await a.appendAlarmHistory(StoreContract.Alarms.history("high", at: 1))
                try await a.replaceQueue(queue)
                try await a.saveEventBus(EventBus(name: "sentinel", creationTime: 1))
                let next = try await inbox.next()
                #expect(next == StoreChange(.eventBus, "sentinel"))
            }
        }

        /// A key too long for a notification, an alarm name holding NUL, a truncated table: the whole area. A
        /// notification sent by hand reaches the feed as any other (`everything` drops every cache).
        @Test func unannounceableKeysInvalidateTheWholeArea() async throws {
            try await Self.withTwoNodes { a, _, url, inbox in
                try await inbox.expect([.everything])
                try await a.saveEventBus(EventBus(name: String(repeating: "b", count: 5_000), creationTime: 1))
                try await inbox.expect([StoreChange(.eventBus)])
                var alarm = try StoreContract.Alarms.metricAlarm("x")
                alarm.AlarmName = "a\u{0}b"
                try await a.putAlarm(alarm, tags: nil)
                try await inbox.expect([StoreChange(.alarm)])
                try await Self.withConnection(to: url) { db in
                    try await db.query("TRUNCATE policies", logger: Self.logger)
                    try await inbox.expect([StoreChange(.policy), StoreChange(.layerPolicy)])
                    try await db.query("NOTIFY swiftlet_changes, 'everything'", logger: Self.logger)
                    try await inbox.expect([.everything])
                }
            }
        }

        /// The listening backend terminated: the feed listens again on another, announces `everything`, and later
        /// changes arrive.
        @Test func listensAgainAfterItsBackendIsTerminated() async throws {
            try await Self.withTwoNodes { a, _, url, inbox in
                try await inbox.expect([.everything])
                let feed = inbox.feed
                let first = try #require(feed.listenerProcessID)
                try await Self.withConnection(to: url) { db in
                    try await db.query("SELECT pg_terminate_backend(\(first))", logger: Self.logger)
                }
                try await inbox.expect([.everything])
                #expect(feed.listenerProcessID != first)
                _ = try await a.createQueue(StoreContract.Queues.queue("after"))
                try await inbox.expect([StoreChange(.queue, "after")])
            }
        }

        /// Every connection to the database terminated (both nodes' pools, the listener): the feed listens again and
        /// announces `everything`; node A's next write (once its pool reconnected) arrives.
        @Test func listensAgainAfterTheDatabaseDropsEveryConnection() async throws {
            try await Self.withTwoNodes { a, _, url, inbox in
                try await inbox.expect([.everything])
                try await Self.withConnection(to: url) { db in
                    try await db.query("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                        """, logger: Self.logger)
                }
                try await inbox.expect([.everything])
                // A write may meet a pooled connection the pool has not yet seen closed: until the deadline, again.
                let deadline = ContinuousClock.now + .seconds(10)
                while true {
                    do {
                        _ = try await a.createQueue(StoreContract.Queues.queue("after"))
                        break
                    } catch where ContinuousClock.now < deadline {
                        continue
                    }
                }
                try await inbox.expect([StoreChange(.queue, "after")])
            }
        }

        /// Prints how long after a write through node A starts its change arrives on node B's feed (p50, p99), beside
        /// the write's own time, and what the triggers add to a write (figures, not assertions).
        /// `SWIFTLET_CHANGE_FEED_BENCH_N` sets the number of writes (default 100).
        @Test func latencyFigures() async throws {
            let samples = ProcessInfo.processInfo.environment["SWIFTLET_CHANGE_FEED_BENCH_N"].flatMap { Int($0) } ?? 100
            try await Self.withTwoNodes { a, _, url, inbox in
                try await inbox.expect([.everything])
                var function = Fixtures.function("bench")
                try await a.createFunction(function, tags: [:])
                try await inbox.expect([StoreChange(.function, "bench")])
                var arrival: [Duration] = []
                var write: [Duration] = []
                // From the write's return (its commit acknowledged) to the change's arrival: negative when it came first.
                var afterCommit: [Duration] = []
                func replace(_ i: Int) async throws {
                    let previous = function.revisionId
                    function.revisionId = "r\(i)"
                    function.environment = ["I": "\(i)"]
                    try await a.replaceFunction(function, expectedRevision: previous)
                }
                for i in 0..<samples {
                    let start = ContinuousClock.now
                    try await replace(i)
                    let end = ContinuousClock.now
                    write.append(end - start)
                    let received = try #require(await inbox.nextArrival())
                    #expect(received.change == StoreChange(.function, "bench"))
                    arrival.append(received.at - start)
                    afterCommit.append(received.at - end)
                }
                // The same write with the triggers off, on this database only.
                var untriggered: [Duration] = []
                try await Self.withConnection(to: url) { db in
                    try await db.query("ALTER TABLE functions DISABLE TRIGGER USER", logger: Self.logger)
                    for i in samples..<(2 * samples) {
                        let start = ContinuousClock.now
                        try await replace(i)
                        untriggered.append(.now - start)
                    }
                    try await db.query("ALTER TABLE functions ENABLE TRIGGER USER", logger: Self.logger)
                }
                func percentile(_ values: [Duration], _ p: Double) -> String {
                    let sorted = values.sorted()
                    let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
                    return "\(Int((value / .microseconds(1)).rounded())) µs"
                }
                print("change feed latency postgres: p50 \(percentile(arrival, 0.5)), p99 \(percentile(arrival, 0.99)) from a write's start "
                      + "to its change on the other node; p50 \(percentile(afterCommit, 0.5)), p99 \(percentile(afterCommit, 0.99)) after "
                      + "the write returned (the write itself p50 \(percentile(write, 0.5)); the same write without the triggers "
                      + "p50 \(percentile(untriggered, 0.5))) over \(samples) writes")
            }
        }

        // MARK: Harness

        static let logger = Logger(label: "change-feed-test")
        static let date = Date(timeIntervalSince1970: 1_700_000_000)

        /// Nodes A and B on a new database, B's feed running and collected into an inbox.
        static func withTwoNodes(_ body: (PostgresStore, PostgresStore, String, ChangeInbox) async throws -> Void) async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url, nodeId: "a") { a in
                try await StoreKind.withPostgresStore(url: url, nodeId: "b") { b in
                    let feed = b.changeFeed(heartbeat: .seconds(2))
                    let inbox = ChangeInbox(feed: feed)
                    let changes = feed.changes()
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { await feed.run() }
                        group.addTask {
                            for await change in changes { await inbox.deliver(change, at: .now) }
                        }
                        defer { group.cancelAll() }
                        try await body(a, b, url, inbox)
                    }
                }
            }
        }

        /// A connection of the test's own to `url`, for what the stores do not do (terminate backends, truncate).
        static func withConnection(to url: String, _ body: (PostgresConnection) async throws -> Void) async throws {
            let client = try PostgresStoreConfiguration(url: url).client
            let connection = try await PostgresConnection.connect(
                configuration: .init(host: try #require(client.host), port: try #require(client.port), username: client.username,
                                     password: client.password, database: client.database, tls: .disable),
                id: 0, logger: logger)
            do {
                try await body(connection)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        }

        static func user(_ name: String) -> IAMUser {
            IAMUser(name: name, path: "/", userId: "AIDA\(name.uppercased())", arn: "arn:aws:iam::000000000000:user/\(name)", createDate: date)
        }

        static func role(_ name: String) -> IAMRole {
            IAMRole(name: name, path: "/", roleId: "AROA\(name.uppercased())", arn: "arn:aws:iam::000000000000:role/\(name)", createDate: date,
                    assumeRolePolicyDocument: "{}")
        }

        static func metricFilter(_ name: String, group: String) throws -> MetricFilter {
            let transformation = try JSONDecoder().decode(MetricTransformation.self, from: Data("""
                {"metricName":"Errors","metricNamespace":"App","metricValue":"1","defaultValue":0}
                """.utf8))
            return MetricFilter(filterName: name, filterPattern: "ERROR", metricTransformations: [transformation], creationTime: 1, logGroupName: group)
        }
    }
}

/// What a node's feed delivered, in order, each change with the instant it came out of the feed's stream.
actor ChangeInbox {
    let feed: ChangeFeed
    private var arrived: [(change: StoreChange, at: ContinuousClock.Instant)] = []
    private var waiter: (id: Int, continuation: CheckedContinuation<(change: StoreChange, at: ContinuousClock.Instant)?, Never>)?
    private var waits = 0

    init(feed: ChangeFeed) {
        self.feed = feed
    }

    func deliver(_ change: StoreChange, at instant: ContinuousClock.Instant) {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: (change, instant))
        } else {
            arrived.append((change, instant))
        }
    }

    /// The next change and when it arrived; nil when none arrives within `limit`.
    func nextArrival(within limit: Duration = .seconds(10)) async -> (change: StoreChange, at: ContinuousClock.Instant)? {
        if !arrived.isEmpty { return arrived.removeFirst() }
        waits += 1
        let id = waits
        let timeout = Task {
            try await Task.sleep(for: limit)
            self.expire(id)
        }
        defer { timeout.cancel() }
        return await withCheckedContinuation { waiter = (id, $0) }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: nil)
    }

    /// The next change; fails when none arrives within `limit`.
    func next(within limit: Duration = .seconds(10)) async throws -> StoreChange {
        try #require(await nextArrival(within: limit), "no change within \(limit)").change
    }

    /// The next `expected.count` changes, in any order, are `expected` (a change announced twice counts twice).
    func expect(_ expected: [StoreChange], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var received: [StoreChange] = []
        for _ in expected {
            received.append(try #require(await nextArrival(), "received only \(received) of \(expected)", sourceLocation: sourceLocation).change)
        }
        #expect(received.sorted { $0.payload < $1.payload } == expected.sorted { $0.payload < $1.payload }, sourceLocation: sourceLocation)
    }
}
