import Foundation
import LMDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the vault's LMDB environment lives: `DIR/vault/`, holding one **generation** directory
/// (`g000000000001`, …: `data.mdb`, `lock.mdb`) and `current`, a small file naming it.
///
/// Sealing rebuilds the vault into the next generation — every live record copied into a fresh
/// environment, the sealed youth's never — publishes it by replacing `current` (write, sync,
/// rename), and deletes the old generation's files. A generation travels with its own lock file, so
/// a process opens a consistent pair; a process that had the old one open keeps reading it (its
/// files are unlinked, not overwritten) until it notices `current` changed, which it checks before
/// each operation.
struct VaultGenerations: Sendable {
    /// `DIR/vault`.
    let root: String

    static let currentName = "current"

    init(storeDirectory: String) { root = storeDirectory + "/vault" }

    /// The generation `current` names, with the file's inode (to notice a replacement), or nil when
    /// there is no vault yet.
    func current() throws(VaultError) -> (name: String, inode: UInt64)? {
        let path = root + "/" + Self.currentName
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw storage("cannot read \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw storage("cannot read \(path)")
        }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.isGeneration(name) else {
            throw VaultError(.corrupted, "\(path) names '\(name)', not a vault generation: the vault is damaged")
        }
        return (name, UInt64(info.st_ino))
    }

    /// The inode of `current` now, to compare with the one an open vault read.
    func currentInode() -> UInt64? {
        var info = stat()
        return stat(root + "/" + Self.currentName, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    func path(_ generation: String) -> String { root + "/" + generation }

    /// The generation directories there are, in order.
    var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter(Self.isGeneration).sorted()
    }

    /// Whether `DIR/vault` holds any generation directory.
    var hasGenerations: Bool { !names.isEmpty }

    /// The generation after `name`.
    static func next(after name: String?) -> String {
        let number = name.flatMap { Int($0.dropFirst()) } ?? 0
        let digits = String(number + 1)
        return "g" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func isGeneration(_ name: String) -> Bool {
        name.count == 13 && name.first == "g" && name.dropFirst().allSatisfy(\.isNumber)
    }

    /// Makes an empty directory for `generation` (removing what a crashed attempt left there), and
    /// `DIR/vault` when missing: private directories (``LMDB/PrivateFile``).
    func prepare(_ generation: String) throws(VaultError) {
        let path = path(generation)
        try? FileManager.default.removeItem(atPath: path)
        do {
            try PrivateFile.makeDirectory(root)
            guard try PrivateFile.makeDirectory(path) else { throw LMDBError(EEXIST, "mkdir \(path)") }
        } catch {
            throw VaultError(.storage, "cannot create \(path): \(error)", cause: error)
        }
    }

    /// Makes `generation` the current one: `current` is written beside, synced, and renamed over.
    func publish(_ generation: String) throws(VaultError) {
        let path = root + "/" + Self.currentName
        do {
            try FileMarker.create(path + ".next", text: generation + "\n")
            guard rename(path + ".next", path) == 0 else { throw LMDBError(errno, "rename \(path)") }
            try FileMarker.syncDirectory(of: path)
        } catch {
            throw VaultError(.storage, "publishing vault generation \(generation) failed: \(error)", cause: error)
        }
    }

    /// Deletes every generation but `keep` (their files vanish from the directory; a process that
    /// still has one open keeps it until it closes it).
    func removeStale(keeping keep: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for name in names where Self.isGeneration(name) && name != keep {
            try? FileManager.default.removeItem(atPath: path(name))
        }
        try? FileMarker.syncDirectory(of: path(keep))
    }

    private func storage(_ message: String) -> VaultError {
        VaultError(.storage, "\(message): \(String(cString: strerror(errno)))")
    }
}
