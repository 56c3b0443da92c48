/// Fixed-width integers in and out of raw bytes: big-endian for keys (so LMDB's byte order is
/// numeric order), little-endian for values.
enum Bytes {
    @inline(__always)
    static func storeBE(_ value: UInt64, to p: UnsafeMutableRawPointer, at offset: Int = 0) {
        p.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }

    @inline(__always)
    static func loadBE(_ p: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64 {
        UInt64(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    static func storeLE<T: FixedWidthInteger>(_ value: T, to p: UnsafeMutableRawPointer, at offset: Int) {
        p.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    @inline(__always)
    static func loadLE<T: FixedWidthInteger>(_ p: UnsafeRawBufferPointer, at offset: Int, as: T.Type) -> T {
        T(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 in place — a native string's own storage, no copy — or,
    /// for a string stored otherwise (bridged), with a copy.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(utf8).withUnsafeBytes(body)
    }
}
