import CLMDB

extension Environment {
    /// Grows the map after `MDB_MAP_FULL`: doubles it up to 1 GiB, then adds 1 GiB at a time, never
    /// beyond ``Options/maxMapSize``. Holds the gate exclusively, so no transaction is open in the
    /// process while `mdb_env_set_mapsize` runs.
    func growMap() throws(LMDBError) {
        try gate.withExclusive { () throws(LMDBError) in
            var info = MDB_envinfo()
            mdb_env_info(handle, &info)
            let current = info.me_mapsize
            let oneGiB = 1 << 30
            let proposed = current < oneGiB ? current * 2 : current + oneGiB
            let grown = min(proposed, options.maxMapSize)
            guard grown > current else {
                throw LMDBError(code: .mapFull, operation: "grow map beyond maxMapSize \(options.maxMapSize)")
            }
            try check(mdb_env_set_mapsize(handle, grown), "mdb_env_set_mapsize(\(grown))")
            mdb_env_info(handle, &info)
            setMapSize(info.me_mapsize)
        }
    }

    /// Adopts the size another process grew the map to (after `MDB_MAP_RESIZED`).
    func adoptResizedMap() throws(LMDBError) {
        try gate.withExclusive { () throws(LMDBError) in
            try check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize(0)")
            var info = MDB_envinfo()
            mdb_env_info(handle, &info)
            setMapSize(info.me_mapsize)
        }
    }
}
