public import Foundation

/// The benchmark workload shared by `vigil bench`, the ordo-one benchmarks and the raw C baseline
/// (Benchmarks/raw/raw_lmdb_bench.c): `streams` streams named `stream-N`, appended interleaved —
/// round after round every stream gets its next event, in an order shuffled afresh each round
/// (Fisher–Yates over the identity, driven by splitmix64 seeded with `seed`).
public struct SyntheticWorkload: Sendable {
    /// Events in all.
    public let events: Int
    /// Streams.
    public let streams: Int
    /// Payload bytes per event.
    public let payloadSize: Int
    /// Whether events carry client-chosen random UUIDv4 ids (otherwise the store makes UUIDv7s).
    public let clientIDs: Bool
    /// The PRNG seed.
    public let seed: UInt64

    private let names: [String]
    private let payload: [UInt8]

    /// A workload.
    public init(events: Int, streams: Int, payloadSize: Int, clientIDs: Bool = false, seed: UInt64 = 42) {
        self.events = events
        self.streams = max(1, streams)
        self.payloadSize = payloadSize
        self.clientIDs = clientIDs
        self.seed = seed
        self.names = (0..<max(1, streams)).map { "stream-\($0)" }
        self.payload = (0..<payloadSize).map { UInt8(truncatingIfNeeded: 97 + $0 % 26) }
    }

    /// Produces the events batch by batch, in append order.
    public func makeIterator(batchSize: Int) -> Batches {
        Batches(workload: self, batchSize: max(1, batchSize))
    }

    /// One event of stream `stream`.
    public func event(stream: Int, id: UUID? = nil) -> NewEvent {
        NewEvent(
            id: id, stream: names[stream], type: "BenchEvent", occurredAt: Timestamp(seconds: 1_767_225_600),
            actor: "bench", payload: payload, payloadEncoding: .bytes)
    }

    /// Batches of events.
    public struct Batches: IteratorProtocol {
        let workload: SyntheticWorkload
        let batchSize: Int
        var produced = 0
        var order: [Int] = []
        var rng: SplitMix64
        var idRNG: SplitMix64

        init(workload: SyntheticWorkload, batchSize: Int) {
            self.workload = workload
            self.batchSize = batchSize
            self.rng = SplitMix64(seed: workload.seed)
            self.idRNG = SplitMix64(seed: workload.seed ^ 0x5EED_1D5E_ED1D_5EED)
        }

        /// The next batch, or `nil` when all events have been produced.
        public mutating func next() -> [NewEvent]? {
            guard produced < workload.events else { return nil }
            let count = min(batchSize, workload.events - produced)
            var batch: [NewEvent] = []
            batch.reserveCapacity(count)
            for _ in 0..<count {
                let slot = produced % workload.streams
                if slot == 0 { shuffle() }
                var id: UUID?
                if workload.clientIDs { id = randomUUIDv4() }
                batch.append(workload.event(stream: order[slot], id: id))
                produced += 1
            }
            return batch
        }

        private mutating func shuffle() {
            order = Array(0..<workload.streams)
            var k = workload.streams - 1
            while k > 0 {
                let j = Int(rng.next() % UInt64(k + 1))
                order.swapAt(k, j)
                k -= 1
            }
        }

        private mutating func randomUUIDv4() -> UUID {
            var bytes = [UInt8](repeating: 0, count: 16)
            let a = idRNG.next()
            let b = idRNG.next()
            for i in 0..<8 {
                bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i)))
                bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i)))
            }
            bytes[6] = 0x40 | (bytes[6] & 0x0F)
            bytes[8] = 0x80 | (bytes[8] & 0x3F)
            return bytes.withUnsafeBytes { EventID.uuid($0) }
        }
    }
}

/// splitmix64: tiny, fast, and the same in the C baseline.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator seeded with `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
