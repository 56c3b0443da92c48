import Foundation
import LMDB

/// One read of the log for several threads that each pass over it in order — a rebuild's lanes, each
/// folding its own views (`Fold.batches` in the Projections target). Without it every lane walks the
/// log's B-tree itself: on a county of 1M events that walk, with the page faults of mapping the log
/// again, was most of what a two-lane rebuild spent beyond one lane's CPU.
///
/// A reader thread of its own reads the log in slices of ``sliceSize`` positions, in order, with the
/// structure checks of ``EventStore/scan(from:through:limit:checking:_:)`` and letting go of the pages
/// mapped as ``EventStore/scanReleasingPages(from:through:chunk:reached:_:)`` does, and copies each
/// slice's records into a buffer of its own, which every lane then reads. It keeps at most
/// ``capacity`` slices: a slice goes (its buffer is used again) once every lane still running has
/// passed it, and the reader waits while it holds `capacity`. A lane that needs a slice not read yet
/// waits for the reader, unless the reader is waiting for room: then the lane reads the slice from
/// the log itself (the lanes need not run at once: one may be done before another starts).
///
/// Each lane reads its positions in increasing order through ``scan(lane:from:through:_:)`` and calls
/// ``finish(lane:)`` when it stops, however it stops: the reader keeps slices for it until then. The
/// reader stops when every lane has finished or the last slice is read; a failure to read is thrown to
/// every lane that needs the slice. The views a lane is handed point into a slice and are valid only
/// inside the call, like the log's.
public final class SharedLogScan: @unchecked Sendable {
    // @unchecked: `slices`, `spare`, `passed`, `finished`, `failure` and `readThrough` are under
    // `condition`; a slice's bytes are written only by the reader before it is stored, then only read.

    /// Positions per slice.
    public let sliceSize: UInt64
    /// Slices kept at most.
    public let capacity: Int
    /// The last position any lane reads.
    public let last: UInt64

    private let store: EventStore
    private let condition = NSCondition()
    private var slices: [UInt64: Slice] = [:]
    /// Dropped slices, to fill again (a new buffer is mapped and faulted page by page); with the
    /// slices kept, never more than `capacity`.
    private var spare: [Slice] = []
    /// Per lane: the first slice it has not passed (read through its last position).
    private var passed: [UInt64]
    private var finished: [Bool]
    private var failure: (any Error)?
    /// The slices read so far: every one below this index has been read (and maybe dropped).
    private var readThrough: UInt64

    /// A scan through `last` for lanes starting at `starts` (each lane's first position), in slices
    /// of `sliceSize` positions, keeping at most `capacity` of them. The reader starts at once.
    public init(
        _ store: EventStore, through last: UInt64, lanesFrom starts: [UInt64], sliceSize: UInt64 = 16_384,
        capacity: Int = 8
    ) {
        self.store = store
        self.last = last
        self.sliceSize = max(1, sliceSize)
        self.capacity = max(1, capacity)
        passed = starts.map { (max($0, 1) - 1) / max(1, sliceSize) }
        finished = [Bool](repeating: false, count: starts.count)
        readThrough = passed.min() ?? 0
        // Not kept: the thread holds the scan until it has read its last slice, and no longer.
        let reader = Thread { [self] in read() }
        reader.name = "vigil-log-reader"
        reader.start()
    }

    /// Calls `body` with each event from `position` through `last` (at most the scan's), in order.
    public func scan(lane: Int, from position: UInt64, through last: UInt64, _ body: (EventView) throws -> Void)
        throws
    {
        let last = min(last, self.last)
        var next = max(position, 1)
        while next <= last {
            let index = (next - 1) / sliceSize
            let sliceLast: UInt64
            if let slice = try wait(for: index) {
                try slice.forEach(from: next, through: last, body)
                // Read before passing: a slice every lane has passed is filled again at once.
                sliceLast = slice.last
            } else {
                // The reader waits for a lane behind, which may not be running yet: read it here.
                sliceLast = min(self.last, (index + 1) * sliceSize)
                try read(from: next, through: min(last, sliceLast), body)
            }
            if last >= sliceLast { pass(index, lane: lane) }
            next = sliceLast + 1
            // What the lane's fold read back from its views is let go like the log's pages.
            store.environment.releaseResidentPagesIfGrown()
        }
    }

    /// Sets `lane`, not finished, back to read from `position` again (a rebuild's lane taking over
    /// another's views): the slices from there on are kept for it from now. Another lane still
    /// running must not have passed `position` — those slices are kept for that one still.
    public func rejoin(lane: Int, at position: UInt64) {
        condition.withLock {
            precondition(!finished[lane], "lane \(lane) rejoined the scan after it finished")
            let index = (max(position, 1) - 1) / sliceSize
            let slowest = passed.indices.filter { $0 != lane && !finished[$0] }.map { passed[$0] }.min()
            precondition(slowest.map { index >= $0 } ?? false, "lane \(lane) rejoined at a slice no running lane keeps")
            passed[lane] = index
        }
    }

    /// Marks `lane` done: no slice is kept for it any more.
    public func finish(lane: Int) {
        condition.withLock {
            finished[lane] = true
            dropPassed()
            condition.broadcast()
        }
    }

