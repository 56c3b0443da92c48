import Foundation
import Testing

@Suite("Personal-data vault")
struct VaultTests {
    @Test("details are stored encrypted, read back, and after seal-record read as sealed; the chain still verifies")
    func storeShowSeal() async throws {
        let scratch = try Scratch("vault")
        defer { scratch.remove() }
        let key = scratch.path("master.key")
        let made = try await VigilProcess.run(["vault", "new-key", key], in: scratch.url)
        #expect(made.succeeded, "\(made)")
        let envelope = #""occurredAt":"2026-03-14T02:05:00Z","actor":"user:deputy-1""#
        let setup = try await scratch.vigil([
            "command",
            try scratch.write(
                "c.ndjson",
                lines: [
                    #"{"command":"report-recovery",\#(envelope),"caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"2026-03-14T01:58:00Z","context":"street"}"#,
                    #"{"command":"close-case","occurredAt":"2026-04-14T02:05:00Z","actor":"user:lead-1","caseId":"C-2026A00017","outcome":"services-engaged"}"#,
                ]),
        ])
        try #require(setup.succeeded, "\(setup)")
        let stored = try await scratch.vigil([
            "vault", "store", "--key-file", key, "Y-7K2M9Q4D1X", "--given-name", "Marisol", "--family-name", "Examplez",
            "--date-of-birth", "2010-05-04",
        ])
        #expect(stored.succeeded, "\(stored)")
        let shown = try await scratch.vigil(["vault", "show", "--key-file", key, "Y-7K2M9Q4D1X"])
        #expect(shown.succeeded && shown.stdoutText.contains(#""familyName":"Examplez""#), "\(shown)")
        let file = try Data(contentsOf: URL(fileURLWithPath: scratch.data + "/data.mdb"))
        #expect(file.range(of: Data("Examplez".utf8)) == nil, "no plaintext on disk")

        let seal =
            #"{"command":"seal-record","occurredAt":"2026-06-01T10:00:00Z","actor":"user:clerk-2","caseId":"C-2026A00017","legalBasis":"WIC-781","authorisedBy":"user:judge-clerk-2"}"#
        let sealed = try await scratch.vigil([
            "command", "--key-file", key, try scratch.write("s.ndjson", lines: [seal]),
        ])
        #expect(sealed.succeeded && sealed.stdoutText.contains("RecordSealed"), "\(sealed)")
        let after = try await scratch.vigil(["vault", "show", "--key-file", key, "Y-7K2M9Q4D1X"])
        #expect(after.succeeded && after.stdoutText.hasPrefix("sealed: "), "\(after)")
        let verify = try await scratch.vigil(["verify"])
        #expect(verify.succeeded, "\(verify)")
        #expect(try await scratch.eventCount() > 0, "the case still counts")
        let wrongKey = scratch.path("other.key")
        _ = try await VigilProcess.run(["vault", "new-key", wrongKey], in: scratch.url)
        let refused = try await scratch.vigil(["vault", "show", "--key-file", wrongKey, "Y-7K2M9Q4D1X"])
        #expect(!refused.succeeded && refused.stderrText.contains("--key-file"), "\(refused)")
    }
}
