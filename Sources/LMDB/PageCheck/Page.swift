/// One page (or a sub-page: duplicates kept inside a leaf node) read from the data file.
struct Page {
    let bytes: [UInt8]
    let pageSize: Int

    static let headerSize = 16
    static let nodeHeaderSize = 8

    var number: UInt64 { load(0, UInt64.self) }
    /// For a `P_LEAF2` sub-page: the size of each item.
    var pad: UInt16 { load(8, UInt16.self) }
    var flags: UInt16 { load(10, UInt16.self) }
    var lower: Int { Int(load(12, UInt16.self)) }
    var upper: Int { Int(load(14, UInt16.self)) }
    /// For the first page of an overflow run: the run's length in pages.
    var overflowPages: UInt32 { load(12, UInt32.self) }

    func load<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }

    /// The page's nodes, or nil (and a problem) when the header or a node does not fit the page.
    /// `fixedSize` is the item size of a `P_LEAF2` page (keys only, packed).
    func nodes(in name: String, fixedSize: Int? = nil, problem problems: inout [String]) -> [Node]? {
        let size = bytes.count
        func fail(_ message: String) -> [Node]? {
            if problems.count < PageWalker.maxProblems { problems.append("\(name): \(message)") }
            return nil
        }
        guard lower >= Self.headerSize, lower <= upper, upper <= size, (lower - Self.headerSize) % 2 == 0 else {
            return fail("page \(number) has bounds lower \(lower), upper \(upper) outside its \(size) bytes")
        }
        let count = (lower - Self.headerSize) / 2
        if flags & PageWalker.leaf2Flag != 0 {
            guard let itemSize = fixedSize ?? (pad > 0 ? Int(pad) : nil), itemSize > 0,
                Self.headerSize + count * itemSize <= size
            else { return fail("page \(number) holds \(count) fixed-size items that do not fit it") }
            return (0..<count).map { i in
                let start = Self.headerSize + i * itemSize
                return Node(key: Array(bytes[start..<(start + itemSize)]), flags: 0, size: 0, data: [])
            }
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(count)
        for i in 0..<count {
            let offset = Int(load(Self.headerSize + 2 * i, UInt16.self))
            guard offset >= upper, offset + Self.nodeHeaderSize <= size else {
                return fail("page \(number) node \(i) starts at byte \(offset), outside the page's nodes")
            }
            let lo = UInt64(load(offset, UInt16.self))
            let hi = UInt64(load(offset + 2, UInt16.self))
            let nodeFlags = load(offset + 4, UInt16.self)
            let keySize = Int(load(offset + 6, UInt16.self))
            let keyStart = offset + Self.nodeHeaderSize
            guard keyStart + keySize <= size else {
                return fail("page \(number) node \(i) has a \(keySize)-byte key that runs past the page")
            }
            let key = Array(bytes[keyStart..<(keyStart + keySize)])
            if flags & PageWalker.branchFlag != 0 {
                let child = lo | hi << 16 | UInt64(nodeFlags) << 32
                nodes.append(Node(key: key, flags: 0, size: child, data: []))
                continue
            }
            let dataSize = lo | hi << 16
            let stored = nodeFlags & PageWalker.bigData != 0 ? 8 : Int(dataSize)
            guard keyStart + keySize + stored <= size else {
                return fail("page \(number) node \(i) has \(stored) bytes of data that run past the page")
            }
            let data = Array(bytes[(keyStart + keySize)..<(keyStart + keySize + stored)])
            nodes.append(Node(key: key, flags: nodeFlags, size: dataSize, data: data))
        }
        return nodes
    }
}

/// One node of a page.
struct Node {
    /// The key.
    var key: [UInt8]
    /// Leaf node flags (`F_BIGDATA`, `F_SUBDATA`, `F_DUPDATA`).
    var flags: UInt16
    /// In a leaf, the data's size; in a branch, the child's page number.
    var size: UInt64
    /// In a leaf, the data as stored in the node (for `F_BIGDATA`, the overflow page number).
    var data: [UInt8]

    /// In a branch, the child's page number.
    var child: UInt64 { size }

    /// The data as a little-endian u64 (an overflow page number), when it is 8 bytes.
    var dataNumber: UInt64? {
        data.count == 8 ? data.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } : nil
    }
}
