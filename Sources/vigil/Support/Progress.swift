import Dispatch
import Glibc
import Synchronization

/// Progress of long work, on standard error only (standard output stays the command's data):
///
/// - on a terminal, one line redrawn in place, at most ten times a second: a bar, the share done,
///   the amount, the rate and the time left —
///   `import  [#########---------------]  38%  17.0 of 44.7 MiB  61,022 events  48,915 events/s  ETA 0:09`;
/// - otherwise (a log, a pipe, CI), a plain line every few seconds —
///   `import: 38% (17.0 of 44.7 MiB), 61,022 events, 48,915 events/s, about 9 s left`.
///
/// Nothing is shown for work that ends before the first interval. Without a total (standard
/// input) the share and the time left are left out. `VIGIL_PROGRESS=bar|lines|off` forces a style;
/// `VIGIL_PROGRESS_INTERVAL=SECONDS` sets the plain lines' interval (default 5).
///
/// ```swift
/// let progress = Progress("export", total: head, unit: .events)
/// for … { progress.update(done) }
/// progress.finish()
/// ```
final class Progress: Sendable {
    /// How the amount is counted.
    enum Unit: Sendable {
        /// Events (the rate is events/s).
        case events
        /// Bytes of input or output (the amount reads in KiB, MiB, …; the rate too).
        case bytes
        /// Steps of a plan (a simulation's).
        case steps
    }

    /// How progress is shown.
    enum Style: Sendable, Equatable {
        /// A bar redrawn in place (a terminal).
        case bar
        /// A plain line now and then.
        case lines
        /// Nothing.
        case off
    }

    private struct State {
        var total: UInt64?
        var done: UInt64 = 0
        var events: UInt64?
        var lastShown: Double
        var barVisible = false
        var finished = false
    }

    private let title: String
    private let unit: Unit
    private let style: Style
    private let interval: Double
    private let started: Double
    private let now: @Sendable () -> Double
    private let write: @Sendable (String) -> Void
    private let state: Mutex<State>

    /// Progress of `title` towards `total` (if known), shown on standard error in the style that
    /// suits it (``Style/bar`` on a terminal, ``Style/lines`` otherwise) unless the environment
    /// says another.
    convenience init(_ title: String, total: UInt64?, unit: Unit) {
        let environment = Self.environment
        self.init(
            title, total: total, unit: unit, style: environment.style, interval: environment.interval,
            now: Self.monotonicSeconds, write: { writeError($0) })
    }

    /// Progress with everything given: for tests, and for commands that know better.
    init(
        _ title: String, total: UInt64?, unit: Unit, style: Style, interval: Double,
        now: @escaping @Sendable () -> Double, write: @escaping @Sendable (String) -> Void
    ) {
        self.title = title
        self.unit = unit
        self.style = style
        // A bar redraws often; lines are spaced out so a log stays readable.
        self.interval = style == .bar ? 0.1 : max(0, interval)
        self.now = now
        self.write = write
        let started = now()
        self.started = started
        // The first bar after a quarter of a second, the first line after one interval: quick work
        // shows nothing.
        self.state = Mutex(State(total: total, lastShown: started + (style == .bar ? 0.15 : 0)))
    }

    /// Records that `done` (in the unit) is done, and `events` events (when the unit is not events
    /// but the count is worth showing); shows it when the interval has passed. Cheap enough to call
    /// per batch or per chunk, not meant per event.
    func update(_ done: UInt64, events: UInt64? = nil) {
        guard style != .off else { return }
        let t = now()
        let line = state.withLock { s -> String? in
            s.done = done
            if let events { s.events = events }
            guard !s.finished, t - s.lastShown >= interval else { return nil }
            s.lastShown = t
            if style == .bar { s.barVisible = true }
            return render(s, at: t)
        }
        if let line { write(line) }
    }

