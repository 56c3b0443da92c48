import Foundation
import Testing

/// Damage a disk, an interrupted copy or a person can do to a store — cut files, flipped bytes in a
/// record, in a branch page's key, in a child page number, in the meta pages, an empty data file —
/// each tried on the real `vigil` binary. For every one: no command dies of a signal; `verify` (and
/// `verify --deep`) fails naming the damage; a store that cannot be opened safely is refused by
/// every command with the damage and the remedy; and whatever a command does print is the truth —
/// an export is either refused or exactly the export of the undamaged store.
///
/// With `VIGIL_CORRUPT_SOURCE=DIR` the damage is done to copies of the store in DIR instead of a
/// synthetic one (scripts/soak runs the suite this way on a backup of the store it soaked), and the
/// record-byte damage flips `VIGIL_CORRUPT_MARKER`, a string one of its records holds.
@Suite("Corrupt stores")
struct CorruptStoreTests {
    static let events = 3_000
    static let source = ProcessInfo.processInfo.environment["VIGIL_CORRUPT_SOURCE"].flatMap { $0.isEmpty ? nil : $0 }
    static let marker = ProcessInfo.processInfo.environment["VIGIL_CORRUPT_MARKER"] ?? "MARK-001500-"
    /// How long each command may take before it counts as hung (generous: the machine may be loaded,
    /// and a soaked store is larger than the synthetic one).
    static let timeout: Duration = source == nil ? .seconds(180) : .seconds(900)

    enum Damage: String, CaseIterable, Sendable {
        case truncatedToHalf, lastPageCut, emptyDataFile
        case recordByte, branchKey, childPageDuplicated, childPageBeyondEnd, childPageOfAnotherTree, indexEntry
        case metaMagic, metaTransaction, metaMainRoot

        /// Damage found before anything is mapped: every command refuses the store.
        var refusedAtOpen: Bool {
            switch self {
            case .truncatedToHalf, .lastPageCut, .emptyDataFile, .metaMagic, .metaTransaction, .metaMainRoot: true
            default: false
            }
        }
    }

