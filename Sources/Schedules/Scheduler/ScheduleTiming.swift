import Foundation

/// When a schedule's target is due: its nominal times (what the expression names, within StartDate and
/// EndDate) and the deterministic spread of a flexible time window on top of them.
struct ScheduleTiming {
    let schedule: Schedule
    let expression: ScheduleExpression

    init(_ schedule: Schedule) throws(ScheduleExpressionError) {
        self.schedule = schedule
        self.expression = try ScheduleExpression(parsing: schedule.scheduleExpression)
    }

    var windowMs: Int64 { schedule.flexibleTimeWindow.windowMs }
    private var startMs: Int64? { schedule.startDate.map(Self.ms) }
    private var endMs: Int64? { schedule.endDate.map(Self.ms) }

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    /// The first nominal time at or after `now`: a one-time schedule's time (StartDate and EndDate do not
    /// apply to it; a time already past has none), a rate schedule's next period from its anchor (at once
    /// when it has no StartDate), a cron schedule's next match not before StartDate.
    func firstNominal(now: Int64) -> Int64? {
        let first: Int64?
        switch expression.kind {
        case .at(let time):
            let instant = Self.ms(time.instantOrNextValid(in: schedule.timeZone))
            return instant >= now - 1_000 ? instant : nil
        case .rate(let rate):
            let period = rate.seconds * 1000
            let anchor = schedule.anchor
            first = anchor >= now ? anchor : anchor + (now - anchor + period - 1) / period * period
        case .cron:
            let from = max(now, startMs ?? now) - 1
            first = expression.nextFireTime(after: Self.date(from), timeZone: schedule.timeZone).map(Self.ms)
        }
        guard let first, endMs.map({ first <= $0 }) ?? true else { return nil }
        return first
    }

    /// The nominal time after `nominal`, within EndDate.
    func nominal(after nominal: Int64) -> Int64? {
        let next: Int64?
        switch expression.kind {
        case .at: return nil
        case .rate(let rate): next = nominal + rate.seconds * 1000
        case .cron: next = expression.nextFireTime(after: Self.date(nominal), timeZone: schedule.timeZone).map(Self.ms)
        }
        guard let next, endMs.map({ next <= $0 }) ?? true else { return nil }
        return next
    }

    /// The first nominal time whose window has not passed by `now`, after `nominal` (the times that fell
    /// due while the server was down are skipped, once one of them fired).
    func nominal(after nominal: Int64, notBefore now: Int64) -> Int64? {
        if case .rate(let rate) = expression.kind {
            let period = rate.seconds * 1000
            var next = nominal + period
            if next + windowMs < now { next += (now - windowMs - next + period - 1) / period * period }
            return endMs.map({ next <= $0 }) ?? true ? next : nil
        }
        var next = self.nominal(after: nominal)
        if let candidate = next, candidate + windowMs < now {
            next = self.nominal(after: now - windowMs - 1)
        }
        return next
    }

    /// The due time of a nominal time: itself, or a spread within the flexible window derived from the
    /// schedule's ARN and the time (the same on every evaluation, so a restart keeps it).
    func due(_ nominal: Int64) -> Int64 {
        guard windowMs > 0 else { return nominal }
        return nominal + Int64(Self.hash("\(schedule.arn)|\(nominal)") % UInt64(windowMs))
    }

    /// The nominal time a due time belongs to (the reverse of `due`).
    func nominal(forDue dueAt: Int64) -> Int64 {
        guard windowMs > 0 else { return dueAt }
        if case .at(let time) = expression.kind { return Self.ms(time.instantOrNextValid(in: schedule.timeZone)) }
        var best: Int64?
        var candidate: Int64?
        if case .rate(let rate) = expression.kind {
            let period = rate.seconds * 1000
            let lowest = dueAt - windowMs
            candidate = schedule.anchor + max(0, (lowest - schedule.anchor + period - 1) / period) * period
        } else {
            candidate = expression.nextFireTime(after: Self.date(dueAt - windowMs - 1), timeZone: schedule.timeZone).map(Self.ms)
        }
        while let current = candidate, current <= dueAt {
            if due(current) == dueAt { return current }
            best = current
            candidate = nominal(after: current)
        }
        return best ?? dueAt
    }

    /// FNV-1a, 64 bits.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
