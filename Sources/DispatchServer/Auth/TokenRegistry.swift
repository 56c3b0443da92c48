import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's view of the token file: the records by id, re-read whenever the file changes
/// (checked with one `stat` per request), so a token made or revoked with `vigil token` takes
/// effect on the next request without a restart.
final class TokenRegistry: Sendable {
    /// Why a bearer token did not authenticate.
    enum Failure: Error, Equatable {
        /// No `Authorization: Bearer …` header.
        case missing
        /// Not a Vigil token, or no token with that id and secret.
        case invalid
        /// The token was revoked.
        case revoked(tokenId: String)
        /// The token file cannot be read: the daemon refuses everything rather than guess.
        case unavailable(String)
    }

    private struct FileStamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    private struct Cache {
        var stamp: FileStamp?
        var byId: [String: TokenRecord] = [:]
        var error: String?
        /// Tokens that authenticated against this version of the file, with whom they stand for: a
        /// token's next request skips the SHA-256 and the comparison. Emptied whenever the file
        /// changes (a revocation included); only tokens that authenticated, so its size is bounded by
        /// the file's tokens.
        var verified: [String: Principal] = [:]
    }

    private let path: String
    private let cache = Mutex(Cache())

    init(directory: String) {
        self.path = TokenFile.path(in: directory)
    }

    /// The principal a bearer token stands for.
    func authenticate(_ token: String?) -> Result<Principal, Failure> {
        guard let token, !token.isEmpty else { return .failure(.missing) }
        guard let id = TokenFile.id(of: token) else { return .failure(.invalid) }
        let stamp = currentStamp()
        if let principal = cache.withLock({ $0.stamp == stamp && stamp != nil ? $0.verified[token] : nil }) {
            return .success(principal)
        }
        let lookup = records(stamp)
        if let error = lookup.error { return .failure(.unavailable(error)) }
        guard let record = lookup.byId[id] else { return .failure(.invalid) }
        let presented = Array(TokenFile.digest(token).utf8)
        let stored = Array(record.sha256.utf8)
        guard presented.count == stored.count, zip(presented, stored).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return .failure(.invalid)
        }
        guard record.isActive else { return .failure(.revoked(tokenId: id)) }
        let principal = Principal(tokenId: record.id, actor: record.actor, role: record.role)
        cache.withLock { if $0.stamp == stamp { $0.verified[token] = principal } }
        return .success(principal)
    }

    /// The token file's identity and version now (one `stat`), or `nil` when there is none.
    private func currentStamp() -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    private func records(_ stamp: FileStamp?) -> Cache {
        cache.withLock { cache in
            if cache.stamp == stamp && (stamp != nil || cache.byId.isEmpty) { return cache }
            cache.stamp = stamp
            cache.verified = [:]
            do {
                let records = try TokenFile.read(path)
                cache.byId = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
                cache.error = nil
            } catch {
                cache.byId = [:]
                cache.error = (error as? TokenError)?.message ?? "\(error)"
            }
            return cache
        }
    }
}
