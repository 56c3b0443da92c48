import CLMDB
import Glibc

/// LMDB's answer to a page of the wrong kind where its B-tree logic has no error path (a leaf
/// expected, a branch found: what a damaged page number leads to) is an assertion that aborts the
/// process. Every ``Environment`` installs this instead (`mdb_env_set_assert`): it names the damage
/// and the remedy on standard error and ends the process with exit status 2 — damage found — rather
/// than a crash signal. It never returns (LMDB would abort if it did); nothing is written by the
/// operation it stops, since a write transaction in progress is never committed.
func lmdbAssertionFailed(_ env: OpaquePointer?, _ message: UnsafePointer<CChar>?) {
    let detail = message.map { String(cString: $0) } ?? "an internal check failed"
    let text =
        "Error: the store is damaged: LMDB met an inconsistent page (\(detail)) — stop using the store, keep "
        + "it aside for inspection, and restore the latest backup (vigil backup) or re-import an export; "
        + "'vigil verify --deep' names the damaged pages\n"
    _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
    _exit(2)
}
