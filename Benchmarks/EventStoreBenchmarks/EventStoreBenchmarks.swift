// The event store's benchmarks, run with ordo-one/benchmark:
//
//     VIGIL_BENCHMARKS=1 swift package benchmark --target EventStoreBenchmarks
//
// They are the same workloads as `vigil bench` (SyntheticWorkload), smaller so a run stays short;
// `scripts/bench-compare` runs the full-size ones against a raw C LMDB baseline.

import Benchmark
import EventStore
import Foundation
import LMDB

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        // One iteration is one whole workload: divide its event count by the wall-clock time for events/s.
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds,
        maxDuration: .seconds(20),
        maxIterations: 5
    )

    // 100,000 durable events, 1,000 per commit, 1,000 streams interleaved.
    Benchmark("append: batch 1000, 1k streams, 300 B") { benchmark in
        let dir = Scratch()
        let store = try EventStore.open(directory: dir.path)
        var batches = SyntheticWorkload(events: 100_000, streams: 1_000, payloadSize: 300).makeIterator(
            batchSize: 1_000)
        benchmark.startMeasurement()
        while let events = batches.next() {
            _ = try await store.append(AppendRequest(events: events))
        }
        benchmark.stopMeasurement()
        store.close()
    }

    // 20,000 single-event appends from 64 concurrent clients, through group commit.
    Benchmark("group commit: 64 clients, single events") { benchmark in
        let dir = Scratch()
        let store = try EventStore.open(directory: dir.path)
        let shape = SyntheticWorkload(events: 20_000, streams: 1_000, payloadSize: 300)
        benchmark.startMeasurement()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<64 {
                group.addTask {
                    var i = client
                    while i < shape.events {
                        _ = try await store.append(AppendRequest(events: [shape.event(stream: i % shape.streams)]))
                        i += 64
                    }
                }
            }
            try await group.waitForAll()
        }
        benchmark.stopMeasurement()
        store.close()
    }

    // Scan and decode 200,000 events in place.
    Benchmark(
        "scan: decode 200k events in place",
        configuration: .init(setup: { _ = try await ScanFixture.shared.prepare() })
    ) { benchmark in
        let store = try await ScanFixture.shared.prepare()
        var checksum: UInt64 = 0
        benchmark.startMeasurement()
        try store.scan(from: 1) { view in
            checksum &+= view.version &+ UInt64(view.payloadBytes.count) &+ UInt64(view.streamBytes.count)
        }
        benchmark.stopMeasurement()
        blackHole(checksum)
    }
}

/// A temporary directory, removed on deinit.
final class Scratch {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-\(UUID().uuidString)").path
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A store of 200,000 events written once for the scan benchmark.
actor ScanFixture {
    static let shared = ScanFixture()
    private let dir = Scratch()
    private var store: EventStore?

    func prepare() async throws -> EventStore {
        if let store { return store }
        let store = try EventStore.open(directory: dir.path)
        var batches = SyntheticWorkload(events: 200_000, streams: 1_000, payloadSize: 300).makeIterator(
            batchSize: 5_000)
        while let events = batches.next() {
            _ = try await store.append(AppendRequest(events: events))
        }
        self.store = store
        return store
    }
}
