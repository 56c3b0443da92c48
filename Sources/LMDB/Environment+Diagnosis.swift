import CLMDB
import Glibc

extension Environment {
    /// Names the cause of a failed write when LMDB could not: LMDB reports a *short* write — what a
    /// full disk or a file size limit usually gives — as `EIO` ("short write, filesystem full?").
    /// After such a failure this looks at the file system and the process's limits and returns
    /// ``LMDBError/Code/noSpace`` when the store's file system has (almost) no space left, or
    /// ``LMDBError/Code/fileTooLarge`` when `data.mdb` has reached `ulimit -f`; otherwise `error`.
    func diagnose(_ error: LMDBError) -> LMDBError {
        Self.diagnose(error, directory: directory, pageSize: info().pageSize)
    }

    /// ``diagnose(_:)`` for a write into `directory/data.mdb`.
    static func diagnose(_ error: LMDBError, directory: String, pageSize: Int) -> LMDBError {
        guard error.code == .ioError || error.code == .noSpace || error.code == .fileTooLarge else { return error }
        let dataFile = directory + "/data.mdb"
        var limit = rlimit()
        var file = stat()
        if getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
            stat(dataFile, &file) == 0, UInt64(file.st_size) + UInt64(max(pageSize, 4096)) > limit.rlim_cur
        {
            return LMDBError(
                code: .fileTooLarge,
                operation: "\(error.operation): data.mdb is \(file.st_size) bytes, the limit is \(limit.rlim_cur)")
        }
        var fs = statvfs()
        if statvfs(directory, &fs) == 0 {
            let free = UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
            if error.code == .noSpace || free < nearlyFull {
                return LMDBError(
                    code: .noSpace, operation: "\(error.operation): \(free) bytes free on the store's file system")
            }
        }
        return error
    }

    /// Below this many free bytes after a failed write, the file system is taken to be full.
    static let nearlyFull: UInt64 = 1 << 20
}
