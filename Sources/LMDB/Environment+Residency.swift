import CLMDB
import Glibc

extension Environment {
    /// Drops this process's resident pages of the environment's map, so a pass that reads the whole
    /// file (a replay, a rebuild) holds only the pages it touched since the last call instead of
    /// every page of the file: its resident set stays the same however long the log grows.
    ///
    /// Nothing is lost and nothing is written: LMDB maps the file read-only and shared, so the pages
    /// stay in the kernel's page cache, and the next read of one maps it again (a minor fault).
    /// Pointers into the map stay valid. Returns the bytes of map it applied to (0 where the map
    /// cannot be found, or off Linux).
    ///
    /// Like opening a transaction, never call it from inside a transaction's closure: it holds the
    /// gate that map growth waits for.
    @discardableResult
    public func releaseResidentPages() -> Int {
        gate.withShared { Self.releaseResidentPages(of: directory + "/data.mdb") }
    }

    /// Drops the resident pages of every mapping of `file` (see ``releaseResidentPages()``); the
    /// caller holds the gate, so the map cannot move meanwhile.
    static func releaseResidentPages(of file: String) -> Int {
        #if os(Linux)
            var released = 0
            for region in mappedRegions(of: file) {
                if madvise(UnsafeMutableRawPointer(bitPattern: region.start), region.length, MADV_DONTNEED) == 0 {
                    released += region.length
                }
            }
            return released
        #else
            0
        #endif
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
        var path: UnsafePointer<CChar>?
        guard mdb_env_get_path(mdb_txn_env(handle), &path) == MDB_SUCCESS, let path else { return 0 }
        return Environment.releaseResidentPages(of: String(cString: path) + "/data.mdb")
    }
}
