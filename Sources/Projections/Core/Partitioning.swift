public import FirstResponder
import Foundation

/// How a projection's rows fall apart by a key (a case), so that a rebuild or an as-of may fold
/// them in parts, each on a thread of its own (``Fold/batches(_:_:through:batchSize:lanes:parts:cacheLimit:tuning:write:progress:)``).
///
/// A projection may declare one when every row it keeps belongs to one key, every event about a
/// key lives in that key's stream (`case-{caseId}`: the writer puts each case event there, by its
/// type's stream rule), and what it keeps for every key alike (the policy in force) it folds in
/// memory from events that name no key, never reading back a row another part wrote. A part then
/// decodes and folds only its keys' streams, and the events outside them that name one of its keys
/// or none. Should an event in a key's stream name another key, or none, the parts would disagree
/// with one fold: the fold stops with ``Fold/PartsDisagree`` and is done again whole.
public struct Partitioning: Sendable {
    /// The prefix of the streams that each hold one key's events; the rest of the name is the key.
    public let streamPrefix: [UInt8]
    /// The key an event folds into (its case id), or `nil` when every part folds it.
    public let key: @Sendable (CatalogEvent) -> String?

    /// A partitioning by the streams named `streamPrefix` and a key, with `key` reading an event's.
    public init(streamPrefix: String, key: @escaping @Sendable (CatalogEvent) -> String?) {
        self.streamPrefix = Array(streamPrefix.utf8)
        self.key = key
    }

    /// The key of `stream` when it is one key's stream, named `prefix` (a ``streamPrefix``) and the
    /// key, else `nil`.
    @inline(__always)
    static func key(ofStream stream: UnsafeRawBufferPointer, prefix: [UInt8]) -> UnsafeRawBufferPointer? {
        let length = prefix.count
        guard stream.count > length,
            prefix.withUnsafeBytes({ memcmp($0.baseAddress!, stream.baseAddress!, length) }) == 0
        else { return nil }
        return UnsafeRawBufferPointer(rebasing: stream[length...])
    }

    /// Whether `key` is the key `stream` names (its UTF-8 is those bytes).
    static func same(_ key: String, _ stream: UnsafeRawBufferPointer) -> Bool {
        var key = key
        return key.withUTF8 { $0.count == stream.count && memcmp($0.baseAddress!, stream.baseAddress!, $0.count) == 0 }
    }

    /// A key's hash, which decides its part (the hash modulo the number of parts): FNV-1a of its
    /// UTF-8, so a stream's key and the same key read from an event land in the same part.
    static func hash<Bytes: Sequence<UInt8>>(_ key: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

extension Projection {
    /// Not partitioned: folded whole, by one thread.
    public static var partitioning: Partitioning? { nil }
}
