import Glibc

/// The operating-system locks a process holds on an environment's directory for as long as it has
/// the environment open. They guard against what LMDB's own lock file cannot: its deletion.
///
/// LMDB coordinates processes through `lock.mdb` — the writer's mutex and the table of readers.
/// If that file is deleted while processes have the environment open, the next process to open it
/// makes a fresh one and sees neither their writer nor their readers: two writers, or a writer that
/// reuses pages a reader is still reading, and acknowledged data becomes unreadable. So:
///
/// - **One writing process.** A process that opens the environment for writing holds an exclusive
///   `flock` on `vigil.lock` in the directory (holding its pid, for messages) until it closes it.
///   Another writer waits up to ``Environment/Options/writerWait`` for it, then is refused.
/// - **No new user while `lock.mdb` is missing.** Every process that has the environment open holds
///   a shared `flock` on the directory itself. A process that finds `lock.mdb` missing may create a
///   new one only if it can take that lock exclusively — that is, if no other process has the
///   environment open; otherwise `lock.mdb` was deleted under them, and opening is refused.
final class EnvironmentLocks {
    /// The writer lock's file name.
    static let writerLockName = "vigil.lock"

    let directory: String
    private let directoryFD: Int32
    private var writerFD: Int32 = -1
    private var exclusive = false

    /// Opens the directory; ``join()`` and ``takeWriterLock(wait:)`` take the locks.
    init(directory: String) throws(LMDBError) {
        self.directory = directory
        directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw LMDBError(errno, "open \(directory)") }
    }

    deinit {
        if writerFD >= 0 { close(writerFD) }
        close(directoryFD)
    }

    /// Takes the writer lock, waiting up to `wait` for another writing process to finish.
    func takeWriterLock(wait: Duration) throws(LMDBError) {
        let path = directory + "/" + Self.writerLockName
        writerFD = try PrivateFile.open(path, O_RDWR)
        let deadline = ContinuousClock.now + wait
        while flock(writerFD, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw LMDBError(errno, "flock \(path)") }
            guard ContinuousClock.now < deadline else {
                throw LMDBError(
                    code: .writerActive, operation: "flock \(path)",
                    detail: "another process\(holder().map { " (pid \($0))" } ?? "") is writing to the store in "
                        + "\(directory) and did not finish within \(wait): Vigil lets one process write at a time "
                        + "(it holds \(path)); run this when it is done")
            }
            usleep(20_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        ftruncate(writerFD, 0)
        _ = pid.withUnsafeBytes { pwrite(writerFD, $0.baseAddress, $0.count, 0) }
    }

    /// The pid written into the writer lock by the process holding it, if any.
    func holder() -> Int32? {
        let fd = open(directory + "/" + Self.writerLockName, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingNewlines)
    }

    /// Joins the processes using the environment, before LMDB opens it: a shared lock on the
    /// directory when `lock.mdb` exists; an exclusive one when it does not (nobody else may have the
    /// environment open while a new `lock.mdb` is made), given up for a shared one by ``opened()``.
    func join() throws(LMDBError) {
        let lockFile = directory + "/lock.mdb"
        var attempts = 0
        while true {
            if access(lockFile, F_OK) == 0 {
                guard flock(directoryFD, LOCK_SH) == 0 || errno != EINTR else { continue }
                if access(lockFile, F_OK) == 0 { return }
                flock(directoryFD, LOCK_UN)
                continue
            }
            if flock(directoryFD, LOCK_EX | LOCK_NB) == 0 {
                exclusive = true
                return
            }
            // Not EWOULDBLOCK: this file system has no flock on directories; nothing to guard with.
            guard errno == EWOULDBLOCK || errno == EINTR else { return }
            // Another process may be making lock.mdb right now; give it a moment.
            attempts += 1
            guard attempts < 50 else {
                let writer = holder().map { " (the writing process is pid \($0))" } ?? ""
                throw LMDBError(
                    code: .lockFileMissing, operation: "open \(lockFile)",
                    detail: "LMDB's lock file \(lockFile) is missing while other processes have the store open"
                        + "\(writer): it was deleted under them. A process that opened the store now would not see "
                        + "their readers and writer and could corrupt it. Stop every process using \(directory), "
                        + "then run this again (nothing is lost: committed data is in data.mdb)")
            }
            usleep(20_000)
        }
    }

    /// Called once LMDB has opened the environment (and made `lock.mdb`): an exclusive directory
    /// lock taken by ``join()`` becomes a shared one, so other processes can join.
    func opened() {
        if exclusive {
            flock(directoryFD, LOCK_SH)
            exclusive = false
        }
    }
}

extension String {
    fileprivate var trimmingNewlines: String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == " " || last == "\0" { s = s.dropLast() }
        return String(s)
    }
}
