import Glibc

/// LMDB's data file (`data.mdb`) as the file system holds it, read with `pread` — never mapped —
/// so a damaged file can be examined without the risk of a `SIGBUS`.
///
/// LMDB maps the data file and trusts its meta pages: a file shorter than the last page its meta
/// names is mapped anyway, and the first read past the end kills the process. ``inspect(directory:)``
/// checks the two meta pages and the file's size before anything maps it.
///
/// The layout read here (LMDB 0.9, 64-bit): every page starts with a 16-byte header — `u64 pgno`,
/// `u16 pad`, `u16 flags`, `u16 lower`, `u16 upper` — and pages 0 and 1 are meta pages
/// (flag `P_META`, 0x08) holding, from byte 16: `u32 magic` (0xBEEFC0DE), `u32 version` (1),
/// `u64 address`, `u64 mapsize`, two database records (the free list's and the main database's,
/// 48 bytes each: `u32 pad`, `u16 flags`, `u16 depth`, `u64` branch, leaf and overflow page counts,
/// `u64 entries`, `u64 root`), `u64 last page`, `u64 txnid`. The free list's `pad` is the page
/// size. A commit of transaction *t* writes meta page *t* mod 2.
public enum DataFile {
    /// A database record of a meta page (LMDB's `MDB_db`).
    public struct DatabaseRecord: Sendable, Equatable {
        /// `md_pad`: for the free list, the page size; for `MDB_DUPFIXED` data, the item size.
        public var pad: UInt32
        /// `md_flags`.
        public var flags: UInt16
        /// The tree's depth (0 when empty).
        public var depth: UInt16
        /// Branch, leaf and overflow pages.
        public var branchPages: UInt64, leafPages: UInt64, overflowPages: UInt64
        /// Entries.
        public var entries: UInt64
        /// The root page, or `UInt64.max` (`P_INVALID`) when empty.
        public var root: UInt64

        static let size = 48

