// store-profile: the event store's append and replay paths alone, for counting instructions with
// valgrind's callgrind (scripts/profile-store). Built only when VIGIL_PROFILE is set.
//
// `vigil` itself cannot run under valgrind 3.19: an async `@main` parks the main thread in
// libdispatch's `dispatchMain()`, and valgrind dies of SIGSEGV when that thread exits. This harness
// has a synchronous main that waits on a semaphore instead, and runs exactly what `vigil bench
// append`, `vigil bench fold` and `vigil bench streams` run on the store: SyntheticWorkload batches
// through `EventStore.append`, `EventStore.scan` folded into a BenchmarkView, and every stream read
// through `EventStore.scanStream` (BenchmarkView.readEveryStream).
//
//   store-profile append --data DIR [--events N] [--streams S] [--payload P] [--batch B]
//   store-profile replay --data DIR
//   store-profile streams --data DIR [--streams S]
import Dispatch
import EventStore
import Foundation

struct Arguments {
    var phase = ""
    var data = ""
    var events = 100_000
    var streams = 10_000
    var payload = 300
    var batch = 1_000

    init(_ argv: [String]) throws {
        guard let first = argv.first, ["append", "replay", "streams"].contains(first) else {
            throw Failure("usage: store-profile append|replay|streams --data DIR [--events N] [--streams S] …")
        }
        phase = first
        var rest = argv.dropFirst()
        while let name = rest.popFirst() {
            guard let value = rest.popFirst() else { throw Failure("\(name): expected a value") }
            switch name {
            case "--data": data = value
            case "--events", "--streams", "--payload", "--batch":
                guard let n = Int(value), n >= 1 else { throw Failure("\(name): expected 1 or more, got '\(value)'") }
                switch name {
                case "--events": events = n
                case "--streams": streams = n
                case "--payload": payload = n
                default: batch = n
                }
            default: throw Failure("unknown option \(name)")
            }
        }
        guard !data.isEmpty else { throw Failure("--data: expected a directory") }
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func run(_ args: Arguments) async throws -> String {
    switch args.phase {
    case "append":
        let store = try EventStore.open(directory: args.data)
        defer { store.close() }
        var batches = SyntheticWorkload(events: args.events, streams: args.streams, payloadSize: args.payload)
            .makeIterator(batchSize: args.batch)
        var appended = 0
        while let events = batches.next() {
            appended += try await store.append(AppendRequest(events: events)).events.count
        }
        return #"{"phase":"append","events":\#(appended)}"#
    case "streams":
        let store = try openReadOnly(args.data)
        defer { store.close() }
        let t = try BenchmarkView.readEveryStream(of: store, streams: args.streams)
        return #"{"phase":"streams","events":\#(t.events),"view_streams":\#(t.streams)}"#
    default:
        let store = try openReadOnly(args.data)
        defer { store.close() }
        var view = BenchmarkView()
        try store.scan(from: 1) { try view.fold($0) }
        let t = view.totals
        return #"{"phase":"replay","events":\#(t.events),"view_streams":\#(t.streams)}"#
    }
}

func openReadOnly(_ directory: String) throws -> EventStore {
    var options = EventStore.Options()
    options.environment.readOnly = true
    return try EventStore.open(directory: directory, options: options)
}

// Detached: top-level code runs on the main actor, which `done.wait()` blocks.
let done = DispatchSemaphore(value: 0)
nonisolated(unsafe) var outcome: Result<String, any Error> = .failure(Failure("not run"))
do {
    let args = try Arguments(Array(CommandLine.arguments.dropFirst()))
    Task.detached {
        do { outcome = .success(try await run(args)) } catch { outcome = .failure(error) }
        done.signal()
    }
    done.wait()
} catch {
    outcome = .failure(error)
}
switch outcome {
case .success(let line): print(line)
case .failure(let error):
    FileHandle.standardError.write(Data("store-profile: \(error)\n".utf8))
    exit(1)
}
