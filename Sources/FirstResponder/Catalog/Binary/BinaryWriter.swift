public import EventStore

/// Writes the catalog's binary payload encoding (`PayloadEncoding.binary`, record byte 1 = 2).
///
/// ## The encoding
///
/// A binary payload holds the `data` object of one event; the record's envelope names its type and
/// schema version, and the layout below is a pure function of that schema version
/// (schemas/events/<Type>.v<N>.schema.json), so a stored payload stays readable for as long as its
/// schema version exists. There is no header, no field tag and no padding.
///
/// Primitives:
///
/// - varint: unsigned LEB128 — 7 bits per byte, least significant group first, high bit set on
///   every byte but the last; at most 10 bytes; the shortest form is required on read.
/// - integer (a schema `integer`): a varint when the schema's `minimum` is ≥ 0 (all current fields);
///   otherwise zigzag (`(n << 1) ^ (n >> 63)`) then varint.
/// - number (a schema `number`): IEEE 754 binary64, 8 bytes little-endian.
/// - boolean: one byte, 0 or 1.
/// - string (also every id, code and pattern-constrained text): varint byte length, then that many
///   bytes of UTF-8 (valid UTF-8 required on read).
/// - timestamp (`defs#/$defs/timestamp`): i64 little-endian, microseconds since
///   1970-01-01T00:00:00Z (the offset written in JSON is not kept; finer fractions are truncated).
/// - enum value: varint *code* from scripts/catalog/enum-codes.json. Codes are assigned once per
///   enum and value, in the order values were first seen, and never reused or renumbered: reordering
///   a schema's `enum` array changes nothing; a removed value keeps its code reserved.
///
/// Composites:
///
/// - object (the payload itself, and every nested object): its properties in the order the schema's
///   `properties` lists them, each as below. Nothing marks where an object ends.
/// - required property: the value.
/// - optional property: a presence byte, 0 = absent, 1 = present followed by the value.
/// - optional property that may also be `null` (`oneOf [X, {"type": "null"}]`): 0 = absent,
///   1 = present followed by the value, 2 = present and null (e.g. `ArrestCorrected.corrections.
///   operationId`). Where the catalog says absent and null mean the same
///   (`ArrestRecorded` v2 `operationId`), null is read as absent and written as 0.
/// - array: varint count, then the items.
/// - map (an object whose keys are data, e.g. `PolicyChanged.rankingWeights`): varint count, then
///   (string key, value) pairs in ascending order of the keys' UTF-8 bytes.
///
/// A reader must consume the payload exactly: trailing bytes, a truncated value, an unknown
/// presence byte or enum code, or invalid UTF-8 are errors (`DomainValidationError.Code.
/// malformedBinary`). The binary form carries values that passed the JSON schema when they were
/// written, so a reader checks structure, not patterns or ranges.
///
/// Example, `ResponderEnRoute` v1 `{"caseId": "C-2026A00017", "requestId": "RQ-2026A00017-1",
/// "responderId": "R-ADV022", "etaMinutes": 40}`:
/// `0c 432d32303236413030303137` (caseId) `0f 52512d…2d31` (requestId) `08 522d414456303232`
/// (responderId) `01 28` (etaMinutes present, 40).
public struct BinaryWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer.
    public init(capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// An unsigned LEB128 varint.
    @inline(__always)
    public mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A non-negative integer as a varint.
    @inline(__always)
    public mutating func unsigned(_ value: Int) {
        precondition(value >= 0, "a non-negative field holds \(value)")
        varint(UInt64(value))
    }

    /// A signed integer, zigzag then varint.
    @inline(__always)
    public mutating func signed(_ value: Int) {
        let v = Int64(value)
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    /// A binary64, little-endian.
    @inline(__always)
    public mutating func double(_ value: Double) {
        fixed(value.bitPattern)
    }

    /// A boolean as one byte.
    @inline(__always)
    public mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// One raw byte (presence bytes).
    @inline(__always)
    public mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// A string: varint byte length, then UTF-8.
    @inline(__always)
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A timestamp: i64 microseconds, little-endian.
    @inline(__always)
    public mutating func timestamp(_ value: Timestamp) {
        fixed(UInt64(bitPattern: value.microseconds))
    }

    @inline(__always)
    private mutating func fixed(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