    /// A store of `events` events over 7 streams, each payload a distinct marker (or a copy of
    /// ``source``), and its export.
    static func store(_ label: String) async throws -> (Scratch, export: [String], tail: String) {
        let scratch = try Scratch(label)
        if let source {
            try FileManager.default.copyItem(atPath: source, toPath: scratch.data)
            let tail = try await scratch.vigil(["log", "tail", "-n", "5", "--json"], timeout: timeout)
            try #require(tail.succeeded, "\(tail)")
            let exported = try await scratch.vigil(["export", scratch.path("undamaged.ndjson")], timeout: timeout)
            try #require(exported.succeeded, "\(exported)")
            let lines = try String(contentsOfFile: scratch.path("undamaged.ndjson"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            try FileManager.default.removeItem(atPath: scratch.path("undamaged.ndjson"))
            return (scratch, lines, tail.stdoutText)
        }
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
            let marker = Data(Self.marker.utf8)
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
        case .indexEntry:
            // An event id's entry made to name another event's position: LMDB sees nothing wrong.
            let leaf = try #require(file.firstLeaf(of: "eventIds"))
            let nodes = file.nodes(leaf).nodes
            try #require(nodes.count > 4 && nodes[3].data.count == nodes[4].data.count)
            let start = nodes[3].offset + 8 + nodes[3].key.count
            file.bytes.replaceSubrange(start..<(start + nodes[3].data.count), with: nodes[4].data)
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
            let verify = try await scratch.vigil(["verify"] + (deep ? ["--deep"] : []), timeout: Self.timeout)
            #expect(verify.status == 2 && verify.signal == nil, "\(damage) deep \(deep): \(verify)")
            let said = verify.stdoutText + verify.stderrText
            #expect(said.contains("damaged") || said.contains("FAILED"), "\(damage): \(verify)")
            #expect(said.contains("restore the latest backup (vigil backup)"), "\(damage) deep \(deep): \(verify)")
        }

        let exported = try await scratch.vigil(["export", scratch.path("out.ndjson")], timeout: Self.timeout)
        #expect(exported.signal == nil, "\(damage): \(exported)")
        if exported.succeeded {
            let lines = try String(contentsOfFile: scratch.path("out.ndjson"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            #expect(lines == export, "\(damage): an export that succeeded must be the undamaged store's")
        } else {
            #expect(exported.stderrText.contains("restore the latest backup (vigil backup)"), "\(damage): \(exported)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path("out.ndjson")), "\(damage)")
        }

        if damage == .indexEntry {
            // The id whose entry was moved is not shown as the event its entry now names.
            let file = try DataFilePages(path: scratch.data + "/data.mdb")
            let key = file.nodes(try #require(file.firstLeaf(of: "eventIds"))).nodes[3].key
            let id = UUID(uuid: key.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }).uuidString.lowercased()
            let shown = try await scratch.vigil(["log", "show", "--id", id], timeout: Self.timeout)
            #expect(!shown.succeeded && shown.signal == nil, "\(shown)")
            #expect(shown.stderrText.contains("restore the latest backup (vigil backup)"), "\(shown)")
        }

        let tailed = try await scratch.vigil(["log", "tail", "-n", "5", "--json"], timeout: Self.timeout)
        #expect(tailed.signal == nil, "\(damage): \(tailed)")
        if tailed.succeeded { #expect(tailed.stdoutText == tail, "\(damage): \(tailed)") }

        let writes: [[String]] = [
            ["import", "--raw", try scratch.write("more.ndjson", lines: [ImportLine(stream: "case-C-1").text])],
            ["log", "stat"],
        ]
        for command in writes {
            let result = try await scratch.vigil(command, timeout: Self.timeout)
            #expect(result.signal == nil, "\(damage): \(result)")
            if damage.refusedAtOpen {
                #expect(result.status != 0, "\(damage): \(result)")
                #expect(result.stderrText.contains("the store is damaged"), "\(damage): \(result)")
                #expect(result.stderrText.contains("restore the latest backup (vigil backup)"), "\(damage): \(result)")
            }
        }
    }

    /// Damage to the personal-data vault (`DIR/vault`).
    enum VaultDamage: String, CaseIterable, Sendable {
        case cutToHalf, metaMagic, currentNamesNothing, currentDeleted, recordFormat
    }

    @Test(
        "a damaged vault: verify names it, every command that opens it refuses with the remedy, nothing is crashed on, written, or made anew",
        arguments: VaultDamage.allCases)
    func damagedVault(_ damage: VaultDamage) async throws {
        let (scratch, key) = try await VaultTests.closedCase("vault-\(damage.rawValue)")
        defer { scratch.remove() }
        let secrets = try VaultTests.vaultRecords(scratch)
        let generation = try VaultTests.currentGeneration(scratch)
        let events = try await scratch.eventCount()
        switch damage {
        case .cutToHalf:
            var file = try DataFilePages(path: generation + "/data.mdb")
            file.bytes = file.bytes.prefix(file.bytes.count / 2)
            try file.write(to: generation + "/data.mdb")
        case .metaMagic:
            var file = try DataFilePages(path: generation + "/data.mdb")
            file.bytes[16] ^= 0x10
            try file.write(to: generation + "/data.mdb")
        case .currentNamesNothing:
            try Data("g000000000099\n".utf8).write(to: URL(fileURLWithPath: scratch.data + "/vault/current"))
        case .currentDeleted:
            try FileManager.default.removeItem(atPath: scratch.data + "/vault/current")
        case .recordFormat:
            // Every copy of the wrapped key gets another format byte.
            var file = try DataFilePages(path: generation + "/data.mdb")
            var from = file.bytes.startIndex
            while let range = file.bytes.range(of: secrets[0], in: from..<file.bytes.endIndex) {
                file.bytes[range.lowerBound] = 9
                from = range.upperBound
            }
            try file.write(to: generation + "/data.mdb")
        }

        for deep in [false, true] {
            let verify = try await scratch.vigil(["verify"] + (deep ? ["--deep"] : []))
            #expect(verify.status == 2 && verify.signal == nil, "\(damage) deep \(deep): \(verify)")
            #expect(verify.stdoutText.contains("  vault: "), "\(damage) deep \(deep): \(verify)")
            #expect(verify.stdoutText.contains("restore the latest backup (vigil backup)"), "\(damage): \(verify)")
        }
        let shown = try await scratch.vigil(["vault", "show", "--key-file", key, VaultTests.youth])
        #expect(!shown.succeeded && shown.signal == nil, "\(damage): \(shown)")
        #expect(shown.stderrText.contains("is damaged: "), "\(damage): \(shown)")
        #expect(shown.stderrText.contains("restore the latest backup (vigil backup)"), "\(damage): \(shown)")
        #expect(!shown.stderrText.contains("--key-file"), "damage is not the key file's fault: \(shown)")
        #expect(!shown.stdoutText.contains("Examplez"))
        let stored = try await scratch.vigil(
            ["vault", "store", "--key-file", key, VaultTests.youth], stdin: VaultTests.details)
        #expect(!stored.succeeded && stored.signal == nil, "\(damage): \(stored)")
        let backup = try await scratch.vigil(["backup", scratch.path("copy")])
        #expect(!backup.succeeded && backup.signal == nil, "\(damage): \(backup)")
        #expect(FileManager.default.fileExists(atPath: scratch.path("copy") + "/vigil.backup-incomplete"))
        if damage != .recordFormat {
            // Sealing needs the vault: refused, and the log gets no RecordSealed.
            let sealed = try await scratch.vigil([
                "command", "--key-file", key, try scratch.write("s.ndjson", lines: [VaultTests.seal]),
            ])
            #expect(!sealed.succeeded && sealed.signal == nil, "\(damage): \(sealed)")
            #expect(try await scratch.eventCount() == events, "\(damage): nothing was appended")
        }
        // Nothing made a new, empty vault in the damaged one's place: its records are all still there.
        #expect(
            FileManager.default.fileExists(atPath: generation + "/data.mdb"), "\(damage): the generation was removed")
        if damage != .currentDeleted && damage != .currentNamesNothing {
            #expect(try VaultTests.currentGeneration(scratch) == generation, "\(damage)")
        }
        if damage == .cutToHalf || damage == .recordFormat { return }
        for secret in secrets {
            #expect(!filesContaining(secret, under: scratch.data + "/vault").isEmpty, "\(damage): a record is gone")
        }
        // The log itself is whole: it exports.
        #expect(try await scratch.exportLines().count == events)
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
