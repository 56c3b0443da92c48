public import Crypto
import Foundation
import LMDB

/// The county's Ed25519 key that signs checkpoints of the log.
///
/// It lives in a **private key file** outside the data directory (mode `0600`, PKCS #8 PEM as
/// OpenSSL writes it: `openssl genpkey -algorithm ed25519` makes one Vigil reads), so a copy of the
/// data — a backup, a follower — never carries the key that could sign a forged history. Its public
/// half (``CheckpointPublicKey``) is handed to whoever must check a copy.
///
/// The value never prints the key.
public struct CheckpointSigningKey: Sendable, CustomStringConvertible {
    let key: Curve25519.Signing.PrivateKey
    /// The file the key was loaded from or generated at, if any.
    public let path: String?

    /// A key from its 32-byte seed (tests and key-management integrations).
    public init(seed: some Collection<UInt8>) throws(TrustError) {
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(seed))
        } catch {
            throw TrustError(.keyFile, "an Ed25519 private key is 32 bytes, got \(seed.count)")
        }
        path = nil
    }

    private init(key: Curve25519.Signing.PrivateKey, path: String?) {
        self.key = key
        self.path = path
    }

    /// The public half, for verifiers.
    public var publicKey: CheckpointPublicKey { CheckpointPublicKey(key.publicKey) }

    public var description: String { "CheckpointSigningKey(\(publicKey.id), \(path ?? "in memory"))" }

    /// Signs `statement`.
    func sign(_ statement: [UInt8]) throws(TrustError) -> [UInt8] {
        do {
            return Array(try key.signature(for: statement))
        } catch {
            throw TrustError(.checkpoint, "signing failed: \(error)")
        }
    }

    /// Loads the private key file at `path`. Refused when it is missing, not a regular file,
    /// readable or writable by group or others, or not an Ed25519 private key in PEM.
    public static func load(path: String) throws(TrustError) -> CheckpointSigningKey {
        let text = try KeyFile.read(path, secret: true, what: "signing key file")
        guard let seed = PEM.decode(text, prefix: PEM.privateKeyPrefix, label: PEM.privateLabel),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        else {
            throw TrustError(
                .keyFile,
                "signing key file \(path) does not hold an Ed25519 private key in PEM (-----BEGIN PRIVATE KEY-----): "
                    + "make one with 'vigil checkpoint new-key'")
        }
        return CheckpointSigningKey(key: key, path: KeyFile.canonical(path) ?? path)
    }

    /// Loads the private key file at `path` for signing the store in `dataDirectory`: also refused
    /// when the file lies inside that directory, where every copy of the data would carry it.
    public static func load(path: String, outside dataDirectory: String) throws(TrustError) -> CheckpointSigningKey {
        if KeyFile.isInside(path, directory: dataDirectory) {
            throw TrustError(
                .keyFile,
                "signing key file \(path) is inside the data directory \(dataDirectory): keep it apart from the data, or every copy of the data carries the key that could sign a forged history"
            )
        }
        return try load(path: path)
    }

    /// Makes a new key and writes it to a new file at `path` (mode `0600`) and its public half to
    /// `publicPath` (mode `0644`), each synced. Refuses to replace an existing file.
    @discardableResult
    public static func generate(at path: String, publicKeyAt publicPath: String) throws(TrustError)
        -> CheckpointSigningKey
    {
        let key = Curve25519.Signing.PrivateKey()
        let signing = CheckpointSigningKey(key: key, path: path)
        if FileManager.default.fileExists(atPath: publicPath) {
            throw TrustError(.keyFile, "public key file \(publicPath) already exists; a key file is never overwritten")
        }
        let privatePEM = PEM.encode(Array(key.rawRepresentation), prefix: PEM.privateKeyPrefix, label: PEM.privateLabel)
        try KeyFile.create(path, Array(privatePEM.utf8), mode: 0o600, what: "signing key file")
        do {
            try KeyFile.create(publicPath, Array(signing.publicKey.pem.utf8), mode: 0o644, what: "public key file")
        } catch {
            unlink(path)
            throw error
        }
        return CheckpointSigningKey(key: key, path: KeyFile.canonical(path) ?? path)
    }
}
