import ArgumentParser
import EventStore
import FirstResponder
import Trust
import VigilEngine

/// `vigil verify`: recomputes the hash chain and checks the indexes.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain and every way a reader finds an event; name the first bad position.",
        discussion: """
            Walks the log and recomputes every chain hash; finds each event again by position, by stream \
            and version and by id; checks that every index entry points at an event that points back, and \
            every stream head. With --deep, also walks every page of the data file (every B-tree, the free \
            list, page accounting). A store that cannot even be opened safely (a truncated or damaged data \
            file, a missing lock file under a live writer) is a failed verification too. Exit status 0 when \
            everything checks out, 2 when damage is found, 1 on other errors.

            With --key PUB (the county's checkpoint public key; repeatable, for keys used over time), \
            also checks every signed checkpoint: its signature, and that the log's chain hash at the \
            position it signs is the one signed. The store is then proven the county's, unaltered up to \
            its last checkpoint; a store with no checkpoint, or one that fails, exits 2.
            """
    )

    @OptionGroup var store: DataOptions

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Flag(help: "Also walk every page of the data file: every B-tree, the free list and the page accounting.")
    var deep = false

    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "The county's checkpoint public key: check every signed checkpoint with it (repeatable).",
            valueName: "PUB"))
    var keys: [String] = []

    func run() throws {
        let verifier = keys.isEmpty ? nil : CheckpointVerifier(keys: try loadPublicKeys(keys))
        let engine: Engine
        do {
            engine = try Engine.open(directory: store.data, options: .readOnly)
        } catch let error where error.isDamage {
            print(
                VerificationReport(
                    head: LogHead(position: 0, hash: []), events: 0, streams: 0,
                    problems: [
                        .init(message: error.message)
                    ]), vault: nil, opened: false)
            throw ExitCode(2)
        } catch {
            throw CLIError(error.message)
        }
        defer { engine.close() }
        let progress = Progress("verify", total: try engine.store.head().position, unit: .events)
        var report = try engine.store.verify(deep: deep) { progress.update($0) }
        progress.finish()
        let vault = PersonalDataVault.check(storeDirectory: engine.store.environment.directory, deep: deep)
        report.problems += (vault?.problems ?? []).map { .init(message: "vault: \($0)") }
        let checkpoints = try verifier?.audit(engine.store, through: report.head.position)
        print(report, vault: vault, opened: true, checkpoints: checkpoints)
        if !report.isValid || checkpoints?.isValid == false { throw ExitCode(2) }
    }

    private func print(
        _ report: VerificationReport, vault: VaultCheckReport?, opened: Bool, checkpoints: CheckpointReport? = nil
    ) {
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.key("ok")
            w.bool(report.isValid)
            w.field("events", report.events)
            w.field("streams", report.streams)
            w.field("headPosition", report.head.position)
            w.field("headHash", report.head.hashHex)
            if let pages = report.pages { w.field("pages", pages) }
            if let vault {
                w.key("vault")
                w.beginObject()
                w.field("generation", vault.generation)
                w.field("youths", vault.youths)
                w.field("sealed", vault.sealed)
                if let pages = vault.pages { w.field("pages", pages) }
                w.endObject()
            }
            if !report.isValid && opened { w.field("remedy", Self.remedy(for: report)) }
            if let checkpoints { checkpoints.write(into: &w) }
            w.key("problems")
            w.beginArray()
            for p in report.problems {
                w.beginObject()
                if let position = p.position { w.field("position", position) }
                w.field("message", p.message)
                w.endObject()
            }
            w.endArray()
            w.endObject()
            say(w.string)
        } else if report.isValid {
            let pages = report.pages.map { "; \($0) pages walked" } ?? ""
            let details = vault.map { "; vault: \($0.youths) youths' details, \($0.sealed) sealed" } ?? ""
            say(
                "ok: \(report.events) events in \(report.streams) streams; head \(report.head.position) \(report.head.hashHex)\(pages)\(details)"
            )
        } else {
            say(
                opened
                    ? "FAILED after \(report.events) good events (last good head \(report.head.position) \(report.head.hashHex))"
                    : "FAILED: the store cannot be opened safely")
            for p in report.problems { say("  \(p)") }
            // A store refused at open says what to do in its own message.
            if opened { say(Self.remedy(for: report)) }
        }
        if !json, let checkpoints {
            for line in checkpoints.lines { say(line) }
        }
    }

    static let remedy = "The store is damaged: " + EventStoreError.remedy + "."

    /// The store's remedy, or the vault's when only the vault is damaged (an export does not hold it).
    static func remedy(for report: VerificationReport) -> String {
        report.problems.allSatisfy { $0.message.hasPrefix("vault: ") }
            ? "The personal-data vault is damaged: " + VaultError.remedy + "." : remedy
    }
}

extension EngineError {
    /// Whether opening failed because the store is damaged (not missing, not busy).
    var isDamage: Bool { (cause as? EventStoreError)?.code == .corrupted }
}