    /// Slice `index` once the reader has read it, or `nil` when the reader is waiting for room: for a
    /// lane behind to pass a slice, which it may never do if the lanes do not run at once (a lane
    /// may wait for another to be done with its thread), so the caller reads the slice itself.
    private func wait(for index: UInt64) throws -> Slice? {
        try condition.withLock {
            while true {
                if let slice = slices[index] { return slice }
                if let failure, readThrough <= index { throw failure }
                precondition(index >= readThrough, "slice \(index) was dropped before every lane passed it")
                if slices.count >= capacity { return nil }
                condition.wait()
            }
        }
    }

    private func pass(_ index: UInt64, lane: Int) {
        condition.withLock {
            passed[lane] = max(passed[lane], index + 1)
            dropPassed()
            condition.broadcast()
        }
    }

    /// Drops the slices every running lane has passed, keeping their buffers (under `condition`).
    private func dropPassed() {
        let slowest = passed.indices.filter { !finished[$0] }.map { passed[$0] }.min() ?? .max
        for (index, slice) in slices where index < slowest {
            slices[index] = nil
            spare.append(slice)
        }
    }

    /// The reader: every slice in order, waiting while `capacity` are kept, until the last or until
    /// every lane has finished.
    private func read() {
        guard last > 0 else { return }
        let lastIndex = (last - 1) / sliceSize
        while true {
            let next: (index: UInt64, slice: Slice)? = condition.withLock {
                while slices.count >= capacity, !finished.allSatisfy({ $0 }) { condition.wait() }
                guard readThrough <= lastIndex, !finished.allSatisfy({ $0 }) else { return nil }
                return (readThrough, spare.popLast() ?? Slice())
            }
            guard let (index, slice) = next else { return }
            do {
                try fill(slice, index)
                condition.withLock {
                    slices[index] = slice
                    readThrough = index + 1
                    condition.broadcast()
                }
            } catch {
                condition.withLock {
                    failure = error
                    condition.broadcast()
                }
                return
            }
        }
    }

    /// Reads slice `index` from the log into `slice`.
    private func fill(_ slice: Slice, _ index: UInt64) throws {
        let first = index * sliceSize + 1
        let sliceLast = min(last, first + sliceSize - 1)
        slice.reset(first: first, last: sliceLast)
        try read(from: first, through: sliceLast) { view in slice.append(view.bytes) }
        store.environment.releaseResidentPagesIfGrown()
    }

    /// Reads `position` through `last` from the log in place, every one of them or it throws.
    private func read(from position: UInt64, through last: UInt64, _ body: (EventView) throws -> Void) throws {
        var count: UInt64 = 0
        try store.scan(
            from: position, through: last, limit: .max, checking: .structure,
            releasing: PageBudget(pages: PageBudget.standard)
        ) { view in
            try body(view)
            count += 1
        }
        guard count == last - position + 1 else {
            throw EventStore.damaged(at: position + count, "missing from the log (the log's head is before it)")
        }
    }

    /// A slice's records, copied out of the map into one buffer: record `i` is at position
    /// `first + i`, its bytes end at `ends[i]`. The buffer is mapped memory of its own, not the
    /// allocator's: a buffer of megabytes freed to the allocator raised its threshold for mapping and
    /// stayed in the process's heap after the scan (a bench run's peak at 5M events grew 60 MiB).
    private final class Slice {
        private(set) var first: UInt64 = 1
        private(set) var last: UInt64 = 0
        private(set) var ends: [Int] = []
        private var buffer = Slice.map(16 << 20)
        private var count = 0

        deinit { munmap(buffer.baseAddress, buffer.count) }

        /// `bytes` of anonymous memory (only the pages written count in the resident set).
        private static func map(_ bytes: Int) -> UnsafeMutableRawBufferPointer {
            let size = (bytes + 4095) & ~4095
            let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let address, address != MAP_FAILED else {
                fatalError("SharedLogScan: cannot map \(size) bytes for a slice (errno \(errno))")
            }
            return UnsafeMutableRawBufferPointer(start: address, count: size)
        }

        func reset(first: UInt64, last: UInt64) {
            self.first = first
            self.last = last
            ends.removeAll(keepingCapacity: true)
            count = 0
        }

        func append(_ bytes: UnsafeRawBufferPointer) {
            if count + bytes.count > buffer.count {
                let grown = Slice.map(max(buffer.count * 2, count + bytes.count))
                grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                munmap(buffer.baseAddress, buffer.count)
                buffer = grown
            }
            if let source = bytes.baseAddress, !bytes.isEmpty {
                (buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
            }
            count += bytes.count
            ends.append(count)
        }

        func forEach(from position: UInt64, through last: UInt64, _ body: (EventView) throws -> Void) throws {
            guard position <= last, position <= self.last, last >= first else { return }
            let from = Int(max(position, first) - first)
            let through = Int(min(last, self.last) - first)
            let base = UnsafeRawPointer(buffer.baseAddress!)
            var start = from == 0 ? 0 : ends[from - 1]
            for i in from...through {
                let end = ends[i]
                try body(
                    EventView(
                        position: first + UInt64(i),
                        bytes: UnsafeRawBufferPointer(start: base + start, count: end - start)))
                start = end
            }
        }
    }
}
