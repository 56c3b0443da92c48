import ArgumentParser
import EventStore
import Foundation
import VigilEngine

/// `vigil bench append|commit|scan`: a built-in benchmark over a synthetic workload, like pgbench.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the event store on a synthetic workload, and the replay engine on a simulated log.",
        discussion: """
            Streams are appended interleaved: round after round every stream gets its next event, in \
            a freshly shuffled order. Appends are durable (fsync per commit). Without --data a \
            temporary directory is used and removed.
            """,
        subcommands: [Append.self, Commit.self, Scan.self, ReplayBench.self, Fold.self, Streams.self, Load.self]
    )

    struct Workload: ParsableArguments {
        @Option(help: "Events to append.")
        var events = 1_000_000
        @Option(help: "Streams, appended interleaved.")
        var streams = 10_000
        @Option(help: "Payload bytes per event.")
        var payload = 300
        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            guard events >= 1 else { throw ValidationError("--events: expected 1 or more, got \(events)") }
            guard streams >= 1 else { throw ValidationError("--streams: expected 1 or more, got \(streams)") }
            guard payload >= 0 && payload <= NewEvent.maxPayloadSize else {
                throw ValidationError("--payload: expected 0 to \(NewEvent.maxPayloadSize) bytes, got \(payload)")
            }
        }
    }

    /// `vigil bench append`: batched durable appends.
    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Batched durable appends (one commit per batch).")

        @Option(
            help: ArgumentHelp("Where to write (must be empty); a temporary directory when omitted.", valueName: "DIR"))
        var data: String?
        @OptionGroup var workload: Workload
        @Option(help: "Events per append (one transaction, one fsync).")
        var batch = 1_000
        @Option(
            help:
                "Event ids: 'store' (the store makes UUIDv7s, as for clients that send none) or 'v4' (random client ids)."
        )
        var ids = "store"
        @Option(help: "Initial LMDB map size in MiB (the map grows on demand from there).")
        var mapSize = 64

        func validate() throws {
            guard batch >= 1 && batch <= 100_000 else {
                throw ValidationError("--batch: expected 1 to 100000, got \(batch)")
            }
            guard ids == "store" || ids == "v4" else {
                throw ValidationError("--ids: expected 'store' or 'v4', got '\(ids)'")
            }
        }

        func run() async throws {
            let target = try BenchTarget(data: data)
            defer { target.cleanUp() }
            let store = try target.openEmpty(mapSize: mapSize << 20)
            defer { store.close() }
            var batches = SyntheticWorkload(
                events: workload.events, streams: workload.streams, payloadSize: workload.payload,
                clientIDs: ids == "v4"
            ).makeIterator(batchSize: batch)
            let clock = ContinuousClock()
            let start = clock.now
            var appended = 0
            while let events = batches.next() {
                appended += try await store.append(AppendRequest(events: events)).events.count
            }
            let seconds = (clock.now - start).seconds
            let stats = try store.statistics()
            report(
                workload.json,
                [
                    ("benchmark", .text("append")), ("events", .int(appended)), ("seconds", .real(seconds)),
                    ("events_per_s", .int(Int(Double(appended) / seconds))), ("batch", .int(batch)),
                    ("streams", .int(workload.streams)), ("payload", .int(workload.payload)), ("ids", .text(ids)),
                    ("used_bytes", .int(stats.usedBytes)),
                ])
        }
    }

    /// `vigil bench commit`: concurrent single-event appenders through group commit.
    struct Commit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Concurrent single-event appenders, through group commit.")

        @Option(
            help: ArgumentHelp("Where to write (must be empty); a temporary directory when omitted.", valueName: "DIR"))
        var data: String?
        @OptionGroup var workload: Workload
        @Option(help: "Concurrent appenders, each appending one event at a time.")
        var clients = 64

        func validate() throws {
            guard clients >= 1 && clients <= 10_000 else {
                throw ValidationError("--clients: expected 1 to 10000, got \(clients)")
            }
        }

        func run() async throws {
            let target = try BenchTarget(data: data)
            defer { target.cleanUp() }
            let store = try target.openEmpty()
            defer { store.close() }
            let shape = SyntheticWorkload(
                events: workload.events, streams: workload.streams, payloadSize: workload.payload)
            let clients = self.clients
            let total = workload.events
            let clock = ContinuousClock()
            let start = clock.now
            let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for c in 0..<clients {
                    group.addTask {
                        var mine: [Duration] = []
                        var i = c
                        while i < total {
                            let event = shape.event(stream: i % shape.streams)
                            let t0 = clock.now
                            _ = try await store.append(AppendRequest(events: [event]))
                            mine.append(clock.now - t0)
                            i += clients
                        }
                        return mine
                    }
                }
                var all: [Duration] = []
                for try await part in group { all += part }
                return all.sorted()
            }
            let seconds = (clock.now - start).seconds
            func percentile(_ p: Double) -> Double {
                let rank = max(1, Int((p * Double(latencies.count)).rounded(.up)))
                return latencies[rank - 1].seconds * 1000
            }
            report(
                workload.json,
                [
                    ("benchmark", .text("commit")), ("events", .int(latencies.count)), ("seconds", .real(seconds)),
                    ("events_per_s", .int(Int(Double(latencies.count) / seconds))), ("clients", .int(clients)),
                    ("p50_ms", .real(percentile(0.5))), ("p99_ms", .real(percentile(0.99))),
                    ("max_ms", .real(latencies.last!.seconds * 1000)),
                ])
        }
    }

    /// `vigil bench scan`: read and decode every event.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read and decode every event of a store (by default, one written by 'bench append --data DIR').")

        @Option(help: ArgumentHelp("The store to scan.", valueName: "DIR"))
        var data: String = "./vigil-data"
        @Flag(help: "Print one JSON object.")
        var json = false
        @Flag(
            help:
                "Copy every event out into a RecordedEvent (heap copies of payload and hash) instead of decoding in place."
        )
        var materialize = false

        func run() async throws {
            let store = try DataOptions.parse(["--data", data]).engine(.readOnly).store
            let clock = ContinuousClock()
            let start = clock.now
            var count = 0
            var checksum: UInt64 = 0
            let materialize = self.materialize
            try store.scan(from: 1) { view in
                if materialize {
                    let event = view.materialize()
                    checksum &+= event.version &+ UInt64(event.payload.count) &+ UInt64(event.stream.utf8.count)
                } else {
                    // Decode the envelope in place, as projections do: every field parsed, strings and
                    // payload left as UTF-8/byte slices of the record until someone asks for a copy.
                    checksum &+= view.version &+ UInt64(view.payloadBytes.count) &+ UInt64(view.streamBytes.count)
                    checksum &+= UInt64(
                        truncatingIfNeeded: view.occurredAt.microseconds &+ view.recordedAt.microseconds)
                    checksum &+= UInt64(view.typeBytes.count) &+ UInt64(view.id.uuid.0) &+ UInt64(view.schemaVersion)
                    checksum &+= UInt64(view.payloadBytes.last ?? 0)
                }
                count += 1
            }
            let seconds = (clock.now - start).seconds
            report(
                json,
                [
                    ("benchmark", .text("scan")), ("events", .int(count)), ("seconds", .real(seconds)),
                    ("events_per_s", .int(Int(Double(count) / max(seconds, 1e-9)))),
                    ("decode", .text(materialize ? "materialize" : "in-place")),
                    ("checksum", .int(Int(truncatingIfNeeded: checksum))),
                ])
        }
    }
}

