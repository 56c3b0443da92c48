import Glibc

/// Proof that no process has the environment in a directory open, held until ``release()``: an
/// exclusive `flock` on the directory, which every process using the environment holds shared
/// (``EnvironmentLocks``). While it is held, nobody can open the environment; what is done to the
/// directory meanwhile (moving it aside, replacing it) cannot happen under a reader or a writer.
public final class ExclusiveDirectoryLock: @unchecked Sendable {
    // @unchecked: `fd` is written once, in init, and released once.
    private var fd: Int32

    /// Takes the lock on `directory`, or throws ``LMDBError`` with ``LMDBError/Code/writerActive``
    /// when a process has the environment there open (naming the writer's pid when there is one).
    public init(directory: String) throws(LMDBError) {
        fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LMDBError(errno, "open \(directory)") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let failure = errno
            close(fd)
            fd = -1
            guard failure == EWOULDBLOCK else {
                // No flock on directories on this file system: nothing to guard with, nothing proven.
                throw LMDBError(failure, "flock \(directory)")
            }
            let writer = EnvironmentLocks.writerPid(in: directory).map { " (its writer lock names pid \($0))" } ?? ""
            throw LMDBError(
                code: .writerActive, operation: "flock \(directory)",
                detail: "a process has the store in \(directory) open\(writer): stop it first")
        }
    }

    /// Gives the lock up.
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

extension EnvironmentLocks {
    /// The pid the writing process wrote into `directory`'s writer lock, if any.
    static func writerPid(in directory: String) -> Int32? {
        (try? EnvironmentLocks(directory: directory))?.holder()
    }
}
