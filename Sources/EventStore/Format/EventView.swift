public import Foundation

/// A zero-copy view of one stored record, valid only inside the closure that received it (it points
/// into LMDB's memory map). Use it on hot paths; ``materialize()`` copies it out.
public struct EventView {
    /// The record's global position.
    public let position: UInt64
    /// The record's bytes.
    public let bytes: UnsafeRawBufferPointer

    /// A view of `bytes` as the record at `position`. Check them with ``validate(_:)`` first: the
    /// accessors trust the lengths a well-formed record carries.
    public init(position: UInt64, bytes: UnsafeRawBufferPointer) {
        self.position = position
        self.bytes = bytes
    }

    /// Whether `bytes` hold a well-formed record of a format this build reads: the fast check every
    /// read makes before it trusts the record's lengths.
    @inline(__always)
    public static func isWellFormed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard count >= RecordLayout.headerSize + RecordLayout.hashSize, bytes[0] == RecordLayout.format, bytes[1] <= 2
        else { return false }
        let b = bytes.baseAddress!
        let strings =
            Int(b.loadUnaligned(fromByteOffset: 80, as: UInt16.self).littleEndian)
            + Int(b.loadUnaligned(fromByteOffset: 82, as: UInt16.self).littleEndian)
            + Int(b.loadUnaligned(fromByteOffset: 84, as: UInt16.self).littleEndian)
        let blobs =
            Int(b.loadUnaligned(fromByteOffset: 88, as: UInt32.self).littleEndian)
            + Int(b.loadUnaligned(fromByteOffset: 92, as: UInt32.self).littleEndian)
        return RecordLayout.headerSize + strings + blobs + RecordLayout.hashSize == count
            && b.loadUnaligned(fromByteOffset: 80, as: UInt16.self) != 0
            && b.loadUnaligned(fromByteOffset: 82, as: UInt16.self) != 0
    }

    /// Checks that `bytes` hold a well-formed record of a format this build reads, or says what is wrong.
    public static func validate(_ bytes: UnsafeRawBufferPointer) -> String? {
        if isWellFormed(bytes) { return nil }
        guard bytes.count >= RecordLayout.headerSize + RecordLayout.hashSize else {
            return
                "record is \(bytes.count) bytes, shorter than the \(RecordLayout.headerSize + RecordLayout.hashSize)-byte minimum"
        }
        let format = bytes[0]
        guard format == RecordLayout.format else { return "record format \(format) is not \(RecordLayout.format)" }
        guard PayloadEncoding(rawValue: bytes[1]) != nil else { return "unknown payload encoding \(bytes[1])" }
        let s = Int(Bytes.loadLE(bytes, at: 80, as: UInt16.self))
        let t = Int(Bytes.loadLE(bytes, at: 82, as: UInt16.self))
        let a = Int(Bytes.loadLE(bytes, at: 84, as: UInt16.self))
        let m = Int(Bytes.loadLE(bytes, at: 88, as: UInt32.self))
        let p = Int(Bytes.loadLE(bytes, at: 92, as: UInt32.self))
        let expected = RecordLayout.headerSize + s + t + a + m + p + RecordLayout.hashSize
        guard expected == bytes.count else {
            return "field lengths add up to \(expected) bytes but the record is \(bytes.count)"
        }
        guard s > 0, t > 0 else { return "empty stream or type" }
        return nil
    }

    /// The record format byte.
    public var format: UInt8 { bytes[0] }
    /// How the payload is encoded.
    public var payloadEncoding: PayloadEncoding { PayloadEncoding(rawValue: bytes[1]) ?? .bytes }
    /// The schema version of the payload.
    public var schemaVersion: UInt16 { Bytes.loadLE(bytes, at: 2, as: UInt16.self) }
    /// The version in the stream.
    public var version: UInt64 { Bytes.loadLE(bytes, at: 8, as: UInt64.self) }
    /// When it happened in the field.
    public var occurredAt: Timestamp { Timestamp(microseconds: Bytes.loadLE(bytes, at: 16, as: Int64.self)) }
    /// When the log stored it.
    public var recordedAt: Timestamp { Timestamp(microseconds: Bytes.loadLE(bytes, at: 24, as: Int64.self)) }
    /// The event id.
    public var id: UUID { EventID.uuid(UnsafeRawBufferPointer(rebasing: bytes[32..<48])) }
    /// The correlation id, if any.
    public var correlationId: UUID? { optionalUUID(at: 48) }
    /// The causation id, if any.
    public var causationId: UUID? { optionalUUID(at: 64) }

    private var streamLength: Int { Int(Bytes.loadLE(bytes, at: 80, as: UInt16.self)) }
    private var typeLength: Int { Int(Bytes.loadLE(bytes, at: 82, as: UInt16.self)) }
    private var actorLength: Int { Int(Bytes.loadLE(bytes, at: 84, as: UInt16.self)) }
    private var metadataLength: Int { Int(Bytes.loadLE(bytes, at: 88, as: UInt32.self)) }
    private var payloadLength: Int { Int(Bytes.loadLE(bytes, at: 92, as: UInt32.self)) }

    /// The stream name's UTF-8 bytes.
    public var streamBytes: UnsafeRawBufferPointer { slice(RecordLayout.headerSize, streamLength) }
    /// The type name's UTF-8 bytes.
    public var typeBytes: UnsafeRawBufferPointer { slice(RecordLayout.headerSize + streamLength, typeLength) }
    /// The metadata bytes.
    public var metadataBytes: UnsafeRawBufferPointer {
        slice(RecordLayout.headerSize + streamLength + typeLength + actorLength, metadataLength)
    }
    /// The payload bytes.
    public var payloadBytes: UnsafeRawBufferPointer {
        slice(RecordLayout.headerSize + streamLength + typeLength + actorLength + metadataLength, payloadLength)
    }
    /// The stored hash.
    public var hashBytes: UnsafeRawBufferPointer { slice(bytes.count - RecordLayout.hashSize, RecordLayout.hashSize) }
    /// Everything the hash covers besides the previous hash and the position.
    var hashedBytes: UnsafeRawBufferPointer { slice(0, bytes.count - RecordLayout.hashSize) }

    /// The stream.
    public var stream: String { String(decoding: streamBytes, as: UTF8.self) }
    /// The type.
    public var type: String { String(decoding: typeBytes, as: UTF8.self) }
    /// The actor.
    public var actor: String {
        String(decoding: slice(RecordLayout.headerSize + streamLength + typeLength, actorLength), as: UTF8.self)
    }

    /// A copy of the whole event.
    public func materialize() -> RecordedEvent {
        RecordedEvent(
            position: position,
            stream: stream,
            version: version,
            id: id,
            type: type,
            schemaVersion: schemaVersion,
            occurredAt: occurredAt,
            recordedAt: recordedAt,
            actor: actor,
            correlationId: correlationId,
            causationId: causationId,
            metadata: Array(metadataBytes),
            payload: Array(payloadBytes),
            payloadEncoding: payloadEncoding,
            hash: Array(hashBytes)
        )
    }

    @inline(__always)
    private func slice(_ start: Int, _ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)])
    }

    private func optionalUUID(at offset: Int) -> UUID? {
        let b = slice(offset, 16)
        return b.allSatisfy { $0 == 0 } ? nil : EventID.uuid(b)
    }
}
