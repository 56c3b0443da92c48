public import EventStore

/// What a checkpoint signs: the bytes `vigil checkpoint v1` and a newline, the position (8 bytes,
/// big-endian), the 32 bytes of the chain hash at that position, and the moment of signing (the
/// checkpoint event's occurredAt, microseconds since 1970, 8 bytes big-endian, two's complement).
///
/// The fixed prefix keeps a signature over these bytes from meaning anything else; the time makes
/// the signature a statement that the county held this history at that moment.
public struct CheckpointStatement: Sendable, Hashable {
    /// The position whose chain hash is signed.
    public var position: UInt64
    /// The chain hash at ``position``.
    public var chainHash: [UInt8]
    /// When it was signed.
    public var signedAt: Timestamp

    /// A statement.
    public init(position: UInt64, chainHash: [UInt8], signedAt: Timestamp) {
        self.position = position
        self.chainHash = chainHash
        self.signedAt = signedAt
    }

    /// The chain hash as lowercase hexadecimal.
    public var chainHashHex: String { Hex.encode(chainHash) }

    static let prefix = Array("vigil checkpoint v1\n".utf8)

    /// The bytes signed.
    public var bytes: [UInt8] {
        var out = Self.prefix
        out.reserveCapacity(out.count + 48)
        withUnsafeBytes(of: position.bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: chainHash)
        withUnsafeBytes(of: signedAt.microseconds.bigEndian) { out.append(contentsOf: $0) }
        return out
    }
}
