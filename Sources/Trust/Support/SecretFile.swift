import Glibc

/// Reading and writing the small files that hold keys: a private key must be a regular file that
/// neither group nor others may read or write (mode `0600`), is created exclusively (never
/// overwritten) and synced with its directory before it is used.
enum SecretFile {
    /// The contents of `path` (at most `limit` bytes), refusing a file others may read when `secret`.
    static func read(_ path: String, secret: Bool, what: String, limit: Int = 16_384) throws(TrustError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fileError(path, what, "cannot be opened", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fileError(path, what, "cannot be examined", errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw fileError(path, what, "is not a regular file") }
        let mode = info.st_mode & 0o777
        if secret && mode & 0o077 != 0 {
            throw fileError(
                path, what,
                "is readable or writable by group or others (mode \(String(mode, radix: 8))): chmod 600 it")
        }
        var contents = [UInt8](repeating: 0, count: limit + 1)
        var length = 0
        while length < contents.count {
            let n = contents.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + length, $0.count - length) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw fileError(path, what, "cannot be read", errno) }
            if n == 0 { break }
            length += n
        }
        guard length <= limit else { throw fileError(path, what, "is larger than \(limit) bytes") }
        return Array(contents[..<length])
    }

    /// Writes `bytes` to a new file at `path` with `mode`, synced with its directory. Refuses to
    /// replace an existing file.
    static func create(_ path: String, _ bytes: [UInt8], mode: mode_t, what: String) throws(TrustError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw fileError(path, what, "already exists; a key file is never overwritten") }
            throw fileError(path, what, "cannot be created", errno)
        }
        var ok = fchmod(fd, mode) == 0
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
            throw fileError(path, what, "cannot be written", failure)
        }
        syncDirectory(of: path)
    }

    /// Syncs the directory holding `path`, so its new entry is durable.
    static func syncDirectory(of path: String) {
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(parent.isEmpty ? "/" : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// The canonical absolute path of an existing file or directory, or `nil`.
    static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether the file at `path` lies inside `directory` (both existing; symbolic links resolved).
    static func isInside(_ path: String, directory: String) -> Bool {
        guard let file = canonical(path), let dir = canonical(directory) else { return false }
        return file.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }

    private static func fileError(_ path: String, _ what: String, _ problem: String, _ code: Int32? = nil)
        -> TrustError
    {
        var message = "\(what) \(path) \(problem)"
        if let code { message += ": \(String(cString: strerror(code)))" }
        return TrustError(.keyFile, message)
    }
}
