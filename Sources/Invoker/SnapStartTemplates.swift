import Dispatch
import Foundation
import Sandbox
import Synchronization

/// A published version's SnapStart template: an environment whose runtime ran the function's init (and its
/// before-snapshot hooks) once and now forks a copy for each new environment of the version (`swiftlet-sandbox`'s
/// snapstart.h describes the copy). Copies run as the template's host uid, in namespaces, cgroups and a network of
/// their own. One copy waits on standby, complete but for its environment (which the server sends when it claims
/// it), so that a cold start does not wait for the copy's making; it is made again after each claim.
final class SnapStartTemplate: SnapStartTemplateHandle {
    /// Serves the template's Runtime API (an init error is posted there) and logs its init.
    let environment: ExecutionEnvironment
    let sandbox: LaunchedSandbox
    let uid: UInt32
    let gid: UInt32
    /// Copies being made at once. Until its launcher moves it into its own cgroups, what a copy allocates (the fork's
    /// copy-on-write pages, the kernel's objects for its new namespaces) is charged to the template's memory cgroup,
    /// the function's memory size: 200 cold starts forking together ran it out of memory, and the OOM killer took the
    /// template with every copy still waiting for it.
    let making = AsyncGate(limit: SnapStartTemplate.copiesMadeAtOnce)
    static let copiesMadeAtOnce = 4
    /// Until its runtime is gone (its launcher said "X"); copies already made live on.
    private let alive = Atomic<Bool>(true)
    /// Copies waiting for a cold start (launched, Runtime API listeners made, runtime waiting for its environment).
    private let standby = Mutex<(copies: [StemCell], refilling: Bool, ended: Bool)>(([], false, false))
    /// The standby copies `end` discarded, until they are gone.
    private let discarded = Mutex<[StemCell]>([])

    init(environment: ExecutionEnvironment, sandbox: LaunchedSandbox, uid: UInt32, gid: UInt32) {
        self.environment = environment
        self.sandbox = sandbox
        self.uid = uid
        self.gid = gid
    }

    var isAlive: Bool { alive.load(ordering: .acquiring) && !environment.isDead }

    func markGone() { alive.store(false, ordering: .releasing) }

    func end() {
        let copies = standby.withLock { s -> [StemCell] in
            s.ended = true
            defer { s.copies.removeAll() }
            return s.copies
        }
        discarded.withLock { $0 += copies }
        for copy in copies { copy.discard() }
        environment.terminate()
    }

    var standbyCount: Int { standby.withLock { $0.copies.count } }

    /// A standby copy, now the caller's (nil: none waits).
    func takeStandby() -> StemCell? {
        while let copy = standby.withLock({ $0.copies.popLast() }) {
            if copy.claim() { return copy }
        }
        return nil
    }

    /// Whether a standby copy should be made now: none waits and none is being made (the caller then calls
    /// `refilled`).
    func beginRefill() -> Bool {
        standby.withLock { s in
            guard !s.ended, !s.refilling, s.copies.isEmpty, isAlive else { return false }
            s.refilling = true
            return true
        }
    }

    /// Puts a copy made by a refill on standby (nil: making it failed); a template that ended meanwhile discards it.
    func refilled(_ copy: StemCell?) {
        guard let copy else {
            standby.withLock { $0.refilling = false }
            return
        }
        let kept = standby.withLock { s -> Bool in
            s.refilling = false
            guard !s.ended else { return false }
            s.copies.append(copy)
            return true
        }
        guard kept else { return copy.discard() }
        copy.whenDead { [self] in standby.withLock { s in s.copies.removeAll { $0 === copy } } }
    }

    /// Waits until the template and its standby copies are gone (after `end`).
    func waitForExit() async {
        await environment.waitForExit()
        for copy in discarded.withLock({ $0 }) { await copy.waitForExit() }
    }

    /// A template's key among `SnapStartTemplates`: function, version and revision (a prefix retires them).
    static func key(_ function: String, _ version: String, revision: String) -> String {
        function + "\u{0}" + version + "\u{0}" + revision
    }
}

