/// A read-only table from names to values, looked up by the name's UTF-8 bytes where they lie (a
/// stored record's type name), without making a `String` of them first.
///
/// Open addressing over FNV-1a hashes, a power-of-two size at least twice the entries; a hit is
/// confirmed byte for byte, so two names whose hashes collide are still told apart.
struct ByteKeyedTable<Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        var hash: UInt64
        var name: [UInt8]
        var value: Value
    }

    private let slots: [Slot?]
    private let mask: Int

    /// A table of `entries`.
    init(_ entries: [String: Value]) {
        var size = 8
        while size < entries.count * 2 { size *= 2 }
        var slots = [Slot?](repeating: nil, count: size)
        // In name order, so the layout does not depend on the dictionary's.
        for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(name.utf8)
            let hash = bytes.withUnsafeBytes { Self.hash($0) }
            var i = Int(truncatingIfNeeded: hash) & (size - 1)
            while slots[i] != nil { i = (i + 1) & (size - 1) }
            slots[i] = Slot(hash: hash, name: bytes, value: value)
        }
        self.slots = slots
        mask = size - 1
    }

    /// The value of the name spelled by `bytes`, or `nil`.
    @inline(__always)
    func value(_ bytes: UnsafeRawBufferPointer) -> Value? {
        let hash = Self.hash(bytes)
        var i = Int(truncatingIfNeeded: hash) & mask
        while let slot = slots[i] {
            if slot.hash == hash, slot.name.count == bytes.count,
                slot.name.withUnsafeBytes({ $0.elementsEqual(bytes) })
            {
                return slot.value
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// FNV-1a, 64 bits.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }
}
