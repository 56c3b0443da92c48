import Crypto
import EventStore
import LMDB

/// The key an encrypted backup is sealed with (`vigil backup --encrypt-key FILE`): 256 bits for
/// AES-256-GCM (CJIS Security Policy §5.10: data at rest that leaves the secure location is
/// encrypted), in a key file holding 64 hexadecimal digits and a newline (`openssl rand -hex 32`),
/// mode `0600`, kept **outside** the data directory: a backup must not travel with the key that
/// opens it.
///
/// Its ``id`` (16 hexadecimal digits of a SHA-256 over the key) is written in the clear in every
/// archive it seals, so a restore given another key says which key the archive needs.
public struct BackupKey: Sendable {
    /// The key length in bytes.
    public static let byteCount = 32

    let key: SymmetricKey
    /// Names the key without revealing it.
    public let id: String

    /// A key from its 32 bytes (tests, key-management integrations).
    public init(bytes: [UInt8]) throws(TrustError) {
        guard bytes.count == Self.byteCount else {
            throw TrustError(.keyFile, "a backup key is \(Self.byteCount) bytes, got \(bytes.count)")
        }
        key = SymmetricKey(data: bytes)
        id = Hex.encode(SHA256.hash(data: Array("vigil backup key\n".utf8) + bytes).prefix(8))
    }

    /// Loads the key file at `path` (`option` names it in messages); refused when it lies inside
    /// `dataDirectory`.
    public static func load(path: String, outside dataDirectory: String?, option: String) throws(TrustError)
        -> BackupKey
    {
        let contents = try KeyFile.read(path, secret: true, what: "\(option): backup key file")
        var text = contents[...]
        while let last = text.last, last == 0x0A || last == 0x0D || last == 0x20 { text = text.dropLast() }
        guard text.count == byteCount * 2, let bytes = Hex.decode(String(decoding: text, as: UTF8.self)) else {
            throw TrustError(
                .keyFile,
                "\(option): backup key file \(path) must hold the key as exactly 64 hexadecimal digits and a newline (openssl rand -hex 32)"
            )
        }
        if let dataDirectory, KeyFile.isInside(path, directory: dataDirectory) {
            throw TrustError(
                .keyFile,
                "\(option): backup key file \(path) is inside the data directory \(dataDirectory): keep it elsewhere, or every backup carries the key that opens it"
            )
        }
        return try BackupKey(bytes: bytes)
    }
}
