import Glibc

/// A file read or written whole, in order, with every short read and write and `EINTR` handled;
/// closed when released. For the encrypted backup's archive and the files it carries.
final class ArchiveFile {
    private let fd: Int32
    private let path: String

    /// Opens the existing file at `path` for reading.
    init(reading path: String) throws(TrustError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        self.path = path
        guard fd >= 0 else { throw TrustError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    /// Creates a new file at `path` with `mode` (whatever the umask; at most 0640); an existing one
    /// is refused.
    init(creating path: String, mode: UInt16 = 0o640) throws(TrustError) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        self.path = path
        guard fd >= 0 else { throw TrustError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, mode_t(mode & 0o640))
    }

    /// The file's permission bits, at most 0640 (what a copy of it keeps).
    func mode() throws(TrustError) -> UInt16 {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TrustError(.io, "cannot examine \(path): \(String(cString: strerror(errno)))")
        }
        return UInt16(info.st_mode & 0o640)
    }

    deinit { close(fd) }

    /// Up to `count` bytes: fewer only at the end of the file.
    func read(_ count: Int) throws(TrustError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var length = 0
        while length < count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + length, count - length) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw TrustError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            length += n
        }
        return Array(bytes[..<length])
    }

    func write(_ bytes: [UInt8]) throws(TrustError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw TrustError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
    }

    func size() throws(TrustError) -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TrustError(.io, "cannot examine \(path): \(String(cString: strerror(errno)))")
        }
        return UInt64(info.st_size)
    }

    func sync() throws(TrustError) {
        guard fsync(fd) == 0 else { throw TrustError(.io, "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}
