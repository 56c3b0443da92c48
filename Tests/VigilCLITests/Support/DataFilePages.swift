import Foundation

/// Reads and changes an LMDB 0.9 data file byte by byte, to craft the damage a disk, a bad copy or
/// a person could do (the layout is in `Sources/LMDB/DataFile.swift` and `PageCheck/`): page
/// headers of 16 bytes (`u64 pgno`, `u16 pad`, `u16 flags`, `u16 lower`, `u16 upper`), meta pages 0
/// and 1, nodes `u16 lo, u16 hi, u16 flags, u16 ksize, key, data`, a branch node's child page
/// `lo | hi << 16 | flags << 32`.
struct DataFilePages {
    var bytes: Data
    let pageSize = 4096

    init(path: String) throws { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) }

    func write(to path: String) throws { try bytes.write(to: URL(fileURLWithPath: path)) }

    func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
    func u64(_ offset: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) } }

    mutating func setU16(_ offset: Int, _ value: Int) {
        bytes[offset] = UInt8(value & 0xFF)
        bytes[offset + 1] = UInt8(value >> 8 & 0xFF)
    }

    mutating func setU64(_ offset: Int, _ value: UInt64) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    /// The meta page LMDB uses: the one with the larger transaction id.
    var newestMeta: Int { u64(144) > u64(pageSize + 144) ? 0 : 1 }

    /// The byte offset of meta page `page`'s transaction id, main root and last page.
    func metaTransactionOffset(_ page: Int) -> Int { page * pageSize + 144 }
    func metaMainRootOffset(_ page: Int) -> Int { page * pageSize + 88 + 40 }

    /// A node of a page.
    struct Node {
        var offset: Int
        var key: Data
        var child: UInt64
        var data: Data
    }

    /// The page's flags and nodes.
    func nodes(_ pgno: UInt64) -> (flags: Int, nodes: [Node]) {
        let base = Int(pgno) * pageSize
        let flags = u16(base + 10)
        let count = (u16(base + 12) - 16) / 2
        let nodes = (0..<count).map { i -> Node in
            let offset = base + u16(base + 16 + 2 * i)
            let lo = UInt64(u16(offset))
            let hi = UInt64(u16(offset + 2))
            let nodeFlags = UInt64(u16(offset + 4))
            let keySize = u16(offset + 6)
            let key = bytes[(offset + 8)..<(offset + 8 + keySize)]
            let dataSize = flags & 2 != 0 ? Int(lo | hi << 16) : 0
            let data = bytes[(offset + 8 + keySize)..<(offset + 8 + keySize + dataSize)]
            return Node(offset: offset, key: Data(key), child: lo | hi << 16 | nodeFlags << 32, data: Data(data))
        }
        return (flags, nodes)
    }

    /// A named database's record: (root, depth).
    func database(_ name: String) -> (root: UInt64, depth: Int)? {
        let meta = newestMeta * pageSize
        let mainRoot = u64(meta + 88 + 40)
        guard let node = nodes(mainRoot).nodes.first(where: { $0.key == Data(name.utf8) }), node.data.count == 48
        else { return nil }
        let record = node.data
        let depth = Int(record[record.startIndex + 6]) | Int(record[record.startIndex + 7]) << 8
        let root = (0..<8).reduce(UInt64(0)) { $0 | UInt64(record[record.startIndex + 40 + $1]) << (8 * $1) }
        return (root, depth)
    }

    /// A branch page of `name` whose children are leaves, with at least `nodes` nodes.
    func lowestBranch(of name: String, nodes minimum: Int = 8) -> UInt64? {
        guard var (page, depth) = database(name), depth >= 2 else { return nil }
        while depth > 2 {
            page = nodes(page).nodes[0].child
            depth -= 1
        }
        return nodes(page).nodes.count >= minimum ? page : nil
    }

    /// The leftmost leaf page of `name`.
    func firstLeaf(of name: String) -> UInt64? {
        guard var (page, depth) = database(name) else { return nil }
        while depth > 1 {
            page = nodes(page).nodes[0].child
            depth -= 1
        }
        return page
    }

    /// Points branch node `node` of page `pgno` at `child`.
    mutating func setChild(page pgno: UInt64, node: Int, to child: UInt64) {
        let offset = nodes(pgno).nodes[node].offset
        setU16(offset, Int(child & 0xFFFF))
        setU16(offset + 2, Int(child >> 16 & 0xFFFF))
        setU16(offset + 4, Int(child >> 32 & 0xFFFF))
    }
}
