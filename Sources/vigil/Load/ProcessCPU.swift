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
