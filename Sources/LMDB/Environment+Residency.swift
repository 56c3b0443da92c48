import CLMDB
import Glibc
import Synchronization

extension Environment {
    /// Drops this process's resident pages of the environment's map, so a pass that reads the whole
    /// file (a replay, a rebuild) holds only the pages it touched since the last call instead of
    /// every page of the file: its resident set stays the same however long the log grows.
    ///
    /// Nothing is lost and nothing is written: LMDB maps the file shared, so the pages stay in the
    /// kernel's page cache (a page written through an `MDB_WRITEMAP` map stays dirty there), and the
    /// next read of one maps it again (a minor fault).
    /// Pointers into the map stay valid. Returns the bytes of map it applied to (0 where the map
    /// cannot be found, or off Linux).
    ///
    /// Like opening a transaction, never call it from inside a transaction's closure: it holds the
    /// gate that map growth waits for.
    @discardableResult
    public func releaseResidentPages() -> Int {
        gate.withShared { residency.release() }
    }

    /// ``releaseResidentPages()`` if the process's file-backed resident set grew by more than 32 MiB
    /// since the last release; returns whether it let go.
    @discardableResult
    public func releaseResidentPagesIfGrown() -> Bool {
        gate.withShared { residency.releaseIfGrown() }
    }

    /// The regions of this process's address space that map `path` (from `/proc/self/maps`).
    static func mappedRegions(of path: String) -> [(start: UInt, length: Int)] {
        guard let maps = fopen("/proc/self/maps", "r") else { return [] }
        defer { fclose(maps) }
        var regions: [(start: UInt, length: Int)] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, maps) > 0, let line {
            // "start-end perms offset dev inode   path", and " (deleted)" after a file unlinked while
            // mapped (an as-of's scratch).
            var text = String(cString: line)
            if text.hasSuffix("\n") { text.removeLast() }
            if text.hasSuffix(" (deleted)") { text.removeLast(" (deleted)".count) }
            guard text.hasSuffix(" " + path) else { continue }
            let range = text.prefix { $0 != " " }.split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                end > start
            else { continue }
            regions.append((start, Int(end - start)))
        }
        return regions
    }
}

extension Transaction {
    /// ``Environment/releaseResidentPages()`` from inside a transaction — one that reads a whole
    /// database, a page at a time — which already holds the gate map growth waits for. Pages the
    /// transaction reads next are mapped again as it reads them.
    @discardableResult
    public func releaseResidentPages() -> Int {
        residency.release()
    }

    /// ``Environment/releaseResidentPagesIfGrown()`` from inside a transaction.
    @discardableResult
    public func releaseResidentPagesIfGrown() -> Bool {
        residency.releaseIfGrown()
    }
}

/// Where this process maps an environment's data file, so that letting go of its pages is one
/// `madvise` per region: found in `/proc/self/maps` once, and again only when LMDB has mapped the
/// file anew — which it does only when the map is resized, so its size tells. Cheap enough for a
/// walk over scattered pages to let them go every few dozen pages read (``PageBudget``).
final class MapResidency: Sendable {
    // The environment outlives its transactions and this; LMDB's info call is thread-safe.
    private nonisolated(unsafe) let env: OpaquePointer
    private let file: String
    private let found = Mutex<(mapSize: Int, regions: [(start: UInt, length: Int)])?>(nil)

    init(env: OpaquePointer, file: String) {
        self.env = env
        self.file = file
    }

    /// How much the process's file-backed resident set may grow between two releases before
    /// ``releaseIfGrown()`` lets go of the map's pages.
    static let growthLimit = 32 << 20

    /// The process's file-backed resident pages (`/proc/self/statm`'s "shared") right after the last
    /// release; -1 before the first.
    private let mappedAtRelease = Atomic<Int>(-1)

