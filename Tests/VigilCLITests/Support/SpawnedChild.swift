import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawn` — not Foundation's `Process`, whose `run()` on Linux
/// crashed the whole test process now and then (a bad pointer in a `memcpy` inside it, under load,
/// even with one spawn at a time) and with it a landing's entire test run.
///
/// Its standard input, output and error are pipes the parent holds the other ends of
/// (``stdinWriter``, ``stdoutReader``, ``stderrReader``); every other descriptor of the test process
/// is closed in the child. A thread waits for it, so ``exitStatus`` is set and ``exited`` signalled
/// the moment it ends.
final class SpawnedChild: Sendable {
    /// How a child ended.
    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    let pid: pid_t
    let stdinWriter: FileHandle
    let stdoutReader: FileHandle
    let stderrReader: FileHandle
    /// Signalled once, when the child has ended (``ending`` is set by then).
    let exited = DispatchSemaphore(value: 0)
    private let state = Mutex<Ending?>(nil)

    /// How it ended, or `nil` while it runs.
    var ending: Ending? { state.withLock { $0 } }

    /// Serializes spawning across the test process (the pipes are made close-on-exec in between).
    private static let spawnLock = Mutex(())

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), which Swift's Glibc module does not
    /// import (it needs `_GNU_SOURCE`): looked up at run time.
    private static let addChdir:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
            guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)
                    .self)
        }()

    /// Starts `executable` with `arguments` (not counting the program name) in `directory`, with
    /// exactly `environment`.
    init(executable: String, arguments: [String], directory: String?, environment: [String: String]) throws {
        var fds: [Int32] = []
        defer { for fd in fds where fd >= 0 { close(fd) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let spawned: pid_t = try Self.spawnLock.withLock { _ in
            // stdin, stdout, stderr: [read, write] each; the parent's ends are close-on-exec.
            for _ in 0..<3 {
                var pair: [Int32] = [-1, -1]
                guard pipe(&pair) == 0 else { throw Self.error("pipe") }
                fds += pair
            }
            for parentEnd in [fds[1], fds[2], fds[4]] { _ = fcntl(parentEnd, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_adddup2(&actions, fds[3], 1)
            posix_spawn_file_actions_adddup2(&actions, fds[5], 2)
            // Everything else the test process has open (stores, sockets, other children's pipes)
            // stays out of the child.
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap({ Int32($0) }) where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
            if let directory {
                guard let addChdir = Self.addChdir else {
                    throw Self.error("posix_spawn_file_actions_addchdir_np is missing (glibc older than 2.29)")
                }
                guard addChdir(&actions, directory) == 0 else { throw Self.error("addchdir") }
            }
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid: pid_t = 0
            let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
            guard rc == 0 else { throw Self.error("posix_spawn \(executable)", code: rc) }
            return pid
        }
        pid = spawned
        stdinWriter = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
        stdoutReader = FileHandle(fileDescriptor: fds[2], closeOnDealloc: true)
        stderrReader = FileHandle(fileDescriptor: fds[4], closeOnDealloc: true)
        for taken in [1, 2, 4] { fds[taken] = -1 }
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // The wait status: the low 7 bits are the signal (0: exited, its status in bits 8–15).
            let signal = status & 0x7f
            state.withLock { $0 = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal) }
            exited.signal()
        }
    }

    /// Sends `signal` unless the child has ended (and been reaped: its pid could be another's).
    func send(_ signal: Int32) {
        state.withLock { ending in
            if ending == nil { _ = kill(pid, signal) }
        }
    }

    private static func error(_ what: String, code: Int32 = errno) -> NSError {
        NSError(
            domain: NSPOSIXErrorDomain, code: Int(code),
            userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))"])
    }
}
