import Crypto
import EventStore
import Foundation
import Glibc
import LMDB

/// An encrypted backup (`vigil backup --encrypt-key FILE`): every file of a verified backup
/// directory, its manifest first, in one file sealed with AES-256-GCM, for copies that leave the
/// secure location (CJIS Security Policy §5.10).
///
/// Layout: a header in the clear — `VIGILBAK`, the format (1), the ``BackupKey/id`` of the key, a
/// random 32-byte salt, the chunk size — then chunks, each a flag byte (1 on the last), the
/// plaintext length (u32, big-endian), the ciphertext and its 16-byte tag. Each chunk is sealed
/// with a key derived from the backup key and the salt (HKDF-SHA256, so no two archives share a
/// key), the chunk's index as its nonce, and the header, index and flag as authenticated data: a
/// changed, dropped, reordered or appended chunk, a changed header, or a cut-short archive fails by
/// name. The plaintext is the files one after another: path length (u16), path, permission bits
/// (u16, at most 0640: the token file stays 0600), size (u64), bytes; a zero path length ends it.
public enum EncryptedBackup {
    static let magic = Array("VIGILBAK".utf8)
    static let format: UInt8 = 1
    static let chunkSize = 1 << 20
    static let tagSize = 16

    /// What an archive holds: each file's size and SHA-256, by path.
    public typealias Contents = [String: (bytes: UInt64, sha256: String)]

    /// Whether the file at `path` begins as an encrypted backup does.
    public static func isArchive(_ path: String) -> Bool {
        guard let input = try? ArchiveFile(reading: path), let start = try? input.read(magic.count) else {
            return false
        }
        return start == magic
    }