    /// Lets go of the map's pages if the process's file-backed resident set grew by more than
    /// ``growthLimit`` since the last release; returns whether it did. One read of
    /// `/proc/self/statm` when it does not: cheap enough to ask every few dozen pages read. How much
    /// a page read maps varies — with the page cache's folios, and with how scattered the file's
    /// pages are — so a pass asks, rather than releasing every so many pages: it holds the same
    /// mapped pages however long the log, and releases (and maps again) no more often than it must.
    func releaseIfGrown() -> Bool {
        guard let shared = Self.sharedResidentPages() else { return release() > 0 }
        let last = mappedAtRelease.load(ordering: .relaxed)
        if last >= 0, (shared - last) * Int(getpagesize()) <= Self.growthLimit { return false }
        _ = release()
        return true
    }

    #if os(Linux)
        /// `/proc/self/statm`, opened once: a pass asks every few dozen pages, and each read from
        /// offset 0 is the kernel's figures anew (open and close were two of every ask's three calls).
        private static let statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    #endif

    /// The process's file-backed (and shared-memory) resident pages, or `nil` off Linux.
    static func sharedResidentPages() -> Int? {
        #if os(Linux)
            guard statm >= 0 else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Int? in
                let count = pread(statm, buffer.baseAddress, buffer.count, 0)
                guard count > 0 else { return nil }
                // "size resident shared text lib data dt", in pages: the third field.
                var field = 0
                var value = 0
                for byte in buffer[0..<count] {
                    if byte == UInt8(ascii: " ") {
                        field += 1
                        if field > 2 { return value }
                    } else if field == 2 {
                        value = value * 10 + Int(byte) - 48
                    }
                }
                return field == 2 ? value : nil
            }
        #else
            nil
        #endif
    }

    /// Drops the resident pages of the map; the caller holds the gate, so the map cannot move
    /// meanwhile. Returns the bytes of map it applied to (0 where the map cannot be found, or off
    /// Linux).
    func release() -> Int {
        defer { mappedAtRelease.store(Self.sharedResidentPages() ?? -1, ordering: .relaxed) }
        #if os(Linux)
            var info = MDB_envinfo()
            guard mdb_env_info(env, &info) == MDB_SUCCESS else { return 0 }
            let regions = found.withLock { found in
                if let known = found, known.mapSize == info.me_mapsize { return known.regions }
                let regions = Environment.mappedRegions(of: file)
                found = (info.me_mapsize, regions)
                return regions
            }
            var released = 0
            for region in regions
            where madvise(UnsafeMutableRawPointer(bitPattern: region.start), region.length, MADV_DONTNEED) == 0 {
                released += region.length
            }
            return released
        #else
            0
        #endif
    }
}

/// Counts the pages a walk over a database reads, for a walk that asks every so many whether to let
/// them go (``Transaction/releaseResidentPagesIfGrown()``). A database written over many transactions
/// lies on pages scattered through the file, and the kernel maps a block of neighbouring pages with
/// each page read (fault-around, large folios: 32 on this project's machines), so what a walk holds
/// follows the pages it read, not its rows: a view of 6 rows a page read 16,384 rows at a time held
/// 330 MiB.
public struct PageBudget {
    /// Pages read between two looks.
    public let pages: Int
    /// How often a whole-log or whole-view pass looks: every 32 pages read, at most about 32 × 32
    /// pages (4 MiB) mapped past ``MapResidency/growthLimit`` before it lets go.
    public static let standard = 32
    private var lastPage = UInt.max
    private var read = 0

    /// A budget of `pages` pages.
    public init(pages: Int) {
        self.pages = max(1, pages)
    }

    /// Notes the page that `bytes` (a key or value LMDB handed out, inside its map) lies on; `true`,
    /// counting anew, once the walk has moved onto `pages` pages since the last `true`.
    public mutating func spent(reading bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let page = UInt(bitPattern: base) >> 12
        guard page != lastPage else { return false }
        lastPage = page
        read += 1
        guard read >= pages else { return false }
        read = 0
        return true
    }
}
