import Logging
import Synchronization
import Testing
@testable import Server

@Suite struct ChangeHandlersTests {
    final class Calls: Sendable {
        let seen = Mutex<[String]>([])
        func add(_ s: String) { seen.withLock { $0.append(s) } }
        var all: [String] { seen.withLock { $0 } }
    }

    @Test func aBurstOfChangesToOneAreaCostsOneRoundWithEachKeyOnce() async {
        let changes = ChangeHandlers(logger: Logger(label: "test"))
        let calls = Calls()
        changes.on("function") { key in calls.add("function:\(key ?? "*")") }
        changes.on("iam") { key in calls.add("iam:\(key ?? "*")") }
        for _ in 0..<100 { changes.note(area: "function", key: "a") }
        changes.note(area: "function", key: "b")
        for _ in 0..<50 { changes.note(area: "iam", key: nil) }
        changes.note(area: "nobody-listens", key: "x")
        await changes.handlePending()
        #expect(calls.all == ["function:a", "function:b", "iam:*"])
        #expect(changes.handled == 1)
    }

    @Test func aKeylessChangeReplacesTheAreasKeys() async {
        let changes = ChangeHandlers(logger: Logger(label: "test"))
        let calls = Calls()
        changes.on("function") { key in calls.add(key ?? "*") }
        changes.note(area: "function", key: "a")
        changes.note(area: "function", key: nil)
        changes.note(area: "function", key: "b")
        await changes.handlePending()
        #expect(calls.all == ["*"])
    }

    @Test func everythingReloadsEveryAreaWholesaleAndAFailureDoesNotStopTheOthers() async {
        struct Broken: Error {}
        let changes = ChangeHandlers(logger: Logger(label: "test"))
        let calls = Calls()
        changes.on("alias") { _ in throw Broken() }
        changes.on("rule", "event-bus") { key in calls.add("events:\(key ?? "*")") }
        changes.noteEverything()
        await changes.handlePending()
        #expect(calls.all.sorted() == ["events:*", "events:*"])
    }

    @Test func immediateHandlersRunWhereTheChangeIsReadAndNotInTheLoop() async {
        let changes = ChangeHandlers(logger: Logger(label: "test"))
        let calls = Calls()
        changes.immediately("function") { key in calls.add("now:\(key ?? "*")") }
        changes.on("function") { key in calls.add("later:\(key ?? "*")") }
        changes.noteImmediately(area: "function", key: "f")
        #expect(calls.all == ["now:f"])
        changes.noteEverythingImmediately()
        #expect(calls.all == ["now:f", "now:*"])
        changes.note(area: "function", key: "f")
        await changes.handlePending()
        #expect(calls.all == ["now:f", "now:*", "later:f"])
    }

    @Test func aFailedReloadIsTriedAgainByItself() async {
        struct Away: Error {}
        let changes = ChangeHandlers(logger: Logger(label: "test"), retryAfter: .milliseconds(10))
        let calls = Calls()
        changes.on("iam") { key in
            calls.add(key ?? "*")
            if calls.all.count == 1 { throw Away() }
        }
        changes.note(area: "iam", key: nil)
        await changes.handlePending()
        let deadline = ContinuousClock.now + .seconds(10)
        while calls.all.count < 2, ContinuousClock.now < deadline {
            await changes.handlePending()
            try? await Task.sleep(for: .milliseconds(5))
        }
        #expect(calls.all == ["*", "*"])
    }
}