    /// Seals every file of the backup directory `directory` into a new file `archive` with `key`,
    /// then reads it back and checks every file against what was sealed. Returns the archive's size.
    public static func seal(directory: String, into archive: String, key: BackupKey) throws(TrustError) -> UInt64 {
        let partial = archive + ".partial"
        var sealed: Contents = [:]
        do throws(TrustError) {
            let output = try ArchiveFile(creating: partial)
            var salt = [UInt8](repeating: 0, count: 32)
            var rng = SystemRandomNumberGenerator()
            for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &rng) }
            let header = makeHeader(keyId: key.id, salt: salt)
            try output.write(header)
            var chunks = ChunkSealer(output: output, key: derive(key, salt), header: header)
            for path in [BackupManifest.fileName] + (try BackupFiles.list(directory)) {
                let input = try ArchiveFile(reading: directory + "/" + path)
                let size = try input.size()
                try chunks.append(
                    UInt16(path.utf8.count).bigEndianBytes + Array(path.utf8) + (try input.mode()).bigEndianBytes
                        + size.bigEndianBytes)
                var hasher = SHA256()
                var copied: UInt64 = 0
                while copied < size {
                    let piece = try input.read(Int(min(UInt64(chunkSize), size - copied)))
                    guard !piece.isEmpty else {
                        throw TrustError(.io, "\(directory)/\(path) shrank while it was sealed")
                    }
                    hasher.update(data: piece)
                    try chunks.append(piece)
                    copied += UInt64(piece.count)
                }
                sealed[path] = (size, Hex.encode(hasher.finalize()))
            }
            try chunks.append(UInt16(0).bigEndianBytes)
            try chunks.finish()
            try output.sync()
        } catch {
            unlink(partial)
            throw error
        }
        let readBack: Contents
        do {
            readBack = try open(partial, key: key, into: nil)
        } catch {
            unlink(partial)
            throw TrustError(.io, "the encrypted backup \(archive) does not read back: \(error)")
        }
        guard readBack.count == sealed.count, sealed.allSatisfy({ readBack[$0.key]?.sha256 == $0.value.sha256 }) else {
            unlink(partial)
            throw TrustError(.io, "the encrypted backup \(archive) does not read back as the files sealed into it")
        }
        guard rename(partial, archive) == 0 else {
            let failure = String(cString: strerror(errno))
            unlink(partial)
            throw TrustError(.io, "cannot name the encrypted backup \(archive): \(failure)")
        }
        try? FileMarker.syncDirectory(of: archive)
        return (try? ArchiveFile(reading: archive).size()) ?? 0
    }

    /// Opens `archive` with `key`: every chunk authenticated, each file written into `directory`
    /// (made, mode 0750; each file 0640) — or only checked when `directory` is `nil`. Returns what it
    /// holds. A wrong key, a damaged, tampered or cut-short archive is refused by name.
    @discardableResult
    public static func open(_ archive: String, key: BackupKey, into directory: String?) throws(TrustError)
        -> Contents
    {
        let input = try ArchiveFile(reading: archive)
        let header = try input.read(magic.count + 1 + 8 + 32 + 4)
        guard header.count == magic.count + 45, Array(header.prefix(magic.count)) == magic else {
            throw TrustError(.restore, "SRC: \(archive) is not an encrypted Vigil backup")
        }
        guard header[magic.count] == format else {
            throw TrustError(
                .restore,
                "SRC: \(archive) is an encrypted backup of format \(header[magic.count]); this Vigil reads format \(format)"
            )
        }
        let keyId = Hex.encode(header[(magic.count + 1)..<(magic.count + 9)])
        guard keyId == key.id else {
            throw TrustError(
                .keyFile,
                "--encrypt-key: \(archive) was encrypted with backup key \(keyId), and the key given is \(key.id): give the key it was made with"
            )
        }
        let salt = Array(header[(magic.count + 9)..<(magic.count + 41)])
        var reader = ChunkOpener(input: input, key: derive(key, salt), header: header, archive: archive)
        if let directory { try BackupFiles.makeDirectory(directory) }
        var contents: Contents = [:]
        while true {
            let length = Int(try reader.integer(2))
            if length == 0 { break }
            guard let path = String(validating: try reader.take(length), as: UTF8.self), isSafe(path) else {
                throw reader.damaged("a file's path is not a relative path")
            }
            let mode = UInt16(try reader.integer(2))
            let size = try reader.integer(8)
            var output: ArchiveFile?
            if let directory {
                let target = directory + "/" + path
                if let slash = target.lastIndex(of: "/") { try BackupFiles.makeDirectory(String(target[..<slash])) }
                output = try ArchiveFile(creating: target, mode: mode)
            }
            var hasher = SHA256()
            var left = size
            while left > 0 {
                let piece = try reader.take(Int(min(left, UInt64(chunkSize))))
                hasher.update(data: piece)
                try output?.write(piece)
                left -= UInt64(piece.count)
            }
            try output?.sync()
            contents[path] = (size, Hex.encode(hasher.finalize()))
        }
        try reader.end()
        return contents
    }

    private static func makeHeader(keyId: String, salt: [UInt8]) -> [UInt8] {
        magic + [format] + (Hex.decode(keyId) ?? []) + salt + UInt32(chunkSize).bigEndianBytes
    }

    private static func derive(_ key: BackupKey, _ salt: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key.key, salt: salt, info: Array("vigil encrypted backup v1".utf8), outputByteCount: 32)
    }

    private static func isSafe(_ path: String) -> Bool {
        !path.hasPrefix("/")
            && !path.split(separator: "/", omittingEmptySubsequences: false).contains {
                $0.isEmpty || $0 == "." || $0 == ".."
            }
    }

    /// The authenticated data of chunk `index`.
    static func associatedData(_ header: [UInt8], _ index: UInt64, last: Bool) -> [UInt8] {
        header + index.bigEndianBytes + [last ? 1 : 0]
    }

    static func nonce(_ index: UInt64) -> AES.GCM.Nonce {
        try! AES.GCM.Nonce(data: [0, 0, 0, 0] + index.bigEndianBytes)
    }
}

/// Seals a plaintext stream chunk by chunk.
private struct ChunkSealer {
    let output: ArchiveFile
    let key: SymmetricKey
    let header: [UInt8]
    var buffer: [UInt8] = []
    var index: UInt64 = 0

