import Glibc

/// The small files that hold keys — the vault's master key, the checkpoint signing key and its
/// public half: read whole with a size limit, a secret one refused unless it is a regular file that
/// neither group nor others may read or write (mode `0600`); created exclusively (a key file is
/// never overwritten), synced with its directory before it is used.
public enum KeyFile {
    /// Why a key file cannot be used: what is wrong with it, for a message that names the file.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What is wrong ("cannot be opened: No such file or directory", "is readable by …").
        public let problem: String
        /// The file exists already (``KeyFile/create(_:_:mode:)``).
        public let alreadyExists: Bool

        init(_ problem: String, _ code: Int32? = nil, alreadyExists: Bool = false) {
            self.problem = problem + (code.map { ": " + String(cString: strerror($0)) } ?? "")
            self.alreadyExists = alreadyExists
        }

        public var description: String { problem }
    }

    /// The contents of `path` (at most `limit` bytes). A `secret` file group or others may read or
    /// write is refused, with the `chmod` that fixes it.
    public static func read(_ path: String, secret: Bool, limit: Int = 16_384) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot be opened", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure("cannot be examined", errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure("is not a regular file") }
        let mode = info.st_mode & 0o777
        if secret && mode & 0o077 != 0 {
            throw Failure("is readable or writable by group or others (mode \(String(mode, radix: 8))): chmod 600 it")
        }
        var contents = [UInt8](repeating: 0, count: limit + 1)
        var length = 0
        while length < contents.count {
            let n = contents.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + length, $0.count - length) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw Failure("cannot be read", errno) }
            if n == 0 { break }
            length += n
        }
        guard length <= limit else { throw Failure("is larger than \(limit) bytes: it is not a key file") }
        return Array(contents[..<length])
    }

    /// Writes `bytes` to a new file at `path` with `mode` (whatever the umask), synced with its
    /// directory. Refuses to replace an existing file; removes what it wrote when it fails.
    public static func create(_ path: String, _ bytes: [UInt8], mode: UInt32) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else {
            if errno == EEXIST { throw Failure("already exists", alreadyExists: true) }
            throw Failure("cannot be created", errno)
        }
        var ok = fchmod(fd, mode_t(mode)) == 0
        var written = 0
        while ok && written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            ok = n > 0
            if ok { written += n }
        }
        ok = ok && fsync(fd) == 0
        let failure = errno
        close(fd)
        guard ok else {
            unlink(path)
            throw Failure("cannot be written", failure)
        }
        try? FileMarker.syncDirectory(of: path)
    }

    /// The canonical absolute path of an existing file or directory (symbolic links resolved), or `nil`.
    public static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether the existing file at `path` lies inside the existing `directory`.
    public static func isInside(_ path: String, directory: String) -> Bool {
        guard let file = canonical(path), let dir = canonical(directory) else { return false }
        return file.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }
}
