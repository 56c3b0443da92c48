import Synchronization
import Testing

@testable import vigil

/// A clock the test moves, and everything written.
private final class Recorder: Sendable {
    let time = Mutex(0.0)
    let written = Mutex<[String]>([])
    var now: @Sendable () -> Double { { self.time.withLock { $0 } } }
    var write: @Sendable (String) -> Void { { text in self.written.withLock { $0.append(text) } } }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    var lines: [String] { written.withLock { $0 } }
}

@Suite("Progress")
struct ProgressTests {
    @Test("plain lines: one per interval, with share, amount, rate and time left; nothing before the first interval")
    func plainLines() {
        let r = Recorder()
        let p = Progress("export", total: 10_000, unit: .events, style: .lines, interval: 5, now: r.now, write: r.write)
        r.advance(1)
        p.update(1_000)
        #expect(r.lines.isEmpty, "quick work shows nothing")
        r.advance(4)
        p.update(2_500)
        r.advance(1)
        p.update(3_000)
        #expect(r.lines == ["export: 25% (2,500 of 10,000 events), 500 events/s, about 15 s left\n"])
        r.advance(5)
        p.update(5_500)
        #expect(r.lines.last == "export: 55% (5,500 of 10,000 events), 500 events/s, about 9 s left\n")
        p.finish()
        r.advance(10)
        p.update(10_000)
        #expect(r.lines.count == 2, "nothing after finish, and no bar to erase")
    }

    @Test("bytes with an event count; no total (standard input): no share, no time left")
    func bytesAndUnknownTotal() {
        let r = Recorder()
        let p = Progress("import", total: 3 << 20, unit: .bytes, style: .lines, interval: 2, now: r.now, write: r.write)
        r.advance(2)
        p.update(1 << 20, events: 4_000)
        #expect(r.lines == ["import: 33% (1.0 of 3.0 MiB), 4,000 events, 2,000 events/s, about 4 s left\n"])
        let q = Progress("import", total: nil, unit: .bytes, style: .lines, interval: 2, now: r.now, write: r.write)
        r.advance(4)
        q.update(6 << 20, events: 12_000)
        #expect(r.lines.last == "import: 6.0 MiB, 12,000 events, 3,000 events/s\n")
    }

    @Test("a bar on a terminal is redrawn in place and erased at the end")
    func bar() {
        let r = Recorder()
        let p = Progress("verify", total: 200, unit: .events, style: .bar, interval: 5, now: r.now, write: r.write)
        r.advance(0.5)
        p.update(50)
        #expect(r.lines.count == 1)
        let line = r.lines[0]
        #expect(
            line.hasPrefix(
                "\r\u{1B}[2Kverify  [######------------------]  25%  50 of 200 events  100 events/s  ETA 0:02"))
        r.advance(0.01)
        p.update(60)
        #expect(r.lines.count == 1, "at most ten redraws a second")
        p.finish()
        #expect(r.lines.last == "\r\u{1B}[2K")
    }

    @Test("off shows nothing")
    func off() {
        let r = Recorder()
        let p = Progress("backup", total: 1, unit: .bytes, style: .off, interval: 0, now: r.now, write: r.write)
        r.advance(100)
        p.update(1)
        p.finish()
        #expect(r.lines.isEmpty)
    }

    @Test("numbers and durations read well")
    func formatting() {
        #expect(Progress.grouped(0) == "0")
        #expect(Progress.grouped(1_234_567) == "1,234,567")
        #expect(Progress.byteSize(1023) == "1023 B")
        #expect(Progress.byteSize(46_870_938) == "44.7 MiB")
        #expect(Progress.clock(9) == "0:09")
        #expect(Progress.clock(3_723) == "1:02:03")
        #expect(Progress.duration(200) == "3 min 20 s")
        #expect(Progress.duration(3_900) == "1 h 5 min")
    }
}
