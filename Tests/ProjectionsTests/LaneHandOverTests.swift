import EventStore
import FirstResponder
import Foundation
import Synchronization
import Testing
import VigilTestSupport

@testable import Projections

@Suite("A rebuild's lanes hand views over")
struct LaneHandOverTests {
    @Test("a lane hands over its heaviest views up to half its weight, never all, never one that weighs nothing")
    func whatIsHandedOver() {
        #expect(Fold.handOver(weights: [5, 3, 2]) == [0], "5 is half of 10: it alone")
        #expect(Fold.handOver(weights: [2, 3, 5, 4]) == [0, 2], "half of 14 is 7: 5 and 2 (4 or 3 would pass it)")
        #expect(Fold.handOver(weights: [10, 1]) == [1], "the heavy one is more than half: the light one")
        #expect(Fold.handOver(weights: [0, 0, 4, 4]) == [2], "the other 4 would pass half; nothing for nothing")
        #expect(Fold.handOver(weights: [9, 0]) == [], "one view alone, and one that weighs nothing")
        #expect(Fold.handOver(weights: [7]) == [], "never every view")
        #expect(Fold.handOver(weights: [3, 3]) == [0])
    }

    @Test("a lane done with its views takes some from a lane behind: the rows, skips and checkpoints of one lane")
    func handedOverViewsFoldTheSame() async throws {
        let county = try SimulatedCounty()
        try await county.run(days: 12)
        let head = try county.store.head().position
        let runner = try county.runner()
        runner.lanes = 1
        let whole = try runner.rebuild()
        for lanes in [2, 3] {
            runner.lanes = lanes
            runner.rebuildBatchSize = 700
            runner.cacheLimit = 16
            // Slices of 40 events. On two lanes, lane 0 (three views of this county) stops after its
            // first slice until the other, done with its own views, asks for some (5 s at most): it
            // hands them over mid-batch, their rows not yet written. On three, lane 0 holds one view
            // alone, and the others hand views to each other as they finish.
            let held = Mutex(false)
            runner.passTuning = PassTuning(sliceSize: 40, handOverSlices: 2) { lane, asked in
                guard lanes == 2, lane == 0, !held.withLock({ $0 }) else { return }
                for _ in 0..<5_000 where !asked() { usleep(1_000) }
                held.withLock { $0 = true }
            }
            let handed = try runner.rebuild()
            if lanes == 2 { #expect(runner.lastHandOvers > 0, "a lane took views from lane 0") }
            #expect(handed.map(\.digest) == whole.map(\.digest), "\(lanes) lanes: the same digests")
            #expect(handed.map(\.skipped) == whole.map(\.skipped))
            #expect(handed.allSatisfy { $0.checkpoint == head })
        }
        // The views kept live after a rebuild whose lanes handed them over resume where it ended:
        // what comes next folds onto them as onto one lane's.
        try await county.run(days: 3, seed: 11)
        try runner.catchUp()
        #expect(try runner.status().allSatisfy { $0.lag == 0 })
        runner.lanes = 1
        runner.passTuning = PassTuning()
        let again = try runner.rebuild()
        #expect(again.allSatisfy { $0.matchesLive == true }, "caught up after hand-overs equals a whole rebuild")
    }
}
