import LMDB

/// The named databases of a store (docs/FORMAT.md describes each).
struct Databases: Sendable {
    /// position (u64 BE) → record.
    let events: Database
    /// stream name (UTF-8) → stream head (32 bytes).
    let streams: Database
    /// version (u64 BE) → sorted duplicates (stream number u64 BE, position u64 BE), 16 bytes each.
    let streamIndex: Database
    /// event id (16 bytes) → position (u64 LE).
    let eventIds: Database
    /// name (UTF-8) → value: format version, next stream number.
    let meta: Database
    /// inline projection name (UTF-8) → the last position it folded (u64 LE).
    let checkpoints: Database

    init(_ txn: borrowing Transaction, create: Bool) throws {
        let flags: Database.Flags = create ? .create : []
        events = try txn.openDatabase("events", flags: flags)
        streams = try txn.openDatabase("streams", flags: flags)
        streamIndex = try txn.openDatabase("streamIndex", flags: flags.union([.duplicateSort, .duplicateFixed]))
        eventIds = try txn.openDatabase("eventIds", flags: flags)
        meta = try txn.openDatabase("meta", flags: flags)
        checkpoints = try txn.openDatabase("checkpoints", flags: flags)
    }
}

/// Keys and values of the secondary databases.
enum Keys {
    /// The `streamIndex` entry: key = version, duplicate value = (stream number, position), all
    /// big-endian. Version-major order puts each new entry next to the entries written just before
    /// it, and fixed-size duplicates pack 256 to a page (docs/FORMAT.md, "Why version-major").
    @inline(__always)
    static func streamIndexKey(version: UInt64) -> UInt64 { version.bigEndian }

    @inline(__always)
    static func streamIndexValue(stream: UInt64, position: UInt64) -> (UInt64, UInt64) {
        (stream.bigEndian, position.bigEndian)
    }

    /// The position of `stream`'s event at `version`, from the `streamIndex`, or `nil`.
    static func streamIndexLookup(
        version: UInt64,
        stream: UInt64,
        _ txn: borrowing Transaction,
        _ dbs: Databases
    ) throws -> UInt64? {
        try txn.withCursor(dbs.streamIndex) { cursor in try streamIndexLookup(version: version, stream: stream, cursor)
        }
    }

    /// The position of `stream`'s event at `version`, through an open cursor on the `streamIndex`.
    /// A stream read keeps one cursor for all its versions: consecutive versions are neighbouring
    /// keys, so LMDB finds each from the leaf page the cursor is on instead of descending the tree.
    @inline(__always)
    static func streamIndexLookup(version: UInt64, stream: UInt64, _ cursor: borrowing Cursor) throws -> UInt64? {
        var key = streamIndexKey(version: version)
        var probe = streamIndexValue(stream: stream, position: 0)
        return try withUnsafeBytes(of: &key) { k in
            try withUnsafeBytes(of: &probe) { v -> UInt64? in
                guard let entry = try cursor.seek(key: k, valueAtLeast: v), entry.value.count == 16,
                    Bytes.loadBE(entry.value, at: 0) == stream
                else { return nil }
                return Bytes.loadBE(entry.value, at: 8)
            }
        }
    }

    @inline(__always)
    static func position(_ position: UInt64) -> UInt64 { position.bigEndian }

    static let formatKey = Array("format".utf8)
    static let nextStreamNumberKey = Array("nextStreamNumber".utf8)
}

extension StreamHead {
    static let encodedSize = 32

    init(stream: String, decoding b: UnsafeRawBufferPointer) {
        self.init(
            stream: stream,
            number: Bytes.loadLE(b, at: 0, as: UInt64.self),
            version: Bytes.loadLE(b, at: 8, as: UInt64.self),
            lastPosition: Bytes.loadLE(b, at: 16, as: UInt64.self),
            firstPosition: Bytes.loadLE(b, at: 24, as: UInt64.self)
        )
    }

    func encode(into p: UnsafeMutableRawPointer) {
        Bytes.storeLE(number, to: p, at: 0)
        Bytes.storeLE(version, to: p, at: 8)
        Bytes.storeLE(lastPosition, to: p, at: 16)
        Bytes.storeLE(firstPosition, to: p, at: 24)
    }
}
