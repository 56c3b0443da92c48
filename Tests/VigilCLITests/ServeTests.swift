import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("vigil serve, vigil token, vigil audit access")
struct ServeTests {
    @Test("the daemon serves a token's commands, logs refusals, and stops cleanly on SIGTERM")
    func serveAndStop() async throws {
        let scratch = try Scratch("serve")
        defer { scratch.remove() }
        let made = try await VigilProcess(
            ["token", "create", "--data", scratch.data, "--role", "dispatcher", "--name", "dispatcher-7"],
            in: scratch.url
        ).wait()
        #expect(made.succeeded, "\(made)")
        let token = made.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("vigil_tok-"))
        let listed = try await VigilProcess(["token", "list", "--data", scratch.data, "--json"], in: scratch.url).wait()
        #expect(listed.stdoutText.contains(#""actor":"user:dispatcher-7""#))
        #expect(!listed.stdoutText.contains(String(token.suffix(43))))

        try await scratch.setupCounty()
        let daemon = try VigilProcess(["serve", "--data", scratch.data, "--port", "0"], in: scratch.url)
        let port = try #require(
            try await listeningPort(daemon), "no listening line: \(String(decoding: daemon.stderrSoFar, as: UTF8.self))"
        )
        #expect(try await request("GET", port, "/healthz").status == 200)
        #expect(try await request("GET", port, "/v1/me").status == 401)
        let now = ISO8601DateFormatter().string(from: Date())
        let command = try await request(
            "POST", port, "/v1/commands/report-recovery", token: token,
            body:
                #"{"occurredAt":"\#(now)","caseId":"C-2026A00017","youthRef":"Y-7K2M9Q4D1X","agency":"LASD","station":"SCV","area":"SPA2","contactAt":"\#(now)","context":"street","ageAtContact":15,"onSupervision":"none","awol":false}"#
        )
        #expect(command.status == 201, "\(command.body)")

        daemon.terminate()
        let result = await daemon.wait(timeout: .seconds(30))
        #expect(result.succeeded, "\(result)")
        #expect(result.stderrText.contains("store closed"))
        #expect(result.stderrText.contains(#""hb.request.id""#))

        let verify = try await VigilProcess(["verify", "--data", scratch.data], in: scratch.url).wait()
        #expect(verify.succeeded, "\(verify)")
        let audit = try await VigilProcess(["audit", "access", "--data", scratch.data, "--json"], in: scratch.url)
            .wait()
        #expect(audit.succeeded, "\(audit)")
        let records = audit.stdoutText.split(separator: "\n")
        #expect(records.count == 1)
        #expect(records.first?.contains(#""refusal":"no-token""#) == true)

        // Filtered by outcome (the command was no read of details: the one record is the refusal).
        for (outcome, count) in [("refused", 1), ("allowed", 0), ("gone", 0)] {
            let filtered = try await VigilProcess(
                ["audit", "access", "--data", scratch.data, "--json", "--outcome", outcome], in: scratch.url
            ).wait()
            #expect(filtered.succeeded, "\(filtered)")
            #expect(filtered.stdoutText.split(separator: "\n").count == count, "--outcome \(outcome)")
        }
        let bad = try await VigilProcess(
            ["audit", "access", "--data", scratch.data, "--outcome", "denied"], in: scratch.url
        ).wait()
        #expect(!bad.succeeded)
        #expect(bad.stderrText.contains("--outcome: expected allowed, refused, not-found or gone, got denied"))
        #expect(bad.stdoutText.isEmpty)
        let contradiction = try await VigilProcess(
            ["audit", "access", "--data", scratch.data, "--refused", "--outcome", "allowed"], in: scratch.url
        ).wait()
        #expect(!contradiction.succeeded)
        #expect(contradiction.stderrText.contains("--refused and --outcome allowed contradict each other"))
    }
}
