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

    /// Milliseconds of this thread's CPU for a million dependent reads at random over 64 MiB (a
    /// pointer chase: each read a cache miss), the median of three (175 ms in the slow phase). The
    /// arithmetic above and this can drift apart: on a shared host the neighbours' memory traffic
    /// slows the second only.
    static func memoryMilliseconds() -> Double {
        let count = 8 << 20  // 8 Mi UInt64 = 64 MiB
        // One cycle through every slot (Sattolo's shuffle), from a fixed seed: the same chase every run.
        var next = [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = UInt64(i) }
            initialized = count
        }
        var random: UInt64 = 0x2545_F491_4F6C_DD1D
        for i in stride(from: count - 1, to: 0, by: -1) {
            xorshift(&random)
            next.swapAt(i, Int(random % UInt64(i)))
        }
        var times: [Double] = []
        var at: UInt64 = 0
        for _ in 0..<3 {
            let start = threadSeconds()
            at = chase(next, from: at, 1_000_000)
            times.append((threadSeconds() - start) * 1_000)
        }
        precondition(at < UInt64(count))
        return times.sorted()[1]
    }

    @inline(never)
    private static func chase(_ next: [UInt64], from start: UInt64, _ count: Int) -> UInt64 {
        next.withUnsafeBufferPointer { slots in
            var at = start
            for _ in 0..<count { at = slots[Int(at)] }
            return at
        }
    }

    @inline(never)
    private static func steps(_ seed: UInt64, _ count: Int) -> UInt64 {
        var x = seed
        for i in 0..<count {
            xorshift(&x)
            x &+= UInt64(truncatingIfNeeded: i) | 1
        }
        return x
    }

    /// One step of Marsaglia's xorshift64 (13, 7, 17): the calibration's arithmetic, and the
    /// memory chase's shuffle.
    @inline(__always)
    private static func xorshift(_ x: inout UInt64) {
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
    }

    private static func threadSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// The disk's speed at a moment, as a group commit costs it: 64 scattered 4 KiB pages written
/// (every other page of a 512 KiB region, as a commit rewrites pages all over the file) then one
/// `fdatasync`, timed 20 times in a scratch file of `directory`, the median. A run's commits wait on
/// exactly this, and on this virtual machine it varies more than the CPU does.
enum DiskCalibration {
    static func milliseconds(in directory: String) -> Double? {
        let path = directory + "/calibration.scratch"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard fd >= 0 else { return nil }
        defer {
            close(fd)
            unlink(path)
        }
        let page = [UInt8](repeating: 0x5A, count: 4_096)
        var times: [Double] = []
        for round in 0..<20 {
            let start = ContinuousClock.now
            for k in 0..<64 {
                let offset = off_t((k * 2 + round % 2) * 4_096)
                let written = page.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
                guard written == page.count else { return nil }
            }
            guard fdatasync(fd) == 0 else { return nil }
            times.append((ContinuousClock.now - start).seconds * 1_000)
        }
        return times.sorted()[times.count / 2]
    }
}
