import CLMDB
import Glibc

/// What ``Environment/checkPages()`` found.
public struct PageCheckReport: Sendable {
    /// Pages in the file up to the last one in use (meta pages included).
    public var pages: Int
    /// Named databases walked.
    public var databases: Int
    /// What is wrong, the first twenty problems at most.
    public var problems: [String]

    /// Whether every page checked out.
    public var isValid: Bool { problems.isEmpty }
}

extension Environment {
    /// Walks every page of the data file as of a snapshot held open for the walk (so the writer
    /// reuses none of its pages meanwhile): every tree of every named database, nested duplicate
    /// trees, the free list, and the accounting of every page. Reads the file with `pread`, so
    /// damage is reported, never crashed on. See `PageWalker` for the checks.
    public func checkPages() -> PageCheckReport {
        for _ in 0..<20 {
            do {
                if let report = try read({ txn in try checkPages(snapshot: UInt64(txn.id)) }) { return report }
            } catch {
                return PageCheckReport(pages: 0, databases: 0, problems: ["cannot walk the pages: \(error)"])
            }
        }
        return PageCheckReport(
            pages: 0, databases: 0,
            problems: ["the writer committed too fast to catch a snapshot's meta page: run the deep check again"])
    }

    /// The walk for `snapshot`; nil when its meta page was overwritten before it could be read.
    private func checkPages(snapshot: UInt64) throws -> PageCheckReport? {
        let path = directory + "/data.mdb"
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LMDBError(errno, "open \(path)") }
        defer { close(fd) }
        let metas = try DataFile.readMetas(fd)
        guard let meta = metas.first(where: { $0.transactionID == snapshot }) else { return nil }
        var walker = PageWalker(fd: fd, pageSize: meta.pageSize, lastPage: meta.lastPage)
        walker.walk("free list", meta.freeList, order: .integer) { walker, key, node, counts in
            counts.entries += 1
            guard let data = walker.leafData(node, "free list", &counts), data.count >= 8, data.count % 8 == 0 else {
                return walker.problem("free list: the entry of transaction \(key) is not a page list")
            }
            let numbers = data.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
            guard numbers[0] == UInt64(numbers.count - 1) else {
                return walker.problem(
                    "free list: the entry of transaction \(key) counts \(numbers[0]) pages, holds \(numbers.count - 1)")
            }
            for pgno in numbers.dropFirst() { walker.markFree(pgno) }
        }
        var databases = 0
        walker.walk("main database", meta.main, order: .bytes) { walker, key, node, counts in
            counts.entries += 1
            let name = String(decoding: key, as: UTF8.self)
            guard node.flags & PageWalker.subData != 0, node.data.count == DataFile.DatabaseRecord.size else {
                return walker.problem("main database: '\(name)' is not a named database's record")
            }
            databases += 1
            let record = node.data.withUnsafeBytes { DataFile.DatabaseRecord($0, at: 0) }
            walker.walkNamed("'\(name)'", record)
        }
        walker.checkAccounting()
        return PageCheckReport(pages: walker.pages, databases: databases, problems: walker.problems)
    }
}

extension PageWalker {
    static let reverseKey: UInt16 = 0x02
    static let dupSort: UInt16 = 0x04
    static let integerKey: UInt16 = 0x08
    static let dupFixed: UInt16 = 0x10

    /// Walks a named database: plain, or with sorted duplicates (in sub-pages or nested trees).
    mutating func walkNamed(_ name: String, _ record: DataFile.DatabaseRecord) {
        guard record.flags & Self.reverseKey == 0 else { return }
        let order: Order = record.flags & Self.integerKey != 0 ? .integer : .bytes
        let duplicates = record.flags & Self.dupSort != 0
        walk(name, record, order: order) { walker, key, node, counts in
            guard duplicates, node.flags & PageWalker.dupData != 0 else {
                counts.entries += 1
                _ = walker.leafData(node, name, &counts)
                return
            }
            if node.flags & PageWalker.subData != 0 {
                guard node.data.count == DataFile.DatabaseRecord.size else {
                    return walker.problem("\(name): a nested duplicate tree's record is \(node.data.count) bytes")
                }
                let nested = node.data.withUnsafeBytes { DataFile.DatabaseRecord($0, at: 0) }
                counts.entries += nested.entries
                walker.walk("\(name) duplicates", nested, order: .bytes, fixedSize: Int(nested.pad)) { _, _, _, c in
                    c.entries += 1
                }
                return
            }
            let sub = Page(bytes: node.data, pageSize: node.data.count)
            guard
                sub.flags & (PageWalker.leafFlag | PageWalker.subPageFlag) == PageWalker.leafFlag
                    | PageWalker.subPageFlag
            else { return walker.problem("\(name): a duplicates sub-page has flags 0x\(String(sub.flags, radix: 16))") }
            var problems: [String] = []
            guard let items = sub.nodes(in: name, problem: &problems) else {
                return walker.problem(problems.first ?? "\(name): a duplicates sub-page is damaged")
            }
            for (a, b) in zip(items, items.dropFirst()) where walker.compare(a.key, b.key, .bytes) >= 0 {
                return walker.problem("\(name): duplicates of one key are out of order in a sub-page")
            }
            counts.entries += UInt64(items.count)
        }
    }

    /// A leaf node's whole data, reading (and claiming) its overflow run when it has one.
    mutating func leafData(_ node: Node, _ name: String, _ counts: inout Counts) -> [UInt8]? {
        guard node.flags & Self.bigData != 0 else { return node.data }
        guard let first = node.dataNumber else { return nil }
        let pages = (UInt64(Page.headerSize) + node.size + UInt64(pageSize) - 1) / UInt64(pageSize)
        guard let head = claim(first, name, count: pages) else { return nil }
        guard head.flags & Self.overflowFlag != 0, UInt64(head.overflowPages) == pages else {
            problem("\(name): overflow page \(first) is not the start of a \(pages)-page run")
            return nil
        }
        counts.overflow += pages
        var bytes = [UInt8](repeating: 0, count: Int(pages) * pageSize)
        let n = bytes.withUnsafeMutableBytes {
            pread(fd, $0.baseAddress, $0.count, off_t(first) * off_t(pageSize))
        }
        guard n == bytes.count else { return nil }
        return Array(bytes[Page.headerSize..<(Page.headerSize + Int(node.size))])
    }
}
