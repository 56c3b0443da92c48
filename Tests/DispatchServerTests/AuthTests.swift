import DispatchServer
import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Tokens, roles and the access log")
struct AuthTests {
    @Test("no token, a forged token, a revoked token: 401 with a Bearer challenge, each refusal in the access log")
    func unauthenticated() async throws {
        let scratch = Scratch()
        let valid = try bearer(scratch, .dispatcher)
        try await withServer(scratch) { client, engine in
            let none = try await client.send(.get, "/v1/me", [:])
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == #"Bearer realm="vigil""#)
            #expect(none.object["type"] as? String == "urn:vigil:problem:unauthenticated")

            let forged = try await client.send(
                .get, "/v1/me", [.authorization: "Bearer vigil_tok-000000000000_\(String(repeating: "A", count: 43))"])
            #expect(forged.status == .unauthorized)
            #expect(forged.object["type"] as? String == "urn:vigil:problem:invalid-token")

            let me = try await client.send(.get, "/v1/me", valid)
            #expect(me.status == .ok)
            #expect(me.object["actor"] as? String == "user:dispatcher-1")
            #expect(me.object["role"] as? String == "dispatcher")
            let tokenId = try #require(me.object["tokenId"] as? String)

            try TokenFile.revoke(id: tokenId, in: scratch.path)
            let revoked = try await client.send(.get, "/v1/me", valid)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.object["type"] as? String == "urn:vigil:problem:revoked-token")

            var records: [(String, AccessRecorded)] = []
            try AccessLogReader.read(engine.store) { stored, record in records.append((stored.actor, record)) }
            #expect(records.map(\.1.refusal) == [.noToken, .invalidToken, .revokedToken])
            #expect(records.map(\.0) == ["system:http", "system:http", "system:http"])
            #expect(records.allSatisfy { $0.1.outcome == .refused && $0.1.status == 401 && $0.1.action == "whoAmI" })
            #expect(records[1].1.tokenId == "tok-000000000000")
            #expect(records[2].1.tokenId == tokenId)
        }
    }

    @Test("a role outside a route's roles gets 403 naming the roles that may; the refusal is recorded with the role")
    func forbidden() async throws {
        let scratch = Scratch()
        let analyst = try bearer(scratch, .analyst)
        let responder = try bearer(scratch, .responder)
        try await withServer(scratch) { client, engine in
            let events = try await client.send(.get, "/v1/events", analyst)
            #expect(events.status == .forbidden)
            #expect(events.object["allowedRoles"] as? [String] == ["dispatcher", "supervisor", "auditor", "replica"])

            // A responder may run field commands, not intake.
            let intake = try await client.send(.post, "/v1/commands/report-recovery", responder, json: "{}")
            #expect(intake.status == .forbidden)
            #expect(intake.object["allowedRoles"] as? [String] == ["dispatcher", "supervisor"])

            var records: [AccessRecorded] = []
            try AccessLogReader.read(engine.store) { _, record in records.append(record) }
            #expect(records.map(\.action) == ["listEvents", "runCommand"])
            #expect(records.map(\.role) == [.analyst, .responder])
            #expect(records.allSatisfy { $0.refusal == .roleNotAllowed && $0.status == 403 })
        }
    }

    @Test("the token file holds hashes only, mode 0600; list shows every token and revoke marks one")
    func tokenFile() throws {
        let scratch = Scratch()
        let (token, record) = try TokenFile.create(in: scratch.path, actor: "user:supervisor-2", role: .supervisor)
        #expect(token.hasPrefix("vigil_\(record.id)_"))
        let text = try String(contentsOfFile: TokenFile.path(in: scratch.path), encoding: .utf8)
        // The secret is everything after `vigil_<id>_`: 43 base64url characters, which may hold `_`
        // themselves (splitting on every `_` once left a two-letter piece that the file's times held).
        let secret = String(token.dropFirst("vigil_\(record.id)_".count))
        #expect(secret.count == 43)
        #expect(!text.contains(secret))
        #expect(text.contains(record.sha256))
        let mode = try FileManager.default.attributesOfItem(atPath: TokenFile.path(in: scratch.path))[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
        _ = try TokenFile.create(in: scratch.path, actor: "service:cad-bridge", role: .dispatcher)
        #expect(try TokenFile.list(in: scratch.path).map(\.actor) == ["user:supervisor-2", "service:cad-bridge"])
        try TokenFile.revoke(id: record.id, in: scratch.path)
        #expect(try TokenFile.list(in: scratch.path).map(\.isActive) == [false, true])
        #expect(throws: TokenError.self) { try TokenFile.revoke(id: "tok-ffffffffffff", in: scratch.path) }
        #expect(throws: TokenError.self) {
            try TokenFile.create(in: scratch.path, actor: "user:Not Valid", role: .admin)
        }
    }
}
