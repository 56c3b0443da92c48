/// A dictionary split into a fixed number of shards by its keys' hashes, for a map that grows with
/// the log, is copied often and changes one key at a time: the board (``RosterView``) is handed to
/// every command as a copy (``RosterViewCache/latest(of:)``) and the cache folds the next command's
/// events into its own while those copies live, so a plain dictionary was copied whole, every entry
/// retained, on each fold (every case the log ever held: 2–3% of the daemon's CPU at 32 desks, growing
/// with the log). Here a write copies the shard table (64 references) and the one shard it changes.
struct ShardedDictionary<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private static var shardCount: Int { 64 }
    private var shards = [[Key: Value]](repeating: [:], count: Self.shardCount)

    /// An empty dictionary.
    init() {}

    @inline(__always)
    private static func shard(_ key: Key) -> Int { key.hashValue & (shardCount - 1) }

    /// The value for `key`; setting `nil` removes it.
    subscript(key: Key) -> Value? {
        get { shards[Self.shard(key)][key] }
        set { shards[Self.shard(key)][key] = newValue }
    }

    /// The number of entries.
    var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// The keys of the entries that satisfy `isIncluded`, in no particular order.
    func keys(where isIncluded: (Key, Value) -> Bool) -> [Key] {
        var keys: [Key] = []
        for shard in shards {
            for (key, value) in shard where isIncluded(key, value) { keys.append(key) }
        }
        return keys
    }
}
