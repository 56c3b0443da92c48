import Foundation
import Glibc

/// CPU time a process has used (user + system, all its threads), from `/proc`: what a load run
/// costs the daemon per command, whatever else the machine is doing. Wall-clock rates depend on
/// how busy the machine is; CPU per command much less so, which makes it the figure to compare
/// two builds by on a shared machine.
enum ProcessCPU {
    /// Seconds of CPU process `pid` has used (`/proc/PID/stat` fields utime and stime); `nil` if
    /// it is gone or the file cannot be read.
    static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ": state is field 3, utime field 14 and stime field 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Seconds of CPU this process has used.
    static func ownSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let time = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return time(usage.ru_utime) + time(usage.ru_stime)
    }
}

/// This machine's speed at a moment, as the CPU time of a fixed piece of work: what a run's CPU per
/// command is divided by to compare runs taken at different times on a virtual machine whose speed
/// drifts (this one's slows by a third under sustained load, and every CPU figure with it).
enum CPUCalibration {
    /// Milliseconds of this thread's CPU for 20 million steps of a xorshift generator (each step
    /// depends on the one before: no vectorizing, no shortcut), the median of five (45 ms on this
    /// VM in its slow phase of 3 December).
    static func milliseconds() -> Double {
        var times: [Double] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5 {
            let start = threadSeconds()
            state = steps(state, 20_000_000)
            times.append((threadSeconds() - start) * 1_000)
        }
        precondition(state != 0)  // the work's result is used: it cannot be left out
        return times.sorted()[2]
    }

    @inline(never)
    private static func steps(_ seed: UInt64, _ count: Int) -> UInt64 {
        var x = seed
        for i in 0..<count {
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            x &+= UInt64(truncatingIfNeeded: i) | 1
        }
        return x
    }

    private static func threadSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
