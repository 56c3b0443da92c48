import Glibc
import LMDB

// The C standard streams, read once. They are process-wide and only used from the command's task.
nonisolated(unsafe) private let standardInput = fdopen(0, "r")!
nonisolated(unsafe) private let standardOutput = fdopen(1, "w")!
nonisolated(unsafe) private let standardError = fdopen(2, "w")!

/// Reads lines (without the newline) from a file or standard input with `getline`.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// Bytes read so far, newlines included.
    private(set) var bytesRead: UInt64 = 0

    /// Opens `path`, or standard input for `-`.
    init(path: String) throws {
        if path == "-" {
            file = standardInput
            ownsFile = false
        } else {
            guard let f = fopen(path, "r") else {
                throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            file = f
            ownsFile = true
        }
    }

    deinit {
        free(buffer)
        if ownsFile { fclose(file) }
    }

    /// The input's size when it is a regular file (not a pipe or a terminal), for progress.
    var size: UInt64? {
        var info = stat()
        guard fstat(fileno(file), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return UInt64(info.st_size)
    }

    /// The next line's bytes, or `nil` at the end.
    func next() -> UnsafeRawBufferPointer? {
        let n = getline(&buffer, &capacity, file)
        guard n >= 0, let buffer else { return nil }
        bytesRead += UInt64(n)
        var length = n
        while length > 0, buffer[length - 1] == 10 || buffer[length - 1] == 13 { length -= 1 }
        return UnsafeRawBufferPointer(start: buffer, count: length)
    }
}

/// Buffered output to a file or standard output; ``flush()`` pushes it to the kernel.
final class Output {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool

    /// Standard output (one shared buffer: use it, or ``say(_:)``, for everything printed).
    static func standard() -> Output { shared }

    nonisolated(unsafe) private static let shared = Output(file: standardOutput, owns: false)

    /// Creates (truncating) `path` as a private file (mode 0640 whatever the umask: an export holds
    /// the log), or standard output for `-`.
    static func create(_ path: String) throws -> Output {
        if path == "-" { return .standard() }
        let fd: Int32
        do {
            fd = try PrivateFile.open(path, O_WRONLY | O_TRUNC)
        } catch {
            throw CLIError("cannot write \(path): \(error.code)")
        }
        guard let f = fdopen(fd, "w") else {
            let failure = String(cString: strerror(errno))
            Glibc.close(fd)
            throw CLIError("cannot write \(path): \(failure)")
        }
        return Output(file: f, owns: true)
    }

    /// Writes `path` whole or not at all: `body` writes into `PATH.partial` (created as ``create(_:)``
    /// does), which is synced and renamed to `path` once `body` returns, and removed if it throws —
    /// so a failed export or report never leaves a file that looks like a whole one. For `-`, `body`
    /// writes to standard output as it goes.
    static func whole<R>(_ path: String, _ body: (Output) throws -> R) throws -> R {
        if path == "-" {
            let out = Output.standard()
            let result = try body(out)
            try out.flush()
            return result
        }
        let partial = path + ".partial"
        let out = try create(partial)
        let result: R
        do {
            result = try body(out)
            try out.flush()
        } catch {
            out.close()
            unlink(partial)
            throw error
        }
        out.close()
        guard rename(partial, path) == 0 else {
            let failure = String(cString: strerror(errno))
            unlink(partial)
            throw CLIError("cannot write \(path): \(failure)")
        }
        return result
    }

    private init(file: UnsafeMutablePointer<FILE>, owns: Bool) {
        self.file = file
        self.ownsFile = owns
    }

    private var closed = false

    deinit {
        guard !closed else { return }
        fflush(file)
        if ownsFile { fclose(file) }
    }

    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    func line(_ bytes: [UInt8]) {
        write(bytes)
        fputc(10, file)
    }

    func line(_ text: String) { line(Array(text.utf8)) }

    func flushQuietly() { fflush(file) }

    /// Flushes, syncs and closes a file (not standard output) now rather than at deinit.
    func close() {
        guard ownsFile, !closed else { return }
        fflush(file)
        fsync(fileno(file))
        fclose(file)
        closed = true
    }

    func flush() throws {
        if fflush(file) != 0 { throw CLIError("write failed: \(String(cString: strerror(errno)))") }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) { writeError(text + "\n") }

/// Writes text as it is to standard error (after what standard output holds), and flushes it.
func writeError(_ text: String) {
    Output.standard().flushQuietly()
    fputs(text, standardError)
    fflush(standardError)
}

/// Writes a line to standard output and flushes it.
func say(_ text: String) {
    let out = Output.standard()
    out.line(text)
    out.flushQuietly()
}
