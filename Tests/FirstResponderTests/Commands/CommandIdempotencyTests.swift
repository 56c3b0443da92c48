import EventStore
import FirstResponder
import Foundation
import Testing

@Suite("Commands: idempotency by commandId")
struct CommandIdempotencyTests {
    /// What a second command under the same commandId changes.
    enum Change: String, CaseIterable, Sendable {
        case occurredAt, actor, correlationId, field
    }

    static func assign(_ id: UUID, change: Change? = nil) -> AssignManually {
        var envelope = by(at(1), commandId: id)
        var reason = "Knows the family from a previous placement."
        switch change {
        case .occurredAt: envelope.occurredAt = at(2)
        case .actor: envelope.actor = "user:dispatcher-8"
        case .correlationId: envelope.correlationId = DeterministicID.make("another workflow")
        case .field: reason = "Speaks the youth's language."
        case nil: break
        }
        return AssignManually(
            caseId: caseA, requestId: requestA1, responderId: responder("R-ADV001"), overrideReason: reason,
            envelope: envelope)
    }

    @Test(
        "the same commandId on a different command is refused naming where the first one's events are",
        arguments: Change.allCases)
    func differentCommand(_ change: Change) async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let id = DeterministicID.make("command idempotency \(change)")
        let first = try await h.run(Self.assign(id))
        let rejection = try await h.expectRejection(.duplicateCommand, Self.assign(id, change: change))
        let message = rejection?.message ?? ""
        #expect(message.contains("was used before by a different assign-manually command"), "\(message)")
        #expect(message.contains("position \(first.events[0].position)"), "\(message)")
        #expect(rejection?.field == "/commandId")
        // The original is still answered as a retry.
        let again = try await h.run(Self.assign(id))
        #expect(again.alreadyStored && again.events.map(\.position) == first.events.map(\.position))
    }

    @Test("a command decoded from JSON in another key order and time offset is the same command")
    func sameCommandAnotherText() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let id = "8d6c1b9e-3a52-4f7e-9a41-2b7f0c9d1e55"
        let one = Array(
            #"{"command":"assign-manually","occurredAt":"2026-03-14T02:01:00Z","actor":"user:dispatcher-7","commandId":"\#(id)","caseId":"C-2026A00017","requestId":"RQ-2026A00017-1","responderId":"R-ADV001","overrideReason":"Knows the family."}"#
                .utf8)
        let other = Array(
            #"{ "overrideReason": "Knows the family.", "responderId": "R-ADV001", "requestId": "RQ-2026A00017-1",  "caseId": "C-2026A00017", "commandId": "\#(id.uppercased())", "actor": "user:dispatcher-7", "occurredAt": "2026-03-13T18:01:00-08:00", "command": "assign-manually" }"#
                .utf8)
        #expect(
            CommandDigest.canonicalJSON(try CommandJSON.decode(one))
                == CommandDigest.canonicalJSON(try CommandJSON.decode(other)))
        let first = try await h.handler.handle(json: one)
        let head = try h.head()
        let again = try await h.handler.handle(json: other)
        #expect(again.alreadyStored && again.events.map(\.position) == first.events.map(\.position))
        #expect(try h.head() == head)
    }

    @Test("the digest is stored with the command's events and covers every field")
    func digestStored() async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let command = Self.assign(DeterministicID.make("digest stored"))
        let result = try await h.run(command)
        let stored = try #require(try h.store.event(at: result.events[0].position))
        let metadata = String(decoding: stored.metadata, as: UTF8.self)
        #expect(metadata.contains(#""commandDigest":"\#(CommandDigest.digest(command))""#), "\(metadata)")
        let canonical = String(decoding: CommandDigest.canonicalJSON(command), as: UTF8.self)
        #expect(
            canonical
                == #"{"actor":"user:dispatcher-7","caseId":"C-2026A00017","channel":"push","command":"assign-manually","commandId":"\#(command.envelope.commandId!.uuidString.lowercased())","occurredAt":"2026-03-14T02:01:00Z","overrideReason":"Knows the family from a previous placement.","requestId":"RQ-2026A00017-1","responderId":"R-ADV001"}"#
        )
        let digests = Set(
            Change.allCases.map { CommandDigest.digest(Self.assign(command.envelope.commandId!, change: $0)) })
        #expect(digests.count == Change.allCases.count && !digests.contains(CommandDigest.digest(command)))
    }
}
