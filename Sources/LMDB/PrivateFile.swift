public import Glibc

/// The modes of everything Vigil makes — a store and its lock files, the vault, a backup, an
/// export, a report — in one place, set explicitly after creation so that the umask can neither
/// widen nor narrow them: directories 0750, files 0640 (the owner writes, a group such as the
/// backup operator's may read, others nothing). Only the master key is stricter, 0600
/// (`MasterKey`).
public enum PrivateFile {
    /// The mode of a file Vigil creates.
    public static let mode: mode_t = 0o640
    /// The mode of a directory Vigil creates.
    public static let directoryMode: mode_t = 0o750

    /// Opens `path` with `flags` (`O_WRONLY | O_TRUNC`, `O_RDWR`, `O_WRONLY | O_EXCL`, …), creating it
    /// with ``mode`` when missing, and returns the descriptor (close-on-exec). A file that exists
    /// gets ``mode`` too, when this process owns it.
    public static func open(_ path: String, _ flags: Int32) throws(LMDBError) -> Int32 {
        let fd = Glibc.open(path, flags | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw LMDBError(errno, "create \(path)") }
        fchmod(fd, mode)
        return fd
    }

    /// Makes directory `path`, and any parent that is missing, with ``directoryMode``. Returns
    /// whether `path` itself was made; a directory that exists is left as it is.
    @discardableResult
    public static func makeDirectory(_ path: String) throws(LMDBError) -> Bool {
        if mkdir(path, directoryMode) == 0 {
            chmod(path, directoryMode)
            return true
        }
        switch errno {
        case EEXIST:
            return false
        case ENOENT:
            let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
            guard let slash = trimmed.lastIndex(of: "/"), slash != trimmed.startIndex else {
                throw LMDBError(ENOENT, "mkdir \(path)")
            }
            try makeDirectory(String(trimmed[..<slash]))
            guard mkdir(path, directoryMode) == 0 else {
                if errno == EEXIST { return false }
                throw LMDBError(errno, "mkdir \(path)")
            }
            chmod(path, directoryMode)
            return true
        default:
            throw LMDBError(errno, "mkdir \(path)")
        }
    }
}
