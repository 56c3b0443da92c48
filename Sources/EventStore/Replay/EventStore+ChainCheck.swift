import LMDB

extension EventStore {
    /// Checks the chain hash of the records at `positions`, each recomputed from its own bytes and
    /// its predecessor's stored hash (ARCHITECTURE decision 5), in one snapshot: the positions whose
    /// record is missing, malformed or does not hash to what it stores, each with what is wrong.
    ///
    /// A record that passes was not changed since it was written after its predecessor; `verify()`
    /// checks the whole chain from position 1. An audit quotes both: the records it shows pass here.
    public func checkChain(at positions: [UInt64]) throws -> [(position: UInt64, problem: String)] {
        try environment.read { txn in
            var problems: [(position: UInt64, problem: String)] = []
            for position in positions {
                var key = Keys.position(position)
                guard let bytes = try withUnsafeBytes(of: &key, { try txn.get(databases.events, key: $0) }) else {
                    problems.append((position, "no record at position \(position)"))
                    continue
                }
                if let problem = EventView.validate(bytes) {
                    problems.append((position, problem))
                    continue
                }
                var previous = Hash32.zero
                if position > 1 {
                    var before = Keys.position(position - 1)
                    guard let prior = try withUnsafeBytes(of: &before, { try txn.get(databases.events, key: $0) }),
                        EventView.validate(prior) == nil
                    else {
                        problems.append(
                            (position, "its predecessor at position \(position - 1) is missing or malformed"))
                        continue
                    }
                    previous = Hash32(EventView(position: position - 1, bytes: prior).hashBytes)
                }
                let view = EventView(position: position, bytes: bytes)
                let computed = RecordLayout.chainHash(previous: previous, position: position, body: view.hashedBytes)
                if computed != Hash32(view.hashBytes) {
                    problems.append((position, "position \(position): hash mismatch"))
                }
            }
            return problems
        }
    }
}
