import Foundation
import Testing

/// Damage a disk, an interrupted copy or a person can do to a store — cut files, flipped bytes in a
/// record, in a branch page's key, in a child page number, in the meta pages, an empty data file —
/// each tried on the real `vigil` binary. For every one: no command dies of a signal; `verify` (and
/// `verify --deep`) fails naming the damage; a store that cannot be opened safely is refused by
/// every command with the damage and the remedy; and whatever a command does print is the truth —
/// an export is either refused or exactly the export of the undamaged store.
@Suite("Corrupt stores")
struct CorruptStoreTests {
    static let events = 3_000

    enum Damage: String, CaseIterable, Sendable {
        case truncatedToHalf, lastPageCut, emptyDataFile
        case recordByte, branchKey, childPageDuplicated, childPageBeyondEnd, childPageOfAnotherTree
        case metaMagic, metaTransaction, metaMainRoot

        /// Damage found before anything is mapped: every command refuses the store.
        var refusedAtOpen: Bool {
            switch self {
            case .truncatedToHalf, .lastPageCut, .emptyDataFile, .metaMagic, .metaTransaction, .metaMainRoot: true
            default: false
            }
        }
    }

    /// A store of `events` events over 7 streams, each payload a distinct marker, and its export.
    static func store(_ label: String) async throws -> (Scratch, export: [String], tail: String) {
        let scratch = try Scratch(label)
        let lines = (1...events).map { n in
            var line = ImportLine(stream: "case-C-\(n % 7)", id: UUID())
            line.data = #"{"note":"MARK-\#(String(format: "%06d", n))-\#(String(repeating: "x", count: 150))"}"#
            return line.text
        }
        let imported = try await scratch.vigil(["import", "--raw", try scratch.write("e.ndjson", lines: lines)])
        try #require(imported.succeeded, "\(imported)")
        let tail = try await scratch.vigil(["log", "tail", "-n", "5", "--json"])
        try #require(tail.succeeded, "\(tail)")
        return (scratch, try await scratch.exportLines(), tail.stdoutText)
    }

