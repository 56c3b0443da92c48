public import Foundation
import Synchronization

#if canImport(Glibc)
    public import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// A child process started with `posix_spawn` — not Foundation's `Process`, whose `run()` on Linux
/// crashed the whole parent now and then (a bad pointer in a `memcpy` inside it, under load, even
/// with one spawn at a time): in a test run that took every test down with it.
///
/// Each standard stream is a pipe the parent holds the other end of (``stdinWriter``,
/// ``stdoutReader``, ``stderrReader``), `/dev/null`, or a descriptor of the parent's (a log file);
/// every other descriptor of the parent is closed in the child. A thread waits for the child, so
/// ``ending`` is set and ``exited`` signalled the moment it ends.
public final class SpawnedChild: Sendable {
    /// How a child ended.
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
    }

    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// A pipe whose other end the parent holds.
        case pipe
        /// `/dev/null`.
        case null
        /// This descriptor of the parent's (it stays open in the parent; the child gets a copy).
        case descriptor(Int32)
        /// Standard error only: wherever standard output goes (one pipe for both, in order).
        case standardOutput
    }

    /// The child's process id.
    public let pid: pid_t
    /// The parent's end of the child's standard input, when it is a ``Stream/pipe``.
    public let stdinWriter: FileHandle?
    /// The parent's end of the child's standard output, when it is a ``Stream/pipe``.
    public let stdoutReader: FileHandle?
    /// The parent's end of the child's standard error, when it is a ``Stream/pipe``.
    public let stderrReader: FileHandle?
    /// Signalled once, when the child has ended (``ending`` is set by then).
    public let exited = DispatchSemaphore(value: 0)
    private let state = Mutex<Ending?>(nil)

    /// How it ended, or `nil` while it runs.
    public var ending: Ending? { state.withLock { $0 } }

    /// Whether it is still running.
    public var isRunning: Bool { ending == nil }

    /// Serializes spawning across the process (the pipes are made close-on-exec in between).
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

    /// Starts `executable` with `arguments` (not counting the program name) in `directory` (this
    /// process's when `nil`), with exactly `environment` (this process's by default).
    public init(
        executable: String, arguments: [String], directory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        stdin: Stream = .pipe, stdout: Stream = .pipe, stderr: Stream = .pipe
    ) throws {
        precondition(stdin != .standardOutput && stdout != .standardOutput, "only standard error can follow stdout")
        // The pipes made here: [read, write] per stream; the child's ends are closed in the parent
        // once it is spawned, the parent's are close-on-exec.
        var made: [Int32] = []
        defer { for fd in made where fd >= 0 { close(fd) } }
        var parentEnds: [Int32: Int32] = [:]  // child's descriptor → the parent's end of its pipe
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let spawned: pid_t = try Self.spawnLock.withLock { _ in
            for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
                switch stream {
                case .pipe:
                    var pair: [Int32] = [-1, -1]
                    guard pipe(&pair) == 0 else { throw Self.error("pipe") }
                    made += pair
                    let (childEnd, parentEnd) = target == 0 ? (pair[0], pair[1]) : (pair[1], pair[0])
                    _ = fcntl(parentEnd, F_SETFD, FD_CLOEXEC)
                    parentEnds[target] = parentEnd
                    posix_spawn_file_actions_adddup2(&actions, childEnd, target)
                case .null:
                    posix_spawn_file_actions_addopen(
                        &actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
                case .descriptor(let fd):
                    posix_spawn_file_actions_adddup2(&actions, fd, target)
                case .standardOutput:
                    posix_spawn_file_actions_adddup2(&actions, 1, 2)
                }
            }
            // Everything else the parent has open (stores, sockets, other children's pipes) stays
            // out of the child.
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
        // The parent's ends are kept (handed to FileHandles); the child's copies are closed by the defer.
        func take(_ target: Int32) -> FileHandle? {
            guard let fd = parentEnds[target], let index = made.firstIndex(of: fd) else { return nil }
            made[index] = -1
            return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }
        stdinWriter = take(0)
        stdoutReader = take(1)
        stderrReader = take(2)
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
    public func send(_ signal: Int32) {
        state.withLock { ending in
            if ending == nil { _ = kill(pid, signal) }
        }
    }

    /// Blocks until the child has ended; how it ended.
    @discardableResult
    public func waitUntilExit() -> Ending {
        exited.wait()
        exited.signal()  // for the next waiter
        return ending!
    }

    /// Blocks until the child has ended or `seconds` have passed; how it ended, or `nil` if it runs on.
    public func waitUntilExit(seconds: Double) -> Ending? {
        guard exited.wait(timeout: .now() + seconds) == .success else { return nil }
        exited.signal()  // for the next waiter
        return ending!
    }

    /// Runs `executable` to its end with standard input from `/dev/null` and standard output and error
    /// in one pipe; how it ended and what it wrote.
    public static func run(
        executable: String, arguments: [String], directory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (ending: Ending, output: Data) {
        let child = try SpawnedChild(
            executable: executable, arguments: arguments, directory: directory, environment: environment,
            stdin: .null, stdout: .pipe, stderr: .standardOutput)
        let output = child.stdoutReader!.readDataToEndOfFile()
        return (child.waitUntilExit(), output)
    }

    private static func error(_ what: String, code: Int32 = errno) -> NSError {
        NSError(
            domain: NSPOSIXErrorDomain, code: Int(code),
            userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))"])
    }
}

extension SpawnedChild.Stream: Equatable {}

extension SpawnedChild.Ending: CustomStringConvertible {
    /// Whether it exited with status 0.
    public var succeeded: Bool { self == .exited(0) }

    /// "exit status N" or "signal N".
    public var description: String {
        switch self {
        case .exited(let status): "exit status \(status)"
        case .signalled(let signal): "signal \(signal)"
        }
    }
}
