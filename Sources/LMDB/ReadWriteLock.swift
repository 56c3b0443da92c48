import Glibc

/// A writer-preferring `pthread_rwlock_t`. Every transaction in the process holds it shared; map
/// resizing holds it exclusively, so no transaction is open in the process while the map changes
/// (`mdb_env_set_mapsize` requires that).
///
/// Writer preference keeps a stream of short read transactions from starving a resize. Its hazard
/// is a thread that takes the lock shared again while it holds it: behind a resize waiting for the
/// first hold to end, the second waits for ever (glibc documents the deadlock). So the lock counts
/// each thread's shared holds (a thread-specific value), and a transaction opened inside another
/// one's closure on the same thread runs under the hold it already has. A resize inside a
/// transaction's closure would wait for its own thread: it is refused (a programming error).
final class ReadWriteLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    /// This thread's shared holds of this lock.
    private var key = pthread_key_t()

    init() {
        lock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
    }

    deinit {
        pthread_key_delete(key)
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// How many shared holds the calling thread has.
    private var holds: Int {
        get { Int(bitPattern: pthread_getspecific(key)) }
        set { pthread_setspecific(key, UnsafeRawPointer(bitPattern: newValue)) }
    }

    func withShared<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let held = holds
        if held == 0 { pthread_rwlock_rdlock(lock) }
        holds = held + 1
        defer {
            holds = held
            if held == 0 { pthread_rwlock_unlock(lock) }
        }
        return try body()
    }

    func withExclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        precondition(holds == 0, "the map cannot be resized inside a transaction of the same thread")
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