    /// Runs `work`, meanwhile updating the progress from `read()` ten times a second on another
    /// thread: for work that reports nothing itself (a copy made by a C library, say).
    func polling<T>(_ read: @escaping @Sendable () -> UInt64, during work: () throws -> T) rethrows -> T {
        guard style != .off else { return try work() }
        let done = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while done.wait(timeout: .now() + 0.1) == .timedOut { self.update(read()) }
            stopped.signal()
        }
        defer {
            done.signal()
            stopped.wait()
        }
        return try work()
    }

    /// Changes the total (when it becomes known, or grows).
    func setTotal(_ total: UInt64?) {
        state.withLock { $0.total = total }
    }

    /// Ends the display: a bar is erased, so the command's own summary takes its line.
    func finish() {
        let erase = state.withLock { s -> Bool in
            defer { s.finished = true }
            return !s.finished && s.barVisible
        }
        if erase { write("\r\u{1B}[2K") }
    }

    // MARK: - Rendering

    private func render(_ s: State, at t: Double) -> String {
        let elapsed = max(t - started, 1e-9)
        let rate = Double(s.done) / elapsed
        let share = s.total.flatMap { $0 > 0 ? min(1, Double(s.done) / Double($0)) : nil }
        let left: Double? = s.total.flatMap { total in
            guard rate > 0, total >= s.done else { return nil }
            return Double(total - s.done) / rate
        }
        var amount = quantity(s.done)
        if let total = s.total {
            amount = unit == .bytes ? size(s.done, of: total) : "\(grouped(s.done)) of \(quantity(total))"
        }
        var eventCount: String?
        var eventRate: String?
        if let events = s.events, unit != .events {
            eventCount = "\(grouped(events)) events"
            eventRate = "\(grouped(UInt64(Double(events) / elapsed))) events/s"
        }
        let unitRate = unit == .bytes ? "\(Self.byteSize(UInt64(rate)))/s" : "\(grouped(UInt64(rate))) \(unitName)/s"
        switch style {
        case .bar:
            var parts = [title]
            if let share {
                let width = 24
                let filled = Int(share * Double(width))
                parts.append(
                    "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
                        + " \(percent(share))")
            }
            parts.append(amount)
            if let eventCount { parts.append(eventCount) }
            parts.append(eventRate ?? unitRate)
            if let left { parts.append("ETA \(Self.clock(left))") }
            return "\r\u{1B}[2K" + parts.joined(separator: "  ")
        case .lines, .off:
            var text = "\(title): "
            if let share {
                text += "\(percent(share).trimmingPrefix(while: { $0 == " " })) (\(amount))"
            } else {
                text += amount
            }
            if let eventCount { text += ", \(eventCount)" }
            text += ", \(eventRate ?? unitRate)"
            if let left { text += ", about \(Self.duration(left)) left" }
            return text + "\n"
        }
    }

    private var unitName: String {
        switch unit {
        case .events: "events"
        case .bytes: "bytes"
        case .steps: "steps"
        }
    }

    private func quantity(_ n: UInt64) -> String {
        unit == .bytes ? Self.byteSize(n) : "\(grouped(n)) \(unitName)"
    }

    /// `17.0 of 44.7 MiB`: both in the total's unit.
    private func size(_ done: UInt64, of total: UInt64) -> String {
        let (scaled, name) = Self.scale(total)
        let doneScaled = Double(done) / Double(scaled)
        let totalScaled = Double(total) / Double(scaled)
        return name == "B" ? "\(done) of \(total) B" : "\(oneDecimal(doneScaled)) of \(oneDecimal(totalScaled)) \(name)"
    }

    private func percent(_ share: Double) -> String {
        let p = Int(share * 100)
        return String(repeating: " ", count: p < 10 ? 2 : p < 100 ? 1 : 0) + "\(p)%"
    }

    // MARK: - Formatting, shared

    /// `1,234,567`.
    static func grouped(_ n: UInt64) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    private func grouped(_ n: UInt64) -> String { Self.grouped(n) }

    private static func scale(_ n: UInt64) -> (UInt64, String) {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled: UInt64 = 1
        var unit = 0
        while n / scaled >= 1024 && unit < units.count - 1 {
            scaled *= 1024
            unit += 1
        }
        return (scaled, units[unit])
    }

    /// `44.7 MiB`.
    static func byteSize(_ n: UInt64) -> String {
        let (scaled, name) = scale(n)
        return name == "B" ? "\(n) B" : "\(oneDecimal(Double(n) / Double(scaled))) \(name)"
    }

    /// `0:09`, `12:30`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }

    /// `9 s`, `3 min 20 s`, `1 h 5 min`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return s % 60 == 0 ? "\(s / 60) min" : "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }

    // MARK: - The process's defaults

    private static let environment: (style: Style, interval: Double) = {
        let style: Style
        switch getenv("VIGIL_PROGRESS").map({ String(cString: $0) }) {
        case "bar": style = .bar
        case "lines": style = .lines
        case "off", "none", "0": style = .off
        default:
            let term = getenv("TERM").map { String(cString: $0) }
            style = isatty(2) == 1 && term != "dumb" ? .bar : .lines
        }
        let interval = getenv("VIGIL_PROGRESS_INTERVAL").flatMap { Double(String(cString: $0)) }
        return (style, interval.map { max(0, $0) } ?? 5)
    }()

    private static let monotonicSeconds: @Sendable () -> Double = {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

}

private func oneDecimal(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

extension Progress {
    /// Progress of a fold over the log (a rebuild, a catch-up, an as-of, an audit), for the
    /// `(position reached, last position)` callbacks those take: the total is the last position.
    static func fold(_ title: String) -> Progress { Progress(title, total: nil, unit: .events) }

    /// Records that the fold reached `position` of `last` (a callback for the folds).
    func reached(_ position: UInt64, of last: UInt64) {
        setTotal(last)
        update(position)
    }
}