        init(_ b: UnsafeRawBufferPointer, at o: Int) {
            pad = b.loadUnaligned(fromByteOffset: o, as: UInt32.self)
            flags = b.loadUnaligned(fromByteOffset: o + 4, as: UInt16.self)
            depth = b.loadUnaligned(fromByteOffset: o + 6, as: UInt16.self)
            branchPages = b.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self)
            leafPages = b.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self)
            overflowPages = b.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self)
            entries = b.loadUnaligned(fromByteOffset: o + 32, as: UInt64.self)
            root = b.loadUnaligned(fromByteOffset: o + 40, as: UInt64.self)
        }

        /// Whether the tree is empty.
        public var isEmpty: Bool { root == .max }
    }

    /// One meta page.
    public struct Meta: Sendable, Equatable {
        /// Which meta page, 0 or 1.
        public var page: Int
        /// The page size.
        public var pageSize: Int
        /// The map size recorded.
        public var mapSize: UInt64
        /// The free list.
        public var freeList: DatabaseRecord
        /// The main database (whose entries are the named databases).
        public var main: DatabaseRecord
        /// The last page in use.
        public var lastPage: UInt64
        /// The transaction that wrote it.
        public var transactionID: UInt64

        /// Bytes the file must have for every page this meta can reach.
        public var requiredFileSize: UInt64 { (lastPage + 1) * UInt64(pageSize) }
    }

    /// What a directory holds.
    public enum State: Sendable, Equatable {
        /// No `data.mdb`.
        case absent
        /// A `data.mdb` of 0 bytes.
        case empty
        /// A `data.mdb` whose meta pages and size check out: the newer meta and the file's size.
        case present(Meta, fileSize: UInt64)
    }

    /// The meta page size of LMDB's header, and the smallest page size LMDB uses.
    static let headerSize = 16
    static let magic: UInt32 = 0xBEEF_C0DE
    static let pageFlagMeta: UInt16 = 0x08
    static let pageFlagBranch: UInt16 = 0x01
    static let pageFlagLeaf: UInt16 = 0x02

    /// Reads `directory/data.mdb` and checks what LMDB would otherwise trust:
    ///
    /// - both meta pages are meta pages of LMDB 0.9 (magic, version, page number, flag), with one
    ///   page size, a power of two;
    /// - their transaction ids are those of two successive commits, each on its own page
    ///   (transaction *t* on page *t* mod 2);
    /// - in the newer meta, both roots lie within the last page, and each root page carries its own
    ///   number and is a branch or a leaf as the tree's depth says;
    /// - the file holds every page up to the last one the newer meta names.
    ///
    /// Throws ``LMDBError`` (``LMDBError/Code/corrupted``) naming what is wrong.
    public static func inspect(directory: String) throws(LMDBError) -> State {
        let path = directory + "/data.mdb"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return .absent }
            throw LMDBError(errno, "open \(path)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LMDBError(errno, "fstat \(path)") }
        let size = UInt64(info.st_size)
        if size == 0 { return .empty }
        let metas = try readMetas(fd, fileSize: size)
        let (meta0, meta1) = (metas[0], metas[1])
        for m in [meta0, meta1] where m.transactionID != 0 && m.transactionID % 2 != UInt64(m.page) {
            throw .damaged(
                "meta page \(m.page) holds transaction \(m.transactionID), which LMDB writes on meta page "
                    + "\(m.transactionID % 2): the meta page was changed")
        }
        let (newer, older) = meta0.transactionID > meta1.transactionID ? (meta0, meta1) : (meta1, meta0)
        guard newer.transactionID == older.transactionID + 1 || newer.transactionID == 0 else {
            throw .damaged(
                "the meta pages hold transactions \(meta0.transactionID) and \(meta1.transactionID), "
                    + "not two successive commits: a meta page was changed")
        }
        guard size >= newer.requiredFileSize else {
            throw .damaged(
                "data.mdb is \(size) bytes, but its meta page \(newer.page) (transaction \(newer.transactionID)) "
                    + "uses pages up to \(newer.lastPage), which need \(newer.requiredFileSize) bytes: the file was "
                    + "truncated (cut short by a full disk, a copy that was interrupted, or by hand)")
        }
        for (name, db) in [("free list", newer.freeList), ("main database", newer.main)] where !db.isEmpty {
            guard db.root >= 2, db.root <= newer.lastPage, db.depth >= 1 else {
                throw .damaged(
                    "meta page \(newer.page) names page \(db.root) (depth \(db.depth)) as the \(name)'s root, "
                        + "outside pages 2–\(newer.lastPage): the meta page was changed")
            }
            let root = try read(fd, count: headerSize, at: db.root * UInt64(newer.pageSize), fileSize: size)
            let number = root.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let flags = root.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 10, as: UInt16.self) }
            let expected = db.depth == 1 ? pageFlagLeaf : pageFlagBranch
            guard number == db.root, flags & (pageFlagBranch | pageFlagLeaf) == expected else {
                throw .damaged(
                    "the \(name)'s root, page \(db.root), is not the \(db.depth == 1 ? "leaf" : "branch") page its "
                        + "meta page \(newer.page) says (it is numbered \(number), flags 0x\(String(flags, radix: 16)))"
                )
            }
        }
        return .present(newer, fileSize: size)
    }

    /// Both meta pages of the open file `fd`, each checked on its own (header, magic, version, page
    /// size), with one page size.
    static func readMetas(_ fd: Int32, fileSize: UInt64? = nil) throws(LMDBError) -> [Meta] {
        var size = fileSize ?? 0
        if fileSize == nil {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw LMDBError(errno, "fstat data.mdb") }
            size = UInt64(info.st_size)
        }
        let meta0 = try meta(try read(fd, count: 256, at: 0, fileSize: size), page: 0)
        let meta1 = try meta(try read(fd, count: 256, at: UInt64(meta0.pageSize), fileSize: size), page: 1)
        guard meta1.pageSize == meta0.pageSize else {
            throw .damaged("meta page 1 says the page size is \(meta1.pageSize), meta page 0 \(meta0.pageSize)")
        }
        return [meta0, meta1]
    }

    private static func meta(_ page: [UInt8], page number: Int) throws(LMDBError) -> Meta {
        let parsed: Meta? = page.withUnsafeBytes { b in
            let pgno = b.loadUnaligned(as: UInt64.self)
            let flags = b.loadUnaligned(fromByteOffset: 10, as: UInt16.self)
            let magic = b.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
            let version = b.loadUnaligned(fromByteOffset: 20, as: UInt32.self)
            guard pgno == UInt64(number), flags & pageFlagMeta != 0, magic == Self.magic, version == 1 else {
                return nil
            }
            let free = DatabaseRecord(b, at: 40)
            return Meta(
                page: number, pageSize: Int(free.pad), mapSize: b.loadUnaligned(fromByteOffset: 32, as: UInt64.self),
                freeList: free, main: DatabaseRecord(b, at: 88),
                lastPage: b.loadUnaligned(fromByteOffset: 136, as: UInt64.self),
                transactionID: b.loadUnaligned(fromByteOffset: 144, as: UInt64.self))
        }
        guard let parsed else {
            throw .damaged(
                "meta page \(number) is not an LMDB 0.9 meta page (its header, magic or version was changed)")
        }
        guard parsed.pageSize >= 512, parsed.pageSize <= 65_536, parsed.pageSize & (parsed.pageSize - 1) == 0 else {
            throw .damaged("meta page \(number) says the page size is \(parsed.pageSize), not a power of two")
        }
        return parsed
    }

    private static func read(_ fd: Int32, count: Int, at offset: UInt64, fileSize: UInt64)
        throws(LMDBError) -> [UInt8]
    {
        guard offset + UInt64(count) <= fileSize else {
            throw .damaged(
                "data.mdb is \(fileSize) bytes, too short to hold its meta pages: the file was truncated")
        }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard n == count else { throw LMDBError(n < 0 ? errno : EIO, "pread data.mdb") }
        return buffer
    }
}
