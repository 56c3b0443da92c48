import DispatchServer
import EventStore
import FirstResponder
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilEngine

/// A master key file beside (never inside) the test's data directory.
private func masterKey(_ scratch: Scratch) throws -> String {
    let path = scratch.path + "-master.key"
    var rng = SystemRandomNumberGenerator()
    try MasterKey.generate(at: path, using: &rng)
    return path
}

private let details = YouthDetails(
    givenName: "Ana", familyName: "Reyes", dateOfBirth: "2010-04-02", phone: "+1 661 555 0100",
    notes: "goes by Annie")

@Suite("A youth's identifying details over HTTP: vault readers only, every lookup access-logged")
struct YouthRoutesTests {
    @Test(
        "dispatchers, responders and supervisors read the details; analysts, auditors and admins are refused; each is on the access log"
    )
    func readersAndRefusals() async throws {
        let scratch = Scratch()
        let key = try masterKey(scratch)
        defer { try? FileManager.default.removeItem(atPath: key) }
        let readers: [Role] = [.dispatcher, .responder, .supervisor]
        let others: [Role] = [.analyst, .auditor, .admin]
        var tokens: [Role: HTTPFields] = [:]
        for role in readers + others { tokens[role] = try bearer(scratch, role) }
        let headers = tokens
        let storeDetails: (Engine) async throws -> Void = { engine in
            var rng = SystemRandomNumberGenerator()
            try #require(engine.vault).store(details, for: "Y-7K2M9Q4D1X", using: &rng)
        }
        let options = DispatchServer.engineOptions(masterKeyPath: key)
        try await withServer(scratch, engineOptions: options, prepare: storeDetails) { client, _ in
            for role in readers {
                let response = try await client.send(.get, "/v1/youth/Y-7K2M9Q4D1X", headers[role]!)
                #expect(response.status == .ok, "\(role)")
                #expect(response.headers[.cacheControl] == "no-store")
                let body = response.object
                #expect(body["youthRef"] as? String == "Y-7K2M9Q4D1X")
                #expect(body["givenName"] as? String == "Ana")
                #expect(body["familyName"] as? String == "Reyes")
                #expect(body["dateOfBirth"] as? String == "2010-04-02")
                #expect(body["phone"] as? String == "+1 661 555 0100")
                #expect(body["notes"] as? String == "goes by Annie")
            }
            for role in others {
                let response = try await client.send(.get, "/v1/youth/Y-7K2M9Q4D1X", headers[role]!)
                #expect(response.status == .forbidden, "\(role)")
                #expect(response.object["allowedRoles"] as? [String] == ["dispatcher", "responder", "supervisor"])
                #expect(!response.text.contains("Reyes"))
            }
            let anonymous = try await client.send(.get, "/v1/youth/Y-7K2M9Q4D1X", [:])
            #expect(anonymous.status == .unauthorized)

            let access = try await client.send(
                .get, "/v1/audit/access?youth=Y-7K2M9Q4D1X&limit=1000", headers[.auditor]!)
            #expect(access.status == .ok)
            let records = try #require(access.object["records"] as? [[String: Any]]).compactMap {
                $0["record"] as? [String: Any]
            }
            #expect(records.allSatisfy { $0["action"] as? String == "getYouthDetails" })
            let served = records.filter { $0["outcome"] as? String == "allowed" }
            #expect(Set(served.compactMap { $0["role"] as? String }) == ["dispatcher", "responder", "supervisor"])
            #expect(served.allSatisfy { $0["status"] as? Int == 200 })
            let refused = records.filter { $0["outcome"] as? String == "refused" && $0["role"] != nil }
            #expect(Set(refused.compactMap { $0["role"] as? String }) == ["analyst", "auditor", "admin"])
            #expect(
                refused.allSatisfy { $0["refusal"] as? String == "role-not-allowed" && $0["status"] as? Int == 403 })
            // The access log holds who looked, never what they saw.
            #expect(!access.text.contains("Reyes") && !access.text.contains("2010-04-02"))
            let anonymousRecords = try await client.send(
                .get, "/v1/audit/access?youth=Y-7K2M9Q4D1X&actor=system:http", headers[.auditor]!)
            #expect(
                (anonymousRecords.object["records"] as? [[String: Any]])?.first.flatMap {
                    ($0["record"] as? [String: Any])?["refusal"] as? String
                } == "no-token")
        }
    }

    @Test(
        "a sealed youth is 410 with when and on what basis, an unknown one 404, a malformed reference 400; lookups are logged"
    )
    func sealedUnknownMalformed() async throws {
        let scratch = Scratch()
        let key = try masterKey(scratch)
        defer { try? FileManager.default.removeItem(atPath: key) }
        let dispatcher = try bearer(scratch, .dispatcher)
        let auditor = try bearer(scratch, .auditor)
        let storeAndSeal: (Engine) async throws -> Void = { engine in
            let vault = try #require(engine.vault)
            var rng = SystemRandomNumberGenerator()
            try vault.store(details, for: "Y-7K2M9Q4D1X", using: &rng)
            try vault.seal(
                "Y-7K2M9Q4D1X", authorisedBy: "user:supervisor-3", legalBasis: .wic781,
                at: Timestamp(rfc3339: "2026-03-20T10:00:00Z")!)
        }
        let options = DispatchServer.engineOptions(masterKeyPath: key)
        try await withServer(scratch, engineOptions: options, prepare: storeAndSeal) { client, _ in
            let sealed = try await client.send(.get, "/v1/youth/Y-7K2M9Q4D1X", dispatcher)
            #expect(sealed.status == .gone)
            #expect(sealed.object["type"] as? String == "urn:vigil:problem:record-sealed")
            let detail = try #require(sealed.object["detail"] as? String)
            #expect(detail.contains("2026-03-20T10:00:00Z") && detail.contains("WIC-781"))
            #expect(!sealed.text.contains("Ana") && !sealed.text.contains("Reyes"))

            let unknown = try await client.send(.get, "/v1/youth/Y-0000000000", dispatcher)
            #expect(unknown.status == .notFound)
            #expect(unknown.object["type"] as? String == "urn:vigil:problem:unknown-youth")

            let malformed = try await client.send(.get, "/v1/youth/ana-reyes", dispatcher)
            #expect(malformed.status == .badRequest)
            #expect((malformed.object["detail"] as? String)?.contains("youthRef") == true)

            let access = try await client.send(.get, "/v1/audit/access?limit=1000", auditor)
            let statuses = (access.object["records"] as? [[String: Any]])?.compactMap {
                $0["record"] as? [String: Any]
            }.filter { $0["action"] as? String == "getYouthDetails" }.map {
                "\($0["youthRef"] as? String ?? "-") \($0["status"] as? Int ?? 0) \($0["outcome"] as? String ?? "-")"
            }
            // The record says what happened: nothing was served, the record sealed (gone) or never held (not-found).
            #expect(statuses == ["Y-7K2M9Q4D1X 410 gone", "Y-0000000000 404 not-found"])

            // Filtered by outcome: each lookup that served nothing, apart.
            for (outcome, youth) in [("gone", "Y-7K2M9Q4D1X"), ("not-found", "Y-0000000000")] {
                let filtered = try await client.send(.get, "/v1/audit/access?outcome=\(outcome)", auditor)
                let records = (filtered.object["records"] as? [[String: Any]])?.compactMap {
                    $0["record"] as? [String: Any]
                }
                #expect(
                    records?.map { "\($0["youthRef"] as? String ?? "-") \($0["outcome"] as? String ?? "-")" } == [
                        "\(youth) \(outcome)"
                    ])
            }
            let bad = try await client.send(.get, "/v1/audit/access?outcome=denied", auditor)
            #expect(bad.status == .badRequest)
            #expect(
                bad.object["detail"] as? String
                    == "outcome must be allowed, refused, not-found or gone, got denied")
        }
    }

    @Test("a daemon without the vault's master key serves no details (503)")
    func noVault() async throws {
        let scratch = Scratch()
        let dispatcher = try bearer(scratch, .dispatcher)
        try await withServer(scratch) { client, _ in
            let response = try await client.send(.get, "/v1/youth/Y-7K2M9Q4D1X", dispatcher)
            #expect(response.status == .serviceUnavailable)
            #expect(response.object["type"] as? String == "urn:vigil:problem:no-vault")
        }
    }
}
