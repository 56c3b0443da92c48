import Foundation

/// Bytes a process has written (`wchar` of `/proc/PID/io`: every byte passed to write, pwrite and
/// send calls, whether or not it reached a disk). For the daemon under load that is mostly the
/// store's pages — each commit rewrites every B-tree page it touches, 4 KiB at a time — plus the
/// answers and log lines: what a command costs the disk, which bounds how many a disk can take.
enum ProcessIO {
    /// Bytes process `pid` has passed to write calls since it started; `nil` if it is gone or the
    /// file cannot be read (another user's process).
    static func writtenBytes(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