    init(output: ArchiveFile, key: SymmetricKey, header: [UInt8]) {
        self.output = output
        self.key = key
        self.header = header
    }

    mutating func append(_ bytes: [UInt8]) throws(TrustError) {
        buffer += bytes
        while buffer.count > EncryptedBackup.chunkSize {
            try seal(Array(buffer.prefix(EncryptedBackup.chunkSize)), last: false)
            buffer.removeFirst(EncryptedBackup.chunkSize)
        }
    }

    mutating func finish() throws(TrustError) {
        try seal(buffer, last: true)
        buffer = []
    }

    private mutating func seal(_ plaintext: [UInt8], last: Bool) throws(TrustError) {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(
                plaintext, using: key, nonce: EncryptedBackup.nonce(index),
                authenticating: EncryptedBackup.associatedData(header, index, last: last))
        } catch {
            throw TrustError(.io, "cannot encrypt the backup: \(error)")
        }
        try output.write(
            [last ? 1 : 0] + UInt32(plaintext.count).bigEndianBytes + Array(box.ciphertext) + Array(box.tag))
        index += 1
    }
}

/// Opens an archive's chunks in order and hands out the plaintext.
private struct ChunkOpener {
    let input: ArchiveFile
    let key: SymmetricKey
    let header: [UInt8]
    let archive: String
    var buffer: [UInt8] = []
    var offset = 0
    var index: UInt64 = 0
    var sawLast = false

    init(input: ArchiveFile, key: SymmetricKey, header: [UInt8], archive: String) {
        self.input = input
        self.key = key
        self.header = header
        self.archive = archive
    }

    func damaged(_ what: String) -> TrustError {
        TrustError(
            .restore,
            "SRC: \(archive) is damaged or was tampered with: \(what) (chunk \(index)); restore another backup")
    }

    mutating func take(_ count: Int) throws(TrustError) -> [UInt8] {
        while buffer.count - offset < count {
            try next()
        }
        defer { offset += count }
        return Array(buffer[offset..<(offset + count)])
    }

    mutating func integer(_ bytes: Int) throws(TrustError) -> UInt64 {
        try take(bytes).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The plaintext ended: it must be the last chunk's end, and the file's.
    mutating func end() throws(TrustError) {
        guard sawLast, offset == buffer.count else { throw damaged("data follows the end of the backup's files") }
        guard try input.read(1).isEmpty else { throw damaged("bytes follow the last chunk") }
    }

    private mutating func next() throws(TrustError) {
        if sawLast { throw damaged("the last chunk ends inside a file") }
        let frame = try input.read(5)
        guard frame.count == 5 else {
            throw TrustError(
                .restore,
                "SRC: \(archive) is cut short: it ends after chunk \(index) of the backup, before its last; restore another backup"
            )
        }
        let last = frame[0] == 1
        guard frame[0] <= 1 else { throw damaged("a chunk's flag is neither 0 nor 1") }
        let length = Int(frame[1...4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard length <= EncryptedBackup.chunkSize else { throw damaged("a chunk is longer than the chunk size") }
        let sealed = try input.read(length + EncryptedBackup.tagSize)
        guard sealed.count == length + EncryptedBackup.tagSize else {
            throw TrustError(
                .restore, "SRC: \(archive) is cut short inside chunk \(index); restore another backup")
        }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: EncryptedBackup.nonce(index), ciphertext: sealed.prefix(length),
                tag: sealed.suffix(EncryptedBackup.tagSize))
            buffer =
                Array(buffer[offset...])
                + (try AES.GCM.open(
                    box, using: key, authenticating: EncryptedBackup.associatedData(header, index, last: last)))
            offset = 0
        } catch {
            throw damaged("a chunk fails authentication")
        }
        sawLast = last
        index += 1
    }
}

extension FixedWidthInteger {
    /// The value's bytes, most significant first.
    var bigEndianBytes: [UInt8] { withUnsafeBytes(of: bigEndian) { Array($0) } }
}
