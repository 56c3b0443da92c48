import Crypto
import LMDB

/// A digest of a stored view: SHA-256 over the projection's name, version and checkpoint, then every
/// row in key order (each as a 4-byte little-endian key length, the key, a 4-byte value length, the
/// value). The same log folded by the same projection version always gives the same digest, so two
/// rebuilds, or a rebuild and the live view, can be compared by it.
public struct ViewDigest: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// The digest in lower-case hex.
    public var hex: String { bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }

    public var description: String { hex }

    /// A digest from its 32 bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Reads the hex form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
            guard let byte = UInt8(text[index..<next], radix: 16) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not hex"))
            }
            bytes.append(byte)
            index = next
        }
        self.bytes = bytes
    }

    /// Writes the hex form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    /// The digest of `name` at `version` and `checkpoint` over `rows` (key order).
    static func compute(
        name: String, version: Int, checkpoint: UInt64,
        _ rows: (_ feed: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) throws -> Void
    ) rethrows -> (digest: ViewDigest, rows: Int) {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8) + [0])
        withUnsafeBytes(of: Int64(version).littleEndian) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: checkpoint.littleEndian) { hasher.update(bufferPointer: $0) }
        var count = 0
        try rows { key, value in
            withUnsafeBytes(of: UInt32(key.count).littleEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(bufferPointer: key)
            withUnsafeBytes(of: UInt32(value.count).littleEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(bufferPointer: value)
            count += 1
        }
        return (ViewDigest(bytes: Array(hasher.finalize())), count)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
