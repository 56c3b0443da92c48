import Crypto
import EventStore
import LMDB

/// The vault's master key: 32 bytes (AES-256) that wrap every youth's own key.
///
/// It comes from a **key file** the operator keeps **outside the data directory** (on another
/// volume, or in a secrets store that writes a file at start-up): a copy or backup of the data
/// directory must not carry the key that opens it. ``PersonalDataVault/open(environment:masterKey:)``
/// refuses a key file inside the environment's directory.
///
/// The file holds the key as 64 hexadecimal digits and a newline, is a regular file, and must not
/// be readable or writable by group or others (mode `0600`, as ``generate(at:using:)`` writes it).
/// Losing it loses every youth's personal data; the events and statistics survive.
///
/// The value never prints the key.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// The key length in bytes.
    public static let byteCount = 32

    let key: SymmetricKey
    /// The canonical path of the file the key was loaded from or generated at, if any.
    public let path: String?

    /// A key from its 32 bytes (for tests and key-management integrations).
    public init(bytes: some Collection<UInt8>) throws(VaultError) {
        guard bytes.count == Self.byteCount else {
            throw .invalid("masterKey", "must be \(Self.byteCount) bytes, got \(bytes.count)")
        }
        self.init(key: SymmetricKey(data: Array(bytes)), path: nil)
    }

    private init(key: SymmetricKey, path: String?) {
        self.key = key
        self.path = path
    }

    public var description: String { "MasterKey(\(path ?? "in memory"))" }

    /// Loads the key file at `path`.
    ///
    /// Throws ``VaultError`` with ``VaultError/Code/keyFile`` when the file is missing, not a
    /// regular file, readable or writable by group or others, or does not hold 64 hexadecimal digits.
    public static func load(path: String) throws(VaultError) -> MasterKey {
        let contents: [UInt8]
        do {
            contents = try KeyFile.read(path, secret: true, limit: 256)
        } catch {
            throw keyFileError(path, error.problem)
        }
        var text = contents[...]
        while let last = text.last, last == 0x0A || last == 0x0D || last == 0x20 { text = text.dropLast() }
        guard text.count == byteCount * 2, let bytes = Hex.decode(String(decoding: text, as: UTF8.self)) else {
            throw keyFileError(path, "must hold the key as exactly 64 hexadecimal digits and a newline")
        }
        return MasterKey(key: SymmetricKey(data: bytes), path: KeyFile.canonical(path) ?? path)
    }

    /// Makes a new key from `rng` and writes it to a new file at `path` with mode `0600`, synced to
    /// disk. Refuses to replace an existing file: overwriting a master key would destroy every
    /// youth's personal data.
    ///
    /// Pass `SystemRandomNumberGenerator` in production; a seeded generator only in tests.
    @discardableResult
    public static func generate(at path: String, using rng: inout some RandomNumberGenerator) throws(VaultError)
        -> MasterKey
    {
        let bytes = randomBytes(byteCount, using: &rng)
        do {
            try KeyFile.create(path, Array((Hex.encode(bytes) + "\n").utf8), mode: 0o600)
        } catch {
            throw keyFileError(
                path, error.alreadyExists ? "already exists; a master key is never overwritten" : error.problem)
        }
        return MasterKey(key: SymmetricKey(data: bytes), path: KeyFile.canonical(path) ?? path)
    }

    private static func keyFileError(_ path: String, _ problem: String) -> VaultError {
        VaultError(.keyFile, "master key file \(path) \(problem)", field: "masterKey")
    }

}

/// `count` bytes drawn from `rng`, eight at a time, little-endian.
func randomBytes(_ count: Int, using rng: inout some RandomNumberGenerator) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 8)
    while bytes.count < count {
        withUnsafeBytes(of: rng.next().littleEndian) { bytes.append(contentsOf: $0) }
    }
    return Array(bytes.prefix(count))
}
