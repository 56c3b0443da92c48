public import Foundation
import LMDB
import Synchronization

extension EventStore {
    /// Up to `limit` events of `stream` from `version` (inclusive), forward or backward, copied out.
    /// Empty when the stream does not exist. ``scanStream(_:from:direction:limit:checking:_:)`` reads
    /// the same events in place.
    public func readStream(
        _ stream: String,
        from version: UInt64 = 1,
        direction: ReadDirection = .forward,
        limit: Int = .max,
        checking check: ReadCheck = .structure
    ) throws -> [RecordedEvent] {
        var out: [RecordedEvent] = []
        try scanStream(stream, from: version, direction: direction, limit: limit, checking: check) {
            out.append($0.materialize())
        }
        return out
    }

    /// Calls `body` for up to `limit` events of `stream` from `version` (inclusive), forward or
    /// backward, each a zero-copy view into the log (valid only inside `body`). Nothing is called
    /// when the stream does not exist.
    ///
    /// One read transaction, one cursor on the stream index for every version (neighbouring keys,
    /// found from the page the cursor is on), and each record checked where it lies: well formed,
    /// the stream and version the index named (and with `.chain`, its chain hash). A damaged index
    /// or log throws ``EventStoreError`` with code ``EventStoreError/Code/corrupted`` and the remedy;
    /// no record of another stream is ever handed out.
    public func scanStream(
        _ stream: String,
        from version: UInt64 = 1,
        direction: ReadDirection = .forward,
        limit: Int = .max,
        checking check: ReadCheck = .structure,
        _ body: (EventView) throws -> Void
    ) throws {
        guard limit > 0 else { return }
        try reading { txn in
            try stream.withUTF8Bytes { name in
                guard let entry = try txn.get(databases.streams, key: name) else { return }
                let head = StreamHead(stream: stream, decoding: entry)
                let forward = direction == .forward
                var v = forward ? max(version, 1) : min(version, head.version)
                var remaining = limit
                try txn.withCursor(databases.streamIndex) { index in
                    while remaining > 0, v >= 1, v <= head.version {
                        guard let position = try Keys.streamIndexLookup(version: v, stream: head.number, index) else {
                            throw EventStoreError(
                                .corrupted,
                                "stream '\(stream)' version \(v) is missing from the stream index"
                                    + EventStoreError.restoreRemedy)
                        }
                        let view = try Self.event(at: position, txn, databases)
                        guard view.version == v, Self.same(view.streamBytes, name) else {
                            throw Self.damaged(
                                at: position,
                                "the stream index names it as '\(stream)' version \(v), but it holds '\(view.stream)' version \(view.version)"
                            )
                        }
                        if check == .chain { try Self.checkChainHash(view, txn, databases) }
                        try body(view)
                        remaining -= 1
                        v = forward ? v + 1 : v - 1
                    }
                }
                // A stream's records lie on pages spread through the file, each mapped with a block
                // of neighbours: reads by stream (a case looked up, an audit reading one back) ask
                // every so many records whether to let them go, or the mapped part of the file only grows.
                let read = limit - remaining
                let before = scatteredReads.add(read, ordering: .relaxed).oldValue
                if before / PageBudget.standard != (before + read) / PageBudget.standard {
                    txn.releaseResidentPagesIfGrown()
                }
            }
        }
    }

    /// Recomputes `view`'s chain hash from its predecessor's and throws if it is not the stored one.
    static func checkChainHash(_ view: EventView, _ txn: borrowing Transaction, _ dbs: Databases) throws {
        let position = view.position
        let previous = position == 1 ? Hash32.zero : Hash32(try event(at: position - 1, txn, dbs).hashBytes)
        guard
            RecordLayout.chainHash(previous: previous, position: position, body: view.hashedBytes)
                == Hash32(view.hashBytes)
        else {
            throw damaged(at: position, "hash mismatch: the record or its predecessor's hash was changed")
        }
    }

    /// Whether two byte ranges hold the same bytes.
    @inline(__always)
    static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }
}
