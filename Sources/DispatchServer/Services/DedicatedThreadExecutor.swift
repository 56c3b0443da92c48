import Foundation

/// A task executor with a thread of its own, for work that must not queue behind the requests on
/// Swift's shared cooperative threads (as few as the machine has cores): under load, a job woken on
/// those waits for every request job enqueued before it, while a thread of its own is scheduled by
/// the kernel as soon as it is runnable.
///
/// The timer loop runs on ``timers`` (``TimerLoopService``), so a timer fires on time however many
/// commands are waiting. The thread lives as long as the process.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {  // the queue is guarded by `condition`
    /// The timer loop's thread.
    static let timers = DedicatedThreadExecutor(name: "vigil.timers")

    private let condition = NSCondition()
    private var queue: [UnownedJob] = []

    private init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            swap(&batch, &queue)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
