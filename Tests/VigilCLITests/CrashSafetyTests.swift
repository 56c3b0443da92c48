import Foundation
import Testing

/// `vigil import --ack` promises: a printed acknowledgement means the event is durable, at that
/// position. These tests hold it to that while killing it (SIGKILL: no cleanup, no flush) at random
/// moments, the way a crash or a power cut would.
@Suite("Crash safety")
struct CrashSafetyTests {
    static let totalEvents = 20_000
    static let streams = 50
    static let batch = 100
    static let rounds = 8

    /// One acknowledgement line: `{"id","position","stream","version"}`.
    struct Ack: Equatable, CustomStringConvertible {
        var id: String
        var position: Int
        var stream: String
        var version: Int

        init(_ line: String) throws {
            let o = try JSON.object(line)
            id = try #require(o["id"] as? String, "ack without id: \(line)")
            position = try #require(o["position"] as? Int, "ack without position: \(line)")
            stream = try #require(o["stream"] as? String, "ack without stream: \(line)")
            version = try #require(o["version"] as? Int, "ack without version: \(line)")
            #expect(o.count == 4, "ack with unexpected fields: \(line)")
        }

        var description: String { "\(id) at \(position) (\(stream)@\(version))" }
    }

    /// A client has 20,000 events (50 streams, client-chosen UUIDv4 ids, no expected versions) to
    /// import, 2,500 new ones per round over eight rounds, with `vigil import --ack --batch 100`,
    /// which is SIGKILLed after a random 10–400 ms each round (a round that finishes first is not
    /// killed; a round killed before its first acknowledgement doubles the 400 ms for the next). Like a careful client, it offers again what it holds no acknowledgement for, first
    /// thing in the next round's file: from the first batch boundary without acks, as the same
    /// batches, so a batch that committed but whose acks were lost comes back as "already stored"
    /// at its original positions. Every acknowledgement ever printed must hold: the id is stored
    /// exactly once, at the acknowledged position, stream and version; the log holds the client's
    /// events in file order at dense positions, stream versions are dense, and the chain
    /// verifies. A last, uninterrupted run then finishes what is left.
    @Test("Acknowledged events survive SIGKILL at random moments, and resuming neither loses nor duplicates")
    func killedImportsKeepEveryAcknowledgement() async throws {
        let seed =
            ProcessInfo.processInfo.environment["VIGIL_CRASH_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        print("crash safety: seed \(seed) (rerun with VIGIL_CRASH_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let scratch = try Scratch("crash")
        defer { scratch.remove() }

        // All the client's events, in the order it offers them: event i is lines[i].
        var ids: [String] = []
        var streamOf: [String] = []
        var lines: [String] = []
        let start = Date(timeIntervalSince1970: 1_773_454_380)  // 2026-03-14T02:13:00Z
        let rfc3339 = ISO8601DateFormatter()
        rfc3339.timeZone = TimeZone(identifier: "UTC")
        for i in 0..<Self.totalEvents {
            let id = rng.uuid4().uuidString.lowercased()
            let stream = "unit-\(Int(rng.next() % UInt64(Self.streams)))"
            let occurred = rfc3339.string(from: start.addingTimeInterval(TimeInterval(i)))
            ids.append(id)
            streamOf.append(stream)
            lines.append(
                #"{"stream":"\#(stream)","type":"UnitStatusChanged","id":"\#(id)","occurredAt":"\#(occurred)","#
                    + #""actor":"user:dispatcher-\#(i % 7)","data":{"seq":\#(i),"status":"en-route","#
                    + #""note":"crash-safety event \#(i) of \#(Self.totalEvents)"}}"#)
        }

        var acknowledged: [String: Ack] = [:]  // id → its acknowledgement
        var confirmed = 0  // events 0..<confirmed are acknowledged; a multiple of the batch size
        var killedRounds = 0
        var killedMidImport = 0
        var offeredLines = 0
        var ackLinesPrinted = 0
        var committedUnacknowledged = 0  // rounds whose kill fell between a commit and its acks

        /// Checks one run's acknowledgements against the events it was given (events from `offset`)
        /// and against every earlier acknowledgement; returns how many complete ack lines it printed.
        func collect(_ result: VigilResult, offset: Int, offered: Int, label: String) throws -> Int {
            let ackLines = result.completeStdoutLines
            #expect(ackLines.count <= offered, "\(label): more acks than lines (seed \(seed))")
            for (k, line) in ackLines.prefix(offered).enumerated() {
                let ack = try Ack(line)
                let i = offset + k
                // Acks come in line order, one per event.
                #expect(ack.id == ids[i], "\(label): ack \(k + 1) is for \(ack.id), line \(k + 1) has \(ids[i])")
                #expect(ack.stream == streamOf[i], "\(label): \(ack), but line \(k + 1) names \(streamOf[i])")
                if let earlier = acknowledged[ack.id] {
                    #expect(earlier == ack, "\(label): \(ack) was acknowledged before as \(earlier) (seed \(seed))")
                } else {
                    acknowledged[ack.id] = ack
                }
            }
            return ackLines.count
        }

        let perRound = Self.totalEvents / Self.rounds
        // On a loaded machine a process may not reach its first commit within 400 ms: a round killed
        // before it acknowledged anything doubles the longest delay, so later rounds still kill
        // imports in the middle of their work rather than before it starts.
        var longestDelay = 400
        for round in 1...Self.rounds {
            // What is not acknowledged yet of earlier rounds, then this round's new events.
            let end = round * perRound
            let offered = end - confirmed
            let file = try scratch.write("round-\(round).ndjson", lines: Array(lines[confirmed..<end]))
            offeredLines += offered
            let delay = Int.random(in: 10...longestDelay, using: &rng)
            let child = try scratch.start(["import", "--raw", "--ack", "--batch", "\(Self.batch)", file])
            child.kill(after: .milliseconds(delay))
            let result = await child.wait()
            let label = "round \(round) (kill after \(delay) ms)"
            #expect(!result.timedOut, "\(label): \(result)")
            let acks = try collect(result, offset: confirmed, offered: offered, label: label)
            ackLinesPrinted += acks
            if result.signal == SIGKILL {
                killedRounds += 1
                if acks < offered { killedMidImport += 1 }
                if acks == 0 { longestDelay = min(longestDelay * 2, 30_000) }
            } else {
                // It finished before the kill: then it must have succeeded and acknowledged everything.
                #expect(result.succeeded, "\(label): \(result)")
                #expect(acks == offered, "\(label): \(result)")
            }
            // Each crash leaves a store that opens and verifies, holding at least what was acked.
            let verify = try await scratch.vigil(["verify", "--json"])
            let stored: Int
            if acknowledged.isEmpty && !verify.succeeded {
                // Killed before it ever committed: there may be no store yet, and that is all
                // verify may say. (The next import creates it; see storeCreationCrashes.)
                #expect(verify.status == 1 && verify.stdout.isEmpty, "\(label): \(verify)")
                #expect(verify.stderrText.contains("no Vigil store"), "\(label): \(verify)")
                stored = 0
            } else {
                #expect(verify.succeeded, "\(label): \(verify)")
                stored = try JSON.object(verify.stdoutText)["events"] as? Int ?? -1
            }
            #expect(stored >= confirmed + acks, "\(label): \(stored) events stored after \(confirmed + acks) acked")
            if stored > confirmed + acks { committedUnacknowledged += 1 }
            let torn = result.stdout.last.map { $0 != 10 } ?? false
            print(
                "crash safety: \(label): \(result.signal == SIGKILL ? "killed" : "finished"), "
                    + "\(acks) of \(offered) lines acknowledged\(torn ? ", then a torn line" : ""), "
                    + "\(stored - confirmed - acks) more committed without ack")
            confirmed += acks / Self.batch * Self.batch
        }

        let acknowledgedBeforeFinish = acknowledged.count
        print(
            "crash safety: \(killedRounds) of \(Self.rounds) rounds killed (\(killedMidImport) mid-import, "
                + "\(committedUnacknowledged) between a commit and its acks); "
                + "\(acknowledgedBeforeFinish) of \(Self.totalEvents) events acknowledged "
                + "(\(ackLinesPrinted) ack lines for \(offeredLines) lines offered); seed \(seed)")
        #expect(killedMidImport >= 1, "no round was killed mid-import: the test proved nothing (seed \(seed))")
        #expect(acknowledgedBeforeFinish > 0, "nothing was acknowledged (seed \(seed))")
        #expect(ackLinesPrinted < offeredLines, "every line offered was acknowledged (seed \(seed))")

        // The store after the crashes: the acknowledged events, plus perhaps batches that
        // committed but whose acks were lost with the process.
        try await checkStore(
            scratch, ids: ids, streamOf: streamOf, acknowledged: acknowledged, seed: seed, complete: false)

        // Finish without interruption: nothing acknowledged moves, nothing is stored twice.
        if confirmed < lines.count {
            let rest = try scratch.write("finish.ndjson", lines: Array(lines[confirmed...]))
            // Up to 20,000 lines with a durable commit per 100: minutes on a loaded machine, not 60 s.
            let finish = try await scratch.vigil(
                ["import", "--raw", "--ack", "--batch", "\(Self.batch)", rest], timeout: .seconds(600))
            try #require(finish.succeeded, "\(finish)")
            let acks = try collect(finish, offset: confirmed, offered: lines.count - confirmed, label: "finish")
            #expect(acks == lines.count - confirmed)
        }
        #expect(acknowledged.count == Self.totalEvents)
        try await checkStore(
            scratch, ids: ids, streamOf: streamOf, acknowledged: acknowledged, seed: seed, complete: true)
    }

    /// A kill while `vigil import` creates the store can leave the data directory empty, or holding
    /// what LMDB had made so far — lock.mdb, an empty data.mdb — beside the creation marker
    /// (`vigil.creating`, removed once the new file's first pages are on disk). Nothing was
    /// acknowledged, so there is nothing to keep; reading commands must say there is no store, and
    /// the next import must create it as if from scratch. (An empty data.mdb *without* the marker
    /// is a truncated store: `CorruptStoreTests`.)
    @Test("A crash while creating the store leaves nothing the next import cannot start from")
    func storeCreationCrashes() async throws {
        for leftover in ["empty directory", "interrupted creation"] {
            let scratch = try Scratch("creation-crash")
            defer { scratch.remove() }
            try FileManager.default.createDirectory(atPath: scratch.data, withIntermediateDirectories: false)
            if leftover == "interrupted creation" {
                for name in ["vigil.creating", "lock.mdb", "data.mdb"] {
                    #expect(FileManager.default.createFile(atPath: scratch.data + "/" + name, contents: Data()))
                }
            }
            for command in [["verify"], ["log", "stat"], ["export", "-"]] {
                let result = try await scratch.vigil(command)
                #expect(result.status == 1 && result.signal == nil, "\(leftover): \(result)")
                #expect(result.stderrText.contains("no Vigil store"), "\(leftover): \(result)")
                // Nothing is created by a read-only command.
                let size = (try? FileManager.default.attributesOfItem(atPath: scratch.data + "/data.mdb"))?[.size]
                #expect((size as? NSNumber)?.intValue ?? 0 == 0, "\(leftover): \(result)")
            }
            let lines = (1...3).map { ImportLine(stream: "case-C-\($0)", id: UUID()).text }
            let imported = try await scratch.vigil([
                "import", "--raw", "--ack", try scratch.write("e.ndjson", lines: lines),
            ])
            #expect(imported.succeeded, "\(leftover): \(imported)")
            #expect(imported.completeStdoutLines.count == 3, "\(leftover): \(imported)")
            #expect(!FileManager.default.fileExists(atPath: scratch.data + "/vigil.creating"), "\(leftover)")
            let verify = try await scratch.vigil(["verify"])
            #expect(verify.succeeded && verify.stdoutText.hasPrefix("ok: 3 events"), "\(leftover): \(verify)")
        }
    }

    /// The export holds exactly lines 1…N of the client's file, in order, at positions 1…N (N ≥
    /// every acknowledged position; N = all of them when `complete`), each acknowledged event where
    /// it was acknowledged, stream versions dense from 1; and `vigil verify` passes.
    private func checkStore(
        _ scratch: Scratch, ids: [String], streamOf: [String], acknowledged: [String: Ack], seed: UInt64,
        complete: Bool
    ) async throws {
        let exported = try await scratch.export()
        let highestAck = acknowledged.values.map(\.position).max() ?? 0
        #expect(exported.count >= highestAck, "the store holds \(exported.count) events, acks go up to \(highestAck)")
        if complete { #expect(exported.count == ids.count) }
        #expect(exported.count <= ids.count)

        var versions: [String: Int] = [:]
        var seen = Set<String>()
        var failures = 0
        for (index, event) in exported.enumerated() {
            let position = event["position"] as? Int
            let id = event["id"] as? String ?? "?"
            let stream = event["stream"] as? String ?? "?"
            let version = event["version"] as? Int
            let expectedVersion = (versions[stream] ?? 0) + 1
            versions[stream] = expectedVersion
            var ok = position == index + 1 && version == expectedVersion && seen.insert(id).inserted
            if index < ids.count { ok = ok && id == ids[index] && stream == streamOf[index] }
            if let ack = acknowledged[id] {
                ok = ok && ack.position == position && ack.stream == stream && ack.version == version
            }
            if !ok {
                failures += 1
                if failures <= 10 {
                    Issue.record(
                        """
                        export line \(index + 1): position \(position.map(String.init) ?? "?"), \(stream)@\
                        \(version.map(String.init) ?? "?"), id \(id); expected position \(index + 1), \
                        \(index < ids.count ? streamOf[index] : "?")@\(expectedVersion), id \
                        \(index < ids.count ? ids[index] : "?"), acknowledged as \
                        \(acknowledged[id]?.description ?? "-") (seed \(seed))
                        """)
                }
            }
        }
        #expect(failures == 0, "\(failures) exported events out of place (seed \(seed))")
        for ack in acknowledged.values where !seen.contains(ack.id) {
            Issue.record("acknowledged \(ack) is missing from the store (seed \(seed))")
            break
        }
        let verify = try await scratch.vigil(["verify"])
        #expect(verify.succeeded, "\(verify) (seed \(seed))")
        #expect(verify.stdoutText.hasPrefix("ok: \(exported.count) events"), "\(verify)")
    }
}