/// What `SnapStartTemplates` needs of a template (tests give it stand-ins).
protocol SnapStartTemplateHandle: AnyObject, Sendable {
    /// Until its runtime is gone: a template that is not alive is replaced at the next cold start.
    var isAlive: Bool { get }
    /// Copies waiting on standby.
    var standbyCount: Int { get }
    /// Ends the template (and every copy it made).
    func end()
}

/// The templates of this node, one per published version's revision: made at the first cold start that needs one
/// (or when the version is published), replaced when its runtime dies, retired with the version. A template that
/// could not be made is not retried for `retryAfter`: cold starts of the version start the classic way meanwhile.
final class SnapStartTemplates<Template: SnapStartTemplateHandle>: Sendable {
    private enum Slot {
        case starting(Task<Template?, Never>)
        case ready(Template)
        case failed(ContinuousClock.Instant)
    }

    private let slots = Mutex<[String: Slot]>([:])
    /// Templates replaced while their copies may still run (a template's end takes its copies along): ended with
    /// their version.
    private let superseded = Mutex<[(key: String, template: Template)]>([])
    let retryAfter: Duration

    init(retryAfter: Duration = .seconds(30)) {
        self.retryAfter = retryAfter
    }

    /// The template of `key`, made by `make` when there is none (or the last one died); nil when it cannot be made.
    private enum Next { case use(Template), wait(Task<Template?, Never>), none }

    func template(_ key: String, make: @escaping @Sendable () async -> Template?) async -> Template? {
        let next = slots.withLock { slots -> Next in
            switch slots[key] {
            case .ready(let template) where template.isAlive: return .use(template)
            case .starting(let task): return .wait(task)
            case .failed(let at) where ContinuousClock.now - at < retryAfter: return .none
            default:
                let task = Task { await make() }
                slots[key] = .starting(task)
                return .wait(task)
            }
        }
        switch next {
        case .use(let template): return template
        case .none: return nil
        case .wait(let task):
            let template = await task.value
            let kept = slots.withLock { slots -> Bool in
                switch slots[key] {
                case .starting:
                    slots[key] = template.map { Slot.ready($0) } ?? Slot.failed(.now)
                    return true
                case .ready(let current): return current === template
                default: return false  // retired while it started
                }
            }
            guard kept else {
                template?.end()
                return nil
            }
            return template
        }
    }

    /// Forgets a template whose runtime is gone (or that failed a copy), so that the next cold start makes a new one;
    /// it is ended with its version, as its copies are.
    func forget(_ key: String, _ template: Template) {
        let removed = slots.withLock { slots -> Bool in
            guard case .ready(let current) = slots[key], current === template else { return false }
            slots[key] = nil
            return true
        }
        if removed { superseded.withLock { $0.append((key, template)) } }
    }

    /// Removes the templates whose key starts with `prefix` (a function, or one of its versions) and returns them
    /// to be ended, with every copy they made.
    func retire(prefix: String) -> [Template] {
        let tasks = slots.withLock { slots -> [Slot] in
            let keys = slots.keys.filter { $0.hasPrefix(prefix) }
            return keys.compactMap { slots.removeValue(forKey: $0) }
        }
        let old = superseded.withLock { list -> [Template] in
            let matching = list.filter { $0.key.hasPrefix(prefix) }.map(\.template)
            list.removeAll { $0.key.hasPrefix(prefix) }
            return matching
        }
        return tasks.compactMap { if case .ready(let template) = $0 { template } else { nil } } + old
    }

    /// Every template (shutdown).
    func retireAll() -> [Template] { retire(prefix: "") }

    /// The templates ready now, by function and version, with their standby copies (`/metrics`).
    var census: [(function: String, version: String, standby: Int)] {
        slots.withLock { slots in
            slots.compactMap { key, slot in
                guard case .ready(let template) = slot, template.isAlive else { return nil }
                let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
                guard parts.count >= 2 else { return nil }
                return (String(parts[0]), String(parts[1]), template.standbyCount)
            }
        }
    }
}
