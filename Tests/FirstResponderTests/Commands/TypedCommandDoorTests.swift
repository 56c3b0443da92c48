import EventStore
import Foundation
import Testing

@testable import FirstResponder

/// The typed door: a command built in Swift is checked by its generated `validateSchema()` instead
/// of writing its JSON form and decoding it; its digest and times come from generated code instead
/// of reflection. Each must answer exactly as the form it replaces.
@Suite("Commands: the typed door checks as the JSON form did")
struct TypedCommandDoorTests {
    /// A command built in Swift that its schema refuses, and the pointer it is refused at.
    struct Bad: Sendable, CustomTestStringConvertible {
        var label: String
        var pointer: String
        var command: @Sendable () throws -> any Command
        var testDescription: String { label }
    }

    static func example<C: Command>(_ name: String, as type: C.Type) throws -> C {
        try #require(try CommandJSON.decode(SchemaExamples.bytes(command: name, valid: true)) as? C)
    }

    static let lateTime = Timestamp(rfc3339: "9999-12-31T23:59:59Z")!.adding(seconds: 86_400)

    static func recovery(_ change: (inout ReportRecovery) -> Void) throws -> ReportRecovery {
        var command = try example("report-recovery.street-lasd.json", as: ReportRecovery.self)
        change(&command)
        return command
    }

    static func correction(_ change: (inout ArrestCorrected.Corrections) -> Void) throws -> CorrectArrest {
        var command = try example("correct-arrest.role-unlink-operation.json", as: CorrectArrest.self)
        change(&command.corrections)
        return command
    }

    static func policy(_ change: (inout ChangePolicy) -> Void) throws -> ChangePolicy {
        var command = try example("change-policy.v2.json", as: ChangePolicy.self)
        change(&command)
        return command
    }

    static let bad: [Bad] = [
        Bad(label: "an unchecked case id", pointer: "/caseId") {
            try recovery { $0.caseId = CaseID(uncheckedRawValue: "C-no") }
        },
        Bad(label: "an age out of bounds", pointer: "/ageAtContact") { try recovery { $0.ageAtContact = 140 } },
        Bad(label: "a station off its pattern", pointer: "/station") { try recovery { $0.station = "no such" } },
        Bad(label: "OTHER agency without its name", pointer: "/agencyName") {
            try recovery {
                $0.agency = .other
                $0.agencyName = nil
            }
        },
        Bad(label: "a named agency with a name", pointer: "/agencyName") {
            try recovery { $0.agencyName = "Pasadena PD" }
        },
        Bad(label: "a contact time past year 9999", pointer: "/contactAt") { try recovery { $0.contactAt = lateTime } },
        Bad(label: "an occurredAt past year 9999", pointer: "/occurredAt") {
            try recovery { $0.envelope.occurredAt = lateTime }
        },
        Bad(label: "an actor that is no staff reference", pointer: "/actor") {
            try recovery { $0.envelope.actor = "Jane Doe" }
        },
        Bad(label: "a blank override reason", pointer: "/overrideReason") {
            var command = try example("assign-manually.knows-youth.json", as: AssignManually.self)
            command.overrideReason = ""
            return command
        },
        Bad(label: "an empty correction", pointer: "/corrections") {
            try correction { $0 = ArrestCorrected.Corrections() }
        },
        Bad(label: "a linked case twice", pointer: "/corrections/linkedCaseIds") {
            try correction { $0.linkedCaseIds = [caseA, caseB, caseA] }
        },
        Bad(label: "a bad charge at index 1", pointer: "/corrections/charges/1") {
            try correction { $0.charges = ["PC-236.1", "not a code"] }
        },
        Bad(label: "a bad operation id inside a Nullable", pointer: "/corrections/operationId") {
            try correction { $0.operationId = .value(OperationID(uncheckedRawValue: "nope")) }
        },
        Bad(label: "a ranking weight that is not a number", pointer: "/rankingWeights/continuity") {
            try policy { $0.rankingWeights["continuity"] = .nan }
        },
        Bad(label: "a ranking weight out of bounds", pointer: "/rankingWeights/workload") {
            try policy { $0.rankingWeights["workload"] = 5_000 }
        },
        Bad(label: "a required ranking weight missing", pointer: "/rankingWeights/rotation") {
            try policy { $0.rankingWeights["rotation"] = nil }
        },
        Bad(label: "a ranking weight's key off its pattern", pointer: "/rankingWeights/Not A Key") {
            try policy { $0.rankingWeights["Not A Key"] = 1 }
        },
        Bad(label: "a policy version out of bounds", pointer: "/policyVersion") { try policy { $0.policyVersion = 0 } },
    ]

