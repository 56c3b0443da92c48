import EventStore
import FirstResponder
import Foundation
import Testing
import VigilEngine

/// A `seal-record` stopped between its two stores — the youth's data destroyed in the vault, the
/// log without its `RecordSealed` yet — is finished by whatever next writes the store: the daemon
/// as it starts, and `vigil restore` when a backup caught it so.
@Suite("Sealings stopped half-way: restore and the daemon finish them")
struct InterruptedSealingTests {
    static let youth = VaultTests.youth
    static let caseId = "C-2026A00017"

    /// A closed case of ``youth`` whose sealing stopped after the vault's step: what a process killed
    /// between the two leaves (the vault step done as `seal-record` does it, intent included).
    static func halfSealed(_ label: String) async throws -> (Scratch, key: String) {
        let (scratch, key) = try await VaultTests.closedCase(label)
        let engine = try Engine.open(directory: scratch.data, options: Engine.Options(masterKeyPath: key))
        defer { engine.close() }
        let vault = try #require(engine.vault)
        let caseId = try #require(CaseID(rawValue: Self.caseId))
        let stream = CaseFile.stream(caseId)
        let version = try #require(try engine.store.streamHead(stream)).version
        let at = try #require(Timestamp(rfc3339: "2026-06-01T10:00:00Z"))
        let event = RecordSealed(
            caseId: caseId, youthRef: try #require(YouthRef(rawValue: youth)), scope: .youth, legalBasis: .wic781,
            authorisedBy: "user:judge-clerk-2"
        ).newEvent(occurredAt: at, actor: "user:clerk-2", id: UUID())
        try vault.seal(
            [youth], authorisedBy: "user:judge-clerk-2", legalBasis: .wic781, at: at,
            completing: PendingSeal(request: AppendRequest(events: [event], expectations: [stream: .exactly(version)])))
        return (scratch, key)
    }

    /// The `RecordSealed` events in the store at `data`.
    static func sealedEvents(_ scratch: Scratch, data: String) async throws -> [String] {
        let exported = try await VigilProcess.run(["export", "--data", data, "-"], in: scratch.url)
        try #require(exported.succeeded, "\(exported)")
        return exported.stdoutText.split(separator: "\n").map(String.init).filter {
            $0.contains(#""type":"RecordSealed""#)
        }
    }

    @Test("a backup that caught a sealing half-way: restore refuses without the master key, and with it finishes it")
    func restoreFinishes() async throws {
        let (scratch, key) = try await Self.halfSealed("restore-half-sealed")
        defer { scratch.remove() }
        #expect(try await Self.sealedEvents(scratch, data: scratch.data).isEmpty, "the log does not say sealed yet")
        let backup = try await scratch.vigil(["backup", scratch.path("backup")])
        try #require(backup.succeeded, "\(backup)")
        let target = scratch.path("restored")

        let refused = try await VigilProcess.run(
            ["restore", scratch.path("backup"), "--data", target], in: scratch.url, timeout: .seconds(300))
        #expect(
            refused.status == 1 && refused.stderrText.contains("--key-file") && refused.stderrText.contains("half-way"),
            "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: target), "nothing restored")

        let restored = try await VigilProcess.run(
            ["restore", scratch.path("backup"), "--data", target, "--key-file", key], in: scratch.url,
            timeout: .seconds(300))
        #expect(
            restored.succeeded && restored.stdoutText.contains("finished 1 interrupted sealing")
                && restored.stderrText.contains("finished an interrupted sealing: RecordSealed at positions"),
            "\(restored)")
        let sealed = try await Self.sealedEvents(scratch, data: target)
        #expect(sealed.count == 1 && sealed[0].contains(Self.caseId), "\(sealed)")
        let shown = try await VigilProcess.run(
            ["vault", "show", "--data", target, "--key-file", key, Self.youth], in: scratch.url)
        #expect(shown.succeeded && shown.stdoutText.hasPrefix("sealed: "), "\(shown)")
        let verify = try await VigilProcess.run(["verify", "--data", target, "--json"], in: scratch.url)
        #expect(verify.succeeded, "\(verify)")
        // Nothing is left to finish: the next writer appends no second RecordSealed.
        let again = try await VigilProcess.run(
            ["command", "--data", target, "--key-file", key, try scratch.write("none.ndjson", lines: [])],
            in: scratch.url)
        #expect(again.succeeded && !again.stderrText.contains("sealing"), "\(again)")
        #expect(try await Self.sealedEvents(scratch, data: target).count == 1)
    }

    @Test("the daemon finishes a sealing stopped half-way before it serves")
    func daemonFinishes() async throws {
        let (scratch, key) = try await Self.halfSealed("serve-half-sealed")
        defer { scratch.remove() }
        let (daemon, _) = try await startDaemon(scratch, ["--key-file", key])
        defer { daemon.kill() }
        daemon.terminate()
        let stopped = await daemon.wait(timeout: .seconds(60))
        #expect(stopped.succeeded, "\(stopped)")
        #expect(stopped.stderrText.contains("finished an interrupted sealing"), "\(stopped)")
        let sealed = try await Self.sealedEvents(scratch, data: scratch.data)
        #expect(sealed.count == 1 && sealed[0].contains(Self.caseId), "\(sealed)")
        #expect(try await scratch.vigil(["verify"]).succeeded)
    }
}
