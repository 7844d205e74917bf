@testable import Invoker
import Synchronization
import Testing

/// The bookkeeping of SnapStart templates, with stand-ins for templates: one made per key however many cold starts
/// ask at once, replaced when it dies, not retried at once after a failure, and every one (replaced ones too) ended
/// with its version.
@Suite struct SnapStartTemplatesTests {
    final class Stand: SnapStartTemplateHandle {
        let id: Int
        let alive = Atomic<Bool>(true)
        let ended = Atomic<Bool>(false)
        init(_ id: Int) { self.id = id }
        var isAlive: Bool { alive.load(ordering: .acquiring) }
        var standbyCount: Int { 0 }
        func end() { ended.store(true, ordering: .releasing) }
    }

    final class Maker: Sendable {
        let made = Atomic<Int>(0)
        func make(failing: Bool = false) async -> Stand? {
            let n = made.add(1, ordering: .relaxed).newValue
            try? await Task.sleep(for: .milliseconds(20))  // a template's init takes a while: others ask meanwhile
            return failing ? nil : Stand(n)
        }
    }

    @Test func concurrentColdStartsShareOneTemplate() async {
        let templates = SnapStartTemplates<Stand>()
        let maker = Maker()
        let ids = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<8 { group.addTask { await templates.template("f\u{0}1\u{0}r") { await maker.make() }?.id } }
            return await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(maker.made.load(ordering: .relaxed) == 1)
        #expect(Set(ids) == [1])
        #expect(templates.census.count == 1)
    }

    @Test func aDeadTemplateIsReplacedAndEndedWithItsVersion() async {
        let templates = SnapStartTemplates<Stand>()
        let maker = Maker()
        let key = SnapStartTemplate.key("f", "1", revision: "r")
        let first = await templates.template(key) { await maker.make() }
        first?.alive.store(false, ordering: .releasing)
        let second = await templates.template(key) { await maker.make() }
        #expect(second?.id == 2)
        // One that failed a copy is forgotten but kept, so that its version's end ends it (and its copies).
        templates.forget(key, second!)
        let third = await templates.template(key) { await maker.make() }
        #expect(third?.id == 3)
        let other = await templates.template(SnapStartTemplate.key("f", "2", revision: "r")) { await maker.make() }
        let retired = templates.retire(prefix: "f\u{0}1\u{0}")
        #expect(Set(retired.map(\.id)) == [2, 3])
        #expect(templates.census.count == 1 && other?.isAlive == true)
    }

    @Test func aFailureIsNotRetriedAtOnce() async {
        let templates = SnapStartTemplates<Stand>(retryAfter: .milliseconds(100))
        let maker = Maker()
        #expect(await templates.template("k") { await maker.make(failing: true) } == nil)
        #expect(await templates.template("k") { await maker.make() } == nil)
        #expect(maker.made.load(ordering: .relaxed) == 1)
        try? await Task.sleep(for: .milliseconds(120))  // the retry interval itself is what is tested
        #expect(await templates.template("k") { await maker.make() }?.id == 2)
    }

    @Test func oneMadeWhileItsVersionWasRetiredIsEnded() async {
        let templates = SnapStartTemplates<Stand>()
        let maker = Maker()
        async let made = templates.template("k") { await maker.make() }
        // Retired once its making has begun (not after a guessed delay).
        while maker.made.load(ordering: .relaxed) == 0 { await Task.yield() }
        _ = templates.retireAll()
        #expect(await made == nil)
        #expect(templates.census.count == 0)
    }
}
