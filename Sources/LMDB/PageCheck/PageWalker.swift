import Glibc

/// Walks every B-tree of an LMDB data file page by page, reading with `pread` (never through the
/// map, so damage cannot crash it), and checks what LMDB trusts without checking:
///
/// - every page a tree reaches lies within the last page, carries its own number, has the kind
///   (branch, leaf, overflow) its place calls for, and is reached once;
/// - every node lies inside its page; keys ascend within each page and stay within the separators
///   of the branch that leads there; all leaves of a tree are at the tree's depth;
/// - overflow runs lie within the file; nested duplicate trees and pages are sound;
/// - the page, entry and depth counts recorded for each database match what the walk found;
/// - the free list names pages in the file, each once, none of them in use; and every page of the
///   file is either in use or free.
///
/// The layout (LMDB 0.9, 64-bit): a page header is `u64 pgno, u16 pad, u16 flags, u16 lower,
/// u16 upper`; flags `P_BRANCH` 0x01, `P_LEAF` 0x02, `P_OVERFLOW` 0x04, `P_META` 0x08, `P_LEAF2`
/// 0x20, `P_SUBP` 0x40. `lower` ends an array of `u16` node offsets starting at byte 16 (for
/// `P_LEAF2`, keys of a fixed size are packed from byte 16 instead). A node is `u16 lo, u16 hi,
/// u16 flags, u16 ksize`, the key, then (in a leaf) the data, whose size is `lo | hi << 16`; in a
/// branch, `lo | hi << 16 | flags << 32` is the child's page number. Leaf node flags: `F_BIGDATA`
/// 0x01 (the data is the page number of an overflow run), `F_SUBDATA` 0x02 (the data is a database
/// record), `F_DUPDATA` 0x04 (the data holds duplicates: a sub-page, or with `F_SUBDATA` a tree).
struct PageWalker {
    let fd: Int32
    let pageSize: Int
    let lastPage: UInt64
    private(set) var problems: [String] = []
    private var owner: [UInt8]
    private var pagesInUse = 2  // the meta pages

    /// How a tree's keys compare.
    enum Order {
        case bytes
        case integer
    }

    /// What the walk found in one tree.
    struct Counts {
        var branch: UInt64 = 0
        var leaf: UInt64 = 0
        var overflow: UInt64 = 0
        var entries: UInt64 = 0
    }

    static let branchFlag: UInt16 = 0x01
    static let leafFlag: UInt16 = 0x02
    static let overflowFlag: UInt16 = 0x04
    static let leaf2Flag: UInt16 = 0x20
    static let subPageFlag: UInt16 = 0x40
    static let bigData: UInt16 = 0x01
    static let subData: UInt16 = 0x02
    static let dupData: UInt16 = 0x04
    static let maxProblems = 20
    private static let inUse: UInt8 = 1
    private static let free: UInt8 = 2

    init(fd: Int32, pageSize: Int, lastPage: UInt64) {
        self.fd = fd
        self.pageSize = pageSize
        self.lastPage = lastPage
        owner = [UInt8](repeating: 0, count: Int(lastPage) + 1)
    }

    var pages: Int { Int(lastPage) + 1 }

    mutating func problem(_ message: String) {
        if problems.count < Self.maxProblems { problems.append(message) }
    }

    // MARK: - Trees

    /// Walks the tree of `record` (named `name` in messages) and compares its recorded counts.
    mutating func walk(
        _ name: String, _ record: DataFile.DatabaseRecord, order: Order, fixedSize: Int? = nil, visit: LeafVisitor
    ) {
        guard !record.isEmpty else {
            if record.entries != 0 || record.depth != 0 {
                problem("\(name): no root page, but \(record.entries) entries and depth \(record.depth) recorded")
            }
            return
        }
        guard record.depth >= 1, record.depth <= 32 else {
            return problem("\(name): a depth of \(record.depth) is impossible")
        }
        var counts = Counts()
        walkPage(
            record.root, name, depth: Int(record.depth), low: nil, high: nil, order: order, fixedSize: fixedSize,
            counts: &counts, visit)
        let recorded = (record.branchPages, record.leafPages, record.overflowPages)
        if counts.branch != recorded.0 || counts.leaf != recorded.1 || counts.overflow != recorded.2 {
            problem(
                "\(name): the walk found \(counts.branch) branch, \(counts.leaf) leaf and \(counts.overflow) overflow "
                    + "pages; its record says \(recorded.0), \(recorded.1) and \(recorded.2)")
        }
        if counts.entries != record.entries {
            problem("\(name): the walk found \(counts.entries) entries; its record says \(record.entries)")
        }
    }