    @Test("a bad command built in Swift is refused as its JSON form is, naming the field", arguments: bad)
    func refusedAsJSON(_ bad: Bad) throws {
        let command = try bad.command()
        let json = try #require(CommandJSON.encode(command))
        let byJSON = #expect(throws: DomainValidationError.self) { _ = try CommandJSON.decode(json) }
        let typed = try #require(command as? any JSONCommand)
        let byType = #expect(throws: DomainValidationError.self) { try typed.validateSchema() }
        #expect(byType?.pointer == bad.pointer, "\(byType.map(String.init(describing:)) ?? "accepted")")
        #expect(byType?.pointer == byJSON?.pointer)
        #expect(byType?.code == byJSON?.code)
        #expect(byType?.message == byJSON?.message)
    }

    @Test("the handler refuses a bad typed command at the field and writes nothing", arguments: bad.prefix(9))
    func handlerRefuses(_ bad: Bad) async throws {
        let h = try await CommandHarness.make()
        try await h.seedCaseWithRequest()
        let rejection = try await h.expectRejection(.invalidCommand, try bad.command())
        #expect(rejection?.field == bad.pointer)
    }

    @Test("every valid example passes the typed check and has the reflective digest and times")
    func examplesAsReflected() throws {
        for name in SchemaExamples.validCommands {
            let bytes = try SchemaExamples.bytes(command: name, valid: true)
            var variants: [any Command] = [try CommandJSON.decode(bytes)]
            for (commandId, correlationId) in [(true, false), (true, true), (false, true)] {
                guard case .object(var object) = try JSONValue(parsing: bytes) else { continue }
                if commandId { object.set("commandId", .string(DeterministicID.make("c \(name)").uuidString)) }
                if correlationId { object.set("correlationId", .string(DeterministicID.make("w \(name)").uuidString)) }
                var writer = JSONWriter()
                writer.value(.object(object))
                variants.append(try CommandJSON.decode(writer.bytes))
            }
            for command in variants {
                let typed = try #require(command as? any JSONCommand)
                #expect(throws: Never.self, "\(name)") { try typed.validateSchema() }
                let generated = String(decoding: CommandDigest.canonicalJSON(command), as: UTF8.self)
                let reflected = String(decoding: ReflectiveCommandForms.canonicalJSON(command), as: UTF8.self)
                #expect(generated == reflected, "\(name)")
                let times = CommandTimes.all(in: command).map { "\($0.pointer)=\($0.time)" }
                let reflectedTimes = ReflectiveCommandForms.times(command).map { "\($0.pointer)=\($0.time)" }
                #expect(times == reflectedTimes, "\(name)")
            }
        }
    }

    @Test("a Nullable in a correction is written in the canonical JSON as reflection wrote it")
    func nullableCanonical() throws {
        for value: Nullable<OperationID>? in [nil, .null, .value(OperationID(rawValue: "OP-SCV2026A")!)] {
            let command = try Self.correction { $0.operationId = value }
            #expect(CommandDigest.canonicalJSON(command) == ReflectiveCommandForms.canonicalJSON(command))
        }
    }

    @Test("a time inside a correction is checked where the JSON form has it")
    func nestedTime() async throws {
        let command = try Self.correction { $0.arrestedAt = CommandTimes.latest.adding(seconds: 60) }
        let rejection = #expect(throws: CommandRejection.self) { try CommandTimes.check(command) }
        #expect(rejection?.field == "/corrections/arrestedAt")
    }
}
