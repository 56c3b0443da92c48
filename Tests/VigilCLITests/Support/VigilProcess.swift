import ChildProcess
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a finished `vigil` process ended and what it printed.
struct VigilResult: Sendable, CustomStringConvertible {
    /// The command line, for messages.
    var arguments: [String]
    /// The exit status, or the signal number when ``signal`` is set.
    var status: Int32
    /// The signal that ended the process, if one did (SIGKILL from ``VigilProcess/kill()``, …).
    var signal: Int32?
    /// Whether the run exceeded its time limit (and was killed for it).
    var timedOut: Bool
    var stdout: Data
    var stderr: Data

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// Exited normally with status 0.
    var succeeded: Bool { signal == nil && status == 0 && !timedOut }

    /// Standard output's complete lines (each ended by a newline); a torn last line is dropped.
    var completeStdoutLines: [String] { Self.completeLines(stdout) }

    static func completeLines(_ data: Data) -> [String] {
        guard let lastNewline = data.lastIndex(of: 10) else { return [] }
        return data[data.startIndex..<lastNewline].split(separator: 10, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    var description: String {
        let how = signal.map { "killed by signal \($0)" } ?? "exit status \(status)"
        return "vigil \(arguments.joined(separator: " ")): \(how)\(timedOut ? " (timed out)" : "")\n"
            + "--- stderr:\n\(stderrText)\n--- stdout (\(stdout.count) bytes):\n\(stdoutText.prefix(2_000))"
    }
}

enum VigilProcessError: Error, CustomStringConvertible {
    case binaryNotFound(searched: [String])

    var description: String {
        switch self {
        case .binaryNotFound(let searched):
            "cannot find the `vigil` executable: set VIGIL_BIN, or build it (`swift build --build-tests`); "
                + "looked for: \(searched.joined(separator: ", "))"
        }
    }
}

/// A running `vigil` child process. Standard output and standard error are read incrementally on
/// background threads as the child writes them, so a test can look at what it has printed so far
/// and kill it at any moment.
final class VigilProcess: Sendable {
    let arguments: [String]
    private let child: SpawnedChild
    private let stdoutBuffer = OutputBuffer()
    private let stderrBuffer = OutputBuffer()
    private let outputsDone = DispatchGroup()
    private let exited = DispatchSemaphore(value: 0)

    /// The `vigil` executable: `$VIGIL_BIN` if set, otherwise the `vigil` found by walking up from the
    /// test executable's directory (on Linux the tests run from `.build/<triple>/<config>/`, where
    /// SwiftPM also puts `vigil`).
    static let executable: Result<URL, VigilProcessError> = {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["VIGIL_BIN"], !explicit.isEmpty {
            return fm.isExecutableFile(atPath: explicit)
                ? .success(URL(fileURLWithPath: explicit)) : .failure(.binaryNotFound(searched: [explicit]))
        }
        var starts: [URL] = []
        let paths: [String?] = [CommandLine.arguments.first, Bundle.main.executablePath, Bundle.main.bundlePath]
        for path in paths {
            guard let path, !path.isEmpty else { continue }
            let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
            starts.append(url.deletingLastPathComponent())
        }
        var searched: [String] = []
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("vigil").path
                searched.append(candidate)
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                    fm.isExecutableFile(atPath: candidate)
                {
                    return .success(URL(fileURLWithPath: candidate))
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return .failure(.binaryNotFound(searched: searched))
    }()

    /// Starts `vigil arguments` in `directory` (so a forgotten `--data` never writes into the
    /// checkout), feeding it `stdin` (then end of file), or nothing; `environment` adds to (or
    /// overrides) this process's environment. `executable` runs instead of `vigil` (a shell that
    /// sets limits and then runs `vigil`).
    init(
        _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String] = [:],
        executable: URL? = nil
    ) throws {
        _ = Self.ignoreSIGPIPE
        self.arguments = arguments
        let child = try SpawnedChild(
            executable: try (executable ?? Self.executable.get()).path, arguments: arguments,
            directory: directory?.path,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        self.child = child
        let exited = self.exited
        Thread.detachNewThread {
            child.exited.wait()
            exited.signal()
        }

        // Dedicated threads, not Dispatch or the cooperative pool: they block in read(2) and
        // write(2) for as long as the child runs, and must not starve the tests' tasks.
        for (handle, buffer) in [(child.stdoutReader!, stdoutBuffer), (child.stderrReader!, stderrBuffer)] {
            outputsDone.enter()
            Thread.detachNewThread { [outputsDone] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                }
                try? handle.close()
                outputsDone.leave()
            }
        }
        let writer = child.stdinWriter!
        Thread.detachNewThread {
            // The child may exit without reading everything (a bad line): EPIPE is not our failure.
            if let stdin, !stdin.isEmpty { try? writer.write(contentsOf: stdin) }
            try? writer.close()
        }
    }

    /// The child's process id.
    var pid: Int32 { child.pid }

    /// What it has written to standard output so far.
    var stdoutSoFar: Data { stdoutBuffer.contents }

    /// What it has written to standard error so far.
    var stderrSoFar: Data { stderrBuffer.contents }

    /// Sends SIGTERM (a graceful stop), unless it has exited already.
    func terminate() {
        child.send(SIGTERM)
    }

    /// Sends SIGKILL (no chance to clean up, like a power cut for the process), unless it has
    /// exited already (its pid may then be reused; pids are handed out cyclically, so the window
    /// between this check and the signal does not matter in practice).
    func kill() {
        child.send(SIGKILL)
    }

    /// Sends SIGKILL after `delay`, timed on a thread of its own (a busy cooperative pool would
    /// make `Task.sleep` late); returns at once.
    func kill(after delay: Duration) {
        let (seconds, attoseconds) = delay.components
        let interval = Double(seconds) + Double(attoseconds) / 1e18
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: interval)
            self.kill()
        }
    }

    /// Waits for the child to exit (killing it after `timeout`) and for its output to end, on a
    /// thread of its own: the test's task is suspended, not blocking one of the few threads of the
    /// cooperative pool.
    func wait(timeout: Duration = .seconds(60)) async -> VigilResult {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: self.blockingWait(timeout: timeout))
            }
        }
    }

    private func blockingWait(timeout: Duration) -> VigilResult {
        var timedOut = false
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        if exited.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            timedOut = true
            kill()
            exited.wait()
        }
        // The pipes end when every holder of their write ends is gone; normally that is the moment
        // the child exits. Give up after a while rather than hang on an inherited descriptor.
        _ = outputsDone.wait(timeout: .now() + .seconds(10))
        let (status, signal): (Int32, Int32?) =
            switch child.ending {
            case .exited(let code): (code, nil)
            case .signalled(let number): (number, number)
            case nil: (-1, nil)
            }
        return VigilResult(
            arguments: arguments,
            status: status,
            signal: signal,
            timedOut: timedOut,
            stdout: stdoutBuffer.contents,
            stderr: stderrBuffer.contents
        )
    }

    /// Runs `vigil arguments` to the end.
    static func run(
        _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(60), executable: URL? = nil
    ) async throws -> VigilResult {
        try await VigilProcess(
            arguments, stdin: stdin, in: directory, environment: environment, executable: executable
        ).wait(timeout: timeout)
    }

    private static let ignoreSIGPIPE: Void = {
        // Writing a bad file to a child that already exited must not kill the test process.
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}

/// Bytes a child has written so far, appended to by a reader thread.
private final class OutputBuffer: Sendable {
    private let data = Mutex(Data())

    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }

    var contents: Data { data.withLock { $0 } }
}
