import Crypto
public import EventStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The API tokens of one data directory, in `tokens.json` beside the store: a file of Vigil's own,
/// mode 0600, holding only each token's SHA-256. A token is printed once, when it is made, and can
/// not be recovered from the file.
///
/// A token reads `vigil_<id>_<secret>`: `id` (`tok-` and 12 hex digits) finds its record without a
/// scan, `secret` is 32 random bytes (base64url). Changes are made under an exclusive lock
/// (`tokens.lock`), written to a temporary file, synced and renamed over the old one, so a reader
/// (the daemon re-reads the file when it changes) sees the old file or the new one, never a part.
public enum TokenFile {
    /// The file's name in the data directory.
    public static let fileName = "tokens.json"

    /// The file's path in `directory`.
    public static func path(in directory: String) -> String { directory + "/" + fileName }

    /// Makes a token for `actor` with `role`; returns the token (to show once) and its record.
    public static func create(
        in directory: String, actor: String, role: Role, now: Timestamp = .now()
    ) throws(TokenError) -> (token: String, record: TokenRecord) {
        guard isValidActor(actor) else {
            throw TokenError(
                .invalidInput,
                "--name: expected a staff or service id such as dispatcher-7 (lowercase letters, digits, '.', '_', '-'), got \(actor)"
            )
        }
        var rng = SystemRandomNumberGenerator()
        let idBytes = (0..<6).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let id = "tok-" + Hex.encode(idBytes)
        let token = "vigil_\(id)_\(base64url(secret))"
        let record = TokenRecord(
            id: id, actor: actor, role: role, sha256: digest(token), createdAt: now.rfc3339, revokedAt: nil)
        try update(in: directory) { records in records.append(record) }
        return (token, record)
    }

    /// Every token's record, oldest first.
    public static func list(in directory: String) throws(TokenError) -> [TokenRecord] {
        try read(path(in: directory))
    }

    /// Revokes the token `id`: it stops opening the API at once (the daemon re-reads the file on the
    /// next request). Revoking a revoked token changes nothing.
    @discardableResult
    public static func revoke(id: String, in directory: String, now: Timestamp = .now()) throws(TokenError)
        -> TokenRecord
    {
        var revoked: TokenRecord?
        try update(in: directory) { records in
            guard let index = records.firstIndex(where: { $0.id == id }) else { return }
            if records[index].revokedAt == nil { records[index].revokedAt = now.rfc3339 }
            revoked = records[index]
        }
        guard let revoked else { throw TokenError(.notFound, "no token \(id): 'vigil token list' shows the ids") }
        return revoked
    }

    /// SHA-256 of a token, lowercase hex.
    static func digest(_ token: String) -> String { Hex.encode(SHA256.hash(data: Array(token.utf8))) }

    /// The id part of a token (`tok-…`), if the token is well formed: `vigil_`, the id (`tok-` and
    /// 12 hex digits), `_`, and 43 base64url characters (which may themselves hold `_`).
    static func id(of token: String) -> String? {
        let bytes = Array(token.utf8)
        let prefix = Array("vigil_tok-".utf8)
        guard bytes.count == 6 + 16 + 1 + 43, bytes.starts(with: prefix), bytes[22] == UInt8(ascii: "_") else {
            return nil
        }
        let hex = bytes[10..<22]
        guard hex.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return String(decoding: bytes[6..<22], as: UTF8.self)
    }

    // MARK: - File

    private struct Contents: Codable {
        var format = 1
        var tokens: [TokenRecord]
    }

    static func read(_ path: String) throws(TokenError) -> [TokenRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw TokenError(.storage, "cannot read \(path): permission denied")
            }
            return []
        }
        do {
            return try JSONDecoder().decode(Contents.self, from: data).tokens
        } catch {
            throw TokenError(
                .storage, "\(path) is damaged (\(error)); restore it from a backup or remove it and make new tokens")
        }
    }

    private static func update(in directory: String, _ change: (inout [TokenRecord]) -> Void) throws(TokenError) {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw TokenError(.storage, "cannot create \(directory): \(error.localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw TokenError(.storage, "\(directory) is not a directory")
        }
        let lock = open(directory + "/tokens.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw TokenError(.storage, "cannot lock \(directory)/tokens.lock: \(errnoText())") }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw TokenError(.storage, "cannot lock tokens.lock: \(errnoText())") }
        let target = path(in: directory)
        var records = try read(target)
        change(&records)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(Contents(tokens: records))) + [10]
        } catch {
            throw TokenError(.storage, "cannot encode the token file: \(error)")
        }
        try writeAtomically(bytes, to: target, directory: directory)
    }

    private static func writeAtomically(_ bytes: [UInt8], to target: String, directory: String) throws(TokenError) {
        let temporary = target + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TokenError(.storage, "cannot write \(temporary): \(errnoText())") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else {
                close(fd)
                throw TokenError(.storage, "cannot write \(temporary): \(errnoText())")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            close(fd)
            throw TokenError(.storage, "cannot sync \(temporary): \(errnoText())")
        }
        close(fd)
        guard rename(temporary, target) == 0 else {
            throw TokenError(.storage, "cannot replace \(target): \(errnoText())")
        }
        let dir = open(directory, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }

    /// `^(user|service):[a-z0-9][a-z0-9._-]{0,62}$`: an actor as events record them (a person or an
    /// integration; `system:` is the engine's own).
    static func isValidActor(_ actor: String) -> Bool {
        let parts = actor.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "user" || parts[0] == "service" else { return false }
        let name = Array(parts[1].utf8)
        guard (1...63).contains(name.count) else { return false }
        func alnum(_ c: UInt8) -> Bool { (48...57).contains(c) || (97...122).contains(c) }
        return alnum(name[0]) && name.allSatisfy { alnum($0) || $0 == 46 || $0 == 95 || $0 == 45 }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    private static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        ).replacingOccurrences(of: "=", with: "")
    }
}
