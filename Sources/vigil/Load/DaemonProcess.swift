import ChildProcess
import Foundation
import Glibc

/// `vigil serve` as a child process of the load test: started, killed with SIGKILL, started again
/// on the same port and data, and stopped with SIGTERM. Its log lines go to one file, appended.
final class DaemonProcess {
    let data: String
    let port: UInt16
    let logPath: String
    /// `vigil serve --log-level`; its lines are JSON (`--log-format json`), as deployed.
    let logLevel: String
    private let executable: String
    private var process: SpawnedChild?

    /// This very binary: the daemon and the tools the load test runs.
    static func executablePath() throws -> String {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw CLIError("cannot tell where the vigil binary is (/proc/self/exe)")
        }
        return path
    }

    /// Runs `vigil ARGUMENTS` to its end, output discarded; its exit status.
    static func vigil(_ arguments: [String]) throws -> Int32 {
        let child = try SpawnedChild(
            executable: try executablePath(), arguments: arguments, stdin: .null, stdout: .null, stderr: .null)
        return Self.status(child.waitUntilExit())
    }

    /// An exit status as a shell reports it: 128 + the signal for a child a signal ended.
    private static func status(_ ending: SpawnedChild.Ending) -> Int32 {
        switch ending {
        case .exited(let status): status
        case .signalled(let signal): 128 + signal
        }
    }

    init(data: String, port: UInt16, logPath: String, logLevel: String = "warning") throws {
        self.data = data
        self.port = port
        self.logPath = logPath
        self.logLevel = logLevel
        executable = try Self.executablePath()
    }

    /// Starts the daemon and waits until /readyz answers 200 (up to `timeout` seconds).
    func start(timeout: Double = 120) throws {
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw CLIError("cannot write \(logPath)") }
        defer { try? log.close() }
        log.seekToEndOfFile()
        let process: SpawnedChild
        do {
            process = try SpawnedChild(
                executable: executable,
                arguments: [
                    "serve", "--data", data, "--port", String(port), "--log-level", logLevel, "--log-format", "json",
                ],
                stdin: .null, stdout: .descriptor(log.fileDescriptor), stderr: .descriptor(log.fileDescriptor))
        } catch {
            throw CLIError("cannot start \(executable) serve: \(error)")
        }
        self.process = process
        let http = LoopbackHTTP(port: port, timeoutSeconds: 5)
        defer { http.close() }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let ending = process.ending {
                throw CLIError("the daemon exited (\(ending)) before it was ready; see \(logPath)")
            }
            if let response = try? http.send("GET", "/readyz", token: ""), response.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw CLIError("the daemon was not ready within \(Int(timeout)) s; see \(logPath)")
    }

    /// Seconds of CPU the running daemon has used since it started; `nil` when it is not running.
    var cpuSeconds: Double? {
        guard let process, process.isRunning else { return nil }
        return ProcessCPU.seconds(pid: process.pid)
    }

    /// Bytes the running daemon has passed to write calls since it started (``ProcessIO``); `nil`
    /// when it is not running.
    var writtenBytes: Double? {
        guard let process, process.isRunning else { return nil }
        return ProcessIO.writtenBytes(pid: process.pid)
    }

    /// SIGKILL: no shutdown, no drain, no close. Returns when the process is gone.
    func kill() {
        guard let process else { return }
        process.send(SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits up to `timeout` seconds; the exit status (or a failure if it hangs).
    func stop(timeout: Double = 60) throws -> Int32 {
        guard let process else { return 0 }
        process.send(SIGTERM)
        guard let ending = process.waitUntilExit(seconds: timeout) else {
            process.send(SIGKILL)
            throw CLIError("the daemon did not stop within \(Int(timeout)) s of SIGTERM (killed); see \(logPath)")
        }
        return Self.status(ending)
    }

    /// A free port on 127.0.0.1 (the kernel's choice), for a daemon that must keep it across restarts.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw CLIError("cannot find a free port: \(String(cString: strerror(errno)))") }
        return UInt16(bigEndian: address.sin_port)
    }
}
