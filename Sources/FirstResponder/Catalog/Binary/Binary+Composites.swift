extension BinaryWriter {
    /// An enum value by its stable code.
    @inline(__always)
    public mutating func enumeration<T: CatalogEnum>(_ value: T) {
        varint(value.binaryCode)
    }

    /// An array: its count, then each item.
    @inline(__always)
    public mutating func array<T>(_ items: [T], _ element: (inout BinaryWriter, T) -> Void) {
        varint(UInt64(items.count))
        for item in items { element(&self, item) }
    }

    /// An optional value: a presence byte, then the value when present.
    @inline(__always)
    public mutating func optional<T>(_ value: T?, _ element: (inout BinaryWriter, T) -> Void) {
        if let value {
            byte(1)
            element(&self, value)
        } else {
            byte(0)
        }
    }

    /// An optional value that may be `null`: 0 absent, 1 present, 2 null.
    @inline(__always)
    public mutating func nullable<T>(_ value: Nullable<T>?, _ element: (inout BinaryWriter, T) -> Void) {
        switch value {
        case nil: byte(0)
        case .value(let v)?:
            byte(1)
            element(&self, v)
        case .null?: byte(2)
        }
    }

    /// A map: its count, then (key, value) pairs in ascending order of the keys' UTF-8 bytes.
    @inline(__always)
    public mutating func map<T>(_ map: [String: T], _ element: (inout BinaryWriter, T) -> Void) {
        varint(UInt64(map.count))
        for key in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            string(key)
            element(&self, map[key]!)
        }
    }
}

extension BinaryReader {
    /// An enum value by its stable code.
    @inline(__always)
    public mutating func enumeration<T: CatalogEnum>(_ type: T.Type) throws(DomainValidationError) -> T {
        let code = try varint()
        guard let value = T(binaryCode: code) else { throw malformed("unknown code \(code) for \(T.self)") }
        return value
    }

    /// An array: its count, then each item.
    @inline(__always)
    public mutating func array<T>(
        _ element: (inout BinaryReader) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> [T] {
        let n = try count()
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try element(&self)) }
        return out
    }

    /// An optional value behind a presence byte.
    @inline(__always)
    public mutating func optional<T>(
        _ element: (inout BinaryReader) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> T? {
        try presence() ? try element(&self) : nil
    }

    /// An optional value that may be `null`.
    @inline(__always)
    public mutating func nullable<T>(
        _ element: (inout BinaryReader) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> Nullable<T>? {
        switch try nullablePresence() {
        case 0: return nil
        case 1: return .value(try element(&self))
        default: return .null
        }
    }

    /// A map written by ``BinaryWriter/map(_:_:)``.
    @inline(__always)
    public mutating func map<T>(
        _ element: (inout BinaryReader) throws(DomainValidationError) -> T
    ) throws(DomainValidationError) -> [String: T] {
        let n = try count()
        var out: [String: T] = [:]
        out.reserveCapacity(n)
        var previous: String?
        for _ in 0..<n {
            let key = try string()
            if let previous, !previous.utf8.lexicographicallyPrecedes(key.utf8) {
                throw malformed("map keys out of order")
            }
            out[key] = try element(&self)
            previous = key
        }
        return out
    }
}
