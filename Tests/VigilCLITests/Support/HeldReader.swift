import Foundation
import LMDB

/// A reader of an LMDB environment, in the test's own process, that holds one read transaction —
/// one snapshot — open until it is told to finish, the way a long report or a daemon's request
/// would while another process writes.
final class HeldReader: @unchecked Sendable {
    private let inside = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var first: [UInt8]?
    private var last: [UInt8]?
    private var failure: (any Error)?

    /// Opens `directory` read-only and, in a thread of its own, begins a read transaction and reads
    /// `key` of database `name`; returns once the transaction is open.
    init(directory: String, database name: String, key: [UInt8]) throws {
        let environment = try Environment.open(
            directory: directory, options: Environment.Options(maxDatabases: 8, readOnly: true))
        let thread = Thread { [self] in
            do {
                try environment.read { txn in
                    let database = try txn.openDatabase(name)
                    first = try txn.get(database, key: key)
                    inside.signal()
                    release.wait()
                    last = try txn.get(database, key: key)
                }
            } catch {
                failure = error
                inside.signal()
            }
            done.signal()
        }
        thread.start()
        inside.wait()
        if let failure { throw failure }
    }

    /// The value read when the transaction began.
    var valueAtStart: [UInt8]? { first }

    /// Reads the key once more in the same transaction, ends it, and returns what it read.
    func finish() throws -> [UInt8]? {
        release.signal()
        done.wait()
        if let failure { throw failure }
        return last
    }
}
