import Crypto
import Foundation

/// The binary layout of one record in the `events` database (format 1; docs/FORMAT.md has it byte
/// by byte). Integers in the record are little-endian; the key is the position, big-endian.
///
/// ```
///  0  u8    record format (1)
///  1  u8    payload encoding (0 bytes, 1 JSON, 2 binary)
///  2  u16   schema version
///  4  u32   reserved (0)
///  8  u64   stream version
/// 16  i64   occurredAt, µs since the Unix epoch (UTC)
/// 24  i64   recordedAt, µs since the Unix epoch (UTC)
/// 32  [16]  event id
/// 48  [16]  correlation id (zeros: none)
/// 64  [16]  causation id (zeros: none)
/// 80  u16   stream length S    82 u16 type length T    84 u16 actor length A    86 u16 reserved (0)
/// 88  u32   metadata length M  92 u32 payload length P
/// 96  stream[S] type[T] actor[A] metadata[M] payload[P]
/// end-32 [32] hash = SHA-256(previous hash ‖ position as u64 big-endian ‖ bytes 0 ..< end-32)
/// ```
enum RecordLayout {
    static let format: UInt8 = 1
    static let headerSize = 96
    static let hashSize = 32

    /// The size of the record for `event`.
    static func size(of event: borrowing NewEvent) -> Int {
        headerSize + event.stream.utf8.count + event.type.utf8.count + event.actor.utf8.count + event.metadata.count
            + event.payload.count + hashSize
    }

    /// Writes the record for `event` into `out` (exactly ``size(of:)`` bytes) and returns its hash,
    /// which is also its last 32 bytes. The strings' UTF-8 is copied straight from their storage.
    static func write(
        _ event: borrowing NewEvent,
        id: UUID,
        version: UInt64,
        position: UInt64,
        recordedAt: Timestamp,
        previousHash: Hash32,
        into out: UnsafeMutableRawBufferPointer
    ) -> Hash32 {
        let p = out.baseAddress!
        p.storeBytes(of: format, toByteOffset: 0, as: UInt8.self)
        p.storeBytes(of: event.payloadEncoding.rawValue, toByteOffset: 1, as: UInt8.self)
        Bytes.storeLE(event.schemaVersion, to: p, at: 2)
        Bytes.storeLE(UInt32(0), to: p, at: 4)
        Bytes.storeLE(version, to: p, at: 8)
        Bytes.storeLE(event.occurredAt.microseconds, to: p, at: 16)
        Bytes.storeLE(recordedAt.microseconds, to: p, at: 24)
        storeUUID(id, p + 32)
        storeUUID(event.correlationId, p + 48)
        storeUUID(event.causationId, p + 64)
        Bytes.storeLE(UInt16(event.stream.utf8.count), to: p, at: 80)
        Bytes.storeLE(UInt16(event.type.utf8.count), to: p, at: 82)
        Bytes.storeLE(UInt16(event.actor.utf8.count), to: p, at: 84)
        Bytes.storeLE(UInt16(0), to: p, at: 86)
        Bytes.storeLE(UInt32(event.metadata.count), to: p, at: 88)
        Bytes.storeLE(UInt32(event.payload.count), to: p, at: 92)
        var offset = headerSize
        offset = copy(event.stream, to: p, at: offset)
        offset = copy(event.type, to: p, at: offset)
        offset = copy(event.actor, to: p, at: offset)
        offset = copy(event.metadata, to: p, at: offset)
        offset = copy(event.payload, to: p, at: offset)
        let hash = chainHash(
            previous: previousHash, position: position, body: UnsafeRawBufferPointer(rebasing: out[0..<offset]))
        hash.store(to: p + offset)
        return hash
    }

    /// SHA-256(previous ‖ position big-endian ‖ body).
    static func chainHash(previous: Hash32, position: UInt64, body: UnsafeRawBufferPointer) -> Hash32 {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: position.bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: body)
        return hasher.finalize().withUnsafeBytes { Hash32($0) }
    }

    @inline(__always)
    private static func copy(_ string: String, to p: UnsafeMutableRawPointer, at offset: Int) -> Int {
        string.withUTF8Bytes { b in
            if let base = b.baseAddress, b.count > 0 { (p + offset).copyMemory(from: base, byteCount: b.count) }
        }
        return offset + string.utf8.count
    }

    @inline(__always)
    private static func copy(_ bytes: [UInt8], to p: UnsafeMutableRawPointer, at offset: Int) -> Int {
        bytes.withUnsafeBytes { b in
            if let base = b.baseAddress, b.count > 0 { (p + offset).copyMemory(from: base, byteCount: b.count) }
        }
        return offset + bytes.count
    }

    @inline(__always)
    private static func storeUUID(_ id: UUID?, _ p: UnsafeMutableRawPointer) {
        if let id {
            withUnsafeBytes(of: id.uuid) { p.copyMemory(from: $0.baseAddress!, byteCount: 16) }
        } else {
            p.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
        }
    }
}

/// A 32-byte SHA-256 value kept inline (no heap allocation per record).
struct Hash32: Equatable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// All zeros: the hash before position 1.
    static let zero = Hash32()

    private init() {}

    /// The first 32 bytes of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(32))) }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    func store(to p: UnsafeMutableRawPointer) {
        withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: 32) }
    }

    var array: [UInt8] { withUnsafeBytes { Array($0) } }

    static func == (a: Hash32, b: Hash32) -> Bool { a.words == b.words }
}
