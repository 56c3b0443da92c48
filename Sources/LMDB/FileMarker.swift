import Glibc

/// Small files whose presence means something (a creation or a copy in progress), made and removed
/// durably: the file and the directory entry are synced, so after a crash the marker is there
/// exactly when the work it marks may be unfinished.
public enum FileMarker {
    /// Creates (or replaces) `path` holding `text` (a ``PrivateFile``), synced with its directory.
    public static func create(_ path: String, text: String = "") throws(LMDBError) {
        let fd = try PrivateFile.open(path, O_WRONLY | O_TRUNC)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        let failure = errno
        close(fd)
        guard written == bytes.count, synced else { throw LMDBError(failure, "write \(path)") }
        try syncDirectory(of: path)
    }

    /// Removes `path` (if it is there) and syncs its directory.
    public static func remove(_ path: String) throws(LMDBError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw LMDBError(errno, "unlink \(path)") }
        try syncDirectory(of: path)
    }

    /// Whether `path` exists.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Syncs the directory holding `path`, so a created, renamed or removed entry is durable.
    public static func syncDirectory(of path: String) throws(LMDBError) {
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(parent.isEmpty ? "/" : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LMDBError(errno, "open \(parent)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw LMDBError(errno, "fsync \(parent)") }
    }
}