    static func damage(_ damage: Damage, _ path: String) throws {
        var file = try DataFilePages(path: path)
        let size = file.bytes.count
        switch damage {
        case .truncatedToHalf: file.bytes = file.bytes.prefix(size / 2)
        case .lastPageCut: file.bytes = file.bytes.prefix(size - 4096)
        case .emptyDataFile: file.bytes = Data()
        case .recordByte:
            // Every copy of event 1,500's marker (old copies may linger in free pages).
            let marker = Data("MARK-001500-".utf8)
            var from = file.bytes.startIndex
            var copies = 0
            while let range = file.bytes.range(of: marker, in: from..<file.bytes.endIndex) {
                file.bytes[range.lowerBound + 8] ^= 0x01
                from = range.upperBound
                copies += 1
            }
            try #require(copies >= 1)
        case .branchKey:
            let page = try #require(file.lowestBranch(of: "events"))
            let node = file.nodes(page).nodes[5]
            let key = node.key.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            // The separator moves up by 3: the first records of its leaf can no longer be found.
            for i in 0..<8 {
                file.bytes[node.offset + 8 + i] = UInt8(truncatingIfNeeded: (key + 3) >> (8 * UInt64(7 - i)))
            }
        case .childPageDuplicated:
            let page = try #require(file.lowestBranch(of: "events"))
            file.setChild(page: page, node: 5, to: file.nodes(page).nodes[6].child)
        case .childPageBeyondEnd:
            let page = try #require(file.lowestBranch(of: "events"))
            file.setChild(page: page, node: 5, to: file.nodes(page).nodes[5].child | 1 << 30)
        case .childPageOfAnotherTree:
            let page = try #require(file.lowestBranch(of: "events"))
            file.setChild(page: page, node: 5, to: try #require(file.database("eventIds")).root)
        case .metaMagic:
            file.bytes[16] ^= 0x10
        case .metaTransaction:
            let offset = file.metaTransactionOffset(file.newestMeta)
            file.setU64(offset, file.u64(offset) + 2)
        case .metaMainRoot:
            // The main database's root moved to another tree's branch page.
            file.setU64(file.metaMainRootOffset(file.newestMeta), try #require(file.database("events")).root)
        }
        try file.write(to: path)
    }

    @Test("damage is reported, never crashed on, never read past", arguments: Damage.allCases)
    func damaged(_ damage: Damage) async throws {
        let (scratch, export, tail) = try await Self.store("corrupt-\(damage.rawValue)")
        defer { scratch.remove() }
        try Self.damage(damage, scratch.data + "/data.mdb")

        for deep in [false, true] {
            let verify = try await scratch.vigil(["verify"] + (deep ? ["--deep"] : []))
            #expect(verify.status == 2 && verify.signal == nil, "\(damage) deep \(deep): \(verify)")
            let said = verify.stdoutText + verify.stderrText
            #expect(said.contains("damaged") || said.contains("FAILED"), "\(damage): \(verify)")
            #expect(said.contains("restore the latest backup (vigil backup)"), "\(damage) deep \(deep): \(verify)")
        }

        let exported = try await scratch.vigil(["export", scratch.path("out.ndjson")])
        #expect(exported.signal == nil, "\(damage): \(exported)")
        if exported.succeeded {
            let lines = try String(contentsOfFile: scratch.path("out.ndjson"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            #expect(lines == export, "\(damage): an export that succeeded must be the undamaged store's")
        } else {
            #expect(exported.stderrText.contains("restore the latest backup (vigil backup)"), "\(damage): \(exported)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("out.ndjson")), "\(damage)")
        }

        let tailed = try await scratch.vigil(["log", "tail", "-n", "5", "--json"])
        #expect(tailed.signal == nil, "\(damage): \(tailed)")
        if tailed.succeeded { #expect(tailed.stdoutText == tail, "\(damage): \(tailed)") }

        let writes: [[String]] = [
            ["import", "--raw", try scratch.write("more.ndjson", lines: [ImportLine(stream: "case-C-1").text])],
            ["log", "stat"],
        ]
        for command in writes {
            let result = try await scratch.vigil(command)
            #expect(result.signal == nil, "\(damage): \(result)")
            if damage.refusedAtOpen {
                #expect(result.status != 0, "\(damage): \(result)")
                #expect(result.stderrText.contains("the store is damaged"), "\(damage): \(result)")
                #expect(result.stderrText.contains("restore the latest backup (vigil backup)"), "\(damage): \(result)")
            }
        }
    }

    @Test("a deleted lock.mdb under a live writer lets no second process in; the writer's events all stay")
    func lockFileDeleted() async throws {
        let scratch = try Scratch("lock-deleted")
        defer { scratch.remove() }
        let seed = try await scratch.vigil([
            "import", "--raw", try scratch.write("seed.ndjson", lines: [ImportLine(stream: "s", id: UUID()).text]),
        ])
        try #require(seed.succeeded, "\(seed)")
        let fifo = scratch.path("feed")
        try #require(mkfifo(fifo, 0o600) == 0)
        let writer = try scratch.start(["import", "--raw", "--ack", "--batch", "1", fifo])
        let feed = try await Task.detached { try FileHandle(forWritingTo: URL(fileURLWithPath: fifo)) }.value
        defer { try? feed.close() }
        let ids = (0..<20).map { _ in UUID() }
        func send(_ range: Range<Int>) throws {
            for i in range {
                try feed.write(contentsOf: Data((ImportLine(stream: "case-C-\(i % 3)", id: ids[i]).text + "\n").utf8))
            }
        }
        func acknowledged(_ count: Int) async throws {
            for _ in 0..<500 where VigilResult.completeLines(writer.stdoutSoFar).count < count {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(VigilResult.completeLines(writer.stdoutSoFar).count >= count, "writer acknowledged too little")
        }
        try send(0..<10)
        try await acknowledged(10)

        try FileManager.default.removeItem(atPath: scratch.data + "/lock.mdb")

        let second = try await scratch.vigil([
            "import", "--raw", try scratch.write("second.ndjson", lines: [ImportLine(stream: "t").text]),
        ])
        #expect(!second.succeeded && second.signal == nil, "\(second)")
        #expect(
            second.stderrText.contains("lock.mdb is missing while other processes have the store open"), "\(second)")
        #expect(second.stderrText.contains("the writing process is pid \(writer.pid)"), "\(second)")
        #expect(second.stderrText.contains("Stop every process using"), "\(second)")
        let verify = try await scratch.vigil(["verify"])
        #expect(verify.status == 2 && verify.signal == nil, "\(verify)")
        #expect(verify.stdoutText.contains("lock.mdb is missing"), "\(verify)")

        // The writer itself goes on, alone.
        try send(10..<20)
        try await acknowledged(20)
        try feed.close()
        let ended = await writer.wait()
        #expect(ended.succeeded, "\(ended)")

        let after = try await scratch.vigil(["verify"])
        #expect(after.succeeded && after.stdoutText.hasPrefix("ok: 21 events"), "\(after)")
        let stored = Set(try await scratch.export().compactMap { $0["id"] as? String })
        #expect(ids.allSatisfy { stored.contains($0.uuidString.lowercased()) })
    }

    @Test("a second writer waits for the first, then is refused naming it; readers are never held up")
    func oneWriter() async throws {
        let scratch = try Scratch("one-writer")
        defer { scratch.remove() }
        let seed = try await scratch.vigil([
            "import", "--raw", try scratch.write("seed.ndjson", lines: [ImportLine(stream: "s").text]),
        ])
        try #require(seed.succeeded, "\(seed)")
        let fifo = scratch.path("feed")
        try #require(mkfifo(fifo, 0o600) == 0)
        let writer = try scratch.start(["import", "--raw", fifo])
        let feed = try await Task.detached { try FileHandle(forWritingTo: URL(fileURLWithPath: fifo)) }.value
        try await Task.sleep(for: .milliseconds(300))
        let reader = try await scratch.vigil(["verify"])
        #expect(reader.succeeded, "\(reader)")
        let second = try await scratch.vigil([
            "import", "--raw", try scratch.write("second.ndjson", lines: [ImportLine(stream: "t").text]),
        ])
        #expect(!second.succeeded && second.signal == nil, "\(second)")
        #expect(
            second.stderrText.contains("another process (pid \(writer.pid)) is writing to the store"), "\(second)")
        try feed.close()
        _ = await writer.wait()
        let third = try await scratch.vigil([
            "import", "--raw", try scratch.write("third.ndjson", lines: [ImportLine(stream: "t").text]),
        ])
        #expect(third.succeeded, "\(third)")
    }
}