    /// What to do with each leaf entry: check its data, count nested entries.
    typealias LeafVisitor = (inout PageWalker, _ key: [UInt8], _ node: Node, _ counts: inout Counts) -> Void

    private mutating func walkPage(
        _ pgno: UInt64, _ name: String, depth: Int, low: [UInt8]?, high: [UInt8]?, order: Order, fixedSize: Int?,
        counts: inout Counts, _ visit: LeafVisitor
    ) {
        guard problems.count < Self.maxProblems, let page = claim(pgno, name) else { return }
        let flags = page.flags
        let isBranch = flags & Self.branchFlag != 0
        let isLeaf = flags & Self.leafFlag != 0
        guard isBranch != isLeaf, (depth > 1) == isBranch else {
            return problem(
                "\(name): page \(pgno) has flags 0x\(String(flags, radix: 16)) where a \(depth > 1 ? "branch" : "leaf") page belongs"
            )
        }
        if isBranch { counts.branch += 1 } else { counts.leaf += 1 }
        guard let nodes = page.nodes(in: name, fixedSize: isLeaf ? fixedSize : nil, problem: &problems) else { return }
        var previous: [UInt8]? = nil
        for (index, node) in nodes.enumerated() {
            let key = node.key
            if isBranch && index == 0 {
                // The leftmost separator is empty: it stands for the branch's lower bound.
            } else {
                if let previous, compare(previous, key, order) >= 0 {
                    return problem("\(name): page \(pgno) key \(index) is not above the key before it")
                }
                if let low, compare(key, low, order) < 0 {
                    return problem("\(name): page \(pgno) key \(index) is below its branch's separator")
                }
                if let high, compare(key, high, order) >= 0 {
                    return problem("\(name): page \(pgno) key \(index) is not below the next separator of its branch")
                }
                previous = key
            }
            if isBranch {
                let childLow = index == 0 ? low : key
                let childHigh = index + 1 < nodes.count ? nodes[index + 1].key : high
                walkPage(
                    node.child, name, depth: depth - 1, low: childLow, high: childHigh, order: order,
                    fixedSize: fixedSize, counts: &counts, visit)
            } else {
                visit(&self, key, node, &counts)
            }
        }
    }

    /// Reads page `pgno` for `name` and marks it in use: nil (and a problem) when it is outside the
    /// file, already in use, unreadable or not numbered `pgno`.
    mutating func claim(_ pgno: UInt64, _ name: String, count: UInt64 = 1) -> Page? {
        guard pgno >= 2, pgno + count - 1 <= lastPage else {
            problem("\(name): page \(pgno) is outside the file's pages 2–\(lastPage)")
            return nil
        }
        for p in pgno..<(pgno + count) {
            guard owner[Int(p)] == 0 else {
                problem("\(name): page \(p) is reached twice (or is also on the free list)")
                return nil
            }
            owner[Int(p)] = Self.inUse
        }
        pagesInUse += Int(count)
        guard let page = read(pgno) else {
            problem("\(name): page \(pgno) cannot be read")
            return nil
        }
        guard page.number == pgno else {
            problem("\(name): page \(pgno) is numbered \(page.number) inside")
            return nil
        }
        return page
    }

    func read(_ pgno: UInt64) -> Page? {
        var bytes = [UInt8](repeating: 0, count: pageSize)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, pageSize, off_t(pgno) * off_t(pageSize)) }
        return n == pageSize ? Page(bytes: bytes, pageSize: pageSize) : nil
    }

    func compare(_ a: [UInt8], _ b: [UInt8], _ order: Order) -> Int {
        if order == .integer, a.count == 8, b.count == 8 {
            let x = a.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let y = b.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            return x < y ? -1 : x == y ? 0 : 1
        }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count < b.count ? -1 : a.count == b.count ? 0 : 1
    }

    // MARK: - Free pages

    /// Marks `pgno` free (named by the free list).
    mutating func markFree(_ pgno: UInt64) {
        guard pgno >= 2, pgno <= lastPage else {
            return problem("free list: page \(pgno) is outside the file's pages 2–\(lastPage)")
        }
        switch owner[Int(pgno)] {
        case Self.inUse: problem("free list: page \(pgno) is free and in use at once")
        case Self.free: problem("free list: page \(pgno) is listed twice")
        default: owner[Int(pgno)] = Self.free
        }
    }

    /// After every tree and the free list: pages neither in use nor free.
    mutating func checkAccounting() {
        let lost = owner.indices.dropFirst(2).filter { owner[$0] == 0 }
        if !lost.isEmpty {
            problem(
                "\(lost.count) pages are neither in use nor free (first: page \(lost[0])): the trees or the free "
                    + "list lost track of them")
        }
    }
}
