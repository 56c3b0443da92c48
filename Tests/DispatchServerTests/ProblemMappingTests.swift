import DispatchServer
import EventStore
import LMDB
import Testing

@Suite("Errors as problems")
struct ProblemMappingTests {
    @Test(
        "a store out of space is 507 with Retry-After (nothing was written: retry), never a 500",
        arguments: [LMDBError.Code.noSpace, .quotaExceeded, .mapFull])
    func outOfSpace(_ code: LMDBError.Code) {
        let error = EventStoreError(
            .storage, "storage failed", cause: LMDBError(code: code, operation: "mdb_txn_commit"))
        let problem = Problem(error)
        #expect(problem.status.code == 507)
        #expect(problem.kind == "insufficient-storage")
        #expect(problem.headers[.retryAfter] != nil)
        #expect(problem.detail.contains("nothing was written"))
    }

    @Test("any other storage failure is a 500 that says no more")
    func otherStorageFailure() {
        let error = EventStoreError(
            .storage, "storage failed", cause: LMDBError(code: .ioError, operation: "mdb_txn_commit"))
        #expect(Problem(error).status.code == 500)
        #expect(!Problem(error).detail.contains("EIO"))
    }
}
