import Crypto
import EventStore
import Foundation
import Glibc

/// The files of a backup or data directory, their sizes and SHA-256s, and copying them.
enum BackupFiles {
    /// Names never listed nor copied: LMDB's and Vigil's lock files (made anew by whoever opens the
    /// copy) and the manifest itself.
    static let skipped: Set<String> = ["lock.mdb", "vigil.lock", BackupManifest.fileName]

    /// Every regular file under `directory` (relative paths, sorted), but the skipped ones.
    /// Symbolic links and other special files are refused: a backup holds plain files.
    static func list(_ directory: String) throws(TrustError) -> [String] {
        var out: [String] = []
        try walk(directory, "", into: &out)
        return out.sorted()
    }

    private static func walk(_ root: String, _ relative: String, into out: inout [String]) throws(TrustError) {
        let path = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw TrustError(.io, "cannot list \(path): \(error)")
        }
        for name in names.sorted() where !skipped.contains(name) {
            let child = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + child, &info) == 0 else {
                throw TrustError(.io, "cannot examine \(root)/\(child): \(String(cString: strerror(errno)))")
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(root, child, into: &out)
            case S_IFREG: out.append(child)
            default: throw TrustError(.io, "\(root)/\(child) is not a regular file or directory")
            }
        }
    }

    /// The size and SHA-256 of the file at `path`, read in 1 MiB chunks.
    static func digest(_ path: String) throws(TrustError) -> (bytes: UInt64, sha256: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TrustError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: UInt64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw TrustError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            total += UInt64(n)
        }
        return (total, Hex.encode(hasher.finalize()))
    }

    /// Copies `source` to a new file `target` (mode 0640 whatever the umask, or less when the
    /// source's is: a 0600 file stays 0600), hashing what it copies, and syncs it. Returns the size
    /// and SHA-256 of the bytes written.
    static func copy(_ source: String, to target: String) throws(TrustError) -> (bytes: UInt64, sha256: String) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw TrustError(.io, "cannot open \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        var info = stat()
        let mode = fstat(input, &info) == 0 ? info.st_mode & 0o640 : 0o600
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            throw TrustError(.io, "cannot create \(target): \(String(cString: strerror(errno)))")
        }
        defer { close(output) }
        fchmod(output, mode)
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: UInt64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw TrustError(.io, "cannot read \(source): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else {
                    throw TrustError(.io, "cannot write \(target): \(String(cString: strerror(errno)))")
                }
                written += w
            }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            total += UInt64(n)
        }
        guard fsync(output) == 0 else {
            throw TrustError(.io, "cannot sync \(target): \(String(cString: strerror(errno)))")
        }
        return (total, Hex.encode(hasher.finalize()))
    }

    /// Makes `path` (and missing parents) with mode 0750 whatever the umask.
    static func makeDirectory(_ path: String) throws(TrustError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw TrustError(.io, "cannot create \(path): \(error)")
        }
        chmod(path, 0o750)
    }
}
