/// Text read from stored or received bytes: a `String` only when the bytes are valid UTF-8.
enum UTF8Text {
    /// The string `bytes` spell, or `nil` when they are not valid UTF-8.
    ///
    /// ASCII — every identifier, code and timestamp of the catalog — takes a fast path: bytes below
    /// 0x80 are valid UTF-8 as they are. (`String(validating:as:)` looks up generic metadata on every
    /// call, which costs more than the decoding of a whole event.) Anything else is validated in full.
    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard isASCII(bytes) else { return String(validating: bytes, as: UTF8.self) }
        return String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    /// Whether every byte is below 0x80.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let count = bytes.count
        var high: UInt64 = 0
        while i + 8 <= count {
            high |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            high |= UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
