public import Crypto
import Foundation
import LMDB

/// The public half of a ``CheckpointSigningKey``: what a verifier holds to prove a copy of the log
/// is the county's. Its ``id`` — the first 16 hexadecimal digits of the SHA-256 of the 32 key bytes —
/// is written into each checkpoint, so a checkpoint names the key that signed it.
public struct CheckpointPublicKey: Sendable, Hashable, CustomStringConvertible {
    let key: Curve25519.Signing.PublicKey
    /// The 32 key bytes.
    public let bytes: [UInt8]

    init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
        self.bytes = Array(key.rawRepresentation)
    }

    /// A key from its 32 bytes.
    public init(bytes: [UInt8]) throws(TrustError) {
        guard bytes.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else {
            throw TrustError(.keyFile, "an Ed25519 public key is 32 bytes, got \(bytes.count)")
        }
        self.init(key)
    }

    /// The key's id: 16 lowercase hexadecimal digits of SHA-256(key bytes).
    public var id: String { Self.id(of: bytes) }

    /// The id of the key with `bytes`.
    static func id(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    public var pem: String { PEM.encode(bytes, prefix: PEM.publicKeyPrefix, label: PEM.publicLabel) }

    public var description: String { "Ed25519 key \(id)" }

    /// Whether `signature` is this key's signature of `message`.
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        signature.count == 64 && key.isValidSignature(signature, for: message)
    }

    public static func == (a: Self, b: Self) -> Bool { a.bytes == b.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// Loads a public key file: SubjectPublicKeyInfo PEM as `vigil checkpoint new-key` and
    /// `openssl pkey -pubout` write it. A private key file is refused (it must not be handed out).
    public static func load(path: String) throws(TrustError) -> CheckpointPublicKey {
        let text = try KeyFile.read(path, secret: false, what: "public key file")
        if PEM.decode(text, prefix: PEM.privateKeyPrefix, label: PEM.privateLabel) != nil {
            throw TrustError(
                .keyFile,
                "\(path) holds a private key; verifying needs only the public key (the .pub file 'vigil checkpoint new-key' wrote, or 'openssl pkey -in KEY -pubout')"
            )
        }
        guard let bytes = PEM.decode(text, prefix: PEM.publicKeyPrefix, label: PEM.publicLabel) else {
            throw TrustError(
                .keyFile,
                "public key file \(path) does not hold an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----)")
        }
        return try CheckpointPublicKey(bytes: bytes)
    }
}