/// A benchmark's data directory: the one given (which must hold no events) or a temporary one.
struct BenchTarget {
    let directory: String
    let temporary: Bool

    init(data: String?) throws {
        if let data {
            directory = data
            temporary = false
        } else {
            let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            directory = "\(base)/vigil-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            temporary = true
        }
    }

    func openEmpty(mapSize: Int = 64 << 20) throws -> EventStore {
        let store = try DataOptions.parse(["--data", directory]).engine(
            Engine.Options(initialMapSize: mapSize, domainViews: false)
        ).store
        guard try store.head().position == 0 else {
            throw CLIError("--data \(directory) already holds events: a benchmark needs an empty directory")
        }
        return store
    }

    func cleanUp() {
        if temporary { try? FileManager.default.removeItem(atPath: directory) }
    }
}

enum BenchValue {
    case int(Int)
    case real(Double)
    case text(String)
}

func report(_ json: Bool, _ fields: [(String, BenchValue)]) {
    // Every figure says which allocator it was measured with.
    let fields = fields + [("allocator", .text(Allocator.name))]
    if json {
        var w = JSONWriter()
        w.beginObject()
        for (key, value) in fields {
            w.key(key)
            switch value {
            case .int(let v): w.number(v)
            case .real(let v): w.number((v * 10_000).rounded() / 10_000)
            case .text(let v): w.string(v)
            }
        }
        w.endObject()
        say(w.string)
    } else {
        let width = max(14, fields.map(\.0.count).max() ?? 0)
        for (key, value) in fields {
            let text: String
            switch value {
            case .int(let v): text = String(v)
            case .real(let v): text = String((v * 1000).rounded() / 1000)
            case .text(let v): text = v
            }
            say("\(key.padding(toLength: width, withPad: " ", startingAt: 0)) \(text)")
        }
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
